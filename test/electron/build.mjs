// Bundles the extension-host suite (test/electron/suite/) with esbuild into out/test-electron/, one file per
// entry, so VS Code's extension host can load it: `vscode` is the host's own module and mocha stays external
// so every test file and the entry point share one mocha instance (resolved from the repository's node_modules).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const outDir = join(root, 'out/test-electron');

/** Builds the suite and returns the path for `--extensionTestsPath`. */
export async function buildSuite() {
  const suite = join(root, 'test/electron/suite');
  const entryPoints = readdirSync(suite)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => join(suite, f));
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outDir, 'index.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`built ${await buildSuite()}`);
