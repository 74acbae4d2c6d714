// Bundles the extension client, the language server and the CLI with esbuild (one script, several entry points).
// `vscode` stays external (the editor provides it); everything else, `typescript` included, is bundled.
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

// `import * as ts from 'typescript'` bundles as esbuild's ES-module facade over the CommonJS package: every
// `ts.SyntaxKind.X` and `ts.isX(...)` then goes through a getter, which the CPU profile of the CLI put at 9% of
// its time. A default import of a CommonJS module is its `module.exports` object itself, so our own sources are
// handed to esbuild with that form: same object, plain property loads. Type checking still sees the original text.
const TS_NAMESPACE_IMPORT = /^import \* as ts from 'typescript';$/m;
const directTypescript = {
  name: 'direct-typescript',
  setup(build) {
    build.onLoad({ filter: /[\\/](?:server|shared|client)[\\/]src[\\/].*\.tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!TS_NAMESPACE_IMPORT.test(text)) return undefined;
      return { contents: text.replace(TS_NAMESPACE_IMPORT, "import ts from 'typescript';"), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

const common = {
  plugins: [directTypescript],
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
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
].filter((e) => existsSync(e.entryPoints[0]));

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching', entries.map((e) => e.outfile).join(', '));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  for (const e of entries) if (e.banner) chmodSync(e.outfile, 0o755);
  console.log('esbuild: built', entries.map((e) => e.outfile).join(', '));
}
