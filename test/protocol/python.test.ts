// Protocol test: a Python function in the language server (the built dist/server.js, which loads the Python parser
// from the wasm files beside it on the first .py document): diagnostics, the hover's runtime card on a FastAPI
// route, the rule's quick fix, and "Disable RULE for this line" in `#` form, which silences the finding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startOnProject } from './lsp-client';

const API = [
  'import os',
  '',
  'import psycopg',
  'from fastapi import FastAPI',
  '',
  'app = FastAPI()',
  '',
  '',
  '@app.get("/api/users/{user_id}")',
  'def get_user(user_id: int):',
  '    conn = psycopg.connect(os.environ["DATABASE_URL"])',
  '    return conn.execute("select email from users where id = %s", (user_id,)).fetchone()',
  '',
].join('\n');

test('a .py document gets diagnostics, the runtime card, quick fixes and a # disable comment', { timeout: 60_000 }, async (t) => {
  const client = await startOnProject(t, { 'vercel.json': '{}\n', 'requirements.txt': 'fastapi\npsycopg\n' });
  const uri = client.open('api/index.py', API, 'python');
  const found = await client.pullDiagnostics(uri);
  assert.deepEqual(
    found.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`),
    ['10:11 no-client-per-invocation'],
  );

  const hover = await client.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 6 } });
  const card = (hover?.contents as MarkupContent | undefined)?.value ?? '';
  assert.match(card, /get\\_user/);
  assert.match(card, /Runtime: \*\*Python\*\*/);
  assert.match(card, /FastAPI route/);
  assert.match(card, /[Vv]ercel/);

  const actions = await client.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: found[0].range,
    context: { diagnostics: found },
  });
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Move `conn` to module level'), titles.join(' | '));
  const disable = actions.find((a) => a.title === 'Disable no-client-per-invocation for this line');
  assert.ok(disable?.edit, titles.join(' | '));
  client.applyWorkspaceEdit(disable.edit);
  assert.equal(
    client.doc(uri).getText(),
    API.replace('    conn = psycopg', '    # serverless-lint-disable-next-line no-client-per-invocation\n    conn = psycopg'),
  );
  assert.deepEqual(
    (await client.pullDiagnostics(uri)).map((d) => d.code),
    [],
  );
});
