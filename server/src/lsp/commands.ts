// The server's commands (`workspace/executeCommand`): Check Workspace Architecture (with progress and cancel),
// Show Runtime Constraints, Fix All, Show Documentation. The client opens whatever Markdown they return.
import { ErrorCodes, ResponseError, type CancellationToken, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckWorkspaceArgs, CheckWorkspaceResult, RuntimeConstraintsResult } from '../../../shared/src/protocol';
import { explainContext } from '../analysis/context';
import type { LintService } from '../analysis/service';
import { docsUrl } from '../../../shared/src/docs-urls';
import { RULE_IDS } from '../rules';
import { runtimeCard } from './cards';
import { checkInWorker, runCheck, type CheckJob, type CheckOutcome } from './check-worker';
import type { TextOf } from './diagnostics';
import { pathToUri, SOURCE_FILE, uriToPath } from './workspace';
import { escapeMarkdown } from '../report';
import { ServerCommands } from '../../../shared/src/protocol';
import { fixAllEdit } from './code-actions';
import type { ServerContext } from './context';
import { guardRequest, InvalidParams, isObject } from './guard';

/** What the commands need from the running server. */
export interface CommandHost {
  connection: Connection;
  /** The service for a path (file or folder), with that resource's editor settings. */
  serviceFor(path: string): Promise<LintService>;
  /** Open documents by URI, with their current text. */
  openDocument(uri: string): TextDocument | undefined;
  workspaceFolders(): readonly string[];
  textOf: TextOf;
  /** Publishes diagnostics for a file that is not open (open files keep their own, fresher ones). */
  publishClosed(uri: string, diagnostics: Diagnostic[]): void;
  fixAllEdit(doc: TextDocument): Promise<import('vscode-languageserver').TextEdit | undefined>;
  /** Open documents as (path, text): their unsaved text is what a workspace check analyzes. */
  openTexts(): Array<[string, string]>;
  /** The script a workspace-check worker process starts from (the bundled server); undefined checks in-process. */
  workerScript?: string;
}

function firstString(args: unknown[] | undefined): string | undefined {
  const a = args?.[0];
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && typeof (a as { uri?: unknown }).uri === 'string') return (a as { uri: string }).uri;
  return undefined;
}

export async function runCheckWorkspace(host: CommandHost, args: unknown[] | undefined, token: CancellationToken): Promise<CheckWorkspaceResult> {
  // The client's arguments are checked, not trusted: folders must be a list of file URIs.
  const given = (args?.[0] as CheckWorkspaceArgs | undefined)?.folders as unknown;
  if (given !== undefined && !Array.isArray(given)) throw new ResponseError(-32602, 'Check Workspace Architecture: folders must be a list of URIs.');
  const roots = given?.map(uriToPath).filter((p): p is string => !!p) ?? [...host.workspaceFolders()];
  if (roots.length === 0) throw new ResponseError(-32602, 'Check Workspace Architecture needs an open folder.');
  const progress = await host.connection.window.createWorkDoneProgress();
  progress.begin('Serverless Lint: checking workspace', 0, 'Collecting files…', true);
  const cancelled = () => token.isCancellationRequested || progress.token.isCancellationRequested;
  const markdown: string[] = [];
  let files = 0;
  let problems = 0;
  let wasCancelled = false;
  try {
    for (const root of roots) {
      const service = await host.serviceFor(root);
      let lastReport = 0;
      const report = (done: number, total: number, file?: string) => {
        // A report per file floods the channel on big workspaces; a few per second is enough to look alive.
        const now = Date.now();
        if (done !== total && now - lastReport < 100) return;
        lastReport = now;
        progress.report(total ? Math.round((done / total) * 100) : 0, file ? `${done}/${total} ${file.slice(root.length + 1)}` : `${done}/${total} files`);
      };
      const job: CheckJob = { root, workspaceRoot: service.workspaceRoot, overrides: service.settingsOverrides, openTexts: host.openTexts() };
      const outcome = await checkOffThread(host, job, cancelled, report);
      wasCancelled ||= outcome.cancelled;
      files += outcome.filesAnalyzed;
      problems += outcome.problems;
      // Files opened meanwhile keep their own, fresher diagnostics.
      for (const [uri, diagnostics] of outcome.published) if (!host.openDocument(uri)) host.publishClosed(uri, diagnostics);
      // The entries the check found give their modules a function role in the editor too, as an in-process check did.
      for (const e of outcome.entries) service.graph.markEntry(e.fileName, { runtime: e.runtime, platform: e.platform });
      markdown.push(outcome.markdown);
      if (wasCancelled) break;
    }
  } finally {
    progress.done();
  }
  return { markdown: markdown.join('\n\n---\n\n'), filesAnalyzed: files, problems, cancelled: wasCancelled };
}

/** The check in a worker process when the host can start one; in this process when it cannot or the worker fails. */
async function checkOffThread(
  host: CommandHost,
  job: CheckJob,
  cancelled: () => boolean,
  progress: (done: number, total: number, file?: string) => void,
): Promise<CheckOutcome> {
  if (host.workerScript) {
    try {
      return await checkInWorker(host.workerScript, job, cancelled, progress);
    } catch (e) {
      host.connection.console.warn(`The workspace check worker failed (${(e as Error).message.split('\n')[0]}); checking in the server process instead.`);
    }
  }
  return runCheck(job, cancelled, progress);
}

/** The runtime constraints of one file as a document: the explained context, then the hover card. */
export async function runShowRuntimeConstraints(host: CommandHost, args: unknown[] | undefined): Promise<RuntimeConstraintsResult> {
  const uri = firstString(args);
  const path = uri && uriToPath(uri);
  if (!uri || !path) throw new ResponseError(-32602, 'Show Runtime Constraints needs a file (open one in the editor).');
  // A file that is not open is read from disk: only a source file, never whatever path a client names (/dev/zero).
  const open = host.openDocument(uri);
  if (!open && !SOURCE_FILE.test(path))
    throw new ResponseError(-32602, `Show Runtime Constraints needs a JavaScript or TypeScript file, not ${path.slice(-200)}.`);
  const text = open?.getText() ?? host.textOf(path);
  if (text === undefined) throw new ResponseError(-32602, `Cannot read ${path}.`);
  const service = await host.serviceFor(path);
  const { context } = service.lint(path, text);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const explanation = explainContext(context);
  // A fence longer than any backtick run in the explanation, so a file path with backticks cannot close it early.
  const fence = '`'.repeat(Math.max(3, ...(explanation.match(/`+/g) ?? []).map((r) => r.length + 1)));
  const markdown = [
    // File names are workspace-derived: escaped, so `<img onerror>.ts` is text in the preview.
    `# Runtime constraints: ${escapeMarkdown(name)}`,
    '',
    runtimeCard(context),
    '',
    '## How this was decided',
    '',
    `${fence}text`,
    explanation,
    fence,
  ].join('\n');
  return { uri, title: `Runtime constraints: ${name}`, markdown };
}

/** Applies every safe fix of a document through `workspace/applyEdit`; returns how many edits were sent (0 or 1). */
export async function runFixAll(host: CommandHost, args: unknown[] | undefined): Promise<{ applied: boolean }> {
  const uri = firstString(args);
  const doc = uri ? host.openDocument(uri) : undefined;
  if (!doc) return { applied: false };
  const edit = await host.fixAllEdit(doc);
  if (!edit) return { applied: false };
  const response = await host.connection.workspace.applyEdit({
    label: 'Fix all safe Serverless Lint problems',
    edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [edit] }] },
  });
  return { applied: response.applied };
}

export async function runShowDocumentation(host: CommandHost, args: unknown[] | undefined): Promise<{ url: string } | null> {
  const ruleId = firstString(args);
  if (!ruleId || !RULE_IDS.has(ruleId)) return null;
  const url = docsUrl(ruleId);
  // Clients without window/showDocument get the URL back and can open it themselves.
  await host.connection.window.showDocument({ uri: url, external: true }).catch(() => undefined);
  return { url };
}

export interface CommandOptions {
  /** Publishes the workspace check's diagnostics of a file that is not open (the diagnostics feature). */
  publishClosed(uri: string, diagnostics: Diagnostic[]): void;
  /** The script a workspace-check worker process starts from (the bundled server); undefined checks in-process. */
  workerScript?: string;
}

/** Answers `workspace/executeCommand` for the server's commands. */
export function registerCommands(ctx: ServerContext, { publishClosed, workerScript }: CommandOptions): void {
  const { connection, documents, log, registry } = ctx;
  const host: CommandHost = {
    connection,
    serviceFor: async (path) => (await ctx.serviceForUri(pathToUri(path), path)).service,
    openDocument: (uri) => documents.get(uri),
    workspaceFolders: () => registry.workspaceFolders,
    textOf: ctx.textOf,
    publishClosed,
    openTexts: () =>
      documents.all().flatMap((d) => {
        const path = uriToPath(d.uri);
        return path ? [[path, d.getText()] as [string, string]] : [];
      }),
    workerScript,
    fixAllEdit: async (doc) => {
      const path = uriToPath(doc.uri);
      if (!path || !SOURCE_FILE.test(path)) return undefined;
      return fixAllEdit(doc, path, (await ctx.serviceForUri(doc.uri, path)).service);
    },
  };

  connection.onExecuteCommand(
    guardRequest(log, 'workspace/executeCommand', async (params: unknown, token) => {
      ctx.requireInitialized();
      if (!isObject(params) || typeof params.command !== 'string') throw new InvalidParams('command must be a string');
      if (params.arguments !== undefined && !Array.isArray(params.arguments)) throw new InvalidParams('arguments must be a list');
      const args = params.arguments as unknown[] | undefined;
      switch (params.command) {
        case ServerCommands.checkWorkspace:
          return runCheckWorkspace(host, args, token);
        case ServerCommands.showRuntimeConstraints:
          return runShowRuntimeConstraints(host, args);
        case ServerCommands.fixAll:
          return runFixAll(host, args);
        case ServerCommands.showDocumentation:
          return runShowDocumentation(host, args);
        default:
          throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command ${params.command.slice(0, 100)}`);
      }
    }),
  );
}
