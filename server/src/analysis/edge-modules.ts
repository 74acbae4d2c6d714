// What each edge runtime offers of Node.js, as data with sources and dates: builtin modules, Node globals,
// native-addon packages, and the "Switch this route to the Node.js runtime" fix the edge rules share.
// Cross-file analysis and hovers read the same tables, so a platform change is one edit here.
import * as ts from 'typescript';
import type { FileContext, Fix, TextEdit } from '../../../shared/src/types';
import { declaredRuntime } from './context';
import { isFallbackLoad } from './guards';
import type { NodeVisitor, RuleContext } from './rule';

/** The edge runtimes that differ in what they supply of Node.js. */
export type EdgeTarget = 'vercel-edge' | 'workers' | 'workers-nodejs-compat' | 'deno';

export const EDGE_TARGET_NAMES: Record<EdgeTarget, string> = {
  'vercel-edge': 'the Vercel Edge runtime',
  workers: 'Cloudflare Workers without nodejs_compat',
  'workers-nodejs-compat': 'Cloudflare Workers with nodejs_compat',
  deno: 'the Deno edge runtime (Netlify Edge Functions, Supabase Edge Functions)',
};

/** Where each table below was verified, and when. Hovers show the date. */
export const EDGE_SOURCES = {
  'vercel-edge': {
    urls: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://nextjs.org/docs/app/api-reference/edge',
      // Next.js and Vercel's own builders both map `x` and `node:x` of these five modules to the runtime's copies.
      'https://github.com/vercel/next.js/blob/canary/packages/next/src/build/webpack/plugins/middleware-plugin.ts',
      'https://github.com/vercel/vercel/blob/main/packages/node/src/edge-functions/edge-node-compat-plugin.ts',
    ],
    verified: '2026-09',
  },
  workers: {
    urls: ['https://developers.cloudflare.com/workers/runtime-apis/nodejs/'],
    verified: '2026-09',
  },
  'workers-nodejs-compat': {
    urls: [
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/fs/',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/http/',
    ],
    verified: '2026-09',
  },
  deno: {
    urls: ['https://docs.deno.com/runtime/fundamentals/node/', 'https://docs.netlify.com/build/edge-functions/api/'],
    verified: '2026-09',
  },
} as const;

/** Every Node.js builtin module name (without `node:` and without subpaths). */
// biome-ignore format: a packed list of names reads better than one name per line.
export const NODE_BUILTINS: ReadonlySet<string> = new Set([
  'assert', 'async_hooks', 'buffer', 'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram',
  'diagnostics_channel', 'dns', 'domain', 'events', 'fs', 'http', 'http2', 'https', 'inspector', 'module', 'net',
  'os', 'path', 'perf_hooks', 'process', 'punycode', 'querystring', 'readline', 'repl', 'stream', 'string_decoder',
  'sys', 'timers', 'tls', 'trace_events', 'tty', 'url', 'util', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
  // Builtins that exist only with the `node:` prefix.
  'test', 'sqlite', 'sea',
]);

/** Builtins that exist only as `node:x` (a bare `test` or `sqlite` is an npm package). */
const PREFIX_ONLY = new Set(['test', 'sqlite', 'sea']);

/**
 * Builtins each edge runtime supplies. Vercel: Next.js and `@vercel/node` alias exactly these five, with or
 * without `node:`. Workers with `nodejs_compat`: the modules documented as built in (fs needs a compatibility date
 * of 2025-09-01 or later, http/https 2025-08-15 for clients and 2025-09-01 for servers; the compatibility date is not
 * read, so a project on an older date is given the benefit of the doubt). Deno: Deno implements nearly every
 * `node:` module, so only those that cannot work in a Deno isolate on Deploy or Netlify (no subprocesses, no UDP,
 * no threads, no inspector or REPL) are flagged: the conservative choice.
 */
// biome-ignore format: a packed list of names reads better than one name per line.
const SUPPLIED: Record<EdgeTarget, ReadonlySet<string>> = {
  'vercel-edge': new Set(['buffer', 'events', 'assert', 'util', 'async_hooks']),
  workers: new Set(),
  'workers-nodejs-compat': new Set([
    'assert', 'async_hooks', 'buffer', 'crypto', 'diagnostics_channel', 'dns', 'events', 'fs', 'http', 'https', 'net',
    'path', 'process', 'querystring', 'stream', 'string_decoder', 'timers', 'tls', 'url', 'util', 'zlib', 'punycode',
  ]),
  deno: new Set([...NODE_BUILTINS].filter((m) => !['child_process', 'cluster', 'dgram', 'worker_threads', 'inspector', 'repl', 'v8', 'trace_events', 'wasi', 'sea'].includes(m))),
};

/** What a module is for, and the Web-standard replacement to suggest (both used in messages and hovers). */
const MODULE_NOTES: Record<string, { what: string; instead?: string }> = {
  fs: { what: 'the filesystem', instead: 'bundle data as an import, or read it from a store (Blob, KV, R2) over fetch()' },
  child_process: { what: 'subprocesses' },
  net: { what: 'raw TCP sockets' },
  tls: { what: 'raw TLS sockets' },
  dgram: { what: 'UDP sockets' },
  cluster: { what: 'process clustering' },
  worker_threads: { what: 'threads' },
  http: { what: "Node's HTTP server and client", instead: 'answer with a Web Response and call other services with fetch()' },
  https: { what: "Node's HTTPS server and client", instead: 'answer with a Web Response and call other services with fetch()' },
  http2: { what: "Node's HTTP/2 server and client", instead: 'use fetch()' },
  os: { what: 'operating-system information' },
  vm: { what: 'code evaluation in new contexts' },
  v8: { what: 'V8 engine internals' },
  module: { what: "Node's module loader" },
  readline: { what: 'line input from a terminal' },
  repl: { what: 'an interactive shell' },
  dns: { what: 'DNS resolution', instead: 'use fetch() (or DNS over HTTPS)' },
  perf_hooks: { what: 'performance hooks', instead: 'use the global performance object' },
  inspector: { what: 'the debugger protocol' },
  path: { what: 'filesystem path helpers', instead: 'use URL or plain string operations' },
  crypto: { what: "Node's crypto module", instead: 'use the Web Crypto API (crypto.subtle, crypto.randomUUID())' },
  stream: { what: 'Node streams', instead: 'use Web Streams (ReadableStream, TransformStream)' },
  zlib: { what: 'zlib compression', instead: 'use CompressionStream / DecompressionStream' },
  url: { what: "Node's url module", instead: 'use the global URL and URLSearchParams' },
  querystring: { what: 'query-string parsing', instead: 'use URLSearchParams' },
  string_decoder: { what: 'string decoding', instead: 'use TextDecoder' },
  timers: { what: "Node's timers module", instead: 'use the global setTimeout' },
  process: { what: "Node's process object" },
  tty: { what: 'terminals' },
};

export interface BuiltinVerdict {
  /** The builtin's base name, e.g. `fs` for `node:fs/promises`. */
  module: string;
  /** Whether the specifier used the `node:` prefix. */
  prefixed: boolean;
  supported: boolean;
  /** What the module is for, e.g. "the filesystem". */
  what: string;
  /** A Web-standard replacement, when one exists. */
  instead?: string;
  /** On Workers without nodejs_compat: the flag would supply this module. */
  compatFlagWouldHelp: boolean;
}

/** The edge target of a file on the edge runtime, or undefined when the file does not run on the edge. */
export function edgeTargetOf(context: FileContext): EdgeTarget | undefined {
  if (context.runtime.value !== 'edge') return undefined;
  const platform = context.platform.value;
  if (platform === 'cloudflare-workers') return context.nodejsCompat ? 'workers-nodejs-compat' : 'workers';
  if (platform === 'deno-deploy' || platform === 'netlify') return 'deno';
  // Vercel, and Next.js/Vercel-style edge declarations on an undecided platform, use Vercel's edge runtime.
  return 'vercel-edge';
}

/** Whether a specifier names a Node builtin; returns its base name (`fs` for `node:fs/promises`). */
export function nodeBuiltinName(specifier: string): { module: string; prefixed: boolean } | undefined {
  const prefixed = specifier.startsWith('node:');
  const base = (prefixed ? specifier.slice(5) : specifier).split('/')[0];
  if (!NODE_BUILTINS.has(base)) return undefined;
  if (!prefixed && PREFIX_ONLY.has(base)) return undefined;
  return { module: base, prefixed };
}

/** The verdict on importing `specifier` on `target`, or undefined when it is not a Node builtin. */
export function builtinSupport(specifier: string, target: EdgeTarget): BuiltinVerdict | undefined {
  const name = nodeBuiltinName(specifier);
  if (!name) return undefined;
  const note = MODULE_NOTES[name.module] ?? { what: `node:${name.module}` };
  return {
    module: name.module,
    prefixed: name.prefixed,
    supported: SUPPLIED[target].has(name.module),
    what: note.what,
    instead: note.instead,
    compatFlagWouldHelp: target === 'workers' && SUPPLIED['workers-nodejs-compat'].has(name.module),
  };
}

/**
 * Node globals per edge target: whether each is available without an import. Vercel: Next.js removed `Buffer`
 * from its list of unsupported edge globals (it is provided) and still lists `setImmediate`; `process` carries only
 * `env`. Workers with nodejs_compat (v2 from compatibility date 2024-09-23) provide `Buffer` and `process`
 * (`nextTick`, `env`, and `cwd()` returning `/bundle`) as globals. Deno 2 exposes `process` globally but `Buffer`,
 * `setImmediate` and `global` only to npm packages; user code imports them from `node:buffer` / `node:timers`.
 */
export const NODE_GLOBALS: Record<EdgeTarget, { Buffer: boolean; setImmediate: boolean; processMembers: ReadonlySet<string> }> = {
  'vercel-edge': { Buffer: true, setImmediate: false, processMembers: new Set(['env']) },
  workers: { Buffer: false, setImmediate: false, processMembers: new Set(['env']) },
  'workers-nodejs-compat': {
    Buffer: true,
    setImmediate: true,
    processMembers: new Set(['env', 'nextTick', 'cwd', 'memoryUsage', 'version', 'versions', 'platform', 'emitWarning']),
  },
  deno: {
    Buffer: false,
    setImmediate: false,
    processMembers: new Set(['env', 'nextTick', 'cwd', 'memoryUsage', 'version', 'versions', 'platform', 'argv', 'emitWarning']),
  },
};

/** Whether `import { Buffer } from 'node:buffer'` works on the target (the fix for a missing Buffer global). */
export function canImportBuffer(target: EdgeTarget): boolean {
  return target !== 'workers';
}

/** A package with a native addon or a Node-only build, and its edge-ready replacement when there is one. */
export interface NativePackage {
  name: string;
  why: string;
  /** A drop-in replacement specifier (e.g. `bcryptjs`). */
  replacement?: string;
  /** What else to use on the edge. */
  instead: string;
}

/** Known native or Node-only packages (checked against their package.json / README, 2026-09). */
export const NATIVE_PACKAGES: ReadonlyMap<string, NativePackage> = new Map(
  [
    { name: 'bcrypt', why: 'a C++ addon built with node-gyp', replacement: 'bcryptjs', instead: 'bcryptjs (pure JavaScript, same API)' },
    { name: 'argon2', why: 'a C addon built with node-gyp', instead: 'hash-wasm (argon2id in WebAssembly) or the Node.js runtime' },
    {
      name: 'sharp',
      why: 'bindings to the native libvips library',
      instead: 'an image service (Vercel Image Optimization, Cloudflare Images) or the Node.js runtime',
    },
    { name: 'canvas', why: 'bindings to the native Cairo library', instead: '@vercel/og / satori for images, or the Node.js runtime' },
    { name: 'better-sqlite3', why: 'a C++ addon embedding SQLite', instead: 'an HTTP database driver (@libsql/client, Cloudflare D1)' },
    { name: 'sqlite3', why: 'a C++ addon embedding SQLite', instead: 'an HTTP database driver (@libsql/client, Cloudflare D1)' },
    {
      name: '@prisma/client',
      why: 'a client whose default build loads a native query engine',
      replacement: '@prisma/client/edge',
      instead: '@prisma/client/edge with Prisma Accelerate or a driver adapter',
    },
  ].map((p) => [p.name, p]),
);

/** The native package a specifier imports, or undefined. `@prisma/client/edge` (and other subpaths) are edge builds. */
export function nativePackageOf(specifier: string): NativePackage | undefined {
  const direct = NATIVE_PACKAGES.get(specifier);
  if (direct) return direct;
  // Subpaths of bcrypt & co. still load the addon; only Prisma's subpaths are separate (edge/wasm) builds.
  const scoped = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (scoped === '@prisma/client') return undefined;
  return NATIVE_PACKAGES.get(scoped);
}

/** Where a new top-level statement goes: after the last import, or after directives, or at the top. */
export function insertionPointAfterImports(sf: ts.SourceFile): { pos: number; prefix: string; suffix: string } {
  let last: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) last = st;
    else if (!last && ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) last = st;
    else break;
  }
  if (last) return { pos: last.getEnd(), prefix: '\n', suffix: '' };
  // No imports: before the first statement, after its leading comments (file headers, licence lines).
  const first = sf.statements[0];
  return { pos: first ? first.getStart(sf) : sf.text.length, prefix: '', suffix: '\n' };
}

/** An edit that adds `import { Buffer } from 'node:buffer';` after the imports. */
export function addBufferImportEdit(sf: ts.SourceFile): TextEdit {
  const at = insertionPointAfterImports(sf);
  return { span: { start: at.pos, end: at.pos }, newText: `${at.prefix}import { Buffer } from 'node:buffer';${at.suffix}` };
}

/** Whether the file's runtime can be switched to Node.js in place: Vercel (Next.js or `api/`), not Workers/Netlify/Deno. */
/** The fix id of "Switch this route to the Node.js runtime" in the meta.fixes of every rule that offers it. */
export const SWITCH_TO_NODE_RUNTIME = 'switch-to-node-runtime';

export function canSwitchToNodeRuntime(context: FileContext): boolean {
  return context.platform.value === 'vercel' && context.runtime.value === 'edge';
}

/**
 * The "Switch this route to the Node.js runtime" fix: rewrites `export const runtime = 'edge'` or
 * `config.runtime` to `'nodejs'`, or (middleware, which is edge by default) inserts `export const runtime = 'nodejs';`
 * after the imports. Undefined where the platform has no Node.js runtime to switch to.
 */
export function switchToNodeRuntimeFix(ctx: RuleContext, preferred = false): Fix | undefined {
  const sf = ctx.sourceFile;
  const context = ctx.context;
  if (!canSwitchToNodeRuntime(context)) return undefined;
  const declared = declaredRuntime(sf);
  let edit: TextEdit | undefined;
  if (declared) {
    const literal = ts.isVariableDeclaration(declared.node)
      ? declared.node.initializer
      : ts.isPropertyAssignment(declared.node)
        ? declared.node.initializer
        : undefined;
    let lit: ts.Expression | undefined = literal;
    while (lit && (ts.isAsExpression(lit) || ts.isSatisfiesExpression(lit))) lit = lit.expression;
    if (!lit || !ts.isStringLiteralLike(lit)) return undefined;
    const quote = sf.text[lit.getStart(sf)] === '"' ? '"' : "'";
    edit = { span: { start: lit.getStart(sf), end: lit.getEnd() }, newText: `${quote}nodejs${quote}` };
  } else if (context.framework.value === 'next-middleware') {
    // Middleware chooses its runtime in `config` (Next.js 15.5+), not with a `runtime` export.
    edit = middlewareRuntimeEdit(sf);
  } else {
    const at = insertionPointAfterImports(sf);
    edit = {
      span: { start: at.pos, end: at.pos },
      newText: `${at.prefix}${at.prefix ? '\n' : ''}export const runtime = 'nodejs';${at.suffix}${at.suffix ? '\n' : ''}`,
    };
  }
  // Every rule that offers it declares it as SWITCH_TO_NODE_RUNTIME in its meta.fixes.
  return ctx.fix(SWITCH_TO_NODE_RUNTIME, [edit], { preferred });
}

/** Whether `require` in `require(...)` is the free (module system) identifier, not a local function of that name. */
export function isFreeRequire(ctx: RuleContext, callee: ts.Expression): boolean {
  if (!ts.isIdentifier(callee) || callee.text !== 'require') return false;
  return !ctx.facts.symbolOf(callee)?.declarations?.length;
}

/** Whether an import declaration binds nothing at run time (`import type`, or only `type` specifiers). */
function isTypeOnlyImport(decl: ts.ImportDeclaration): boolean {
  const clause = decl.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const nb = clause.namedBindings;
  return !clause.name && !!nb && ts.isNamedImports(nb) && nb.elements.length > 0 && nb.elements.every((e) => e.isTypeOnly);
}

/**
 * Visitors that call `check` with the specifier of every module load that happens at run time: value imports,
 * re-exports, `import x = require()`, free `require('x')` and `import('x')`. Type-only imports are skipped, and so
 * are loads in try/catch fallbacks; loads in runtime-guarded branches never reach the visitors (the engine skips them).
 */
export function runtimeImportVisitors(
  ctx: RuleContext,
  check: (specifier: ts.StringLiteralLike, load: ts.Node) => void,
): Partial<Record<ts.SyntaxKind, NodeVisitor>> {
  const checkExpr = (e: ts.Expression | undefined, load: ts.Node) => {
    if (e && ts.isStringLiteralLike(e)) check(e, load);
  };
  return {
    [ts.SyntaxKind.ImportDeclaration]: (node) => {
      const decl = node as ts.ImportDeclaration;
      if (!isTypeOnlyImport(decl)) checkExpr(decl.moduleSpecifier, decl);
    },
    [ts.SyntaxKind.ExportDeclaration]: (node) => {
      const decl = node as ts.ExportDeclaration;
      const clause = decl.exportClause;
      const typeOnly = decl.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) checkExpr(decl.moduleSpecifier, decl);
    },
    [ts.SyntaxKind.ImportEqualsDeclaration]: (node) => {
      const decl = node as ts.ImportEqualsDeclaration;
      if (!decl.isTypeOnly && ts.isExternalModuleReference(decl.moduleReference)) checkExpr(decl.moduleReference.expression, decl);
    },
    [ts.SyntaxKind.CallExpression]: (node) => {
      const call = node as ts.CallExpression;
      const dynamic = call.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (!dynamic && !isFreeRequire(ctx, call.expression)) return;
      // A load inside try/catch (or `import().catch()`) is a fallback the code survives without.
      if (call.arguments.length < 1 || isFallbackLoad(call)) return;
      checkExpr(call.arguments[0], call);
    },
  };
}

/** Adds `runtime: 'nodejs'` to middleware's `export const config = { … }`, or inserts that export after the imports. */
function middlewareRuntimeEdit(sf: ts.SourceFile): TextEdit {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      let init = d.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
      if (!ts.isIdentifier(d.name) || d.name.text !== 'config' || !init || !ts.isObjectLiteralExpression(init)) continue;
      const first = init.properties[0];
      if (first)
        return {
          span: { start: first.getStart(sf), end: first.getStart(sf) },
          newText: `runtime: 'nodejs',${init.properties.hasTrailingComma || sf.text.slice(init.getStart(sf), first.getStart(sf)).includes('\n') ? '\n' + indentBefore(sf, first.getStart(sf)) : ' '}`,
        };
      return { span: { start: init.getStart(sf), end: init.getEnd() }, newText: "{ runtime: 'nodejs' }" };
    }
  }
  const at = insertionPointAfterImports(sf);
  return {
    span: { start: at.pos, end: at.pos },
    newText: `${at.prefix}${at.prefix ? '\n' : ''}export const config = { runtime: 'nodejs' };${at.suffix}${at.suffix ? '\n' : ''}`,
  };
}

/** The whitespace between the start of the line and `pos`. */
function indentBefore(sf: ts.SourceFile, pos: number): string {
  const lineStart = sf.text.lastIndexOf('\n', pos - 1) + 1;
  return sf.text.slice(lineStart, pos).match(/^\s*/)?.[0] ?? '';
}
