// A module opened on its own learns that it runs inside a function: the server finds the workspace's entries in the
// background, so the role of lib/store.ts no longer depends on which route happened to be opened first.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { makeProject, TestClient } from './lsp-client';
import { isEntryCandidate } from '../../server/src/host/entry-discovery';
import { LintService } from '../../server/src/analysis/service';
import { MemoryHost } from '../../server/src/analysis/host';
import { RULES } from '../../server/src/rules';

const STORE = [
  '// Shared by the API routes.',
  'let requests = 0;',
  '',
  'export function countRequest(): number {',
  '  requests++;',
  '  return requests;',
  '}',
  '',
].join('\n');
const ROUTE = "import { countRequest } from '../../../lib/store';\n\nexport async function GET() {\n  return Response.json({ n: countRequest() });\n}\n";

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const stateRule = (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === 'no-module-state-persistence');

describe('background entry discovery over stdio', { timeout: 120_000 }, () => {
  test('a helper module opened alone gets the function role (and its finding) from a route that was never opened', async () => {
    const root = makeProject({
      'vercel.json': '{}',
      'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
      'app/api/count/route.ts': ROUTE,
      'lib/store.ts': STORE,
    });
    roots.push(root);
    const client = await TestClient.start({ root, pull: false });
    clients.push(client);
    const uri = client.open('lib/store.ts', STORE);
    // The first analysis may come before discovery finished; a later push must carry the finding.
    const found = await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === uri && stateRule(p), client.published);
    assert.ok(found.diagnostics.length >= 1);
  });

  test('without any entry importing it, the module stays silent', async () => {
    const root = makeProject({
      'vercel.json': '{}',
      'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
      'app/api/count/route.ts': 'export async function GET() {\n  return Response.json({ ok: true });\n}\n',
      'lib/store.ts': STORE,
      'scripts/seed.ts': "import { countRequest } from '../lib/store';\ncountRequest();\n",
    });
    roots.push(root);
    const client = await TestClient.start({ root, pull: false });
    clients.push(client);
    const uri = client.open('lib/store.ts', STORE);
    const first = await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === uri, client.published);
    assert.deepEqual(first.diagnostics, []);
    // Let discovery finish: opening the route analyzes it too, and the helper is still not function code.
    const route = client.open('app/api/count/route.ts', 'export async function GET() {\n  return Response.json({ ok: true });\n}\n');
    await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === route, client.published);
    assert.ok(!client.published.some((p) => p.uri === uri && stateRule(p)), 'no state finding on a module no function imports');
  });

  test('push mode: when a route starts importing a helper, the open helper is re-published with its new role', async () => {
    const plainRoute = 'export async function GET() {\n  return Response.json({ ok: true });\n}\n';
    // The route is a new, unsaved file: background discovery (which reads the disk) cannot be what re-publishes.
    const root = makeProject({
      'vercel.json': '{}',
      'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
      'lib/store.ts': STORE,
    });
    roots.push(root);
    const client = await TestClient.start({ root, pull: false });
    clients.push(client);
    const store = client.open('lib/store.ts', STORE);
    const route = client.open('app/api/count/route.ts', plainRoute);
    await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === route, client.published);
    const silent = await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === store, client.published);
    assert.deepEqual(silent.diagnostics, []);
    const mark = client.published.length;
    client.change(route, ROUTE);
    await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === store && stateRule(p), client.published.slice(mark));
  });
});

test('entry candidates: framework paths below any project folder, and handlers named in platform configs', () => {
  const host = new MemoryHost({
    '/w/web/vercel.json': '{}',
    '/w/web/app/api/users/route.ts': '',
    '/w/web/api/index.ts': '',
    '/w/web/lib/db.ts': '',
    '/w/fn/serverless.yml': 'service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: src/handlers/users.list\n',
    '/w/fn/src/handlers/users.ts': '',
    '/w/fn/src/lib/db.ts': '',
    '/w/worker/wrangler.toml': 'name = "w"\nmain = "src/index.ts"\n',
    '/w/worker/src/index.ts': '',
    '/w/worker/src/util.ts': '',
  });
  const service = new LintService(host, { workspaceRoot: '/w', rules: RULES });
  const candidates = [
    '/w/web/app/api/users/route.ts',
    '/w/web/api/index.ts',
    '/w/web/lib/db.ts',
    '/w/fn/src/handlers/users.ts',
    '/w/fn/src/lib/db.ts',
    '/w/worker/src/index.ts',
    '/w/worker/src/util.ts',
  ].filter((f) => isEntryCandidate(service, '/w', f));
  assert.deepEqual(candidates, ['/w/web/app/api/users/route.ts', '/w/web/api/index.ts', '/w/fn/src/handlers/users.ts', '/w/worker/src/index.ts']);
});
