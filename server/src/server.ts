// The language server entry point: LSP wiring only. Features live in ./lsp (diagnostics, code actions, hover,
// settings, commands); analysis lives in ./analysis and knows nothing about LSP. Runs over IPC (VS Code) or stdio.
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, LSPErrorCodes,
  ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, type CancellationToken, type Diagnostic, type InitializeResult,
} from 'vscode-languageserver/node';
import { createHash } from 'node:crypto';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ContextsChangedNotification, FIX_ALL_KIND, FileContextRequest, ServerCommands, type FileContextSummary } from '../../shared/src/protocol';
import type { RuleFailure } from '../../shared/src/types';
import { parseConfigFile } from './analysis/config';
import { RULE_IDS } from './rules';
import { codeActions, fixAllEdit } from './lsp/code-actions';
import { runCheckWorkspace, runFixAll, runShowDocumentation, runShowRuntimeConstraints, type CommandHost } from './lsp/commands';
import { configProblemDiagnostic, toDiagnostic } from './lsp/diagnostics';
import { forgetParsed, hoverAt } from './lsp/hover';
import { discoverEntries } from './host/entry-discovery';
import { SettingsCache, toOverrides } from './lsp/settings';
import { CONFIG_FILE, pathToUri, ServiceRegistry, SOURCE_FILE, uriToPath } from './lsp/workspace';
import { isCheckWorker, startCheckWorker } from './lsp/check-worker';
import { isConfigDocument, platformConfigProblems } from './lsp/config-documents';
import { configHoverAt } from './lsp/config-hover';
import { configKindOf } from './config-checks';
import { keepHeapNearLiveSet } from './host/heap';
import { codeCacheCheckpoint } from './host/code-cache-checkpoint';
import { warmUp, WARM_UP_MAX_CHARS } from './lsp/warm-up';
import { WARM_UP_ENV } from '../../shared/src/env';
import type { LintService } from './analysis/service';

const VERSION = '0.1.0';
/** Background work (entry discovery) starts or goes on once no document was edited for this long. */
const TYPING_PAUSE_MS = 500;
// The bundle is also the entry of the workspace-check worker process (lsp/check-worker.ts): one file to ship.
if (isCheckWorker()) startCheckWorker();
else startServer();

function startServer(): void {
  keepHeapNearLiveSet();
  if (process.argv.includes('--version')) {
    process.stdout.write(`${VERSION}\n`);
    process.exit(0);
  }
  if (!process.argv.some((a) => a === '--stdio' || a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.stderr.write('Usage: serverless-lint-language-server --stdio\n(VS Code starts it with --node-ipc; other editors use --stdio.)\n');
    process.exit(2);
  }

  /** Platform configuration and our own config: a change to any of them can change every file's context. */
  const WATCHED_GLOBS = [
    '**/serverless-lint.json', '**/vercel.json', '**/next.config.{js,mjs,cjs,ts,mts}', '**/netlify.toml', '**/wrangler.{toml,json,jsonc}',
    '**/serverless.{yml,yaml}', '**/template.{yaml,yml}', '**/cdk.json', '**/deno.json', '**/package.json', '**/Dockerfile', '**/fly.toml', '**/Procfile',
  ];

  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const registry = new ServiceRegistry();
  let settings: SettingsCache;
  let pullDiagnostics = false;
  let refreshSupport = false;
  let watchDynamic = false;
  let configurationDynamic = false;

  /** When each document last changed, for the debounce; open and save do not count as typing. */
  const lastTyped = new Map<string, number>();
  /** Pending push-mode analyses per document, as the function that cancels each (a timer, or an immediate). */
  const timers = new Map<string, () => void>();
  const cancelPush = (uri: string) => {
    timers.get(uri)?.();
    timers.delete(uri);
  };
  /** Runs `fn` after `ms`; at once after this turn for 0 (`setTimeout(…, 0)` waits at least 1 ms, each keystroke). */
  const later = (fn: () => void, ms: number): (() => void) => {
    if (ms > 0) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    }
    const i = setImmediate(fn);
    return () => clearImmediate(i);
  };
  /**
   * A pull report's result id is its content: after a refresh (settings, configs, discovered entries) that changes
   * nothing for a document, the client is told `unchanged` and keeps its squiggles (and a hover open over one)
   * instead of replacing them with identical ones. Push clients get every re-analysis, as they always did.
   */
  const reportKey = (items: Diagnostic[]) => createHash('sha1').update(JSON.stringify(items)).digest('base64');
  /** Files that got diagnostics from a workspace check while closed (cleared when they open in pull mode). */
  const pushedClosed = new Set<string>();
  /** Rule failures already logged, once per rule and file. */
  const loggedFailures = new Set<string>();

  const textOf = (path: string): string | undefined => documents.get(pathToUri(path))?.getText() ?? registry.host.readFile(path);

  async function serviceForUri(uri: string, path: string) {
    const editor = await settings.get(uri);
    return { service: registry.serviceFor(path, toOverrides(editor)), editor };
  }

  function logFailures(failures: RuleFailure[]): void {
    for (const f of failures) {
      const key = `${f.ruleId}\0${f.fileName}`;
      if (loggedFailures.has(key)) continue;
      loggedFailures.add(key);
      connection.console.error(`Rule ${f.ruleId} failed on ${f.fileName} and was skipped for that file: ${f.error}${f.stack ? `\n${f.stack}` : ''}`);
    }
  }

  /** The diagnostics of one open document (a source file, or serverless-lint.json with its problems). */
  async function diagnose(doc: TextDocument): Promise<Diagnostic[]> {
    const path = uriToPath(doc.uri);
    if (!path) return [];
    if (CONFIG_FILE.test(path)) {
      return parseConfigFile(path, doc.getText(), RULE_IDS).problems.map((p) => configProblemDiagnostic(p, doc));
    }
    if (configKindOf(path)) {
      const { service } = await serviceForUri(doc.uri, path);
      return platformConfigProblems(service, path, doc.getText()).map((p) => configProblemDiagnostic(p, doc));
    }
    if (!SOURCE_FILE.test(path)) return [];
    const { service } = await serviceForUri(doc.uri, path);
    if (service.isIgnored(path)) return [];
    const result = service.lint(path, doc.getText());
    codeCacheCheckpoint('soon');
    logFailures(result.failures);
    const diagnostics = result.findings.map((f) => toDiagnostic(f, doc, path, textOf));
    if (!warmUpStarted && !result.skipped && doc.getText().length <= WARM_UP_MAX_CHARS) startWarmUp(service, doc, path, result.context.handlers[0]?.span);
    return diagnostics;
  }

  /** Once per process, after the diagnostics of the first source file that is not too large for it (lsp/warm-up.ts). */
  let warmUpStarted = process.env[WARM_UP_ENV] === 'off';
  function startWarmUp(like: LintService, doc: TextDocument, path: string, handler: { start: number; end: number } | undefined): void {
    warmUpStarted = true;
    const text = doc.getText();
    setImmediate(async () => {
      try {
        const r = await warmUp({
          service: () => registry.newService(path, like.settingsOverrides),
          path, text, handler, whenIdle,
          activeSince: (t) => lastEdit > t,
          consume: (result, variant) => {
            const copy = TextDocument.create(doc.uri, doc.languageId, 0, variant);
            for (const f of result.findings) toDiagnostic(f, copy, path, textOf);
          },
        });
        connection.console.log(`Warm-up: ${r.edits} synthetic edits in ${r.ms} ms${r.stopped ? ` (stopped: ${r.stopped === 'typing' ? 'editing began' : 'time limit'})` : ''}.`);
      } catch (e) {
        connection.console.error(`The warm-up failed (nothing else is affected): ${(e as Error).stack ?? String(e)}`);
      }
    });
  }

  const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Waits until the user has stopped typing for `debounceMs`; false when the request was cancelled meanwhile. */
  async function settle(uri: string, debounceMs: number, token: CancellationToken): Promise<boolean> {
    for (;;) {
      if (token.isCancellationRequested) return false;
      const wait = debounceMs - (Date.now() - (lastTyped.get(uri) ?? 0));
      if (wait <= 0) return true;
      await delay(wait);
    }
  }

  /** Push model: analyze after the debounce and publish only if the document is still at the analyzed version. */
  function schedulePush(doc: TextDocument, debounceMs: number): void {
    cancelPush(doc.uri);
    const push = async () => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (!current) return;
      const version = current.version;
      const graphBefore = registry.graphVersion();
      const diagnostics = await diagnose(current);
      if (documents.get(doc.uri)?.version !== version) return;
      connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
      // Its imports changed: a module it imports may have gained or lost its function role. Pull clients re-pull on
      // their own (inter-file dependencies); here the other open documents are re-published (unchanged ones are cache hits).
      if (registry.graphVersion() !== graphBefore) {
        for (const other of documents.all()) if (other.uri !== doc.uri && !timers.has(other.uri)) schedulePush(other, 0);
      }
    };
    timers.set(doc.uri, later(push, debounceMs));
  }

  /** Settings or configuration changed: ask the client to pull again (or re-publish), and to refresh its status bar. */
  function refreshAll(): void {
    forgetParsed();
    refreshDiagnostics();
    scheduleDiscovery();
  }

  /** Bumped by each new discovery, which makes a running one stop. */
  let discovery = 0;
  /** When a document was last opened or edited: background work waits for a pause in typing. */
  let lastEdit = 0;
  const whenIdle = async () => {
    for (let quiet = Date.now() - lastEdit; quiet < TYPING_PAUSE_MS; quiet = Date.now() - lastEdit) {
      await new Promise((resolve) => setTimeout(resolve, TYPING_PAUSE_MS - quiet));
    }
  };

  /**
   * Finds the workspace's function entries in the background (entry-discovery.ts), so a module opened alone gets its
   * function role; diagnostics are refreshed when it found any. Runs after start and after settings or configs change.
   */
  function scheduleDiscovery(): void {
    const generation = ++discovery;
    setTimeout(async () => {
      if (generation !== discovery) return;
      try {
        const found = await discoverEntries(registry.workspaceFolders, {
          serviceFor: async (file) => (await serviceForUri(pathToUri(file), file)).service,
          textOf,
          cancelled: () => generation !== discovery,
          whenIdle,
          isOpen: (file) => !!documents.get(pathToUri(file)),
        });
        if (generation === discovery && found > 0) refreshDiagnostics();
      } catch (e) {
        connection.console.error(`Finding the workspace's function entries failed: ${(e as Error).stack ?? String(e)}`);
      }
    }, 200);
  }

  /** Re-analyze what is shown: the client pulls again (or the server re-publishes) and refreshes its status bar. */
  function refreshDiagnostics(): void {
    void connection.sendNotification(ContextsChangedNotification.type, {});
    if (pullDiagnostics) {
      if (refreshSupport) void connection.languages.diagnostics.refresh();
    } else {
      for (const doc of documents.all()) schedulePush(doc, 0);
    }
  }

  connection.onInitialize((params): InitializeResult => {
    const caps = params.capabilities;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
    watchDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    configurationDynamic = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    settings = new SettingsCache(connection, !!caps.workspace?.configuration);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    registry.setFolders(folders);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        // Inter-file: a module's role comes from the entries importing it, so an edit of a route can change a helper's
        // diagnostics. The client then re-pulls open documents after an edit; unchanged ones are cache hits.
        diagnosticProvider: pullDiagnostics ? { identifier: 'serverless-lint.pull', interFileDependencies: true, workspaceDiagnostics: false } : undefined,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        executeCommandProvider: { commands: Object.values(ServerCommands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'serverless-lint-language-server', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    scheduleDiscovery();
    if (configurationDynamic) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'serverlessLint' });
    if (watchDynamic) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
      registry.setFolders(folders.map((f) => f.uri));
      settings.clear();
      refreshAll();
    });
  });

  connection.onDidChangeConfiguration((params) => {
    settings.clear(params.settings);
    registry.reset();
    refreshAll();
  });

  connection.onDidChangeWatchedFiles(() => {
    registry.invalidate();
    refreshAll();
  });

  /** Pending invalidation after an edit of an open configuration document. */
  let configTimer: NodeJS.Timeout | undefined;

  /**
   * An open configuration document's text is what the services read; when an edit changes it, every cached context is
   * stale: invalidate (after the typing debounce) and re-analyze the open files. JS/TS rules never run on it.
   */
  async function configDocumentChanged(document: TextDocument, opening: boolean): Promise<void> {
    const path = uriToPath(document.uri);
    if (!path || !isConfigDocument(path) || !registry.host.setOpen(path, document.getText())) return;
    const { debounceMs } = await settings.get(document.uri);
    clearTimeout(configTimer);
    configTimer = setTimeout(() => {
      registry.invalidate();
      refreshAll();
    }, opening ? 0 : debounceMs);
  }

  /** Documents whose first content event (the open itself) has not been seen yet: no debounce for it. */
  const justOpened = new Set<string>();

  documents.onDidOpen(({ document }) => {
    lastTyped.delete(document.uri);
    justOpened.add(document.uri);
    if (pullDiagnostics && pushedClosed.delete(document.uri)) connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  documents.onDidChangeContent(async ({ document }) => {
    const opening = justOpened.delete(document.uri);
    // Opening a file counts as activity too: typing in it usually follows.
    lastEdit = Date.now();
    if (!opening) lastTyped.set(document.uri, lastEdit);
    void configDocumentChanged(document, opening);
    if (pullDiagnostics) return;
    const { debounceMs } = await settings.get(document.uri);
    schedulePush(document, opening ? 0 : debounceMs);
  });

  documents.onDidClose(({ document }) => {
    cancelPush(document.uri);
    lastTyped.delete(document.uri);
    justOpened.delete(document.uri);
    settings.forget(document.uri);
    const path = uriToPath(document.uri);
    if (path) {
      registry.forget(path);
      forgetParsed(path);
      if (registry.host.close(path)) {
        registry.invalidate();
        refreshAll();
      }
    }
    if (!pullDiagnostics) connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params, token) => {
    const uri = params.textDocument.uri;
    const doc = documents.get(uri);
    if (!doc) return { kind: 'full', items: [] };
    const { debounceMs } = await settings.get(uri);
    if (!(await settle(uri, debounceMs, token))) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const current = documents.get(uri);
    if (!current) return { kind: 'full', items: [] };
    const version = current.version;
    const items = await diagnose(current);
    // Results for a version the user has already typed past would flash stale squiggles: ask the client to pull again.
    if (documents.get(uri)?.version !== version) {
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed during analysis.', { retriggerRequest: true });
    }
    // The result id is the content: the client keeps what it shows when nothing changed (ranges included).
    const resultId = reportKey(items);
    if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items };
  });

  connection.onCodeAction(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    const path = doc && uriToPath(doc.uri);
    if (!doc || !path || !SOURCE_FILE.test(path)) return [];
    const { service } = await serviceForUri(doc.uri, path);
    return codeActions(params, doc, path, () => service);
  });

  connection.onHover(async (params) => {
    const doc = documents.get(params.textDocument.uri);
    const path = doc && uriToPath(doc.uri);
    if (!doc || !path) return null;
    if (configKindOf(path)) return configHoverAt((await serviceForUri(doc.uri, path)).service, path, doc, params.position);
    if (!SOURCE_FILE.test(path)) return null;
    const { service } = await serviceForUri(doc.uri, path);
    if (service.isIgnored(path)) return null;
    const value = hoverAt(service, path, doc.getText(), doc.offsetAt(params.position));
    return value ? { contents: { kind: 'markdown', value } } : null;
  });

  const commandHost: CommandHost = {
    connection,
    serviceFor: async (path) => (await serviceForUri(pathToUri(path), path)).service,
    openDocument: (uri) => documents.get(uri),
    workspaceFolders: () => registry.workspaceFolders,
    textOf,
    publishClosed: (uri, diagnostics) => {
      pushedClosed.add(uri);
      connection.sendDiagnostics({ uri, diagnostics });
    },
    openTexts: () => documents.all().flatMap((d) => {
      const path = uriToPath(d.uri);
      return path ? [[path, d.getText()] as [string, string]] : [];
    }),
    // Bundled, this file is dist/server.js and can start itself as the worker; run from sources it checks in-process.
    workerScript: __filename.endsWith('.js') ? __filename : undefined,
    fixAllEdit: async (doc) => {
      const path = uriToPath(doc.uri);
      if (!path || !SOURCE_FILE.test(path)) return undefined;
      return fixAllEdit(doc, path, (await serviceForUri(doc.uri, path)).service);
    },
  };

  connection.onExecuteCommand(async (params, token) => {
    switch (params.command) {
      case ServerCommands.checkWorkspace: return runCheckWorkspace(commandHost, params.arguments, token);
      case ServerCommands.showRuntimeConstraints: return runShowRuntimeConstraints(commandHost, params.arguments);
      case ServerCommands.fixAll: return runFixAll(commandHost, params.arguments);
      case ServerCommands.showDocumentation: return runShowDocumentation(commandHost, params.arguments);
      default: throw new ResponseError(-32601, `Unknown command ${params.command}`);
    }
  });

  connection.onRequest(FileContextRequest.type, async ({ uri }): Promise<FileContextSummary | null> => {
    const doc = documents.get(uri);
    const path = doc && uriToPath(uri);
    if (!doc || !path || !SOURCE_FILE.test(path)) return null;
    const { service } = await serviceForUri(uri, path);
    const { context: c, skipped } = service.lint(path, doc.getText());
    return {
      uri, platform: c.platform.value, runtime: c.runtime.value, role: c.role.value, plan: c.plan.value, framework: c.framework.value,
      handlerKinds: c.handlers.map((h) => h.kind),
      reasons: { platform: c.platform.reason, runtime: c.runtime.reason, role: c.role.reason, plan: c.plan.reason },
      skipped: service.isIgnored(path) ? 'the file matches an ignore glob' : skipped,
    };
  });

  documents.listen(connection);
  connection.listen();
}
