// Function summaries (graph/functions.ts) and how the graph follows a call with them: what each summary says, calls
// through re-exports, default exports, CommonJS, namespaces, objects, instances and injected fields, cycles and
// bounds, and an editor edit of a helper that changes its importer's findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../../server/src/analysis/host';
import { LintService } from '../../server/src/analysis/service';
import { parseSource } from '../../server/src/analysis/parse';
import { RULES } from '../../server/src/rules';
import { ModuleGraph } from '../../server/src/graph';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSourceFiles } from '../../server/src/host/files';
import { summarizeDeclarations, summarizeFunctions, type ModuleFunctions } from '../../server/src/graph/functions';

const ROOT = '/repo';

function summary(text: string, fileName = `${ROOT}/lib/x.ts`) {
  const sf = parseSource(fileName, text);
  if ('error' in sf) throw new Error(sf.error);
  return summarizeFunctions(sf);
}

/** A host holding `files`, by paths relative to ROOT. */
function hostOf(files: Record<string, string>): MemoryHost {
  const host = new MemoryHost();
  for (const [rel, text] of Object.entries(files)) host.write(`${ROOT}/${rel}`, text);
  return host;
}

function graphOf(files: Record<string, string>, lazyFunctions = false): ModuleGraph {
  return new ModuleGraph(hostOf(files), ROOT, { lazyFunctions });
}

test('a summary says which functions return promises, write module state from a parameter, create clients, send and start timers', () => {
  const s = summary(
    [
      "import { Pool } from 'pg';",
      "import { Resend } from 'resend';",
      "import { drizzle } from 'drizzle-orm/neon-http';",
      'const db = drizzle(process.env.DATABASE_URL!);',
      'const resend = new Resend(process.env.KEY);',
      'let activeOrg: string | null = null;',
      'let pool: Pool | undefined;',
      'export function useOrg(orgId: string) { activeOrg = orgId; }',
      'export function readOrg() { const activeOrg = "local"; return activeOrg; }',
      'export function shadowed(activeOrg: string) { activeOrg = activeOrg.trim(); return activeOrg; }',
      'export const notify = (to: string) => resend.emails.send({ to, from: "a@b.c", subject: "hi", text: "" });',
      'export const addUser = (u: { id: string }) => db.insert(users).values(u);',
      'export function ping() { return fetch("https://example.com").then((r) => r.ok); }',
      'export function perCall() { return new Pool(); }',
      'export function lazy() { if (!pool) pool = new Pool(); return pool; }',
      'export function sendOk(res: any, body: unknown) { res.status(200).json(body); }',
      'export function maybeSend(res: any, ok: boolean) { if (!ok) res.status(401).end(); }',
      'export function poll() { setInterval(() => {}, 1000); }',
      'export function wrap(x: number) { return format(x); }',
      'function format(x: number) { return x.toFixed(2); }',
    ].join('\n'),
  );
  assert.deepEqual(
    s.fns.useOrg.writes?.map((w) => [w.target, w.param]),
    [['activeOrg', 0]],
  );
  assert.equal(s.fns.readOrg.writes, undefined);
  assert.equal(s.fns.shadowed.writes, undefined, 'a parameter shadowing the module binding is not module state');
  assert.match(s.fns.notify.promise?.why ?? '', /resend/);
  assert.match(s.fns.ping.promise?.why ?? '', /\.then\(\) chain/);
  assert.match(s.fns.addUser.promise?.why ?? '', /drizzle-orm/, "a client of a package subpath is the package's");
  assert.match(s.fns.perCall.client?.display ?? '', /new Pool\(\) from pg/);
  assert.equal(s.fns.lazy.client, undefined, 'the lazy singleton caches its client');
  assert.deepEqual([s.fns.sendOk.sends?.param, s.fns.sendOk.sends?.what], [0, 'res.json()']);
  assert.equal(s.fns.maybeSend.sends, undefined, 'a send in a branch does not always happen');
  assert.equal(s.fns.poll.timer?.what, 'setInterval()');
  assert.equal(s.fns.wrap.promise, undefined);
  assert.deepEqual(
    s.fns.wrap.returns?.map((r) => r.ref.root),
    ['format'],
  );
  assert.deepEqual(s.exports.useOrg, 'useOrg');
});

test('classes, injected fields, objects, default exports and CommonJS are named in the summary', () => {
  const s = summary(
    [
      "import { Mailer } from './mailer';",
      'export class OrdersService {',
      '  private cache = new Map<string, string>();',
      '  constructor(private readonly mailer: Mailer, plain: string) {}',
      '  async place(order: { id: string }) { await this.mailer.send(order.id); }',
      '  remember(user: string) { this.current = user; }',
      '}',
      'export const store = { user: null as string | null, async save() {} };',
      'export default new OrdersService(undefined as never, "");',
    ].join('\n'),
  );
  assert.deepEqual(s.classes.OrdersService.fields, { cache: 'Map', mailer: 'Mailer' });
  assert.match(s.classes.OrdersService.methods.place.promise?.why ?? '', /async/);
  assert.deepEqual(
    s.classes.OrdersService.methods.remember.writes?.map((w) => w.target),
    ['this.current'],
  );
  assert.equal(s.objects.store.kind, 'object');
  assert.ok(s.objects.store.members.save.promise);
  assert.equal(s.objects.default.kind, 'instance');
  assert.equal(s.exports.default, 'default');

  const cjs = summary(
    "const { Pool } = require('pg');\nfunction getDb() { return new Pool(); }\nexports.track = async function track() {};\nmodule.exports = { getDb };\n",
    `${ROOT}/lib/db.js`,
  );
  assert.equal(cjs.exports.getDb, 'getDb');
  assert.ok(cjs.fns['exports.track'].promise);
  assert.ok(cjs.fns.getDb.client);
  // A name that Object.prototype has is not a function of the module.
  assert.equal(Object.hasOwn(cjs.fns, 'constructor'), false);
});

for (const lazy of [false, true])
  test(`the graph follows a call through re-exports, default exports, namespaces, instances and injected fields${lazy ? ' (functions summarized on demand)' : ''}`, () => {
    const g = graphOf(
      {
        'lib/audit.ts': 'export async function log(e: string) { await fetch("https://x", { method: "POST", body: e }); }',
        'lib/mailer.ts': 'export class Mailer { send(to: string) { return fetch("https://mail/" + to); } }\nexport const mailer = new Mailer();',
        'lib/index.ts': "export * from './audit';\nexport { mailer as default } from './mailer';",
        'src/controller.ts': "import { Mailer } from '../lib/mailer';\nexport class C { constructor(private readonly mailer: Mailer) {} }",
        'src/route.ts': "import * as lib from '../lib';\nimport mailer from '../lib';\nimport { log } from '../lib';\n",
      },
      lazy,
    );
    const from = `${ROOT}/src/route.ts`;
    const at = (r: { fileName: string } | undefined) => r?.fileName.slice(ROOT.length + 1);
    const log = g.callee(from, { root: 'log', members: [] }, 'node', 'vercel');
    assert.equal(at(log), 'lib/audit.ts');
    assert.equal(g.promiseOf(log!, 'node', 'vercel')?.why, 'declared async');
    assert.equal(at(g.callee(from, { root: 'lib', members: ['log'] }, 'node', 'vercel')), 'lib/audit.ts');
    const send = g.callee(from, { root: 'mailer', members: ['send'] }, 'node', 'vercel');
    assert.equal(at(send), 'lib/mailer.ts');
    assert.equal(send?.sharedInstance, true);
    assert.equal(g.promiseOf(send!, 'node', 'vercel')?.why, 'returns fetch()');
    const injected = g.callee(`${ROOT}/src/controller.ts`, { root: 'this', members: ['mailer', 'send'], cls: 'C' }, 'node', 'vercel');
    assert.equal(at(injected), 'lib/mailer.ts');
    assert.equal(g.callee(from, { root: 'lib', members: ['nothing'] }, 'node', 'vercel'), undefined);
  });

test('cycles of re-exports, imports and returned calls end', () => {
  const g = graphOf({
    'a.ts': "export * from './b';\nexport { x as y } from './b';\nimport { loop } from './b';\nexport function start() { return loop(); }",
    'b.ts': "export * from './a';\nexport { y as x } from './a';\nimport { start } from './a';\nexport function loop() { return start(); }",
  });
  assert.equal(g.callee(`${ROOT}/a.ts`, { root: 'y', members: [] }, 'node', 'unknown'), undefined);
  const start = g.callee(`${ROOT}/a.ts`, { root: 'start', members: [] }, 'node', 'unknown');
  assert.ok(start);
  assert.equal(g.promiseOf(start!, 'node', 'unknown'), undefined);
});

test('editing a helper changes the findings of the route that calls it', () => {
  const host = new MemoryHost();
  const files: Record<string, string> = {
    'package.json': '{"name":"app","dependencies":{"next":"15.0.0"}}',
    'lib/audit.ts': 'export function log(e: string) { console.log(e); }',
    'app/api/x/route.ts':
      "import { log } from '../../../lib/audit';\nexport async function POST() {\n  log('posted');\n  return Response.json({ ok: true });\n}\n",
  };
  for (const [rel, text] of Object.entries(files)) host.write(`${ROOT}/${rel}`, text);
  const service = new LintService(host, { workspaceRoot: ROOT, rules: RULES });
  const route = `${ROOT}/app/api/x/route.ts`;
  const floating = () => service.lint(route, files['app/api/x/route.ts']).findings.filter((f) => f.ruleId === 'no-floating-promise-in-handler');
  assert.equal(floating().length, 0);
  const { affected } = service.graph.update(
    `${ROOT}/lib/audit.ts`,
    'export async function log(e: string) { await fetch("https://x", { method: "POST", body: e }); }',
  );
  assert.deepEqual(affected(), [route]);
  const found = floating();
  assert.equal(found.length, 1);
  assert.deepEqual(
    found[0].related?.map((r) => r.fileName.slice(ROOT.length + 1)),
    ['app/api/x/route.ts', 'lib/audit.ts'],
  );
});

test('a batch service summarizes functions on demand and finds what the editor finds, in either order of files', () => {
  const files: Record<string, string> = {
    'package.json': '{"name":"app","dependencies":{"next":"15.0.0"}}',
    'lib/audit.ts': 'export async function log(e: string) { await fetch("https://x", { method: "POST", body: e }); }\nexport function quiet() {}',
    'lib/unused.ts': 'export async function never() { await fetch("https://y"); }',
    'app/api/x/route.ts':
      "import { log, quiet } from '../../../lib/audit';\nexport async function POST() {\n  log('posted');\n  quiet();\n  return Response.json({ ok: true });\n}\n",
  };
  const host = hostOf(files);
  const findingsOf = (service: LintService, order: string[]) => {
    const out: string[] = [];
    for (const rel of order)
      for (const f of service.lint(`${ROOT}/${rel}`, files[rel]).findings)
        out.push(`${rel} ${f.ruleId} ${f.span.start} ${f.related?.map((r) => r.fileName.slice(ROOT.length + 1)).join(',') ?? ''}`);
    return out.sort();
  };
  const sources = ['lib/audit.ts', 'lib/unused.ts', 'app/api/x/route.ts'];
  const editor = findingsOf(new LintService(host, { workspaceRoot: ROOT, rules: RULES }), sources);
  assert.ok(
    editor.some((f) => f.startsWith('app/api/x/route.ts no-floating-promise-in-handler') && f.endsWith('app/api/x/route.ts,lib/audit.ts')),
    editor.join('\n'),
  );
  for (const order of [sources, [...sources].reverse()]) {
    const batch = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
    assert.deepEqual(findingsOf(batch, order), editor, order.join(' '));
  }
});

test("a member call on a module variable no summary holds (`express()`, `new Map()`) is not asked of the graph; an instance of the project's class is", () => {
  const files: Record<string, string> = {
    'package.json': '{"name":"app","dependencies":{"next":"15.0.0","express":"5.0.0"}}',
    'lib/mailer.ts': "export class Mailer {\n  async send(to: string) { await fetch('https://mail.example', { method: 'POST', body: to }); }\n}\n",
    'app/api/x/route.ts': [
      "import express from 'express';",
      "import { Mailer } from '../../../lib/mailer';",
      'const cache = new Map<string, string>();',
      'const app = express();',
      'const mailer = new Mailer();',
      'const lib = require("../../../lib/mailer");',
      'export async function POST(request: Request) {',
      "  const id = cache.get('k') ?? app.get('env');",
      "  mailer.send('a@b.c');",
      '  lib.Mailer.name.toString();',
      '  return Response.json({ id });',
      '}',
    ].join('\n'),
  };
  const host = hostOf(files);
  const service = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
  const asked: string[] = [];
  const callee = service.graph.callee.bind(service.graph);
  service.graph.callee = (fileName, ref, runtime, platform) => {
    asked.push(ref.root);
    return callee(fileName, ref, runtime, platform);
  };
  const rel = 'app/api/x/route.ts';
  const findings = service.lint(`${ROOT}/${rel}`, files[rel]).findings;
  assert.deepEqual([...new Set(asked)].sort(), ['lib', 'mailer']);
  const floating = findings.find((f) => f.ruleId === 'no-floating-promise-in-handler');
  assert.deepEqual(
    floating?.related?.map((r) => r.fileName.slice(ROOT.length + 1)),
    [rel, 'lib/mailer.ts'],
  );
});

test('writes through functions a parameter is handed on to are followed, bounded, and mutual recursion ends', () => {
  const g = graphOf({
    'lib/state.ts':
      'let org = "";\nexport function setOrg(id: string) { org = id; }\nexport function ping(id: string) { return pong(id); }\nfunction pong(id: string) { ping(id); }',
    'lib/index.ts': "import { setOrg } from './state';\nexport function useOrg(orgId: string, label: string) { console.log(label); setOrg(orgId); }",
    'route.ts': "import { useOrg } from './lib';\nimport { ping } from './lib/state';\n",
  });
  const useOrg = g.callee(`${ROOT}/route.ts`, { root: 'useOrg', members: [] }, 'node', 'vercel')!;
  const writes = g.writesOf(useOrg, 'node', 'vercel');
  assert.deepEqual(
    writes.map((w) => [w.target, w.param, w.fileName.slice(ROOT.length + 1), w.via.length]),
    [['org', 0, 'lib/state.ts', 1]],
  );
  const ping = g.callee(`${ROOT}/route.ts`, { root: 'ping', members: [] }, 'node', 'vercel')!;
  assert.deepEqual(g.writesOf(ping, 'node', 'vercel'), []);
});

test('summarizing one function at a time gives each function the facts the whole-module scan gives it (every fixture module)', () => {
  const files = collectSourceFiles([join(__dirname, '../fixtures'), join(__dirname, '../../test-workspace')]).filter((f) => /\.[cm]?[jt]sx?$/.test(f));
  assert.ok(files.length > 100, `${files.length} fixture modules`);
  let compared = 0;
  for (const file of files) {
    const sf = parseSource(file, readFileSync(file, 'utf8'));
    if ('error' in sf) continue;
    const whole = summarizeFunctions(sf);
    const { out, bodies } = summarizeDeclarations(sf);
    const facts = (m: ModuleFunctions) => [
      ...Object.values(m.fns),
      ...Object.values(m.classes).flatMap((c) => Object.values(c.methods)),
      ...Object.values(m.objects).flatMap((o) => Object.values(o.members)),
    ];
    // In reverse order, so a scan never relies on one before it.
    for (const f of facts(out).reverse()) bodies?.scan(f);
    assert.deepEqual(out, whole, file);
    assert.deepEqual(bodies?.unscanned() ?? [], [], file);
    compared += facts(whole).length;
  }
  assert.ok(compared > 100, `${compared} functions compared`);
});

test('a module linted first, with only the helpers its own calls reach summarized, answers a later call into another of its functions', () => {
  const files: Record<string, string> = {
    'package.json': '{"name":"app","dependencies":{"next":"15.0.0"}}',
    'app/api/a/route.ts': [
      'async function load() { return { ok: true }; }',
      "export function notify(e: string) { return fetch('https://hooks.example.com', { method: 'POST', body: e }); }",
      'export async function GET() {',
      '  const config = await load();',
      '  return Response.json(config);',
      '}',
      '',
    ].join('\n'),
    'app/api/b/route.ts': [
      "import { notify } from '../a/route';",
      'export async function POST() {',
      "  notify('posted');",
      '  return Response.json({ ok: true });',
      '}',
      '',
    ].join('\n'),
  };
  const host = hostOf(files);
  const findingsOf = (service: LintService, order: string[]) =>
    order.flatMap((rel) => service.lint(`${ROOT}/${rel}`, files[rel]).findings.map((f) => `${rel} ${f.ruleId} ${f.span.start} ${f.message}`)).sort();
  const sources = ['app/api/a/route.ts', 'app/api/b/route.ts'];
  const editor = findingsOf(new LintService(host, { workspaceRoot: ROOT, rules: RULES }), sources);
  assert.ok(
    editor.some((f) => f.startsWith('app/api/b/route.ts no-floating-promise-in-handler')),
    editor.join('\n'),
  );
  for (const order of [sources, [...sources].reverse()]) {
    const batch = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true });
    assert.deepEqual(findingsOf(batch, order), editor, order.join(' '));
  }
});
