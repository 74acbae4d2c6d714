// Protocol test: "Disable RULE for this line" on a finding inside JSX children inserts the JSX form of the
// comment (a `//` there would render as text), and the inserted comment silences the finding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { startOnProject } from './lsp-client';

const OG_ROUTE = [
  "import { ImageResponse } from 'next/og';",
  '',
  'export async function GET() {',
  '  return new ImageResponse(',
  '    <div>',
  '      <h1>Report</h1>',
  '      {process.exit(1)}',
  '    </div>,',
  '  );',
  '}',
  '',
].join('\n');

test('the line suppression inside JSX children is a {/* … */} comment and silences the rule', { timeout: 60_000 }, async (t) => {
  const client = await startOnProject(t, { 'vercel.json': '{}\n', 'package.json': '{ "name": "og", "dependencies": { "next": "15.0.0" } }\n' });
  const uri = client.open('app/api/og/route.tsx', OG_ROUTE, 'typescriptreact');
  const found = (await client.pullDiagnostics(uri)).filter((d) => d.code === 'no-process-exit');
  assert.equal(found.length, 1);
  assert.equal(found[0].range.start.line, 6);
  const actions = await client.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: found[0].range,
    context: { diagnostics: found },
  });
  const disable = actions.find((a) => a.title === 'Disable no-process-exit for this line');
  assert.ok(disable?.edit, actions.map((a) => a.title).join(' | '));
  client.applyWorkspaceEdit(disable.edit);
  assert.equal(
    client.doc(uri).getText(),
    OG_ROUTE.replace('      {process.exit(1)}', '      {/* serverless-lint-disable-next-line no-process-exit */}\n      {process.exit(1)}'),
  );
  assert.deepEqual(
    (await client.pullDiagnostics(uri)).map((d) => d.code),
    [],
  );
});
