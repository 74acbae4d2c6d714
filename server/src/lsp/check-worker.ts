// Runs the language server's workspace check in a worker process, so that the parsed files, type checkers and
// graph of a whole workspace live (and die) in the worker's own memory: the server keeps only the results it
// publishes, its memory after a check is what it was before (the bench's editor section measures it), and edits stay answered meanwhile.
import { fork } from 'node:child_process';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings } from '../../../shared/src/settings';
import type { ConfigProblem, Platform, Runtime } from '../../../shared/src/types';
import { SERVER_ENV } from '../../../shared/src/protocol';
import type { Host } from '../analysis/host';
import { LintService } from '../analysis/service';
import { NodeHost } from '../host/node-host';
import { Boundary } from '../host/guarded-read';
import { checkWorkspace, renderReportMarkdown } from '../report';
import { RULES } from '../rules';
import { configProblemDiagnostic, toDiagnostic } from './diagnostics';
import { pathToUri } from './workspace';

/** What the server hands the worker: one root, the service's settings, and the open buffers' unsaved text. */
export interface CheckJob {
  root: string;
  workspaceRoot?: string;
  overrides: Partial<Settings>;
  /** Open documents (path → text): their buffers win over the disk, as in the editor. */
  openTexts: Array<[string, string]>;
}

/** What comes back: everything the command publishes and returns, already in LSP form. */
export interface CheckOutcome {
  markdown: string;
  filesAnalyzed: number;
  problems: number;
  cancelled: boolean;
  /** Diagnostics per file URI (source files and config files), for files that were not open. */
  published: Array<[uri: string, diagnostics: Diagnostic[]]>;
  /** The function entries found, so the server's own module graph can give their modules a function role. */
  entries: Array<{ fileName: string; runtime: Runtime; platform: Platform }>;
}

type FromWorker =
  | { type: 'progress'; done: number; total: number; file?: string }
  | { type: 'done'; outcome: CheckOutcome }
  | { type: 'failed'; error: string };

/**
 * Heap flags of the worker process. The check's live set is tens of MB on thousands of files; a cap makes V8
 * collect before the heap balloons with garbage (RSS several times the live set without it). A workspace that
 * needs more ends the worker with an out-of-memory error, which the caller turns into an in-process check.
 */
export const WORKER_NODE_ARGS = ['--max-old-space-size=384', '--max-semi-space-size=8'];

/** The command-line flag that makes the server bundle start as a workspace-check worker. */
const WORKER_FLAG = '--serverless-lint-check-worker';

/** The check of one root, run in the worker (or in-process when a worker cannot be used). */
export async function runCheck(job: CheckJob, cancelled: () => boolean, progress: (done: number, total: number, file?: string) => void): Promise<CheckOutcome> {
  // The disk, with the editor's unsaved buffers over it: what the service reads is what it is given to lint.
  const disk = new NodeHost(new Boundary([job.workspaceRoot ?? job.root]));
  const open = new Map(job.openTexts);
  const host: Host = {
    readFile: (path) => open.get(path) ?? disk.readFile(path),
    read: (path, maxBytes, listed) => {
      const text = open.get(path);
      return text !== undefined ? { text } : disk.read(path, maxBytes, listed);
    },
    allows: (path) => disk.allows(path),
    fileExists: (path) => open.has(path) || disk.fileExists(path),
    directoryExists: (path) => disk.directoryExists(path),
    readDirectory: (path) => disk.readDirectory(path),
  };
  const service = new LintService(host, { rules: RULES, workspaceRoot: job.workspaceRoot, overrides: job.overrides, textsFromHost: true });
  const textOf = (path: string) => host.readFile(path);
  const report = await checkWorkspace(service, [job.root], { cancelled, readText: textOf, progress });
  const published: CheckOutcome['published'] = [];
  let problems = 0;
  for (const result of report.results) {
    problems += result.findings.length;
    if (open.has(result.fileName)) continue;
    const text = textOf(result.fileName);
    if (text === undefined) continue;
    const uri = pathToUri(result.fileName);
    const doc = TextDocument.create(uri, 'typescript', 0, text);
    published.push([uri, result.findings.map((f) => toDiagnostic(f, doc, result.fileName, textOf))]);
  }
  const byFile = new Map<string, ConfigProblem[]>();
  for (const p of report.configProblems) byFile.set(p.fileName, [...(byFile.get(p.fileName) ?? []), p]);
  for (const [file, list] of byFile) {
    problems += list.length;
    if (!open.has(file)) published.push([pathToUri(file), list.map((p) => configProblemDiagnostic(p))]);
  }
  const entries = report.functions.map((f) => ({ fileName: f.fileName, runtime: f.runtime, platform: f.platform }));
  return { markdown: renderReportMarkdown(report), filesAnalyzed: report.filesAnalyzed, problems, cancelled: report.cancelled, published, entries };
}

/**
 * Runs `job` in a child process started from `script` (the bundled server, which dispatches on its flag).
 * A child process rather than a worker thread: when a worker thread ends, the memory its malloc arenas grew to
 * (V8 parser and compiler zones for the 10 MB bundle) stays in the server's RSS (about 150 MB measured on the
 * benchmark corpus); a process gives everything back, and takes its own heap flags.
 * Resolves with the outcome; rejects when the worker fails (out of memory included), so the caller can fall back.
 */
export function checkInWorker(
  script: string,
  job: CheckJob,
  cancelled: () => boolean,
  progress: (done: number, total: number, file?: string) => void,
): Promise<CheckOutcome> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [WORKER_FLAG], {
      execArgv: [...loaderArgs(process.execArgv), ...WORKER_NODE_ARGS],
      // The server's stdout may be the LSP channel: the worker never writes to it. Its stderr is the server's log.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, ...SERVER_ENV },
    });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      f();
    };
    // Cancellation is a flag the check polls between batches; the worker learns it from our message.
    let cancelSent = false;
    const poll = setInterval(() => {
      if (!cancelSent && cancelled() && child.connected) {
        cancelSent = true;
        child.send({ type: 'cancel' });
      }
    }, 50);
    child.on('message', (m: FromWorker) => {
      if (m.type === 'progress') progress(m.done, m.total, m.file);
      else if (m.type === 'done') finish(() => resolve(m.outcome));
      else finish(() => reject(new Error(m.error)));
    });
    child.on('error', (e) => finish(() => reject(e)));
    child.on('exit', (code, signal) => finish(() => reject(new Error(`the workspace check worker exited (${signal ?? `code ${code}`}) without a result`))));
    child.send({ type: 'job', job });
  });
}

/** The `--import`/`--require` options of an execArgv, which a worker accepts and needs to load the same code. */
function loaderArgs(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if (/^(--import|--require|-r)=/.test(a)) out.push(a);
    else if ((a === '--import' || a === '--require' || a === '-r') && i + 1 < execArgv.length) out.push(a, execArgv[++i]);
  }
  return out;
}

/** Worker side: waits for the job, runs it, posts progress and the outcome, and exits. */
function workerMain(): void {
  let cancelled = false;
  let started = false;
  const send = (m: FromWorker) => new Promise<void>((resolve) => process.send!(m, undefined, undefined, () => resolve()));
  process.on('message', (m: { type?: string; job?: CheckJob }) => {
    if (m?.type === 'cancel') cancelled = true;
    if (m?.type !== 'job' || !m.job || started) return;
    started = true;
    let last = 0;
    runCheck(
      m.job,
      () => cancelled,
      (done, total, file) => {
        // The server throttles what it shows; a message per file would only cost copying.
        const now = Date.now();
        if (done !== total && now - last < 100) return;
        last = now;
        void send({ type: 'progress', done, total, file });
      },
    )
      .then(
        (outcome) => send({ type: 'done', outcome }),
        (e: Error) => send({ type: 'failed', error: e.stack ?? String(e) }),
      )
      .finally(() => process.exit(0));
  });
  // A server that goes away takes its worker with it.
  process.on('disconnect', () => process.exit(0));
}

/** Whether this process was started as a workspace-check worker (the server entry then starts no LSP connection). */
export function isCheckWorker(): boolean {
  return process.argv.includes(WORKER_FLAG) && typeof process.send === 'function';
}

/** Starts the worker side; call only when `isCheckWorker()`. */
export function startCheckWorker(): void {
  workerMain();
}
