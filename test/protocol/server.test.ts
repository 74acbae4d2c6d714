// Protocol tests: the built language server as a child process, spoken to over stdio with the real LSP library.
// Each test makes its own small project in a temp folder; waits are event-driven with generous timeouts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, Hover } from 'vscode-languageserver-protocol';
import { makeProject, TestClient } from './lsp-client';
import { WARM_UP_ROUNDS, WARM_UP_STATEMENT } from '../../server/src/lsp/warm-up';

const ROUTE_WITH_EXIT = [
  'export async function POST(request: Request) {',
  '  const body = await request.json();',
  '  if (!Array.isArray(body.items)) {',
  '    process.exit(1);',
  '  }',
  '  return Response.json({ imported: body.items.length });',
  '}',
  '',
].join('\n');

const project = () =>
  makeProject({
    'vercel.json': '{ "$schema": "https://openapi.vercel.sh/vercel.json" }\n',
    'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
    'app/api/import/route.ts': ROUTE_WITH_EXIT,
    'app/api/health/route.ts': 'export async function GET() {\n  process.exit(0);\n}\n',
    'worker/wrangler.toml': 'name = "edge-api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n',
  });

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function start(options: { pull: boolean; settings?: Record<string, unknown>; workDoneProgress?: boolean }): Promise<TestClient> {
  const root = project();
  roots.push(root);
  const client = await TestClient.start({ root, ...options });
  clients.push(client);
  return client;
}

async function pull(client: TestClient, uri: string): Promise<Diagnostic[]> {
  const report = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
  assert.equal(report.kind, 'full');
  return report.kind === 'full' ? report.items : [];
}

async function actionsAt(client: TestClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
}

async function hover(client: TestClient, uri: string, needle: string, delta = 1): Promise<string> {
  const doc = client.doc(uri);
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const h = await client.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: doc.positionAt(offset + delta) });
  assert.ok(h, `a hover at ${needle}`);
  return (h.contents as { value: string }).value;
}

describe('language server over stdio', { timeout: 120_000 }, () => {
  test('push model (no pull capability): didOpen/didChange publish diagnostics for the right version only', async () => {
    const client = await start({ pull: false });
    const uri = client.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const first = await client.waitFor<{ uri: string; version?: number; diagnostics: Diagnostic[] }>('diagnostics', (p) => p.uri === uri, client.published);
    assert.equal(first.version, 1);
    const d = first.diagnostics.find((x) => x.code === 'no-process-exit');
    assert.ok(d, 'no-process-exit is reported');
    assert.equal(d.source, 'serverless-lint');
    assert.match(d.codeDescription?.href ?? '', /docs\/rules\/no-process-exit\.md$/);
    assert.deepEqual(d.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 19 } });
    assert.ok((d.data as { fixes: unknown[] }).fixes.length > 0, 'fixes travel in data');

    // Three quick edits: only the last version may be published; never one the user has typed past.
    client.change(uri, ROUTE_WITH_EXIT.replace('process.exit(1);', 'process.exit(2);'));
    client.change(uri, ROUTE_WITH_EXIT.replace('process.exit(1);', 'process.exit(3);'));
    const v4 = client.change(uri, ROUTE_WITH_EXIT.replace('    process.exit(1);\n', ''));
    const last = await client.waitFor<{ uri: string; version?: number; diagnostics: Diagnostic[] }>(
      'diagnostics',
      (p) => p.uri === uri && p.version === v4,
      client.published,
    );
    assert.equal(last.diagnostics.filter((x) => x.code === 'no-process-exit').length, 0);
    const afterOpen = client.published.filter((p) => p.uri === uri).slice(1);
    assert.ok(
      afterOpen.every((p) => p.version === v4),
      `debounced: only version ${v4} published, got ${afterOpen.map((p) => p.version)}`,
    );
  });

  test('warm-up: after the first diagnostics and a pause, synthetic keystrokes in a copy that publish nothing', async () => {
    const client = await start({ pull: false });
    const uri = client.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const first = await client.waitFor<{ uri: string; diagnostics: Diagnostic[] }>('diagnostics', (p) => p.uri === uri, client.published);
    const log = await client.waitFor<{ message: string }>('log', (m) => m.message.startsWith('Warm-up:'), client.logs);
    // Two rounds of a statement typed one character at a time and removed (unless this loaded machine hit the time limit).
    const edits = Number(/(\d+) synthetic edits/.exec(log.message)?.[1]);
    assert.ok(edits > 0 && (edits === WARM_UP_ROUNDS * (WARM_UP_STATEMENT.length + 1) || /time limit/.test(log.message)), log.message);
    // Nothing of the copy is published (entry discovery may re-publish the document: the same diagnostics).
    const shown = (p: { diagnostics: Diagnostic[] }) => JSON.stringify(p.diagnostics.map((d) => [d.code, d.range]));
    for (const p of client.published.filter((x) => x.uri === uri)) assert.equal(shown(p), shown(first));
    assert.ok(
      client.published.every((p) => !/warm-up|compute/.test(JSON.stringify(p))),
      'no diagnostics of the typed statement',
    );
    // The document's own analysis is as it was: the next edit reports the same finding at the same place.
    const v2 = client.change(uri, ROUTE_WITH_EXIT.replace('process.exit(1);', 'process.exit(2);'));
    const next = await client.waitFor<{ uri: string; version?: number; diagnostics: Diagnostic[] }>(
      'diagnostics',
      (p) => p.uri === uri && p.version === v2,
      client.published,
    );
    assert.deepEqual(
      next.diagnostics.map((d) => [d.code, d.range]),
      first.diagnostics.map((d) => [d.code, d.range]),
    );
    assert.ok(!client.logs.some((m) => /warm-up failed/i.test(m.message)));
  });

  test('pull model: diagnostics, quick fix, disable comments and documentation', async () => {
    const client = await start({ pull: true });
    const uri = client.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const items = await pull(client, uri);
    const d = items.filter((x) => x.code === 'no-process-exit');
    assert.equal(d.length, 1);
    assert.equal(client.published.filter((p) => p.uri === uri).length, 0, 'no push diagnostics in pull mode');

    const actions = await actionsAt(client, uri, d);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Throw an error instead'), titles.join(' | '));
    assert.ok(titles.includes('Disable no-process-exit for this line'));
    assert.ok(titles.includes('Disable no-process-exit for this file'));
    const docs = actions.find((a) => a.title === 'Show documentation for no-process-exit')!;
    assert.equal(docs.command?.command, 'serverless-lint.showDocumentation');
    const shown = client.waitFor<{ uri: string }>('showDocument', () => true);
    await client.conn.sendRequest('workspace/executeCommand', { command: docs.command!.command, arguments: docs.command!.arguments });
    assert.match((await shown).uri, /no-process-exit\.md$/);

    const fix = actions.find((a) => a.title === 'Throw an error instead')!;
    assert.equal(fix.isPreferred, true, 'the rule marks this unsafe fix preferred: the editor shows it first');
    client.applyWorkspaceEdit(fix.edit!);
    assert.match(client.doc(uri).getText(), /^ {4}throw new Error\(`Process exit requested \(code 1\)`\);$/m);
    assert.equal((await pull(client, uri)).filter((x) => x.code === 'no-process-exit').length, 0);

    // The line suppression keeps the code and silences the rule on that line.
    const uri2 = client.open('app/api/health/route.ts', 'export async function GET() {\n  process.exit(0);\n}\n');
    const d2 = (await pull(client, uri2)).filter((x) => x.code === 'no-process-exit');
    const disable = (await actionsAt(client, uri2, d2)).find((a) => a.title === 'Disable no-process-exit for this line')!;
    client.applyWorkspaceEdit(disable.edit!);
    assert.equal(client.doc(uri2).getText(), 'export async function GET() {\n  // serverless-lint-disable-next-line no-process-exit\n  process.exit(0);\n}\n');
    assert.deepEqual(
      (await pull(client, uri2)).map((x) => x.code),
      [],
    );
  });

  test('fixAll applies safe fixes only, as a code action and as a command', async () => {
    const client = await start({ pull: true });
    const text = 'export const maxDuration = 3600;\n\nexport async function GET() {\n  process.exit(1);\n}\n';
    const uri = client.open('app/api/report/route.ts', text);
    const items = await pull(client, uri);
    assert.ok(
      items.some((x) => x.code === 'max-duration-exceeds-limit'),
      items.map((x) => x.code).join(),
    );
    const safe = (
      await actionsAt(
        client,
        uri,
        items.filter((x) => x.code === 'max-duration-exceeds-limit'),
      )
    ).find((a) => a.isPreferred);
    assert.ok(safe, 'the fix the rule marks preferred is preferred');

    const [fixAll] = await actionsAt(client, uri, [], ['source.fixAll.serverless-lint']);
    assert.equal(fixAll.kind, 'source.fixAll.serverless-lint');
    client.applyWorkspaceEdit(fixAll.edit!);
    assert.equal(client.doc(uri).getText(), text.replace('3600', '1800'), 'the unsafe process.exit fix is left alone');

    client.change(uri, text);
    const applied = client.waitFor('applyEdit', () => true);
    const res = await client.conn.sendRequest<{ applied: boolean }>('workspace/executeCommand', { command: 'serverless-lint.fixAll', arguments: [uri] });
    await applied;
    assert.equal(res.applied, true);
    assert.equal(client.doc(uri).getText(), text.replace('3600', '1800'));
  });

  test('hovers: runtime card on export const runtime, plan table on maxDuration, rationale on a diagnostic', async () => {
    const client = await start({ pull: true });
    const text = [
      "export const runtime = 'edge';",
      'export const maxDuration = 30;',
      '',
      'export async function GET(request: Request) {',
      '  process.exit(1);',
      '}',
      '',
    ].join('\n');
    const uri = client.open('app/api/x/route.ts', text);
    const card = await hover(client, uri, 'runtime');
    assert.match(card, /Vercel Edge runtime/);
    assert.match(card, /Runtime: \*\*Edge\*\*/);
    assert.match(card, /Memory \| 128 MB/);
    assert.match(card, /verified \d{4}-\d{2}-\d{2}/);

    const node = client.open('app/api/y/route.ts', text.replace("export const runtime = 'edge';\n", ''));
    const table = await hover(client, node, 'maxDuration');
    assert.match(table, /Max duration on Vercel Functions/);
    assert.match(table, /\| hobby \|.*300 s/);
    assert.match(table, /\| pro \(this project\) \|.*800 s/);

    const handler = await hover(client, node, 'GET');
    assert.match(handler, /GET \(route handler\)/);

    const rationale = await hover(client, node, 'process.exit', 3);
    assert.match(rationale, /\*\*no-process-exit\*\*/);
    assert.match(rationale, /\[Documentation\]\(.*no-process-exit\.md\)/);
  });

  test('hovers: Workers default export and ctx.waitUntil, module-scope state, serverless-lint.json problems', async () => {
    const client = await start({ pull: true });
    const worker = [
      'export default {',
      '  async fetch(request: Request, env: unknown, ctx: ExecutionContext): Promise<Response> {',
      "    ctx.waitUntil(fetch('https://example.com/log', { method: 'POST' }));",
      "    return new Response('ok');",
      '  },',
      '};',
      '',
    ].join('\n');
    const workerUri = client.open('worker/src/index.ts', worker);
    const card = await hover(client, workerUri, 'export default');
    assert.match(card, /Cloudflare Workers/);
    assert.match(card, /CPU time/);
    assert.match(await hover(client, workerUri, 'waitUntil'), /ctx\.waitUntil.*after the response/s);

    const route = 'let requestCount = 0;\n\nexport async function GET() {\n  requestCount++;\n  return Response.json({ requestCount });\n}\n';
    const routeUri = client.open('app/api/count/route.ts', route);
    const state = await hover(client, routeUri, 'requestCount++');
    assert.match(state, /module-scope `let` binding/);
    assert.match(state, /Shared by:.*concurrent requests/s);

    const configUri = client.open('serverless-lint.json', '{ "rules": { "no-such-rule": "error" } }\n', 'json');
    const problems = await pull(client, configUri);
    assert.ok(
      problems.some((d) => /no-such-rule/.test(d.message)),
      problems.map((d) => d.message).join(),
    );

    // A platform config change invalidates cached contexts and asks for a refresh.
    const refreshed = client.waitFor('refresh', () => true);
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    await refreshed;
  });

  test('Check Workspace Architecture reports progress, fills diagnostics for closed files and returns a report', async () => {
    const client = await start({ pull: true, workDoneProgress: true });
    const result = await client.conn.sendRequest<{ markdown: string; filesAnalyzed: number; problems: number; cancelled: boolean }>(
      'workspace/executeCommand',
      { command: 'serverless-lint.checkWorkspace', arguments: [] },
    );
    assert.equal(result.cancelled, false);
    assert.equal(result.filesAnalyzed, 2);
    assert.ok(result.problems >= 2);
    assert.match(result.markdown, /route/);
    const kinds = client.progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds.at(-1), 'end');
    const health = client.published.find((p) => p.uri.endsWith('/app/api/health/route.ts'));
    assert.ok(
      health?.diagnostics.some((d) => d.code === 'no-process-exit'),
      'a closed file gets its diagnostics',
    );
  });

  test('a settings change clears the cache and asks the client to refresh diagnostics', async () => {
    const client = await start({ pull: true });
    const uri = client.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    assert.ok((await pull(client, uri)).some((x) => x.code === 'no-process-exit'));
    client.settings = { rules: { 'no-process-exit': 'off' } };
    const refreshed = client.waitFor('refresh', () => true);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await refreshed;
    assert.deepEqual(
      (await pull(client, uri)).filter((x) => x.code === 'no-process-exit'),
      [],
    );

    client.settings = { rules: { 'no-process-exit': 'warn' } };
    const again = client.waitFor('refresh', () => true);
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await again;
    const d = (await pull(client, uri)).find((x) => x.code === 'no-process-exit');
    assert.equal(d?.severity, 2, 'severity follows the setting (2 = warning)');
  });

  test('pull: a report the client already has is answered unchanged, a changed one in full', async () => {
    const puller = await start({ pull: true });
    const uri = puller.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const first = await puller.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    assert.ok(first.resultId, 'a full report carries a result id');
    const same = await puller.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: first.resultId,
    });
    assert.deepEqual(same, { kind: 'unchanged', resultId: first.resultId });
    // A change of what is reported gives a full report again.
    puller.change(uri, ROUTE_WITH_EXIT.replace('    process.exit(1);\n', ''));
    const changed = await puller.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId: first.resultId,
    });
    assert.equal(changed.kind, 'full');
    assert.notEqual(changed.resultId, first.resultId);
  });

  test('the status bar request answers the file context', async () => {
    const client = await start({ pull: true });
    const uri = client.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const ctx = await client.conn.sendRequest<{ platform: string; runtime: string; role: string; handlerKinds: string[] }>('serverless-lint/fileContext', {
      uri,
    });
    assert.equal(ctx.platform, 'vercel');
    assert.equal(ctx.runtime, 'node');
    assert.equal(ctx.role, 'function-entry');
    assert.ok(ctx.handlerKinds.length > 0);
  });

  test('shutdown and exit end the process with code 0; a killed server is replaced by a clean new one', async () => {
    const client = await start({ pull: false });
    await client.conn.sendRequest('shutdown');
    await client.conn.sendNotification('exit');
    assert.equal(await client.waitForExit(), 0);

    const crashing = await start({ pull: false });
    crashing.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    crashing.proc.kill('SIGKILL');
    await crashing.waitForExit().catch(() => null);
    const fresh = await TestClient.start({ root: crashing.root, pull: false });
    clients.push(fresh);
    const uri = fresh.open('app/api/import/route.ts', ROUTE_WITH_EXIT);
    const p = await fresh.waitFor<{ uri: string; diagnostics: Diagnostic[] }>('diagnostics', (x) => x.uri === uri, fresh.published);
    assert.ok(p.diagnostics.some((x) => x.code === 'no-process-exit'));
  });
});
