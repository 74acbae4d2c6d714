// The server's commands (`workspace/executeCommand`): Check Workspace Architecture (with progress and cancel),
// Show Runtime Constraints, Fix All, Show Documentation. The client opens whatever Markdown they return.
import { ResponseError, type CancellationToken, type Connection, type Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckWorkspaceArgs, CheckWorkspaceResult, RuntimeConstraintsResult } from '../../../shared/src/protocol';
import type { ConfigProblem } from '../../../shared/src/types';
import { explainContext } from '../analysis/context';
import type { LintService } from '../analysis/service';
import { docsUrl } from '../cli/format';
import { checkWorkspace, renderReportMarkdown } from '../report';
import { RULE_IDS } from '../rules';
import { runtimeCard } from './cards';
import { configProblemDiagnostic, toDiagnostic, type TextOf } from './diagnostics';
import { pathToUri, uriToPath } from './workspace';

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
}

function firstString(args: unknown[] | undefined): string | undefined {
  const a = args?.[0];
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && typeof (a as { uri?: unknown }).uri === 'string') return (a as { uri: string }).uri;
  return undefined;
}

export async function runCheckWorkspace(host: CommandHost, args: unknown[] | undefined, token: CancellationToken): Promise<CheckWorkspaceResult> {
  const given = (args?.[0] as CheckWorkspaceArgs | undefined)?.folders;
  const roots = (given?.map(uriToPath).filter((p): p is string => !!p)) ?? [...host.workspaceFolders()];
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
      const report = await checkWorkspace(service, [root], {
        cancelled,
        readText: host.textOf,
        progress: (done, total, file) => {
          // A report per file floods the channel on big workspaces; a few per second is enough to look alive.
          const now = Date.now();
          if (done !== total && now - lastReport < 100) return;
          lastReport = now;
          progress.report(total ? Math.round((done / total) * 100) : 0, file ? `${done}/${total} ${file.slice(root.length + 1)}` : `${done}/${total} files`);
        },
      });
      wasCancelled ||= report.cancelled;
      files += report.filesAnalyzed;
      for (const result of report.results) {
        const uri = pathToUri(result.fileName);
        problems += result.findings.length;
        if (host.openDocument(uri)) continue;
        const text = host.textOf(result.fileName);
        if (text === undefined) continue;
        const doc = TextDocument.create(uri, 'typescript', 0, text);
        host.publishClosed(uri, result.findings.map((f) => toDiagnostic(f, doc, result.fileName, host.textOf)));
      }
      const byFile = new Map<string, ConfigProblem[]>();
      for (const p of report.configProblems) byFile.set(p.fileName, [...(byFile.get(p.fileName) ?? []), p]);
      for (const [file, list] of byFile) {
        problems += list.length;
        const uri = pathToUri(file);
        if (!host.openDocument(uri)) host.publishClosed(uri, list.map((p) => configProblemDiagnostic(p)));
      }
      markdown.push(renderReportMarkdown(report));
      if (wasCancelled) break;
    }
  } finally {
    progress.done();
  }
  return { markdown: markdown.join('\n\n---\n\n'), filesAnalyzed: files, problems, cancelled: wasCancelled };
}

/** The runtime constraints of one file as a document: the explained context, then the hover card. */
export async function runShowRuntimeConstraints(host: CommandHost, args: unknown[] | undefined): Promise<RuntimeConstraintsResult> {
  const uri = firstString(args);
  const path = uri && uriToPath(uri);
  if (!uri || !path) throw new ResponseError(-32602, 'Show Runtime Constraints needs a file (open one in the editor).');
  const text = host.openDocument(uri)?.getText() ?? host.textOf(path);
  if (text === undefined) throw new ResponseError(-32602, `Cannot read ${path}.`);
  const service = await host.serviceFor(path);
  const { context } = service.lint(path, text);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const markdown = [
    `# Runtime constraints: ${name}`,
    '',
    runtimeCard(context),
    '',
    '## How this was decided',
    '',
    '```text',
    explainContext(context),
    '```',
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
