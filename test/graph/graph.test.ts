// Cross-file analysis on memory projects: resolution (tsconfig paths + extends, package exports conditions),
// chains to Node-only code through local modules and fake node_modules packages, guards, type-only imports,
// cycles, role propagation in both directions, and incremental updates after an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../../server/src/analysis/host';
import { LintService } from '../../server/src/analysis/service';
import { RULES } from '../../server/src/rules';
import { ModuleGraph, conditionsFor, resolveExports } from '../../server/src/graph';
import { hashOf } from '../../server/src/graph/graph';
import { sameEdges, summarizeModule } from '../../server/src/graph/summary';

const ROOT = '/repo';
const RULE = 'edge-transitive-node-import';

function project(files: Record<string, string>): { host: MemoryHost; service: LintService } {
  const host = new MemoryHost();
  for (const [rel, text] of Object.entries(files)) host.write(`${ROOT}/${rel}`, text);
  return { host, service: new LintService(host, { workspaceRoot: ROOT, rules: RULES }) };
}

function lint(service: LintService, host: MemoryHost, rel: string) {
  const file = `${ROOT}/${rel}`;
  return service.lint(file, host.readFile(file)!);
}

const NEXT = { 'package.json': '{"name":"app","dependencies":{"next":"15.0.0"}}', 'next.config.ts': 'export default {};' };
const MIDDLEWARE = (imports: string) =>
  `${imports}\nimport { NextResponse } from 'next/server';\nexport function middleware() {\n  return NextResponse.next();\n}\n`;

test('tsconfig paths inherited through extends resolve an alias chain to node:fs', () => {
  const { host, service } = project({
    ...NEXT,
    'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "baseUrl": ".", "paths": { "~/*": ["src/*"] } }\n}',
    'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }',
    'middleware.ts': MIDDLEWARE("import { sessionOf } from '~/auth/session';\nvoid sessionOf;"),
    'src/auth/session.ts': "import { loadKeys } from '../keys/index.js';\nexport const sessionOf = () => loadKeys();",
    'src/keys/index.ts': "import { readFileSync } from 'fs';\nexport const loadKeys = () => readFileSync('keys.json', 'utf8');",
  });
  const result = lint(service, host, 'middleware.ts');
  const found = result.findings.filter((f) => f.ruleId === RULE);
  assert.equal(found.length, 1);
  assert.equal(result.context.runtime.value, 'edge');
  assert.deepEqual(
    found[0].related?.map((r) => r.fileName),
    [`${ROOT}/middleware.ts`, `${ROOT}/src/auth/session.ts`, `${ROOT}/src/keys/index.ts`],
  );
  const last = found[0].related!.at(-1)!;
  assert.equal(host.readFile(`${ROOT}/src/keys/index.ts`)!.slice(last.span.start, last.span.end), "'fs'");
  assert.deepEqual(last.range?.start, { line: 0, character: 29 });
  // The finding sits on the entry's import specifier.
  assert.equal(host.readFile(`${ROOT}/middleware.ts`)!.slice(found[0].span.start, found[0].span.end), "'~/auth/session'");
});

test('chains through installed packages: exports conditions pick the edge build, a Node-only entry is reported', () => {
  const pkg = (name: string, json: object, files: Record<string, string>) =>
    Object.fromEntries([
      [`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', ...json })],
      ...Object.entries(files).map(([f, t]) => [`node_modules/${name}/${f}`, t]),
    ]);
  const { host, service } = project({
    ...NEXT,
    ...pkg(
      'dual-jwt',
      { exports: { '.': { 'edge-light': './web.js', node: './node.js', default: './node.js' } } },
      {
        'web.js': 'export const sign = () => crypto.subtle;',
        'node.js': "import { createHmac } from 'node:crypto';\nexport const sign = createHmac;",
      },
    ),
    ...pkg(
      'mailer-lite',
      { main: 'lib/index.js' },
      {
        'lib/index.js': "module.exports = require('./smtp');",
        'lib/smtp.js': "const net = require('net');\nmodule.exports = { send: () => net.connect(25) };",
      },
    ),
    ...pkg('fast-hash', { gypfile: true, main: 'index.js' }, { 'index.js': "module.exports = require('./build/Release/hash.node');", 'binding.gyp': '{}' }),
    'middleware.ts': MIDDLEWARE(
      "import { sign } from 'dual-jwt';\nimport { notify } from './lib/notify';\nimport { digest } from './lib/digest';\nvoid sign; void notify; void digest;",
    ),
    'lib/notify.ts': "import mailer from 'mailer-lite';\nexport const notify = () => mailer.send();",
    'lib/digest.ts': "import hash from 'fast-hash';\nexport const digest = hash;",
  });
  const found = lint(service, host, 'middleware.ts').findings.filter((f) => f.ruleId === RULE);
  assert.equal(found.length, 2, found.map((f) => f.message).join('\n'));
  assert.match(found[0].message, /node:net/);
  assert.ok(found[0].related!.some((r) => r.fileName.endsWith('node_modules/mailer-lite/lib/smtp.js')));
  assert.match(found[1].message, /native addon fast-hash/);
  // The PackageLookup handed to rules answers for the same packages.
  const facts = service.graph.inspector('edge', 'vercel').inspect('fast-hash', `${ROOT}/lib/digest.ts`);
  assert.equal(facts?.native, true);
  assert.deepEqual(service.graph.inspector('edge', 'vercel').inspect('dual-jwt', `${ROOT}/middleware.ts`)?.nodeBuiltins, []);
  assert.deepEqual(service.graph.inspector('node', 'vercel').inspect('dual-jwt', `${ROOT}/middleware.ts`)?.nodeBuiltins, ['crypto']);
});

test('guarded imports, try/catch fallbacks, type-only imports and cycles stay silent', () => {
  const { host, service } = project({
    ...NEXT,
    'middleware.ts': MIDDLEWARE(
      [
        "import type { Store } from './lib/store';",
        "import { Config } from './lib/config';",
        "import { log } from './lib/log';",
        "import { ping } from './lib/a';",
        'let c: Config | undefined; const s: Store | undefined = undefined; void c; void s; void log; void ping;',
      ].join('\n'),
    ),
    'lib/store.ts': "import fs from 'node:fs';\nexport interface Store { fs: typeof fs }",
    'lib/config.ts': "import { readFileSync } from 'node:fs';\nexport interface Config { raw: string }\nexport const load = () => readFileSync('x');",
    'lib/log.ts':
      "export async function log(m: string) {\n  if (process.env.NEXT_RUNTIME === 'nodejs') {\n    const fs = await import('node:fs/promises');\n    await fs.appendFile('/tmp/log', m);\n  }\n  try { require('pino'); } catch { /* optional */ }\n  try { const os = require('node:os'); void os; } catch {}\n}",
    'lib/a.ts': "import { pong } from './b';\nexport const ping = () => pong();",
    'lib/b.ts': "import { ping } from './a';\nexport const pong = () => ping;",
  });
  const result = lint(service, host, 'middleware.ts');
  assert.deepEqual(
    result.findings.filter((f) => f.ruleId === RULE),
    [],
  );
});

test('role propagation: modules reached from function entries are function-module, others stay other', () => {
  const { host, service } = project({
    'vercel.json': '{}',
    'package.json': '{"name":"api"}',
    'api/users.ts': "import { cache } from '../lib/cache';\nexport default function handler(req: any, res: any) { res.json(cache.get(req.query.id)); }",
    'lib/cache.ts': "import { deep } from './deep';\nexport const cache = new Map<string, unknown>(deep);",
    'lib/deep.ts': 'export const deep: Array<[string, unknown]> = [];',
    'scripts/seed.ts': "import { only } from '../lib/only-scripts';\nonly();",
    'lib/only-scripts.ts': 'export function only() { process.exit(0); }',
    'components/Widget.tsx': "'use client';\nimport { widgetState } from '../lib/widget-state';\nexport const Widget = () => widgetState;",
    'lib/widget-state.ts': 'export let widgetState = 0;',
  });
  // Modules first: before the entry is known they are `other`; the entry then makes them function modules.
  assert.equal(lint(service, host, 'lib/deep.ts').context.role.value, 'other');
  assert.equal(lint(service, host, 'api/users.ts').context.role.value, 'function-entry');
  assert.equal(lint(service, host, 'lib/cache.ts').context.role.value, 'function-module');
  assert.equal(lint(service, host, 'lib/deep.ts').context.role.value, 'function-module');
  lint(service, host, 'scripts/seed.ts');
  lint(service, host, 'components/Widget.tsx');
  const scriptOnly = lint(service, host, 'lib/only-scripts.ts');
  assert.equal(scriptOnly.context.role.value, 'other');
  assert.deepEqual(
    scriptOnly.findings.filter((f) => f.ruleId === 'no-process-exit'),
    [],
  );
  assert.equal(lint(service, host, 'lib/widget-state.ts').context.role.value, 'other');
});

test('incremental: editing a module changes the entry result and reports the affected importers', () => {
  const { host, service } = project({
    ...NEXT,
    'middleware.ts': MIDDLEWARE("import { read } from './lib/read';\nvoid read;"),
    'lib/read.ts': 'export const read = () => 1;',
  });
  assert.equal(lint(service, host, 'middleware.ts').findings.filter((f) => f.ruleId === RULE).length, 0);
  const before = service.graph.version;
  // A text edit that keeps the imports does not bump the graph.
  const same = service.graph.update(`${ROOT}/lib/read.ts`, 'export const read = () => 2;');
  assert.deepEqual({ changed: same.changed, affected: same.affected() }, { changed: false, affected: [`${ROOT}/middleware.ts`] });
  assert.equal(service.graph.version, before);
  const edit = service.graph.update(`${ROOT}/lib/read.ts`, "import { readFileSync } from 'node:fs';\nexport const read = () => readFileSync('x');");
  assert.equal(edit.changed, true);
  assert.deepEqual(edit.affected(), [`${ROOT}/middleware.ts`]);
  assert.equal(lint(service, host, 'middleware.ts').findings.filter((f) => f.ruleId === RULE).length, 1);
  // Deleting the module removes the chain.
  assert.deepEqual(service.graph.remove(`${ROOT}/lib/read.ts`), [`${ROOT}/middleware.ts`]);
  const deletedHost = host as unknown as { files: Map<string, string> };
  deletedHost.files.delete(`${ROOT}/lib/read.ts`);
  assert.equal(lint(service, host, 'middleware.ts').findings.filter((f) => f.ruleId === RULE).length, 0);
});

test('an invalid tsconfig is a config problem, not a crash; a missing extends is reported at its key', () => {
  const host = new MemoryHost({
    [`${ROOT}/tsconfig.json`]: '{ "extends": "./missing.json", "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
    [`${ROOT}/sub/tsconfig.json`]: '{ "compilerOptions": { "paths": ',
    [`${ROOT}/sub/a.ts`]: "import '@/x';",
    [`${ROOT}/b.ts`]: "import { x } from '@/c';\nvoid x;",
    [`${ROOT}/c.ts`]: 'export const x = 1;',
  });
  const graph = new ModuleGraph(host, ROOT);
  assert.equal(graph.resolve('@/x', `${ROOT}/sub/a.ts`, 'node', 'vercel').kind, 'unresolved');
  assert.deepEqual(graph.resolve('@/c', `${ROOT}/b.ts`, 'node', 'vercel'), { kind: 'file', fileName: `${ROOT}/c.ts` });
  const problems = graph.resolver.configProblems();
  assert.ok(problems.some((p) => p.fileName === `${ROOT}/sub/tsconfig.json`));
  const missing = problems.find((p) => p.fileName === `${ROOT}/tsconfig.json`)!;
  assert.equal(host.readFile(`${ROOT}/tsconfig.json`)!.slice(missing.span.start, missing.span.end), '"./missing.json"');
  assert.equal(missing.severity, 'warning');
});

test('a tsconfig extending a file the framework generates (.svelte-kit) is info until the first build, not a config error', () => {
  // SvelteKit's tsconfig extends ./.svelte-kit/tsconfig.json, which `svelte-kit sync` writes; a fresh checkout has none.
  const host = new MemoryHost({
    [`${ROOT}/tsconfig.json`]: '{ "extends": "./.svelte-kit/tsconfig.json", "compilerOptions": { "strict": true } }',
    [`${ROOT}/package.json`]: '{ "devDependencies": { "@sveltejs/kit": "^2.20.0" } }',
    [`${ROOT}/src/lib/a.ts`]: "import { b } from '$lib/b';\nvoid b;",
  });
  const graph = new ModuleGraph(host, ROOT);
  assert.equal(graph.resolve('$lib/b', `${ROOT}/src/lib/a.ts`, 'node', 'vercel').kind, 'unresolved');
  const [problem] = graph.resolver.configProblems().filter((p) => p.fileName === `${ROOT}/tsconfig.json`);
  assert.equal(problem.severity, 'info');
  assert.match(problem.message, /generated by the framework's build into \.svelte-kit\//);
});

test('a tsconfig extending a workspace package that is not installed is a missing install (info), not a config error', () => {
  // The shape of a Turborepo app checked out without node_modules: `tsconfig` is a workspace package.
  const host = new MemoryHost({
    [`${ROOT}/apps/web/tsconfig.json`]: '{ "extends": "tsconfig/nextjs.json", "include": ["**/*.ts"] }',
    [`${ROOT}/apps/web/package.json`]: '{ "name": "web", "devDependencies": { "tsconfig": "workspace:*" } }',
    [`${ROOT}/apps/web/lib/a.ts`]: "import { b } from './b';\nvoid b;",
    [`${ROOT}/apps/web/lib/b.ts`]: 'export const b = 1;',
    [`${ROOT}/packages/tsconfig/nextjs.json`]: '{ "compilerOptions": { "strict": true } }',
  });
  const graph = new ModuleGraph(host, ROOT);
  // A bare specifier makes the resolver read the tsconfig (for its paths).
  assert.equal(graph.resolve('@/lib/b', `${ROOT}/apps/web/lib/a.ts`, 'node', 'vercel').kind, 'unresolved');
  const [problem] = graph.resolver.configProblems().filter((p) => p.fileName === `${ROOT}/apps/web/tsconfig.json`);
  assert.equal(problem.severity, 'info');
  assert.match(problem.message, /package 'tsconfig', which is not installed/);
});

test('exports resolution follows conditions, subpath patterns and null exclusions', () => {
  const exportsField = { '.': { 'edge-light': './edge.js', import: './esm.js', require: './cjs.js' }, './utils/*': './dist/utils/*.js', './internal/*': null };
  assert.equal(resolveExports(exportsField, '.', conditionsFor('edge', 'vercel')), './edge.js');
  assert.equal(resolveExports(exportsField, '.', conditionsFor('edge', 'cloudflare-workers')), './esm.js');
  assert.equal(resolveExports(exportsField, '.', conditionsFor('node', 'aws-lambda')), './esm.js');
  assert.equal(resolveExports(exportsField, './utils/date', conditionsFor('node', 'vercel')), './dist/utils/date.js');
  assert.equal(resolveExports(exportsField, './internal/x', conditionsFor('node', 'vercel')), null);
  assert.equal(resolveExports('./main.js', '.', conditionsFor('node', 'vercel')), './main.js');
});

test('the graph stays bounded on long chains', () => {
  const files: Record<string, string> = { ...NEXT, 'middleware.ts': MIDDLEWARE("import { f0 } from './lib/f0';\nvoid f0;") };
  for (let i = 0; i < 80; i++) files[`lib/f${i}.ts`] = `import { f${i + 1} } from './f${i + 1}';\nexport const f${i} = f${i + 1};`;
  files['lib/f80.ts'] = "import 'node:fs';\nexport const f80 = 1;";
  const { host, service } = project(files);
  // The builtin sits 81 imports deep, beyond the 40-import depth bound: not reported, and no hang.
  assert.equal(lint(service, host, 'middleware.ts').findings.filter((f) => f.ruleId === RULE).length, 0);
});

test('a batch service analyzes a module its entry summarized from the tree parsed then, with the same findings', () => {
  const files = {
    ...NEXT,
    'middleware.ts': MIDDLEWARE("import { sessionOf } from './lib/session';\nvoid sessionOf;"),
    'lib/session.ts':
      "import { readFileSync } from 'fs';\nlet current: string | undefined;\nexport const sessionOf = () => (current = readFileSync('keys.json', 'utf8'));",
  };
  const host = new MemoryHost();
  for (const [rel, text] of Object.entries(files)) host.write(`${ROOT}/${rel}`, text);
  const batch = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
  const entry = lint(batch, host, 'middleware.ts');
  assert.ok(
    entry.findings.some((f) => f.ruleId === RULE),
    'the entry walked into lib/session.ts',
  );
  // The entry's walk parsed lib/session.ts for its summary and kept the tree; the module's lint takes it.
  const module = `${ROOT}/lib/session.ts`;
  const text = host.readFile(module)!;
  const spare = batch.graph.takeSpareTree(module, hashOf(text));
  assert.ok(spare, 'the summarized tree was kept');
  assert.equal(spare!.text, text);
  assert.equal(batch.graph.takeSpareTree(module, hashOf(text)), undefined, 'handed over once');

  // Same findings whether the lint parses itself or takes the kept tree.
  const viaSpare = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
  lint(viaSpare, host, 'middleware.ts');
  const fresh = project(files);
  lint(fresh.service, fresh.host, 'middleware.ts');
  const strip = (r: ReturnType<typeof lint>) => JSON.stringify(r.findings.map((f) => [f.ruleId, f.range, f.message]));
  assert.equal(strip(lint(viaSpare, host, 'lib/session.ts')), strip(lint(fresh.service, fresh.host, 'lib/session.ts')));
  assert.equal(lint(viaSpare, host, 'lib/session.ts').context.role.value, 'function-module');

  // A text that changed since the summary is not served the old tree.
  const stale = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
  lint(stale, host, 'middleware.ts');
  assert.equal(stale.graph.takeSpareTree(module, hashOf(text + '\n')), undefined);
  assert.equal(stale.graph.takeSpareTree(module, hashOf(text)), undefined, 'a mismatched request drops the stale tree');
});

test('an editor service keeps no trees of summarized modules', () => {
  const { host, service } = project({
    ...NEXT,
    'middleware.ts': MIDDLEWARE("import { sessionOf } from './lib/session';\nvoid sessionOf;"),
    'lib/session.ts': 'export const sessionOf = () => 1;',
  });
  lint(service, host, 'middleware.ts');
  const module = `${ROOT}/lib/session.ts`;
  assert.equal(service.graph.takeSpareTree(module, hashOf(host.readFile(module)!)), undefined);
});

test('type-only imports: a binding used only in types, or named with leading underscores, is decided by its value uses', async () => {
  const { summarizeModule } = await import('../../server/src/graph/summary');
  const text = [
    "import { __internal } from './a';",
    "import { ___deep } from './b';",
    "import { Shape } from './c';",
    "import { used, onlyType } from './d';",
    'export const x: Shape = __internal(___deep);',
    'export function f(v: onlyType) { return used(v); }',
  ].join('\n');
  const typeOnly = Object.fromEntries(summarizeModule('/repo/m.ts', text).imports.map((i) => [i.specifier, i.typeOnly]));
  assert.deepEqual(typeOnly, { './a': false, './b': false, './c': true, './d': false });
});

test('two summaries give the same graph when only positions differ; any import attribute or use client differs', () => {
  const sum = (fileName: string, text: string) => summarizeModule(fileName, text);
  const base = sum('/p/a.ts', "import { a } from './a';\nimport type { T } from './t';\nexport const x = a;");
  assert.equal(sameEdges(base, sum('/p/a.ts', "// moved down\n\nimport { a } from './a';\nimport type { T } from './t';\nexport const x = a + 1;")), true);
  assert.equal(sameEdges(base, sum('/p/a.ts', "import { a } from './b';\nimport type { T } from './t';\nexport const x = a;")), false, 'another specifier');
  assert.equal(
    sameEdges(base, sum('/p/a.ts', "import { a } from './a';\nimport { T } from './t';\nexport const x = a; export const y: T = T;")),
    false,
    'a type-only import becomes a value import',
  );
  assert.equal(
    sameEdges(base, sum('/p/a.ts', "'use client';\nimport { a } from './a';\nimport type { T } from './t';\nexport const x = a;")),
    false,
    'use client',
  );
  assert.equal(sameEdges(base, sum('/p/a.ts', "import { a } from './a';\nexport const x = a;")), false, 'one import fewer');
  const guarded = "let m;\nif (process.env.NEXT_RUNTIME === 'nodejs') m = require('node:fs');\n";
  assert.equal(sameEdges(sum('/p/g.ts', guarded), sum('/p/g.ts', "let m;\nm = require('node:fs');\n")), false, 'the guard around a require');
});

test('edges follow the runtime asked for, new resolutions and a changed text', () => {
  const host = new MemoryHost({
    [`${ROOT}/entry.ts`]:
      "import { a } from './a';\nimport { b } from './b';\nif (process.env.NEXT_RUNTIME === 'nodejs') { require('node:fs'); }\nvoid a; void b;",
    [`${ROOT}/a.ts`]: 'export const a = 1;',
  });
  const graph = new ModuleGraph(host, ROOT);
  const targets = (runtime: 'node' | 'edge') => graph.edgesOf(`${ROOT}/entry.ts`, runtime, 'vercel').map(({ imp, to }) => `${imp.specifier}:${to.kind}`);
  assert.deepEqual(targets('edge'), ['./a:file', './b:unresolved']);
  assert.deepEqual(targets('node'), ['./a:file', './b:unresolved', 'node:fs:builtin']);
  assert.deepEqual(targets('edge'), ['./a:file', './b:unresolved']);
  // A file created on disk resolves once the graph is told that resolutions may have changed.
  host.write(`${ROOT}/b.ts`, 'export const b = 2;');
  graph.invalidateResolution();
  assert.deepEqual(targets('edge'), ['./a:file', './b:file']);
  // A changed text of the module brings its own edges.
  graph.update(`${ROOT}/entry.ts`, "import { a } from './a';\nvoid a;", { fromHost: false });
  assert.deepEqual(targets('edge'), ['./a:file']);
});

test('bare specifiers resolve per node_modules and tsconfig scope: nested packages, nested path aliases, in any order', () => {
  const files: Record<string, string> = {
    'package.json': '{"name":"mono","private":true}',
    'node_modules/zod/package.json': '{"name":"zod","version":"3.0.0","main":"index.js"}',
    'node_modules/zod/index.js': 'module.exports = {};',
    'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["shared/*"] } } }',
    'shared/db.ts': 'export const db = 1;',
    'apps/web/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }',
    'apps/web/src/db.ts': 'export const db = 2;',
    'apps/web/app/api/a/route.ts': "import { db } from '@/db';\nexport const x = db;",
    'apps/api/node_modules/zod/package.json': '{"name":"zod","version":"4.0.0","main":"index.js"}',
    'apps/api/node_modules/zod/index.js': 'module.exports = {};',
    'apps/api/src/routes/deep/b.ts': "import { z } from 'zod';\nimport { db } from '@/db';\nexport const y = [z, db];",
    'lib/c.ts': "import { z } from 'zod';\nexport const w = z;",
  };
  const host = new MemoryHost();
  for (const [rel, text] of Object.entries(files)) host.write(`${ROOT}/${rel}`, text);
  const expected: Array<[from: string, specifier: string, to: string]> = [
    ['apps/web/app/api/a/route.ts', '@/db', 'apps/web/src/db.ts'],
    ['apps/web/app/api/a/route.ts', 'zod', 'node_modules/zod'],
    ['apps/api/src/routes/deep/b.ts', 'zod', 'apps/api/node_modules/zod'],
    ['apps/api/src/routes/deep/b.ts', '@/db', 'shared/db.ts'],
    ['lib/c.ts', 'zod', 'node_modules/zod'],
    ['lib/c.ts', '@/db', 'shared/db.ts'],
  ];
  const where = (r: ReturnType<ModuleGraph['resolve']>) =>
    r.kind === 'file' ? r.fileName.slice(ROOT.length + 1) : r.kind === 'package' ? r.dir.slice(ROOT.length + 1) : r.kind;
  // The same answers whichever folder asks first (the shared entries are keyed by the scope, not the first folder).
  for (const order of [expected, [...expected].reverse()]) {
    const graph = new ModuleGraph(host, ROOT);
    for (const [from, specifier, to] of order) assert.equal(where(graph.resolve(specifier, `${ROOT}/${from}`, 'node', 'vercel')), to, `${from} ${specifier}`);
  }
  // A batch run's folder listings (what its project index listed) answer that a folder has no tsconfig or jsconfig:
  // the same answers, and no read of a config a listed folder does not hold. An unlisted folder is still read.
  const configReads: string[] = [];
  const counting = new (class extends MemoryHost {
    override readFile(path: string): string | undefined {
      if (/\/(ts|js)config\.json$/.test(path)) configReads.push(path.slice(ROOT.length + 1));
      return super.readFile(path);
    }
  })();
  for (const [rel, text] of Object.entries(files)) counting.write(`${ROOT}/${rel}`, text);
  const unlisted = `${ROOT}/lib`;
  const listing = (dir: string) => (dir === unlisted ? undefined : new Set(counting.readDirectory(dir)));
  const graph = new ModuleGraph(counting, ROOT, { listing });
  for (const [from, specifier, to] of expected) assert.equal(where(graph.resolve(specifier, `${ROOT}/${from}`, 'node', 'vercel')), to, `${from} ${specifier}`);
  assert.deepEqual(configReads.sort(), ['apps/web/tsconfig.json', 'lib/jsconfig.json', 'lib/tsconfig.json', 'tsconfig.json']);
});
