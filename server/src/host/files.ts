// Finds the files a workspace check or the CLI analyzes: JS/TS sources, honouring .gitignore,
// skipping node_modules, build outputs and minified bundles, and never following a symlink loop.
import * as fs from 'node:fs';
import ignore, { type Ignore } from 'ignore';

export const SOURCE_EXTENSIONS = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.next', 'dist', 'build', 'out', 'coverage', '.vercel', '.netlify', '.wrangler', '.serverless', '.aws-sam', '.turbo', '.svelte-kit', '.nuxt', '.output', '.cache']);

export interface WalkOptions {
  /** Stop when this returns true (cancellation). */
  cancelled?: () => boolean;
  /** At most this many files (protects memory on huge trees). */
  maxFiles?: number;
  /**
   * false: do not open files to look for minified first lines; the caller reads every file anyway and checks
   * `isSkippableFile(name, text)` itself (the CLI), instead of each file being opened twice.
   */
  readHeads?: boolean;
}

/** Whether a file is a declaration file or looks minified (very long first lines). */
export function isSkippableFile(name: string, head?: string): boolean {
  if (/\.d\.[cm]?ts$/.test(name) || /[.-]min\.[cm]?js$/.test(name) || /\.bundle\.[cm]?js$/.test(name)) return true;
  if (head !== undefined) {
    const firstBreak = head.indexOf('\n');
    const firstLine = firstBreak < 0 ? head.length : firstBreak;
    if (firstLine > 1000 && head.length >= 1000) return true;
  }
  return false;
}

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(2048);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** A folder's real path, `/`-separated as the walk composes its subfolders' (Windows gives back `\`). */
function realPath(dir: string): string {
  const real = fs.realpathSync.native(dir);
  return process.platform === 'win32' ? real.replace(/\\/g, '/') : real;
}

/** Every source file under `roots` (files given directly are kept as they are). Paths are `/`-separated. */
export function collectSourceFiles(roots: string[], options: WalkOptions = {}): string[] {
  const out: string[] = [];
  const seenDirs = new Set<string>();
  const max = options.maxFiles ?? Infinity;
  // `real`: the folder's real path when it is known without asking (a folder reached from its parent's listing,
  // not through a symlink, is its parent's real path and its name); only for symlink-loop detection.
  type Frame = { dir: string; ignores: Array<{ base: string; ig: Ignore }>; real?: string };
  for (const root of roots) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(root);
    } catch {
      continue;
    }
    if (stat.isFile()) {
      out.push(root);
      continue;
    }
    const stack: Frame[] = [{ dir: root, ignores: [] }];
    while (stack.length && out.length < max) {
      if (options.cancelled?.()) return out;
      const { dir, ignores, real: known } = stack.pop()!;
      let real: string;
      try {
        real = known ?? realPath(dir);
      } catch {
        continue;
      }
      if (seenDirs.has(real)) continue;
      seenDirs.add(real);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      let frameIgnores = ignores;
      if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
        try {
          const ig = ignore().add(fs.readFileSync(`${dir}/.gitignore`, 'utf8'));
          frameIgnores = [...ignores, { base: dir, ig }];
        } catch {
          // An unreadable .gitignore ignores nothing.
        }
      }
      const isIgnored = (full: string, isDir: boolean) =>
        frameIgnores.some(({ base, ig }) => {
          const rel = full.slice(base.length + 1);
          return rel.length > 0 && ig.ignores(isDir ? `${rel}/` : rel);
        });
      for (const e of entries.sort((a, b) => (a.name < b.name ? 1 : -1))) {
        const full = `${dir}/${e.name}`;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        const link = e.isSymbolicLink();
        if (link) {
          try {
            const s = fs.statSync(full);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            continue;
          }
        }
        if (isDir) {
          if (SKIPPED_DIRS.has(e.name) || isIgnored(full, true)) continue;
          stack.push({ dir: full, ignores: frameIgnores, real: link ? undefined : `${real}/${e.name}` });
        } else if (isFile && SOURCE_EXTENSIONS.test(e.name) && !isIgnored(full, false)) {
          if (isSkippableFile(e.name, options.readHeads === false ? undefined : readHead(full))) continue;
          out.push(full);
        }
      }
    }
  }
  return out.sort();
}
