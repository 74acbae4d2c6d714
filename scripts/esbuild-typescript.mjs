// The esbuild plugin that bundles our `import * as ts from 'typescript'` as plain property loads, shared by the
// product build (scripts/build.mjs) and the benchmark's per-file worker, so both measure the same code.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// `import * as ts from 'typescript'` bundles as esbuild's ES-module facade over the CommonJS package, and the
// package's own `module.exports` is an object of getters (`SyntaxKind: () => SyntaxKind`, `isIdentifier: () =>
// isIdentifier`, …): every `ts.SyntaxKind.X` and `ts.isX(...)` in our code was a getter call, 3.5% of the per-file
// analysis in the CPU profile. Our sources get a copy of the exports as data properties instead, taken once at
// load. A copy freezes live bindings; TypeScript reassigns only `sys`, `tracing`, `tracingEnabled` and
// `unchangedPollThresholds` after load, none of which our code reads. Type checking still sees the original text.
const TS_NAMESPACE_IMPORT = /^import \* as ts from 'typescript';$/m;
const PLAIN = 'serverless-lint:typescript-plain';
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Rewrites the namespace import in the TypeScript sources whose path matches `filter`. */
export function directTypescript(filter = /[\\/](?:server|shared|client)[\\/]src[\\/].*\.tsx?$/) {
  return {
    name: 'direct-typescript',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${PLAIN}$`) }, () => ({ path: PLAIN, namespace: 'ts-plain' }));
      build.onLoad({ filter: /.*/, namespace: 'ts-plain' }, () => ({
        contents: "import real from 'typescript';\nconst plain = {};\nfor (const key of Object.keys(real)) plain[key] = real[key];\nexport default plain;\n",
        resolveDir: ROOT, loader: 'js',
      }));
      build.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!TS_NAMESPACE_IMPORT.test(text)) return undefined;
        return { contents: text.replace(TS_NAMESPACE_IMPORT, `import ts from '${PLAIN}';`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}
