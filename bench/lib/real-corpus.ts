// The real-code corpus: published sources of packages serverless teams actually ship (Hono, Express and its
// dependencies, Next.js's server runtime, @vercel/functions, undici, zod), installed from the npm registry and
// copied out of node_modules into a plain folder, because the CLI (rightly) never walks node_modules.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isSkippableFile, SOURCE_EXTENSIONS } from '../../server/src/host/files';
import { DEFAULT_MAX_FILE_SIZE } from '../../shared/src/settings';
import { NPM_DIR, REAL } from './paths';

/** Pinned, so that two runs of the benchmark read the same code. */
export const REAL_PACKAGES: Record<string, string> = {
  hono: '4.13.19',
  express: '5.3.0',
  next: '16.4.6',
  '@vercel/functions': '3.9.9',
  undici: '8.12.4',
  zod: '4.6.7',
};

/** Next.js ships thousands of compiled files; its server runtime alone is plenty, capped to keep the run short. */
const NEXT_SUBSET = 'dist/server';
const NEXT_MAX_FILES = 1500;

/** Folder names the CLI skips (build outputs); copied files get them renamed so that published `dist/` code is still linted. */
const RENAMED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '.next', 'cjs-dist']);

function stamp(): string {
  return JSON.stringify({ packages: REAL_PACKAGES, nextSubset: NEXT_SUBSET, nextMax: NEXT_MAX_FILES, v: 2 });
}

/** Installs the pinned packages (cached) and copies their sources to REAL. Returns a line describing the corpus. */
export function ensureRealCorpus(log: (s: string) => void): void {
  const stampFile = join(REAL, '.bench-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp()) return;
  mkdirSync(NPM_DIR, { recursive: true });
  const pkgJson = JSON.stringify({ name: 'serverless-lint-bench-corpus', private: true, dependencies: REAL_PACKAGES }, null, 2);
  const pkgFile = join(NPM_DIR, 'package.json');
  const installed = existsSync(join(NPM_DIR, 'node_modules/.package-lock.json')) && existsSync(pkgFile) && readFileSync(pkgFile, 'utf8') === pkgJson;
  if (!installed) {
    writeFileSync(pkgFile, pkgJson);
    log(`installing the real-code corpus from npm into ${relative(process.cwd(), NPM_DIR)} …`);
    // No install scripts (nothing from the corpus ever runs), no optional native binaries, no peer installs (react).
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=optional', '--legacy-peer-deps', '--loglevel=error'], {
      cwd: NPM_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  rmSync(REAL, { recursive: true, force: true });
  mkdirSync(REAL, { recursive: true });
  const nm = join(NPM_DIR, 'node_modules');
  const packageDirs: string[] = [];
  for (const name of readdirSync(nm)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of readdirSync(join(nm, name))) packageDirs.push(`${name}/${sub}`);
    else packageDirs.push(name);
  }
  let copied = 0;
  for (const pkg of packageDirs.sort()) {
    const root = join(nm, pkg);
    const from = pkg === 'next' ? join(root, NEXT_SUBSET) : root;
    const max = pkg === 'next' ? NEXT_MAX_FILES : Infinity;
    copied += copySources(from, join(REAL, pkg.replace('/', '__'), pkg === 'next' ? 'server' : ''), max);
  }
  writeFileSync(stampFile, stamp());
  log(`real-code corpus: ${copied} files from ${packageDirs.length} packages`);
}

/** Copies JS/TS sources the CLI would analyze (no declarations, no minified bundles, not above maxFileSize). */
function copySources(from: string, to: string, max: number): number {
  const files: string[] = [];
  const stack = [from];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') stack.push(full);
      } else if (e.isFile() && SOURCE_EXTENSIONS.test(e.name)) {
        files.push(full);
      }
    }
  }
  files.sort();
  let n = 0;
  for (const file of files) {
    if (n >= max) break;
    const size = statSync(file).size;
    if (size === 0 || size > DEFAULT_MAX_FILE_SIZE) continue;
    const head = readFileSync(file, 'utf8').slice(0, 2048);
    if (isSkippableFile(file, head)) continue;
    const rel = relative(from, file)
      .split('/')
      .map((seg, i, all) => (i < all.length - 1 && RENAMED_DIRS.has(seg) ? `${seg}_` : seg))
      .join('/');
    const target = join(to, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    n++;
  }
  return n;
}
