// A small LSP client for the protocol tests: starts the BUILT server (dist/server.js) as a child process over
// stdio and speaks the real protocol library to it. Every wait is event-driven with a generous timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  createProtocolConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

export const SERVER = resolve(__dirname, '../../dist/server.js');
export const TIMEOUT = 30_000;

/** A temporary project folder with the given files (paths relative to it). */
export function makeProject(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sl-lsp-'));
  for (const [rel, text] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

export const uriOf = (path: string) => URI.file(path).toString();

/**
 * A server (pull diagnostics) started on a temporary project of `files`; the test stops it and removes the
 * project when it ends, passed or failed.
 */
export async function startOnProject(t: TestContext, files: Record<string, string>): Promise<TestClient> {
  const root = makeProject(files);
  let client: TestClient | undefined;
  t.after(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });
  client = await TestClient.start({ root, pull: true });
  return client;
}

export interface StartOptions {
  root: string;
  pull: boolean;
  /** What the client answers to `workspace/configuration` (the `serverlessLint` section). */
  settings?: Record<string, unknown>;
  workDoneProgress?: boolean;
  /** Changes the initialize params before they are sent (capabilities a client lacks, odd workspace folders). */
  initialize?: (params: InitializeParams) => void;
  /** Node options before the server script (a `--require` probe, `--expose-gc`). */
  nodeArgs?: string[];
  /** Answers the server's capability registrations and refreshes with an error, as a client that refuses them. */
  refuseRequests?: boolean;
}

export class TestClient extends EventEmitter {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly progress: Array<{ token: string | number; value: { kind: string; message?: string; percentage?: number } }> = [];
  readonly applied: WorkspaceEdit[] = [];
  /** The server's window/logMessage notifications, in order. */
  readonly logs: Array<{ type: number; message: string }> = [];
  refreshes = 0;
  settings: Record<string, unknown>;
  private readonly docs = new Map<string, TextDocument>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    private readonly reader: StreamMessageReader,
    readonly root: string,
    settings: Record<string, unknown>,
  ) {
    super();
    this.settings = settings;
  }

  /** The diagnostics of one document by the pull model (`textDocument/diagnostic`); a client started with `pull`. */
  async pullDiagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    return report.kind === 'full' ? report.items : [];
  }

  static async start(options: StartOptions): Promise<TestClient> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` before the protocol tests`);
    const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const reader = new StreamMessageReader(proc.stdout!);
    const conn = createProtocolConnection(reader, new StreamMessageWriter(proc.stdin!));
    const client = new TestClient(proc, conn, reader, options.root, options.settings ?? {});
    proc.stderr!.on('data', (d) => client.emit('stderr', String(d)));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push(p);
      client.emit('diagnostics', p);
    });
    conn.onNotification('$/progress', (p) => {
      client.progress.push(p);
      client.emit('progress', p);
    });
    conn.onNotification('window/logMessage', (p: { type: number; message: string }) => {
      client.logs.push(p);
      client.emit('log', p);
    });
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => client.settings));
    const refused = () => new ResponseError(-32603, 'this client refuses');
    conn.onRequest('client/registerCapability', () => (options.refuseRequests ? refused() : null));
    conn.onRequest('window/workDoneProgress/create', () => (options.refuseRequests ? refused() : null));
    conn.onRequest('window/showDocument', (p) => {
      client.emit('showDocument', p);
      return { success: true };
    });
    conn.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshes++;
      client.emit('refresh');
      return options.refuseRequests ? refused() : null;
    });
    conn.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      client.applied.push(p.edit);
      client.applyWorkspaceEdit(p.edit);
      client.emit('applyEdit', p.edit);
      return { applied: true };
    });
    conn.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
        ...(options.pull ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      window: { workDoneProgress: options.workDoneProgress ?? false, showDocument: { support: true } },
    };
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: uriOf(options.root),
      capabilities,
      workspaceFolders: [{ uri: uriOf(options.root), name: 'project' }],
    };
    options.initialize?.(params);
    await conn.sendRequest('initialize', params);
    await conn.sendNotification('initialized', {});
    return client;
  }

  /**
   * Sends a notification without waiting for it to be written. A write that fails because the server is gone (a
   * test kills it on purpose) is recorded as a 'write-error' event instead of an unhandled rejection.
   */
  notify(method: string, params: unknown): void {
    this.conn.sendNotification(method, params).catch((e: unknown) => this.emit('write-error', e));
  }

  open(rel: string, text: string, languageId = 'typescript'): string {
    const uri = uriOf(join(this.root, rel));
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Replaces the whole text through an incremental (ranged) change, as editors send them. */
  change(uri: string, text: string): number {
    const doc = this.doc(uri);
    const range = { start: doc.positionAt(0), end: doc.positionAt(doc.getText().length) };
    const version = doc.version + 1;
    TextDocument.update(doc, [{ range, text }], version);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    return version;
  }

  doc(uri: string): TextDocument {
    const d = this.docs.get(uri);
    if (!d) throw new Error(`not open: ${uri}`);
    return d;
  }

  /** Applies edits locally and tells the server, like an editor would. */
  applyEdits(uri: string, edits: TextEdit[]): string {
    const doc = this.doc(uri);
    const text = TextDocument.applyEdits(doc, edits);
    this.change(uri, text);
    return text;
  }

  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    for (const change of edit.documentChanges ?? []) {
      if ('textDocument' in change) this.applyEdits(change.textDocument.uri, change.edits as TextEdit[]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) this.applyEdits(uri, edits);
  }

  /** Resolves with the first event (already seen or future) that satisfies the predicate. */
  waitFor<T>(event: string, predicate: (value: T) => boolean, seen: T[] = [], timeout = TIMEOUT): Promise<T> {
    const hit = seen.find(predicate);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.off(event, listener);
        reject(new Error(`timed out after ${timeout} ms waiting for ${event}`));
      }, timeout);
      const listener = (value: T) => {
        if (!predicate(value)) return;
        clearTimeout(timer);
        this.off(event, listener);
        resolvePromise(value);
      };
      this.on(event, listener);
    });
  }

  waitForExit(timeout = TIMEOUT): Promise<number | null> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve(this.proc.exitCode);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not exit')), timeout);
      this.proc.once('exit', (code) => {
        clearTimeout(timer);
        resolvePromise(code);
      });
    });
  }

  /** Shuts the server down politely (kills it if it does not go), and lets go of the connection either way. */
  async stop(): Promise<void> {
    try {
      if (this.proc.exitCode === null && this.proc.signalCode === null) {
        await this.conn.sendRequest('shutdown');
        await this.conn.sendNotification('exit');
        await this.waitForExit(10_000);
      }
    } catch {
      this.proc.kill('SIGKILL');
    } finally {
      // A server killed in the middle of a message leaves the reader with part of it, and vscode-jsonrpc's reader
      // then re-arms a 10 s partial-message timer for ever (its dispose does not clear it): that timer kept a test
      // file's process alive after its last test, and the whole run waited on it.
      this.reader.partialMessageTimeout = 0;
      (this.reader as unknown as { clearPartialMessageTimer?(): void }).clearPartialMessageTimer?.();
      this.conn.dispose();
    }
  }
}
