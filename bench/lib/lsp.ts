// Drives the built language server (dist/server.js) over stdio the way an editor does, and times it:
// cold start (spawn → first diagnostics), didChange → diagnostics, hover and code-action round trips,
// the workspace check, and the server's resident memory (read from /proc, so Linux only).
import { spawn, type ChildProcess } from 'node:child_process';
import { SERVER_ENV, SERVER_NODE_ARGS } from '../../shared/src/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { SERVER } from './paths';

export const uriOf = (path: string) => URI.file(path).toString();
const now = () => performance.now();

/** Resident and peak resident memory of a process in MB, from /proc (undefined elsewhere). */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * CPU time of a process from the scheduler's own accounting (/proc/<pid>/task/<tid>/schedstat, nanoseconds; Linux
 * only): time on a CPU for the main thread and for all the others (V8's optimizing compiler and GC helpers), and
 * how long the main thread was ready to run but waited for a CPU, which on a shared machine is other tenants' load.
 */
export interface SchedTimes {
  mainRunMs: number;
  mainWaitMs: number;
  otherRunMs: number;
}

export function schedTimesOf(pid: number): SchedTimes | undefined {
  try {
    const read = (tid: string) => readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
    const [mainRun, mainWait] = read(String(pid));
    let otherRun = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      if (tid === String(pid)) continue;
      try {
        otherRun += read(tid)[0];
      } catch {
        // A thread that ended meanwhile.
      }
    }
    // Only threads alive now are listed: a difference of two readings counts the threads alive at both (V8's worker
    // threads live as long as the process; one that exited in between would take its earlier time out of the sum).
    return { mainRunMs: mainRun / 1e6, mainWaitMs: mainWait / 1e6, otherRunMs: otherRun / 1e6 };
  } catch {
    return undefined;
  }
}

/** Whether dist/server.js launches a real language server bundle rather than a placeholder. */
export function serverReady(): boolean {
  try {
    const text = readFileSync(SERVER.replace(/\.js$/, '.bundle.js'), 'utf8');
    return text.length > 10_000 && /createConnection/.test(text);
  } catch {
    return false;
  }
}

/** Extra Node options for the server, e.g. `BENCH_SERVER_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p'` to profile it. */
const EXTRA_NODE_ARGS = (process.env.BENCH_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean);

export class BenchClient {
  private readonly waiters = new Set<{ uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }>();
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** The server's log messages (window/logMessage), in order. */
  readonly logs: string[] = [];
  private readonly docs = new Map<string, TextDocument>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: ProtocolConnection,
    readonly spawnedAt: number,
  ) {}

  /** Spawns the server, initializes it on `root` with the debounce off, and returns once `initialized` is sent. */
  static async start(root: string, settings: Record<string, unknown> = { debounceMs: 0 }, env: Record<string, string> = {}): Promise<BenchClient> {
    const spawnedAt = now();
    // Started with the environment the VS Code client gives it, so memory is measured as users run it.
    const proc = spawn(process.execPath, [...SERVER_NODE_ARGS, ...EXTRA_NODE_ARGS, SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...SERVER_ENV, ...env },
    });
    proc.stderr!.resume();
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new BenchClient(proc, conn, spawnedAt);
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.latest.set(p.uri, p);
      for (const w of client.waiters) {
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          client.waiters.delete(w);
          w.resolve(p);
        }
      }
    });
    conn.onNotification('window/logMessage', (m: { message: string }) => client.logs.push(m.message));
    conn.onNotification('$/progress', () => undefined);
    conn.onNotification('serverless-lint/contextsChanged', () => undefined);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('window/showDocument', () => ({ success: true }));
    conn.listen();
    // Push diagnostics (no pull capability): the server publishes after each change, which is what we time.
    const capabilities: ClientCapabilities = {
      workspace: { configuration: true, workspaceFolders: true },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
      },
    };
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      capabilities,
      workspaceFolders: [{ uri: uriOf(root), name: 'bench' }],
      initializationOptions: settings,
    });
    await conn.sendNotification('initialized', {});
    return client;
  }

  /** The next diagnostics published for `uri` (at `version`, when given). */
  diagnostics(uri: string, version?: number, timeoutMs = 60_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`no diagnostics for ${uri}@${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      const w = { uri, version, resolve: (p: PublishDiagnosticsParams) => (clearTimeout(timer), resolve(p)) };
      this.waiters.add(w);
    });
  }

  async open(path: string, text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = uriOf(path);
    this.docs.set(uri, TextDocument.create(uri, 'typescript', 1, text));
    const published = this.diagnostics(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    return { uri, diagnostics: (await published).diagnostics };
  }

  doc(uri: string): TextDocument {
    return this.docs.get(uri)!;
  }

  /** One incremental edit (insert `text` at `offset`, replacing `length` characters); resolves with the round-trip time in ms. */
  async edit(uri: string, offset: number, length: number, text: string): Promise<number> {
    const doc = this.doc(uri);
    const range = { start: doc.positionAt(offset), end: doc.positionAt(offset + length) };
    const version = doc.version + 1;
    TextDocument.update(doc, [{ range, text }], version);
    const started = now();
    const published = this.diagnostics(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
    await published;
    return now() - started;
  }

  async hover(uri: string, offset: number): Promise<number> {
    const started = now();
    await this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: this.doc(uri).positionAt(offset) });
    return now() - started;
  }

  async codeAction(uri: string, diagnostic: Diagnostic): Promise<{ ms: number; actions: number }> {
    const started = now();
    const actions = (await this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    })) as unknown[] | null;
    return { ms: now() - started, actions: actions?.length ?? 0 };
  }

  async command<T>(command: string, args: unknown[] = []): Promise<T> {
    return (await this.conn.sendRequest('workspace/executeCommand', { command, arguments: args })) as T;
  }

  memory(): { rss: number; peak: number } | undefined {
    return this.proc.pid ? memoryOf(this.proc.pid) : undefined;
  }

  sched(): SchedTimes | undefined {
    return this.proc.pid ? schedTimesOf(this.proc.pid) : undefined;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // A server that cannot shut down politely is killed below.
    }
    // Up to 3 s to exit on its own (a profiled server writes its profile on exit), then it is killed.
    if (this.proc.exitCode === null) await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
