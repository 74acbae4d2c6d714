// The esbuild plugin that bundles `import * as ts from 'typescript'` as the CommonJS default import, shared by the
// product build (scripts/build.mjs) and the benchmark's per-file worker, so both measure the same code.
import { readFileSync } from 'node:fs';

// `import * as ts from 'typescript'` bundles as esbuild's ES-module facade over the CommonJS package: every
// `ts.SyntaxKind.X` and `ts.isX(...)` then goes through a getter, which the CPU profile of the CLI put at 9% of
// its time. A default import of a CommonJS module is its `module.exports` object itself, so our own sources are
// handed to esbuild with that form: same object, plain property loads. Type checking still sees the original text.
const TS_NAMESPACE_IMPORT = /^import \* as ts from 'typescript';$/m;

/** Rewrites the namespace import in the TypeScript sources whose path matches `filter`. */
export function directTypescript(filter = /[\\/](?:server|shared|client)[\\/]src[\\/].*\.tsx?$/) {
  return {
    name: 'direct-typescript',
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!TS_NAMESPACE_IMPORT.test(text)) return undefined;
        return { contents: text.replace(TS_NAMESPACE_IMPORT, "import ts from 'typescript';"), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}
