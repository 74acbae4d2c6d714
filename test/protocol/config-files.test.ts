// Protocol tests for platform config files open in the editor: hovers on their timeout settings, their problems as
// diagnostics while they are edited, and edits to them re-analyzing the open JS/TS files they govern.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { makeProject, TestClient } from './lsp-client';

const VERCEL_JSON = '{\n  "functions": {\n    "app/api/**/*.ts": { "maxDuration": 60, "memory": 1024 }\n  }\n}\n';
const SERVERLESS_YML = [
  'service: orders',
  'provider:',
  '  name: aws',
  '  runtime: nodejs20.x',
  '  timeout: 30',
  'functions:',
  '  list:',
  '    handler: src/orders.list',
  '    memorySize: 512',
  '',
].join('\n');
const WORKER =
  "import { readFileSync } from 'node:fs';\n\nexport default {\n  async fetch(): Promise<Response> {\n    return new Response(readFileSync('/x', 'utf8'));\n  },\n};\n";
const WRANGLER = 'name = "edge-api"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function start(pull: boolean, settings?: Record<string, unknown>): Promise<TestClient> {
  const root = makeProject({
    'vercel.json': VERCEL_JSON,
    'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
    'app/api/report/route.ts': 'export const maxDuration = 600;\n\nexport async function GET() {\n  return Response.json({ ok: true });\n}\n',
    'lambda/serverless.yml': SERVERLESS_YML,
    'lambda/src/orders.ts': 'export async function list() {\n  return { statusCode: 200, body: "[]" };\n}\n',
    'worker/wrangler.toml': WRANGLER,
    'worker/src/index.ts': WORKER,
  });
  roots.push(root);
  const client = await TestClient.start({ root, pull, settings });
  clients.push(client);
  return client;
}

async function hoverAt(client: TestClient, uri: string, needle: string): Promise<Hover | null> {
  const doc = client.doc(uri);
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the text`);
  return client.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: doc.positionAt(offset + 1) });
}

// biome-ignore lint/suspicious/noShadowRestrictedNames: a module-local helper; no code here calls Object.prototype.valueOf.
const valueOf = (h: Hover | null) => (h?.contents as { value: string } | undefined)?.value ?? '';

/** The next push for `uri` after `from` publications, that satisfies the predicate. */
function nextPush(client: TestClient, uri: string, from: number, predicate: (p: PublishDiagnosticsParams) => boolean = () => true) {
  return client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === uri && predicate(p), client.published.slice(from));
}

describe('platform config files over stdio', { timeout: 120_000 }, () => {
  test('hovers: the plan table on vercel.json maxDuration and memory, serverless.yml timeout and memorySize', async () => {
    const client = await start(true);
    const vercel = client.open('vercel.json', VERCEL_JSON, 'json');
    const duration = await hoverAt(client, vercel, '"maxDuration"');
    assert.match(valueOf(duration), /`functions\["app\/api\/\*\*\/\*\.ts"\]\.maxDuration`/);
    assert.match(valueOf(duration), /Max duration on Vercel Functions/);
    assert.match(valueOf(duration), /\| pro \(this project\) \|.*800 s/);
    assert.match(valueOf(duration), /verified \d{4}-\d{2}-\d{2}/);
    // The hover covers `"maxDuration": 60`, found by jsonc-parser's tree.
    const line = client.doc(vercel).getText().split('\n')[2];
    assert.deepEqual(duration!.range, {
      start: { line: 2, character: line.indexOf('"maxDuration"') },
      end: { line: 2, character: line.indexOf('60') + 2 },
    });
    assert.match(valueOf(await hoverAt(client, vercel, '1024')), /Memory on Vercel Functions[\s\S]*\| hobby \| 2,048 MB/);
    assert.equal(await hoverAt(client, vercel, '"functions"'), null, 'a key without limits has no hover');

    const sls = client.open('lambda/serverless.yml', SERVERLESS_YML, 'yaml');
    const timeout = await hoverAt(client, sls, 'timeout');
    assert.match(valueOf(timeout), /`provider\.timeout` — Lambda timeout in seconds/);
    assert.match(valueOf(timeout), /Max duration on AWS Lambda[\s\S]*\| standard \(this project\) \| 3 s.*\| 900 s/);
    assert.deepEqual(timeout!.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 13 } });
    assert.match(valueOf(await hoverAt(client, sls, 'memorySize')), /`functions\.list\.memorySize`[\s\S]*10,240 MB/);

    const wrangler = client.open('worker/wrangler.toml', WRANGLER + '\n[limits]\ncpu_ms = 50000\n', 'toml');
    assert.match(valueOf(await hoverAt(client, wrangler, 'cpu_ms')), /CPU time per request on Cloudflare Workers[\s\S]*\| free \| 10 ms/);
    assert.match(valueOf(await hoverAt(client, wrangler, 'compatibility_date')), /Node\.js compatibility: off/);

    // JS/TS rules never run on config documents: their diagnostics are config problems only.
    assert.deepEqual(
      (await client.pullDiagnostics(vercel)).map((d) => d.code),
      [],
    );
  });

  test('a broken vercel.json gets a diagnostic on open that goes away when fixed; a limit above the plan is flagged at the key', async () => {
    const client = await start(false, { plan: 'hobby' });
    const broken = '{\n  "functions": {\n    "api/*.ts": { "maxDuration": 60 \n  }\n';
    const uri = client.open('vercel.json', broken, 'json');
    const first = await nextPush(client, uri, 0);
    assert.equal(first.version, 1);
    assert.ok(
      first.diagnostics.some((d) => d.code === 'invalid-config' && /vercel\.json/.test(d.message)),
      JSON.stringify(first.diagnostics),
    );

    const from = client.published.length;
    const v2 = client.change(uri, VERCEL_JSON);
    const fixed = await nextPush(client, uri, from, (p) => p.version === v2);
    assert.deepEqual(fixed.diagnostics, []);

    const v3 = client.change(uri, VERCEL_JSON.replace('"maxDuration": 60', '"maxDuration": 700'));
    const over = await nextPush(client, uri, from, (p) => p.version === v3);
    const d = over.diagnostics.find((x) => x.code === 'max-duration-exceeds-limit');
    assert.ok(d, JSON.stringify(over.diagnostics));
    assert.equal(d.range.start.line, 2);
  });

  test('editing a config document re-analyzes the open files it governs, by its unsaved content', async () => {
    const client = await start(false);
    const route = client.open(
      'app/api/report/route.ts',
      'export const maxDuration = 600;\n\nexport async function GET() {\n  return Response.json({ ok: true });\n}\n',
    );
    await nextPush(client, route, 0);
    const vercel = client.open('vercel.json', VERCEL_JSON, 'json');
    await nextPush(client, vercel, 0);
    const before = client.published.length;
    client.change(vercel, VERCEL_JSON.replace('60', '90'));
    await nextPush(client, route, before);

    // nodejs_compat in the unsaved wrangler.toml turns the node:fs finding of the open Worker off, and back on when undone.
    const worker = client.open('worker/src/index.ts', WORKER);
    const flagged = await nextPush(client, worker, 0);
    const nodeFs = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => /node:fs/.test(d.message));
    assert.ok(nodeFs(flagged), JSON.stringify(flagged.diagnostics.map((d) => d.message)));
    const wrangler = client.open('worker/wrangler.toml', WRANGLER, 'toml');
    const mark = client.published.length;
    client.change(wrangler, WRANGLER + 'compatibility_flags = ["nodejs_compat"]\n');
    await nextPush(client, worker, mark, (p) => !nodeFs(p));
    const mark2 = client.published.length;
    client.change(wrangler, WRANGLER);
    await nextPush(client, worker, mark2, nodeFs);
  });
});
