// Bundles the extension client, the language server and the CLI with esbuild (one script, several entry points).
// `vscode` stays external (the editor provides it); everything else, `typescript` included, is bundled.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { directTypescript } from './esbuild-typescript.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

/**
 * The launchers compile the bundles as vm scripts (through a V8 code cache), where `import()` has no module loader.
 * The tree-sitter runtime imports two Node builtins with `await import(…)`, one of them inside a function that
 * declares its own `var require`: both become requires of the module's outer scope.
 */
function treeSitterRequires() {
  return {
    name: 'tree-sitter-requires',
    setup(build) {
      build.onLoad({ filter: /@vscode[\\/]tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async (args) => {
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(args.path, 'utf8');
        const replaced = text.replace('await import("module")', '__treeSitterNodeModule').replace('await import("fs/promises")', 'require("fs/promises")');
        if (replaced.includes('await import(')) throw new Error('tree-sitter.js has a dynamic import the build does not rewrite');
        return { contents: `var __treeSitterNodeModule = require("module");\n${replaced}`, loader: 'js' };
      });
    },
  };
}

const common = {
  plugins: [directTypescript(), treeSitterRequires()],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build does not.
  mainFields: ['module', 'main'],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // The engine bundles, and the small launchers that start them through a V8 code cache (server/src/boot/).
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.bundle.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.bundle.js' },
  { entryPoints: ['server/src/boot/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/boot/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
].filter((e) => existsSync(e.entryPoints[0]));

// The Python parser's WebAssembly (tree-sitter and its Python grammar, from @vscode/tree-sitter-wasm) sits beside the
// bundles: server/src/python/parser.ts reads it from there, so the .vsix and the npm package carry it and nothing is fetched.
for (const wasm of ['tree-sitter.wasm', 'tree-sitter-python.wasm']) copyFileSync(`node_modules/@vscode/tree-sitter-wasm/wasm/${wasm}`, `dist/${wasm}`);

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching', entries.map((e) => e.outfile).join(', '));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const e of entries) {
    if (e.banner) chmodSync(e.outfile, 0o755);
    // A production build has no source maps: a development build's map beside it would describe other code.
    if (production) rmSync(`${e.outfile}.map`, { force: true });
  }
  console.log('esbuild: built', entries.map((e) => e.outfile).join(', '));
}
