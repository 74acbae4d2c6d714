// The esbuild plugin that bundles our `import * as ts from 'typescript'` as direct references, shared by the
// product build (scripts/build.mjs) and the benchmark's per-file worker, so both measure the same code.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// `import * as ts from 'typescript'` bundles as esbuild's ES-module facade over the CommonJS package, and the
// package's own `module.exports` is an object of getters (`SyntaxKind: () => SyntaxKind`, `isIdentifier: () =>
// isIdentifier`, …): every `ts.SyntaxKind.X` and `ts.isX(...)` in our code was a getter call, 3.5% of the per-file
// analysis in the CPU profile. A copy of the exports as one object's data properties was the next step, but an
// object of 2,500 properties is a hash table to V8 (as is every TypeScript enum, built by keyed stores), so each
// `ts.SyntaxKind.X` in a loop over a file's nodes was still two hash lookups.
//
// So our sources instead import a module that exports each member of TypeScript's as a constant of its own, taken
// once at load: esbuild turns `ts.isIdentifier(n)` into a call of that constant. A copy freezes live bindings;
// TypeScript reassigns only `sys`, `tracing`, `tracingEnabled` and `unchangedPollThresholds` after load, none of which
// our code reads. And `ts.<Enum>.<Member>` is replaced by its number, as TypeScript's own build does with its const
// enums: the bundle carries this very TypeScript, so the numbers are the ones it uses. Type checking still sees the
// original text.
const TS_NAMESPACE_IMPORT = /^import \* as ts from 'typescript';$/m;
const ENUM_MEMBER = /\bts\.([A-Z][A-Za-z0-9]*)\.([A-Za-z_$][\w$]*)\b(?!\s*\()/g;
const PLAIN = 'serverless-lint:typescript-plain';
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const RESERVED = new Set([
  'default',
  'arguments',
  'eval',
  'await',
  'yield',
  'let',
  'static',
  'enum',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
]);

/** The TypeScript this build bundles (resolved as esbuild resolves it, from the repository root). */
function typescript() {
  return createRequire(`${ROOT}/package.json`)('typescript');
}

/** The module our sources import instead of `typescript`: one exported constant per member. */
function plainModule(real) {
  const names = Object.keys(real).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !RESERVED.has(k));
  return `import real from 'typescript';\n${names.map((k) => `export const ${k} = real.${k};`).join('\n')}\n`;
}

/**
 * `ts.SyntaxKind.Identifier` → `(80)`, for every numeric member of an enum of TypeScript's (no comment beside the
 * number: the text may stand in a comment of its own).
 */
export function inlineEnumMembers(text, real) {
  return text.replace(ENUM_MEMBER, (whole, enumName, member) => {
    const e = Object.hasOwn(real, enumName) ? real[enumName] : undefined;
    if (!e || typeof e !== 'object' || !Object.hasOwn(e, member) || typeof e[member] !== 'number') return whole;
    return `(${e[member]})`;
  });
}

/** Rewrites the namespace import in the TypeScript sources whose path matches `filter`. */
export function directTypescript(filter = /[\\/](?:server|shared|client)[\\/]src[\\/].*\.tsx?$/) {
  const real = typescript();
  return {
    name: 'direct-typescript',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${PLAIN}$`) }, () => ({ path: PLAIN, namespace: 'ts-plain' }));
      build.onLoad({ filter: /.*/, namespace: 'ts-plain' }, () => ({ contents: plainModule(real), resolveDir: ROOT, loader: 'js' }));
      build.onLoad({ filter }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!TS_NAMESPACE_IMPORT.test(text)) return undefined;
        const contents = inlineEnumMembers(text.replace(TS_NAMESPACE_IMPORT, `import * as ts from '${PLAIN}';`), real);
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}
