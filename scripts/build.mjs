// Bundles the extension client, the language server and the CLI with esbuild (one script, several entry points).
// `vscode` stays external (the editor provides it); everything else, `typescript` included, is bundled.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { directTypescript } from './esbuild-typescript.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

const common = {
  plugins: [directTypescript()],
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
