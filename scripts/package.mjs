// Builds the extension (minified, no source maps) and packages it with @vscode/vsce into
// dist-vsix/serverless-lint-<version>.vsix; what goes in is decided by .vscodeignore. Prints the size.
//   --no-build    package the dist/ that is already there (the package test uses this, so it never
//                 rebuilds dist/ under tests that are running the server)
//   --out <file>  write the .vsix somewhere else
//   --ls          print the files the .vsix would hold (`vsce ls`) instead of packaging
// package.json's `files` list is the npm package's, and vsce refuses a manifest with both `files` and a
// .vscodeignore: the allowlisted files are copied into a staging folder with a manifest without `files`, and vsce
// packages that.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import picomatch from 'picomatch';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Past this the budget is blown; the Marketplace allows far more, so it is our limit, not theirs.
const MAX_BYTES = 5 * 1024 * 1024;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = outIndex >= 0 ? resolve(args[outIndex + 1]) : join(root, 'dist-vsix', `${manifest.name}-${manifest.version}.vsix`);

/** The staging folder, once made (removed on every way out). */
let stage;

function run(cmd, argv, cwd = root) {
  // stdin is closed so a vsce confirmation prompt fails the run instead of waiting for an answer.
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`package: ${relative(root, argv[0]) || argv[0]} failed (exit ${r.status ?? r.signal})`);
    if (stage) rmSync(stage, { recursive: true, force: true });
    process.exit(1);
  }
}

if (!args.includes('--no-build') && !args.includes('--ls')) run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);

/** Every file of the repository that a `!pattern` line of .vscodeignore lets into the package. */
function allowlisted() {
  const patterns = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
  const files = [];
  for (const pattern of patterns) {
    const scan = picomatch.scan(pattern);
    if (!scan.isGlob) {
      files.push(pattern);
      continue;
    }
    const matches = picomatch(pattern);
    const stack = [scan.base];
    while (stack.length) {
      const dir = stack.pop();
      for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) stack.push(rel);
        else if (matches(rel)) files.push(rel);
      }
    }
  }
  return files;
}

const listOnly = args.includes('--ls');
stage = mkdtempSync(join(tmpdir(), 'sl-vsix-stage-'));
try {
  for (const f of allowlisted()) cpSync(join(root, f), join(stage, f));
  const { files: _npmFiles, ...vsixManifest } = manifest;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(vsixManifest, null, 2) + '\n');
  cpSync(join(root, '.vscodeignore'), join(stage, '.vscodeignore'));
  const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
  if (listOnly) run(process.execPath, [vsce, 'ls', '--no-dependencies'], stage);
  else {
    mkdirSync(dirname(out), { recursive: true });
    // --no-dependencies: esbuild has bundled everything the extension needs, so node_modules stays out.
    run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], stage);
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
if (listOnly) process.exit(0);

const bytes = statSync(out).size;
console.log(`package: ${relative(process.cwd(), out)} ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
if (bytes > MAX_BYTES) {
  console.error(`package: larger than the ${MAX_BYTES / 1024 / 1024} MB budget; check .vscodeignore`);
  process.exit(1);
}
