// Finds the files a workspace check or the CLI analyzes: JS/TS (and Python, .astro) sources, honouring .gitignore (the repository's
// own above the folder too), skipping node_modules, build outputs and minified bundles, never following a symlink
// loop or a symlink out of the workspace, and saying which sources it could not look at.
import * as fs from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import { MAX_CONFIG_BYTES } from '../analysis/host';
import { Boundary, guardedRead } from './guarded-read';
import { SOURCE_FILE } from '../../../shared/src/source-files';

/** JavaScript, TypeScript, Python (through server/src/python/) and embedded-code sources (`.astro`). */
export const SOURCE_EXTENSIONS = SOURCE_FILE;
const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.next',
  'dist',
  'build',
  'out',
  'coverage',
  '.vercel',
  '.netlify',
  '.wrangler',
  '.serverless',
  '.aws-sam',
  '.turbo',
  '.svelte-kit',
  '.nuxt',
  '.output',
  '.cache',
  // Python: virtual environments (installed packages) and bytecode caches.
  '.venv',
  'venv',
  '__pycache__',
  'site-packages',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
]);

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
  /**
   * Where symlinks may lead: a symlinked file or folder is followed only when its real path is inside (default: the
   * roots walked). A symlink to `/` must not walk the file system.
   */
  boundary?: Boundary;
  /**
   * Told of each source it could not look at (not a regular file, a broken or outside symlink, an unreadable folder)
   * or left out by its content (minified), with the reason, so that callers can list it.
   */
  onSkipped?: (path: string, reason: string) => void;
}

/** The root of the git work tree holding `dir` (the nearest folder up with a `.git`), or undefined. */
export function gitRootOf(dir: string): string | undefined {
  for (let d = dir; ; ) {
    if (fs.existsSync(`${d === '/' ? '' : d}/.git`)) return d;
    const i = d.lastIndexOf('/');
    const parent = i <= 0 ? '/' : d.slice(0, i);
    if (parent === d) return undefined;
    d = parent;
  }
}

/**
 * The workspace of a CLI run: the git work tree that holds the common folder of the paths (and of the current folder,
 * when the paths are inside it), or that folder itself outside git. Reads and `--fix` writes stay inside it.
 */
export function workspaceRootFor(roots: readonly string[], cwd: string): string {
  const dirs = roots.map((r) => {
    try {
      return fs.statSync(r).isDirectory() ? r : r.slice(0, r.lastIndexOf('/')) || '/';
    } catch {
      return r;
    }
  });
  if (dirs.every((d) => d === cwd || d.startsWith(cwd + '/'))) dirs.push(cwd);
  let common = dirs[0] ?? cwd;
  for (const d of dirs) while (common !== '/' && d !== common && !d.startsWith(common + '/')) common = common.slice(0, common.lastIndexOf('/')) || '/';
  return gitRootOf(common) ?? common;
}

/** The .gitignore files of the folders above `dir` up to its git root, outermost first, as walk frames. */
function parentIgnores(dir: string): Array<{ base: string; ignores: (rel: string) => boolean }> {
  const top = gitRootOf(dir);
  if (!top || top === dir) return [];
  const out: Array<{ base: string; ignores: (rel: string) => boolean }> = [];
  for (let d = dir; d !== top; ) {
    d = d.slice(0, d.lastIndexOf('/')) || '/';
    const text = guardedRead(`${d === '/' ? '' : d}/.gitignore`, MAX_CONFIG_BYTES).text;
    if (text !== undefined) out.unshift({ base: d, ignores: compileGitignore(text) });
    if (d === '/') break;
  }
  return out;
}

/** How much of a file's start the minified test reads: enough lines of real code after a long license header. */
export const HEAD_BYTES = 16 * 1024;

/** Whether a file is skipped by its name: a declaration file, or a bundle named as minified (`x.min.js`). */
export function isSkippedByName(name: string): boolean {
  return /\.d\.[cm]?ts$/.test(name) || /[.-]min\.[cm]?js$/.test(name) || /\.bundle\.[cm]?js$/.test(name);
}

/** A string literal of 200 characters or more (on one line, or a template literal). */
const LONG_STRING = /"(?:[^"\\\n]|\\.){200,}"|'(?:[^'\\\n]|\\.){200,}'|`(?:[^`\\]|\\.){200,}`/g;

/**
 * Why a file's start (`head`, its first HEAD_BYTES or so) looks minified, or undefined. Comments are left out first,
 * so a long license or banner comment is not code; what is left is minified when it has a line over 1,000
 * characters, its lines average over 110 characters (GitHub Linguist's test for generated minified files) and under
 * 10% of it is white space (the minified bundles in node_modules measured 0.1-3%; `a + b` style code, generated or not, 14% and more): a source with
 * one long data line among ordinary ones is analyzed, and so is a generated 10,000-term `a && a && ...`; a bundle of
 * a few huge lines is not.
 */
export function minifiedReason(head: string): string | undefined {
  if (head.length < 1000) return undefined;
  // Almost every file has no line over 1,000 characters: answered by one scan of line breaks, with no copies.
  let longestRaw = 0;
  for (let start = 0; start < head.length; ) {
    let end = head.indexOf('\n', start);
    if (end < 0) end = head.length;
    if (end - start > longestRaw) longestRaw = end - start;
    start = end + 1;
  }
  if (longestRaw <= 1000) return undefined;
  // Block comments, and line comments that start a line (a `//` after code may be inside a string or a URL).
  // Then long string literals: an inline base64 image or SVG path data makes long lines of data, not of code (an
  // icons.tsx of <path d="..."> and an API route returning an inline PNG in vercel/examples were both skipped).
  const code = head
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '')
    .replace(/^[ \t]*\/\/.*$/gm, '')
    .replace(LONG_STRING, '""');
  let longest = 0;
  let chars = 0;
  let lines = 0;
  let spaces = 0;
  // `;`, braces and parentheses: minified code is statements and calls packed together (4-11% of its characters in
  // the bundles measured); a generated list (a barrel's `export type { A, B, ... }`) has almost none (0.2%).
  let syntax = 0;
  for (let start = 0; start < code.length; ) {
    let end = code.indexOf('\n', start);
    if (end < 0) end = code.length;
    const length = end - start;
    if (code.slice(start, end).trim().length) {
      lines++;
      chars += length;
      if (length > longest) longest = length;
      for (let i = start; i < end; i++) {
        const c = code.charCodeAt(i);
        if (c === 32 || c === 9) spaces++;
        else if (c === 59 || c === 123 || c === 125 || c === 40 || c === 41) syntax++;
      }
    }
    start = end + 1;
  }
  if (longest <= 1000 || !lines || chars / lines <= 110 || spaces / chars >= 0.1 || syntax / chars < 0.01) return undefined;
  return `it looks minified (lines of ${Math.round(chars / lines)} characters on average, the longest ${longest > HEAD_BYTES - 1 ? `over ${HEAD_BYTES}` : longest}); name the file on the command line to analyze it anyway`;
}

/** Whether a file is a declaration file or looks minified (see `minifiedReason`). */
export function isSkippableFile(name: string, head?: string): boolean {
  return isSkippedByName(name) || (head !== undefined && minifiedReason(head) !== undefined);
}

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The parts of the `ignore` package's rules (7.0.x) that `compileGitignore` reads. */
interface IgnoreRules {
  _rules?: { _rules?: Array<{ negative?: unknown; regex?: unknown }> };
}

/**
 * A .gitignore's test for a path relative to its folder (a folder's path ends with `/`), as the `ignore` package
 * answers it for a path whose parent folders are not ignored (the walk never enters an ignored folder): ignored when
 * the last rule that matches is not a negation. The package tests every rule on every path (a 2,000-line .gitignore
 * over 50,000 files: 16.5 s of CPU); here each run of rules of the same polarity is one regular expression, tested
 * from the last run back, so most paths cost one test. Falls back to the package's own test if its rules ever
 * change shape.
 */
export function compileGitignore(text: string): (rel: string) => boolean {
  const ig: Ignore = ignore().add(text);
  const rules = (ig as unknown as IgnoreRules)._rules?._rules;
  if (!Array.isArray(rules) || rules.some((r) => typeof r.negative !== 'boolean' || !(r.regex instanceof RegExp))) return (rel) => ig.ignores(rel);
  const runs: Array<{ negative: boolean; regex: RegExp }> = [];
  for (let i = 0; i < rules.length; ) {
    const negative = rules[i].negative as boolean;
    const flags = (rules[i].regex as RegExp).flags;
    let j = i;
    const sources: string[] = [];
    while (j < rules.length && rules[j].negative === negative && (rules[j].regex as RegExp).flags === flags)
      sources.push(`(?:${(rules[j++].regex as RegExp).source})`);
    runs.push({ negative, regex: new RegExp(sources.join('|'), flags) });
    i = j;
  }
  return (rel) => {
    for (let i = runs.length - 1; i >= 0; i--) if (runs[i].regex.test(rel)) return !runs[i].negative;
    return false;
  };
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
  const boundary =
    options.boundary ??
    new Boundary(
      roots.map((r) => {
        try {
          return fs.statSync(r).isDirectory() ? r : r.slice(0, r.lastIndexOf('/')) || '/';
        } catch {
          return r;
        }
      }),
    );
  const skipped = (path: string, reason: string) => options.onSkipped?.(path, reason);
  // `real`: the folder's real path when it is known without asking (a folder reached from its parent's listing,
  // not through a symlink, is its parent's real path and its name); only for symlink-loop detection.
  type Frame = { dir: string; ignores: Array<{ base: string; ignores: (rel: string) => boolean }>; real?: string };
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
    if (!stat.isDirectory()) {
      skipped(root, 'it is not a regular file');
      continue;
    }
    // A subfolder of a repository honours the repository's .gitignore files above it, as git does.
    const stack: Frame[] = [{ dir: root, ignores: parentIgnores(root) }];
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
      } catch (e) {
        skipped(dir, `the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        continue;
      }
      let frameIgnores = ignores;
      if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
        // Through the door: a .gitignore is read with a size cap (an unreadable one ignores nothing).
        const text = guardedRead(`${dir}/.gitignore`, MAX_CONFIG_BYTES).text;
        if (text !== undefined) frameIgnores = [...ignores, { base: dir, ignores: compileGitignore(text) }];
      }
      const isIgnored = (full: string, isDir: boolean) =>
        frameIgnores.some(({ base, ignores }) => {
          const rel = full.slice(base.length + 1);
          return rel.length > 0 && ignores(isDir ? `${rel}/` : rel);
        });
      for (const e of entries.sort((a, b) => (a.name < b.name ? 1 : -1))) {
        const full = `${dir}/${e.name}`;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        const link = e.isSymbolicLink();
        const source = SOURCE_EXTENSIONS.test(e.name);
        if (link) {
          if (SKIPPED_DIRS.has(e.name)) continue;
          try {
            const s = fs.statSync(full);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            if (source && !isIgnored(full, false)) skipped(full, 'it is a broken symbolic link');
            continue;
          }
          // Followed only when it leads inside the workspace: a link to `/` or to a home folder is not walked.
          let target: string;
          try {
            target = realPath(full);
          } catch {
            continue;
          }
          if (!boundary.allowsReal(target)) {
            if ((isFile && source) || isDir) {
              if (!isIgnored(full, isDir)) skipped(full, `it is a symbolic link to ${target}, outside the workspace`);
            }
            continue;
          }
        }
        if (isDir) {
          if (SKIPPED_DIRS.has(e.name) || isIgnored(full, true)) continue;
          stack.push({ dir: full, ignores: frameIgnores, real: link ? undefined : `${real}/${e.name}` });
        } else if (source && !isIgnored(full, false)) {
          // A FIFO, socket or device named like a source is listed as skipped, never opened.
          if (!isFile) {
            skipped(full, 'it is not a regular file');
            continue;
          }
          if (isSkippedByName(e.name)) continue;
          const minified = options.readHeads === false ? undefined : minifiedReason(readHead(full));
          if (minified !== undefined) {
            skipped(full, minified);
            continue;
          }
          out.push(full);
        }
      }
    }
  }
  return out.sort();
}
