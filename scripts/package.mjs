// Builds the extension (minified, no source maps) and packages it with @vscode/vsce into
// dist-vsix/serverless-lint-<version>.vsix; what goes in is decided by .vscodeignore. Prints the size.
//   --no-build    package the dist/ that is already there (the package test uses this, so it never
//                 rebuilds dist/ under tests that are running the server)
//   --out <file>  write the .vsix somewhere else
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
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

function run(cmd, argv) {
  // stdin is closed so a vsce confirmation prompt fails the run instead of waiting for an answer.
  const r = spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`package: ${relative(root, argv[0]) || argv[0]} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

if (!args.includes('--no-build')) run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);

const vsce = join(dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');
mkdirSync(dirname(out), { recursive: true });
// --no-dependencies: esbuild has bundled everything the extension needs, so node_modules stays out.
run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out]);

const bytes = statSync(out).size;
console.log(`package: ${relative(process.cwd(), out)} ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
if (bytes > MAX_BYTES) {
  console.error(`package: larger than the ${MAX_BYTES / 1024 / 1024} MB budget; check .vscodeignore`);
  process.exit(1);
}
