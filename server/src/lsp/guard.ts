// Keeps the language server alive whatever a client sends: checks of message params (a malformed message is refused
// or ignored with a warning, never trusted), guards that turn an exception in one handler into an error answer or a
// log line, and a last resort for anything that escapes them. The pattern of VS Code's own JSON and CSS servers
// (`runSafe`: catch, log, answer an error value, honour cancellation), applied to every handler.
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type Disposable,
  type NotificationHandler,
  type MessageStrategy,
  type RequestHandler,
} from 'vscode-languageserver';
import type { TextDocumentConnection } from 'vscode-languageserver/lib/common/textDocuments';

/**
 * The start of every log line about an exception a guard caught but no check foresaw: always a bug to fix. The LSP
 * fuzz client (scripts/lsp-fuzz.ts) fails on it, so an exception cannot hide behind a guard.
 */
export const INTERNAL_ERROR_MARK = 'Serverless Lint internal error';

/** Where guards write: the client's log (window/logMessage), or stderr before the connection is up. */
export interface GuardLog {
  error(message: string): void;
  warn(message: string): void;
}

/** A params check that failed: what was wrong, for the answer or the warning. */
export class InvalidParams extends Error {}

const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative safe integer, as LSP's `uinteger` (line and character numbers, versions). */
export function isUinteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function isPosition(v: unknown): v is { line: number; character: number } {
  return isObject(v) && isUinteger(v.line) && isUinteger(v.character);
}

export function isRange(v: unknown): v is { start: { line: number; character: number }; end: { line: number; character: number } } {
  return isObject(v) && isPosition(v.start) && isPosition(v.end);
}

/** `params[key]` as an object, or an InvalidParams naming the field. */
export function objectField(params: unknown, key: string): Record<string, unknown> {
  if (!isObject(params)) throw new InvalidParams('params must be an object');
  const v = params[key];
  if (!isObject(v)) throw new InvalidParams(`${key} must be an object`);
  return v;
}

/** `params.textDocument.uri` as a string, or an InvalidParams. */
export function documentUri(params: unknown): string {
  const uri = objectField(params, 'textDocument').uri;
  if (typeof uri !== 'string') throw new InvalidParams('textDocument.uri must be a string');
  return uri;
}

/**
 * Wraps a request handler: a failed params check answers InvalidParams; a ResponseError (cancellation, say) passes
 * through; any other exception is logged with INTERNAL_ERROR_MARK and answered InternalError. The process goes on.
 */
export function guardRequest<P, R>(
  log: GuardLog,
  method: string,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      return await handler(params, token);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      if (e instanceof InvalidParams) throw new ResponseError(ErrorCodes.InvalidParams, `${method}: ${e.message}`);
      log.error(`${INTERNAL_ERROR_MARK} in ${method} (the server goes on): ${describe(e)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Serverless Lint failed on ${method}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/**
 * Wraps a notification handler (or a timer's callback): a failed params check is a warning, any other exception is
 * logged with INTERNAL_ERROR_MARK. Nothing is thrown or rejected, sync or async.
 */
export function guardNotification<P>(log: GuardLog, what: string, handler: (params: P) => unknown): (params: P) => void {
  return (params) => {
    const failed = (e: unknown) => {
      if (e instanceof InvalidParams) log.warn(`Ignored ${what}: ${e.message}.`);
      else log.error(`${INTERNAL_ERROR_MARK} in ${what} (the server goes on): ${describe(e)}`);
    };
    try {
      const r = handler(params);
      if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(undefined, failed);
    } catch (e) {
      failed(e);
    }
  };
}

/**
 * A request the server sends to the client (register a capability, ask for a refresh, report progress) that the
 * client may refuse: a refusal is the client's answer, logged as a warning, never an unhandled rejection.
 */
export function askClient(log: GuardLog, what: string, request: () => unknown): void {
  try {
    // Some library calls are typed `void` but return the request's promise (`languages.diagnostics.refresh`).
    const r = request();
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      (r as Promise<unknown>).then(undefined, (e: unknown) => log.warn(`The client refused ${what}: ${e instanceof Error ? e.message : String(e)}`));
    }
  } catch (e) {
    log.warn(`Could not ask the client for ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The last resort for an exception no guard caught (a library's own callback, say): logged with INTERNAL_ERROR_MARK
 * instead of ending the process, as VS Code's own language servers do. A client cannot crash the server with one
 * bad message; the guards above keep this path for bugs only.
 */
export function installLastResort(log: GuardLog): void {
  // A log line that itself throws must not loop back here.
  let reporting = false;
  const report = (what: string, e: unknown) => {
    if (reporting) return;
    reporting = true;
    try {
      log.error(`${INTERNAL_ERROR_MARK} (${what}; the server goes on): ${describe(e)}`);
    } finally {
      reporting = false;
    }
  };
  process.on('uncaughtException', (e) => report('uncaught exception', e));
  process.on('unhandledRejection', (e) => report('unhandled rejection', e));
}

/**
 * Resolves after `ms`, or at once when `token` is cancelled: a cancelled request stops waiting and answers now.
 * The timer and the cancellation listener are both released either way.
 */
export function sleepUnlessCancelled(ms: number, token: CancellationToken): Promise<void> {
  if (token.isCancellationRequested) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const listener = token.onCancellationRequested(done);
  });
}

/**
 * Waits until `quietSince()` is at least `debounceMs` in the past (the user stopped typing); false when the request
 * was cancelled meanwhile. Wakes up at once on cancellation instead of waiting out the debounce.
 */
export async function settle(quietSince: () => number, debounceMs: number, token: CancellationToken, now: () => number = Date.now): Promise<boolean> {
  for (;;) {
    if (token.isCancellationRequested) return false;
    const wait = debounceMs - (now() - quietSince());
    if (wait <= 0) return true;
    await sleepUnlessCancelled(wait, token);
  }
}

/** The answer to a request cancelled by the client. */
export const cancelled = () => new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');

/** Connection's console as a GuardLog; stderr until the connection is listening (no client to tell yet). */
export function connectionLog(connection: Connection): GuardLog {
  return {
    error: (m) => safely(() => connection.console.error(m), m),
    warn: (m) => safely(() => connection.console.warn(m), m),
  };
}

function safely(write: () => void, message: string): void {
  try {
    write();
  } catch {
    process.stderr.write(`${message}\n`);
  }
}

/** Why a `textDocument/didOpen` cannot be trusted, or undefined when it can. */
export function badDidOpen(params: unknown): string | undefined {
  if (!isObject(params) || !isObject(params.textDocument)) return 'textDocument must be an object';
  const td = params.textDocument;
  if (typeof td.uri !== 'string') return 'textDocument.uri must be a string';
  if (typeof td.text !== 'string') return 'textDocument.text must be a string';
  if (typeof td.languageId !== 'string') return 'textDocument.languageId must be a string';
  if (typeof td.version !== 'number' || !Number.isSafeInteger(td.version)) return 'textDocument.version must be an integer';
  return undefined;
}

/** Why a `textDocument/didChange` cannot be applied, or undefined when it can. */
export function badDidChange(params: unknown): string | undefined {
  if (!isObject(params) || !isObject(params.textDocument)) return 'textDocument must be an object';
  const td = params.textDocument;
  if (typeof td.uri !== 'string') return 'textDocument.uri must be a string';
  if (typeof td.version !== 'number' || !Number.isSafeInteger(td.version)) return 'textDocument.version must be an integer';
  if (!Array.isArray(params.contentChanges)) return 'contentChanges must be an array';
  for (const c of params.contentChanges) {
    if (!isObject(c) || typeof c.text !== 'string') return 'each content change needs a string text';
    if (c.range !== undefined && !isRange(c.range)) return 'a content change has a malformed range';
  }
  return undefined;
}

/** Why a notification naming a document (close, save) cannot be used, or undefined when it can. */
export function badDocumentNotification(params: unknown): string | undefined {
  if (!isObject(params) || !isObject(params.textDocument)) return 'textDocument must be an object';
  return typeof params.textDocument.uri === 'string' ? undefined : 'textDocument.uri must be a string';
}

/**
 * The connection as `TextDocuments.listen` sees it: each document notification is checked before the document
 * manager applies it (a `didOpen` without `text` would otherwise become a document whose text is undefined), and
 * dropped with a warning when malformed or when it comes before `initialize` (LSP: a server drops notifications
 * until it is initialized). The manager's own exceptions (a change for a version it cannot apply) are guarded too.
 */
export function checkedDocumentSync(connection: Connection, log: GuardLog, ready: () => boolean): TextDocumentConnection {
  const checked = (method: string, bad: (p: unknown) => string | undefined, handler: NotificationHandler<never>): NotificationHandler<unknown> =>
    guardNotification<unknown>(log, method, (params) => {
      if (!ready()) throw new InvalidParams('it came before initialize');
      const why = bad(params);
      if (why) throw new InvalidParams(why);
      return handler(params as never);
    });
  return {
    onDidOpenTextDocument: (h: NotificationHandler<never>): Disposable => connection.onDidOpenTextDocument(checked('textDocument/didOpen', badDidOpen, h)),
    onDidChangeTextDocument: (h: NotificationHandler<never>): Disposable =>
      connection.onDidChangeTextDocument(checked('textDocument/didChange', badDidChange, h)),
    onDidCloseTextDocument: (h: NotificationHandler<never>): Disposable =>
      connection.onDidCloseTextDocument(checked('textDocument/didClose', badDocumentNotification, h)),
    onWillSaveTextDocument: (h: NotificationHandler<never>): Disposable =>
      connection.onWillSaveTextDocument(checked('textDocument/willSave', badDocumentNotification, h)),
    onDidSaveTextDocument: (h: NotificationHandler<never>): Disposable =>
      connection.onDidSaveTextDocument(checked('textDocument/didSave', badDocumentNotification, h)),
    onWillSaveTextDocumentWaitUntil: (h: RequestHandler<never, never, void>): Disposable =>
      connection.onWillSaveTextDocumentWaitUntil(
        guardRequest(log, 'textDocument/willSaveWaitUntil', (params: unknown, token) => {
          const why = badDocumentNotification(params);
          if (why) throw new InvalidParams(why);
          return (h as RequestHandler<unknown, unknown, void>)(params, token);
        }) as never,
      ),
  };
}

/** The method a message refused by `messageGate` is renamed to; its handler answers with the error it carries. */
export const REFUSED_REQUEST = 'serverless-lint/$refused';

/**
 * Notifications the protocol library handles itself, and what their params must be for its handlers not to throw
 * (they read `params.id`, `params.value`, `params.token`, `params.event` without a check).
 */
const LIBRARY_NOTIFICATIONS: Record<string, (params: unknown) => boolean> = {
  '$/cancelRequest': (p) => isObject(p),
  '$/setTrace': (p) => isObject(p) && typeof p.value === 'string',
  '$/progress': (p) => isObject(p),
  'window/workDoneProgress/cancel': (p) => isObject(p),
  'workspace/didChangeWorkspaceFolders': (p) => isObject(p) && isObject(p.event),
};

/**
 * Sees every message before the protocol library dispatches it, for what the library handles itself and would
 * trust: a notification it handles with malformed params is dropped with a warning; an `initialize` with malformed
 * params, or a second one, is refused (renamed to REFUSED_REQUEST, whose handler answers the error). A second
 * `initialize` must not reach the library's own handling, which re-arms the parent-process watchdog with the new
 * `processId` (a dead process's pid would end the server three seconds later). Never throws: the library does not
 * catch here.
 */
export function messageGate(initialized: () => boolean, log: GuardLog): MessageStrategy {
  type Message = Parameters<MessageStrategy['handleMessage']>[0];
  const refuse = (message: Message, code: number, text: string): Message =>
    ({ ...message, method: REFUSED_REQUEST, params: { code, message: text } }) as Message;
  return {
    handleMessage(message, next) {
      // What is not a message at all the library reports itself.
      const m: unknown = message;
      if (!isObject(m) || typeof m.method !== 'string') return next(message);
      const { method, params } = m;
      if (!('id' in m)) {
        const check = LIBRARY_NOTIFICATIONS[method];
        if (check && !check(params)) return log.warn(`Ignored ${method}: malformed params.`);
        return next(message);
      }
      if (method === 'initialize') {
        if (initialized()) return next(refuse(message, ErrorCodes.InvalidRequest, 'The server is already initialized; this initialize was ignored.'));
        if (!isObject(params) || !isObject(params.capabilities))
          return next(refuse(message, ErrorCodes.InvalidParams, 'initialize: params.capabilities must be an object'));
      }
      next(message);
    },
  };
}

/** The answer to a request `messageGate` refused (or to a client that names REFUSED_REQUEST itself). */
export function refusedAnswer(params: unknown): ResponseError<void> {
  return isObject(params) && typeof params.code === 'number' && typeof params.message === 'string'
    ? new ResponseError(params.code, params.message)
    : new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${REFUSED_REQUEST}`);
}
