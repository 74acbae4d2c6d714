// Unit tests of the language server's guards (server/src/lsp/guard.ts): params checks, guarded handlers, the
// cancellable debounce wait, and the URI door (lsp/workspace.ts `uriToPath`).
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { CancellationTokenSource, ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import {
  badDidChange,
  badDidOpen,
  guardNotification,
  guardRequest,
  INTERNAL_ERROR_MARK,
  InvalidParams,
  isPosition,
  messageGate,
  REFUSED_REQUEST,
  refusedAnswer,
  settle,
  type GuardLog,
} from '../server/src/lsp/guard';
import { uriToPath } from '../server/src/lsp/workspace';

function recordingLog(): GuardLog & { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  return { errors, warnings, error: (m) => errors.push(m), warn: (m) => warnings.push(m) };
}

test('didOpen and didChange checks name what is wrong', () => {
  const td = { uri: 'file:///a.ts', languageId: 'typescript', version: 1, text: 'x' };
  assert.equal(badDidOpen({ textDocument: td }), undefined);
  assert.equal(badDidOpen({ textDocument: { ...td, text: undefined } }), 'textDocument.text must be a string');
  assert.equal(badDidOpen({ textDocument: { ...td, text: 5 } }), 'textDocument.text must be a string');
  assert.equal(badDidOpen({ textDocument: { ...td, uri: null } }), 'textDocument.uri must be a string');
  assert.equal(badDidOpen({ textDocument: { ...td, version: 1.5 } }), 'textDocument.version must be an integer');
  assert.equal(badDidOpen(null), 'textDocument must be an object');
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  assert.equal(badDidChange({ textDocument: { uri: 'file:///a.ts', version: 2 }, contentChanges: [{ range, text: 'y' }, { text: 'z' }] }), undefined);
  assert.equal(badDidChange({ textDocument: { uri: 'file:///a.ts', version: 2 }, contentChanges: {} }), 'contentChanges must be an array');
  assert.equal(
    badDidChange({ textDocument: { uri: 'file:///a.ts', version: 2 }, contentChanges: [{ range: { start: { line: -1, character: 0 } }, text: '' }] }),
    'a content change has a malformed range',
  );
  assert.equal(badDidChange({ textDocument: { uri: 'file:///a.ts', version: null }, contentChanges: [] }), 'textDocument.version must be an integer');
  assert.equal(isPosition({ line: 2 ** 53, character: 0 }), false);
  assert.equal(isPosition({ line: 0, character: Number.NaN }), false);
});

test('a guarded request answers InvalidParams for a failed check and InternalError (logged with the mark) for a bug', async () => {
  const log = recordingLog();
  const token = new CancellationTokenSource().token;
  const invalid = guardRequest(log, 'x/invalid', () => {
    throw new InvalidParams('uri must be a string');
  });
  await assert.rejects(
    invalid(undefined, token),
    (e: ResponseError<unknown>) => e.code === ErrorCodes.InvalidParams && e.message === 'x/invalid: uri must be a string',
  );
  const bug = guardRequest(log, 'x/bug', async () => {
    throw new TypeError('cannot read properties of undefined');
  });
  await assert.rejects(bug(undefined, token), (e: ResponseError<unknown>) => e.code === ErrorCodes.InternalError);
  const cancelledAnswer = guardRequest(log, 'x/cancel', () => {
    throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  });
  await assert.rejects(cancelledAnswer(undefined, token), (e: ResponseError<unknown>) => e.code === LSPErrorCodes.RequestCancelled);
  assert.equal(log.errors.length, 1);
  assert.ok(log.errors[0].startsWith(`${INTERNAL_ERROR_MARK} in x/bug`), log.errors[0]);
});

test('a guarded notification neither throws nor rejects; async failures are logged too', async () => {
  const log = recordingLog();
  let failed!: () => void;
  const logged = new Promise<void>((resolve) => (failed = resolve));
  const errors = { ...log, error: (m: string) => (log.errors.push(m), failed()) };
  guardNotification(errors, 'x/sync', () => {
    throw new InvalidParams('text must be a string');
  })(undefined);
  guardNotification(errors, 'x/async', async () => {
    throw new Error('boom');
  })(undefined);
  await logged;
  assert.deepEqual(log.warnings, ['Ignored x/sync: text must be a string.']);
  assert.ok(log.errors[0].startsWith(`${INTERNAL_ERROR_MARK} in x/async`), log.errors[0]);
});

test('settle: a cancellation wakes the debounce wait at once (no timer has to fire)', async () => {
  // With mocked timers, time never moves unless the test ticks it: a wait that only a timer could end hangs here.
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 100_000 });
  try {
    const source = new CancellationTokenSource();
    const typedAt = 100_000;
    const settled = settle(() => typedAt, 10_000, source.token);
    source.cancel();
    assert.equal(await settled, false);
    // And without cancellation it waits until the user stopped typing for the whole debounce.
    const quiet = new CancellationTokenSource();
    let done = false;
    const waiting = settle(() => typedAt, 10_000, quiet.token).then((v) => {
      done = true;
      return v;
    });
    mock.timers.tick(9_999);
    await Promise.resolve();
    assert.equal(done, false);
    mock.timers.tick(1);
    assert.equal(await waiting, true);
  } finally {
    mock.timers.reset();
  }
});

test('uriToPath: only absolute file: URIs become paths; nothing throws', () => {
  assert.equal(uriToPath('file:///srv/app/api/a.ts'), '/srv/app/api/a.ts');
  assert.equal(uriToPath('file:///srv/app/a%20b.ts'), '/srv/app/a b.ts');
  for (const bad of [
    '',
    'a.ts',
    'relative/a.ts',
    '%',
    '::::',
    'untitled:Untitled-1',
    'http://example.com/a.ts',
    'file:///%00.ts',
    'file:///c%3A/x.ts',
    42,
    null,
    undefined,
    {},
  ]) {
    assert.equal(uriToPath(bad), undefined, JSON.stringify(bad));
  }
});

test('the message gate: library-handled notifications with bad params are dropped, a second initialize is refused', () => {
  const log = recordingLog();
  let initialized = false;
  const gate = messageGate(() => initialized, log);
  const passed: unknown[] = [];
  const handle = (m: unknown) => gate.handleMessage(m as never, (x) => passed.push(x));
  handle(null);
  handle({ jsonrpc: '2.0', method: '$/setTrace', params: null });
  handle({ jsonrpc: '2.0', method: '$/setTrace', params: { value: 'off' } });
  handle({ jsonrpc: '2.0', method: 'workspace/didChangeWorkspaceFolders', params: {} });
  handle({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} });
  initialized = true;
  handle({ jsonrpc: '2.0', id: 2, method: 'initialize', params: { processId: 1, capabilities: {} } });
  assert.deepEqual(log.warnings, ['Ignored $/setTrace: malformed params.', 'Ignored workspace/didChangeWorkspaceFolders: malformed params.']);
  assert.equal(passed[0], null, 'what is not a message goes on to the library, which reports it');
  assert.deepEqual(passed[1], { jsonrpc: '2.0', method: '$/setTrace', params: { value: 'off' } });
  const refused = passed.slice(2) as Array<{ id: number; method: string; params: unknown }>;
  assert.deepEqual(
    refused.map((m) => [m.id, m.method]),
    [
      [1, REFUSED_REQUEST],
      [2, REFUSED_REQUEST],
    ],
  );
  assert.equal(refusedAnswer(refused[0].params).code, ErrorCodes.InvalidParams);
  assert.equal(refusedAnswer(refused[1].params).code, ErrorCodes.InvalidRequest);
  assert.equal(refusedAnswer('junk').code, ErrorCodes.MethodNotFound);
});
