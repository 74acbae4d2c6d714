// The language server survives every bad message (docs/reliability.md, "Isolation" and "The language server answers promptly"): each test sends what once ended the process
// or hung a request, then proves the server is alive by a well-formed request it answers. The built server, over stdio.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ErrorCodes, LSPErrorCodes, type Diagnostic, type DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { makeProject, TestClient, uriOf, type StartOptions } from './lsp-client';
import { INTERNAL_ERROR_MARK } from '../../server/src/lsp/guard';

const HANDLER = 'export default function handler(req, res) {\n  process.exit(1);\n}\n';

const roots: string[] = [];
const clients: TestClient[] = [];
after(async () => {
  for (const c of clients) await c.stop();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function start(options: Omit<StartOptions, 'root'>): Promise<TestClient> {
  const root = makeProject({ 'vercel.json': '{}\n', 'api/ok.js': HANDLER });
  roots.push(root);
  const client = await TestClient.start({ root, ...options });
  clients.push(client);
  return client;
}

type Published = { uri: string; version?: number; diagnostics: Diagnostic[] };

/** The server is alive and analyzing: a fresh document gets its diagnostics (pushed or pulled). */
async function answersAfterwards(client: TestClient, pull: boolean, name = 'api/alive.js'): Promise<void> {
  const uri = client.open(name, HANDLER);
  const items = pull
    ? ((await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] }).items
    : (await client.waitFor<Published>('diagnostics', (p) => p.uri === uri, client.published)).diagnostics;
  assert.ok(
    items.some((d) => d.code === 'no-process-exit'),
    'the server still analyzes',
  );
  assert.equal(client.proc.exitCode, null, 'the process is running');
  // No guard had to catch an exception, and no handler threw into the protocol library's own log line.
  const failures = client.logs.filter((l) => l.message.includes(INTERNAL_ERROR_MARK) || /handler '.*' failed/.test(l.message));
  assert.deepEqual(
    failures.map((l) => l.message.split('\n')[0]),
    [],
  );
}

/** The error a request is answered with (or undefined when it succeeds). */
async function errorOf(client: TestClient, method: string, params: unknown): Promise<{ code: number; message: string } | undefined> {
  try {
    await client.conn.sendRequest(method, params);
    return undefined;
  } catch (e) {
    return e as { code: number; message: string };
  }
}

describe('the language server survives bad messages', { timeout: 180_000 }, () => {
  test('push mode: didOpen without text, with a non-string text, a bad or a non-file URI is ignored with a warning', async () => {
    const client = await start({ pull: false });
    const uri = uriOf(join(client.root, 'api/broken.js'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1 } });
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'javascript', version: 1, text: 42 } });
    client.notify('textDocument/didOpen', { textDocument: { uri: 7, languageId: 'javascript', version: 1, text: HANDLER } });
    client.notify('textDocument/didOpen', { textDocument: { uri: 'a.ts', languageId: 'typescript', version: 1, text: HANDLER } });
    client.notify('textDocument/didOpen', { textDocument: { uri: 'file:///c%3A/x.ts', languageId: 'typescript', version: 1, text: HANDLER } });
    client.notify('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'typescript', version: 1, text: HANDLER } });
    client.notify('textDocument/didOpen', null);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: -1 } }, text: 'x' }] });
    client.notify('textDocument/didClose', { textDocument: {} });
    await answersAfterwards(client, false);
    const warnings = client.logs.filter((l) => l.type === 2).map((l) => l.message);
    assert.ok(warnings.includes('Ignored textDocument/didOpen: textDocument.text must be a string.'), warnings.join('\n'));
    assert.ok(warnings.includes('Ignored textDocument/didOpen: textDocument.uri must be a string.'), warnings.join('\n'));
    // A non-file URI opens (the editor may send one) but is never analyzed: nothing is published for it.
    assert.equal(client.published.filter((p) => !p.uri.startsWith('file:///')).filter((p) => p.diagnostics.length).length, 0);
  });

  test('a client without the workspaceFolders capability, and workspaceFolders: null', async () => {
    const client = await start({
      pull: false,
      initialize: (params) => {
        delete params.capabilities.workspace!.workspaceFolders;
        params.workspaceFolders = null;
      },
    });
    await answersAfterwards(client, false);
  });

  test("a client that refuses the server's own requests (registrations, refresh, progress)", async () => {
    const client = await start({ pull: true, refuseRequests: true });
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.waitFor('refresh', () => true);
    await answersAfterwards(client, true);
  });

  test('requests with malformed params are answered InvalidParams; unknown commands MethodNotFound', async () => {
    const client = await start({ pull: true });
    const uri = client.open('api/ok.js', HANDLER);
    const cases: Array<[string, unknown, number]> = [
      ['textDocument/hover', { textDocument: { uri } }, ErrorCodes.InvalidParams],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }, ErrorCodes.InvalidParams],
      ['textDocument/hover', { textDocument: { uri }, position: { line: '0', character: 0 } }, ErrorCodes.InvalidParams],
      ['textDocument/diagnostic', { textDocument: 5 }, ErrorCodes.InvalidParams],
      ['textDocument/codeAction', { textDocument: { uri }, context: { diagnostics: [] } }, ErrorCodes.InvalidParams],
      ['serverless-lint/fileContext', { uri: 42 }, ErrorCodes.InvalidParams],
      ['workspace/executeCommand', { command: 5 }, ErrorCodes.InvalidParams],
      ['workspace/executeCommand', { command: 'serverless-lint.checkWorkspace', arguments: [{ folders: 'file:///' }] }, ErrorCodes.InvalidParams],
      ['workspace/executeCommand', { command: 'serverless-lint.showRuntimeConstraints', arguments: 'x' }, ErrorCodes.InvalidParams],
      // A file that is not open is read from disk only when it is a source file: never a device a client names.
      ['workspace/executeCommand', { command: 'serverless-lint.showRuntimeConstraints', arguments: ['file:///dev/zero'] }, ErrorCodes.InvalidParams],
      ['workspace/executeCommand', { command: 'serverless-lint.nope', arguments: [] }, ErrorCodes.MethodNotFound],
    ];
    for (const [method, params, code] of cases) {
      const error = await errorOf(client, method, params);
      assert.equal(error?.code, code, `${method} ${JSON.stringify(params)}: ${JSON.stringify(error)}`);
    }
    // Code actions with diagnostics whose data a client made up: the malformed parts are dropped, not trusted.
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 17 } };
    const actions = await client.conn.sendRequest<Array<{ title: string }>>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: {
        diagnostics: [
          {
            range,
            message: 'm',
            source: 'serverless-lint',
            code: 'no-process-exit',
            data: { ruleId: 'no-process-exit', version: 1, fixes: [{ title: 'bad', edits: 5 }] },
          },
          { range, message: 'm', source: 'serverless-lint', code: 'x\n// injected', data: 'junk' },
          { message: 'no range', source: 'serverless-lint', code: 'no-process-exit' },
          null,
        ],
      },
    });
    assert.ok(!actions.some((a) => a.title === 'bad' || /injected/.test(a.title)), actions.map((a) => a.title).join(' | '));
    assert.ok(actions.some((a) => a.title === 'Disable no-process-exit for this line'));
    await answersAfterwards(client, true);
  });

  test('out of order: requests before initialize are refused, notifications dropped; a second initialize is refused', async () => {
    const client = await start({ pull: true });
    // Refused before the protocol library sees it: its own initialize handling would re-arm the parent-process
    // watchdog with this processId (a dead process's pid would end the server).
    const error = await errorOf(client, 'initialize', { processId: 2 ** 31 - 1, rootUri: null, capabilities: {} });
    assert.equal(error?.code, ErrorCodes.InvalidRequest);
    assert.equal(error?.message, 'The server is already initialized; this initialize was ignored.');
    client.notify('initialized', {});
    client.notify('$/cancelRequest', undefined);
    client.notify('$/cancelRequest', { id: { nested: true } });
    await answersAfterwards(client, true);
    assert.ok(client.logs.some((l) => l.message === 'Ignored initialized: it was already received.'));
  });

  test('malformed messages the protocol library handles itself, and bodies that are not messages', async () => {
    const client = await start({ pull: false });
    // Found by the LSP fuzz: each of these made a library handler throw (or, for `null`, the server's own gate).
    client.notify('$/setTrace', null);
    client.notify('workspace/didChangeWorkspaceFolders', {});
    client.notify('window/workDoneProgress/cancel', null);
    for (const body of ['null', '42', '[]', '{"jsonrpc":"2.0","method":"$/cancelRequest"}']) {
      client.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    await answersAfterwards(client, false);
    assert.ok(client.logs.some((l) => l.message === 'Ignored $/setTrace: malformed params.'));
  });

  test('cancelling a pull during its debounce answers RequestCancelled', async () => {
    const client = await start({ pull: true, settings: { debounceMs: 10_000 } });
    const uri = client.open('api/ok.js', HANDLER);
    // An edit starts the debounce: the pull waits for typing to pause 10 s, unless it is cancelled.
    client.change(uri, HANDLER.replace('1', '2'));
    const source = new (await import('vscode-languageserver-protocol')).CancellationTokenSource();
    const answer = client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token).then(
      () => undefined,
      (e: { code: number }) => e.code,
    );
    source.cancel();
    assert.equal(await answer, LSPErrorCodes.RequestCancelled);
  });

  test("a closed document's text is freed (a 3 MB file, over the size limit)", async () => {
    const client = await start({ pull: false, nodeArgs: ['--expose-gc', '--require', join(__dirname, 'heap-probe.cjs')] });
    let stderr = '';
    client.on('stderr', (d: string) => {
      stderr += d;
      for (const m of d.matchAll(/heap-probe (\d+)/g)) client.emit('heap', Number(m[1]));
    });
    const heap = async () => {
      const next = client.waitFor<number>('heap', () => true);
      client.proc.kill('SIGUSR2');
      return next;
    };
    // A first document opened and closed, so everything loaded once (TypeScript, the rules) is in the baseline.
    const warm = client.open('api/ok.js', HANDLER);
    await client.waitFor<Published>('diagnostics', (p) => p.uri === warm, client.published);
    client.notify('textDocument/didClose', { textDocument: { uri: warm } });
    await client.waitFor<Published>('diagnostics', (p) => p.uri === warm && p.diagnostics.length === 0, client.published);
    const before = await heap();

    const big = `// generated\n${'export const v = [1, 2, 3];\n'.repeat(110_000)}`;
    const uri = client.open('api/big.ts', big);
    await client.waitFor<Published>('diagnostics', (p) => p.uri === uri, client.published);
    await client.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 14 } });
    await client.conn.sendRequest('serverless-lint/fileContext', { uri });
    const open = await heap();
    // The probe sees the text while it is open, so a drop after closing is the text being freed.
    assert.ok(open - before > big.length * 0.9, `open: ${open - before} bytes more than before (text ${big.length})`);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.waitFor<Published>('diagnostics', (p) => p.uri === uri && p.diagnostics.length === 0, client.published);
    const closed = await heap();
    assert.ok(closed - before < big.length / 3, `after close: ${closed - before} bytes more than before (text ${big.length}); ${stderr.slice(-300)}`);
  });
});
