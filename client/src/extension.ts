// The VS Code client: starts the bundled language server over IPC, opens what the server's commands return, shows the
// active file's context in the status bar, and implements the few commands that only the editor can do (pickers,
// restart, output). Every feature lives in the server; this file never imports `typescript`.
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DocumentDiagnosticRequest,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  ClientCommands,
  ContextsChangedNotification,
  FileContextRequest,
  SETTINGS_SECTION,
  ServerCommands,
  type CheckWorkspaceResult,
  type RuntimeConstraintsResult,
  SERVER_ENV,
  SERVER_NODE_ARGS,
} from '../../shared/src/protocol';
import { plansOf } from '../../shared/src/limits';
import { CODE_CACHE_ENV } from '../../shared/src/env';
import { PLATFORMS } from '../../shared/src/types';
import { EMBEDDED_LANGUAGES } from '../../shared/src/conventions.generated';
import { CrashPolicy } from './crash-policy';
import { platformLabel, statusText, statusTooltip } from './status';
import { bundledRulePage } from './docs';

const LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python', ...EMBEDDED_LANGUAGES.map((l) => l.languageId)];
/**
 * Files whose code is embedded (`.astro`), by name as well: without the framework's own extension VS Code gives them no
 * language id of theirs, and the server still checks their code.
 */
const EMBEDDED_PATTERNS = EMBEDDED_LANGUAGES.map((l) => `**/*${l.extension}`);
const REPORT_SCHEME = 'serverless-lint-report';
/** Our config and the platform configs the server checks; the server itself registers file watchers for them. */
const CONFIG_PATTERNS = [
  '**/serverless-lint.json',
  '**/vercel.json',
  '**/netlify.toml',
  '**/wrangler.{toml,json,jsonc}',
  '**/serverless.{yml,yaml}',
  '**/template.{yaml,yml}',
];

let client: LanguageClient | undefined;

/** Read-only virtual documents for the Markdown the server returns (reports, runtime constraints), shown in the preview. */
class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  async show(name: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${name.replace(/[^\w.-]+/g, '-')}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }
}

function isLintable(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && doc.uri.scheme === 'file' && (LANGUAGES.includes(doc.languageId) || EMBEDDED_LANGUAGES.some((l) => doc.uri.path.endsWith(l.extension)));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Serverless Lint');
  const reports = new ReportDocuments();
  const crashes = new CrashPolicy();
  // The workbench prefixes the extension id (`serverless-lint.serverless-lint`), so the item's DOM id is
  // `serverless-lint.serverless-lint.context`, which is what the end-to-end tests look for.
  const status = vscode.window.createStatusBarItem('context', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Serverless Lint: file context';
  status.command = ServerCommands.showRuntimeConstraints;
  context.subscriptions.push(output, status, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));

  const module = context.asAbsolutePath('dist/server.js');
  // The server starts through a V8 code cache kept in the extension's storage (server/src/boot/code-cache.ts).
  const env = { ...process.env, ...SERVER_ENV, [CODE_CACHE_ENV]: process.env[CODE_CACHE_ENV] ?? join(context.globalStorageUri.fsPath, 'code-cache') };
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_ARGS] } },
    debug: { module, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_ARGS, '--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: 'file', language })),
      ...EMBEDDED_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
      // Platform configs too, so the server can hover their timeout settings and show their problems while they are edited.
      ...CONFIG_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    diagnosticCollectionName: 'serverless-lint',
    outputChannel: output,
    errorHandler: {
      // Write errors (EPIPE) follow every server crash, one per message in flight; shutting down on them would stop the
      // client before `closed` runs, so a crashed server was never restarted. The crash policy in `closed` decides alone.
      error: (error) => {
        output.appendLine(`Connection error: ${error.message}`);
        return { action: ErrorAction.Continue, handled: true };
      },
      closed: () => {
        const decision = crashes.onCrash();
        return decision.restart ? { action: CloseAction.Restart } : { action: CloseAction.DoNotRestart, message: decision.message };
      },
    },
    middleware: {
      // vscode-languageclient 9.0.1 disposes the did-open event when the client restarts (Restart Server, or a crash) and
      // never recreates it, so its pull-diagnostics feature stops pulling for documents opened afterwards: they got no
      // squiggles until edited. After a restart, ask it to pull the open documents whenever one opens.
      didOpen: async (document, next) => {
        await next(document);
        if (restarted) lc.getFeature(DocumentDiagnosticRequest.method)?.getProvider(document)?.onDidChangeDiagnosticsEmitter.fire();
      },
      // The server's commands are registered by the client library; here they get the active file and their result is shown.
      executeCommand: async (command, args, next) => {
        if ((command === ServerCommands.showRuntimeConstraints || command === ServerCommands.fixAll) && args.length === 0) {
          const doc = vscode.window.activeTextEditor?.document;
          if (!isLintable(doc)) {
            void vscode.window.showInformationMessage('Serverless Lint: open a JavaScript, TypeScript, Python or Astro file first.');
            return undefined;
          }
          args = [doc.uri.toString()];
        }
        // The rule's page packaged with the extension opens in the Markdown preview, offline; for an id without a
        // page the server answers (it opens the web page).
        if (command === ServerCommands.showDocumentation) {
          const page = bundledRulePage(context.extensionPath, args[0]);
          if (page) {
            await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(page));
            return { url: vscode.Uri.file(page).toString() };
          }
        }
        const result = await next(command, args);
        if (command === ServerCommands.checkWorkspace && result) {
          const r = result as CheckWorkspaceResult;
          await reports.show('Workspace architecture', r.markdown);
          if (r.cancelled)
            void vscode.window.showWarningMessage(`Serverless Lint: the check was cancelled after ${r.filesAnalyzed} files; the report is partial.`);
        } else if (command === ServerCommands.showRuntimeConstraints && result) {
          const r = result as RuntimeConstraintsResult;
          await reports.show(r.title, r.markdown);
        } else if (command === ServerCommands.fixAll && result && !(result as { applied: boolean }).applied) {
          void vscode.window.showInformationMessage('Serverless Lint: no safe fixes to apply in this file.');
        }
        return result;
      },
    },
  };
  const lc = new LanguageClient(SETTINGS_SECTION, 'Serverless Lint', serverOptions, clientOptions);
  client = lc;
  /** Whether the server has been started more than once (see the didOpen middleware). */
  let restarted = false;
  let started = false;

  let statusRequest = 0;
  const updateStatus = async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isLintable(doc)) {
      status.hide();
      return;
    }
    if (lc.state !== State.Running) return;
    const ticket = ++statusRequest;
    try {
      const summary = await lc.sendRequest(FileContextRequest.type, { uri: doc.uri.toString() });
      if (ticket !== statusRequest) return;
      if (!summary) {
        status.hide();
        return;
      }
      status.text = statusText(summary);
      status.tooltip = statusTooltip(summary);
      status.show();
    } catch (e) {
      output.appendLine(`Status bar: ${(e as Error).message}`);
    }
  };
  let statusTimer: NodeJS.Timeout | undefined;
  const updateStatusSoon = () => {
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => void updateStatus(), 250);
  };

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => void updateStatus()),
    // Diagnostics change after every analysis: a cheap signal that the active file's context may have changed too.
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) updateStatusSoon();
    }),
    lc.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        restarted = started;
        started = true;
      }
      if (e.newState === State.Running) void updateStatus();
      else status.hide();
    }),
    vscode.commands.registerCommand(ClientCommands.restartServer, async () => {
      crashes.reset();
      output.appendLine('Restarting the Serverless Lint server…');
      if (lc.state === State.Stopped) await lc.start();
      else await lc.restart();
    }),
    vscode.commands.registerCommand(ClientCommands.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(ClientCommands.selectPlatformAndPlan, selectPlatformAndPlan),
    { dispose: () => clearTimeout(statusTimer) },
  );

  await lc.start();
  context.subscriptions.push(lc.onNotification(ContextsChangedNotification.type, () => updateStatusSoon()));
  void updateStatus();
}

/** Quick picks for `serverlessLint.platform` and `serverlessLint.plan`, written to the workspace settings. */
async function selectPlatformAndPlan(): Promise<void> {
  const platformItems = [
    { label: 'Auto-detect', description: 'from vercel.json, netlify.toml, wrangler.toml, serverless.yml …', value: 'auto' },
    ...PLATFORMS.filter((p) => p !== 'unknown').map((p) => ({ label: platformLabel(p), description: p, value: p as string })),
  ];
  const platform = await vscode.window.showQuickPick(platformItems, {
    title: 'Serverless: target platform',
    placeHolder: 'The platform these functions deploy to',
  });
  if (!platform) return;
  let plan = '';
  const plans = platform.value === 'auto' ? [] : plansOf(platform.value as (typeof PLATFORMS)[number]);
  if (plans.length) {
    const picked = await vscode.window.showQuickPick(
      [{ label: 'Platform default', description: 'the most common paid tier', value: '' }, ...plans.map((p) => ({ label: p, value: p }))],
      { title: `Serverless: ${platform.label} plan`, placeHolder: 'Limits (max duration, memory, bundle size) depend on the plan' },
    );
    if (!picked) return;
    plan = picked.value;
  }
  const resource = vscode.window.activeTextEditor?.document.uri;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('platform', platform.value, target);
  await config.update('plan', plan, target);
  void vscode.window.showInformationMessage(`Serverless Lint: checking for ${platform.label}${plan ? ` (${plan})` : ''}.`);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
