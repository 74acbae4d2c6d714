// The language server entry point: LSP wiring only. Features live in ./lsp (diagnostics, code actions, hover,
// settings, commands); analysis lives in ./analysis and knows nothing about LSP. Runs over IPC (VS Code) or stdio.
import { ensurePythonParser, isPythonFile } from './python/parser';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, LSPErrorCodes,
  ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, type CodeActionParams, type Diagnostic, type InitializeResult,
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
import { VERSION } from './version';
import {
  askClient, cancelled, checkedDocumentSync, connectionLog, documentUri, guardNotification, guardRequest, installLastResort, InvalidParams,
  isObject, isPosition, isRange, type GuardLog, messageGate, REFUSED_REQUEST, refusedAnswer, settle,
} from './lsp/guard';

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

  /** Whether `initialize` was answered: before it, document notifications are dropped and requests refused. */
  let initialized = false;
  // The gate's warnings go through the connection, which exists once the gate is made: it is looked up late.
  const gateLog: GuardLog = { error: (m) => log.error(m), warn: (m) => log.warn(m) };
  const connection = createConnection(ProposedFeatures.all, { messageStrategy: messageGate(() => initialized, gateLog) });
  const log = connectionLog(connection);
  // A bug in one feature is logged and the server goes on (lsp/guard.ts); the guards below catch it first.
  installLastResort(log);
  const documents = new TextDocuments(TextDocument);
  const registry = new ServiceRegistry();
  /** Replaced at `initialize` by one that knows the client's capabilities; defaults until then. */
  let settings = new SettingsCache(connection, false);
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
    // Every request on a .py file comes through here: the Python parser (WebAssembly) is loaded by the first one.
    if (isPythonFile(path)) await ensurePythonParser();
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

  /** Push model: analyze after the debounce and publish only if the document is still at the analyzed version. */
  function schedulePush(doc: TextDocument, debounceMs: number): void {
    cancelPush(doc.uri);
    const push = guardNotification(log, `analysis of ${doc.uri}`, async () => {
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
    });
    timers.set(doc.uri, later(() => push(undefined), debounceMs));
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
    askClient(log, 'a contexts-changed notification', () => connection.sendNotification(ContextsChangedNotification.type, {}));
    if (pullDiagnostics) {
      if (refreshSupport) askClient(log, 'a diagnostics refresh', () => connection.languages.diagnostics.refresh());
    } else {
      for (const doc of documents.all()) schedulePush(doc, 0);
    }
  }

  /** Whether the client can tell us about added and removed workspace folders (`workspace.workspaceFolders`). */
  let foldersCapability = false;

  connection.onInitialize(guardRequest(log, 'initialize', (params: unknown): InitializeResult => {
    if (initialized) throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received');
    if (!isObject(params)) throw new InvalidParams('params must be an object');
    // Every capability is read as optional: a client may send `{}` or odd values, which mean "not supported".
    const caps = isObject(params.capabilities) ? params.capabilities : {};
    const flag = (section: unknown, ...path: string[]): boolean => {
      let v: unknown = section;
      for (const key of path) v = isObject(v) ? v[key] : undefined;
      return v === true || isObject(v);
    };
    pullDiagnostics = flag(caps.textDocument, 'diagnostic');
    refreshSupport = flag(caps.workspace, 'diagnostics', 'refreshSupport');
    watchDynamic = flag(caps.workspace, 'didChangeWatchedFiles', 'dynamicRegistration');
    configurationDynamic = flag(caps.workspace, 'didChangeConfiguration', 'dynamicRegistration');
    foldersCapability = flag(caps.workspace, 'workspaceFolders');
    settings = new SettingsCache(connection, flag(caps.workspace, 'configuration'));
    registry.setFolders(folderUris(params.workspaceFolders) ?? (typeof params.rootUri === 'string' ? [params.rootUri] : []));
    initialized = true;
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
  }));

  connection.onRequest(REFUSED_REQUEST, (params: unknown) => {
    throw refusedAnswer(params);
  });

  /** The URIs of a list of workspace folders as a client sent it; undefined when it is not a list. */
  function folderUris(list: unknown): string[] | undefined {
    if (!Array.isArray(list)) return undefined;
    return list.flatMap((f) => (isObject(f) && typeof f.uri === 'string' ? [f.uri] : []));
  }

  let initializedSeen = false;
  connection.onInitialized(guardNotification(log, 'initialized', () => {
    // Sent once by a well-behaved client; a second one (or one before initialize) must not register everything twice.
    if (!initialized || initializedSeen) throw new InvalidParams(initialized ? 'it was already received' : 'it came before initialize');
    initializedSeen = true;
    scheduleDiscovery();
    if (configurationDynamic) askClient(log, 'the configuration registration', () => connection.client.register(DidChangeConfigurationNotification.type, { section: 'serverlessLint' }));
    if (watchDynamic) askClient(log, 'the file watcher registration', () => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }));
    // The library offers this event only to clients with the capability (it throws otherwise): others never send it.
    if (foldersCapability) {
      connection.workspace.onDidChangeWorkspaceFolders(guardNotification(log, 'workspace/didChangeWorkspaceFolders', async () => {
        const folders = folderUris(await connection.workspace.getWorkspaceFolders().then(undefined, () => undefined));
        if (!folders) return;
        registry.setFolders(folders);
        settings.clear();
        refreshAll();
      }));
    }
  }));

  connection.onDidChangeConfiguration(guardNotification(log, 'workspace/didChangeConfiguration', (params: unknown) => {
    if (!initialized) throw new InvalidParams('it came before initialize');
    settings.clear(isObject(params) ? params.settings : undefined);
    registry.reset();
    refreshAll();
  }));

  connection.onDidChangeWatchedFiles(guardNotification(log, 'workspace/didChangeWatchedFiles', () => {
    if (!initialized) throw new InvalidParams('it came before initialize');
    registry.invalidate();
    refreshAll();
  }));

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
    configTimer = setTimeout(guardNotification(log, 'the re-analysis after a configuration edit', () => {
      registry.invalidate();
      refreshAll();
    }), opening ? 0 : debounceMs);
  }

  /** Documents whose first content event (the open itself) has not been seen yet: no debounce for it. */
  const justOpened = new Set<string>();

  // The document manager's events come from checked notifications (checkedDocumentSync below); each is guarded too.
  documents.onDidOpen(guardNotification(log, 'textDocument/didOpen', ({ document }) => {
    lastTyped.delete(document.uri);
    justOpened.add(document.uri);
    if (pullDiagnostics && pushedClosed.delete(document.uri)) askClient(log, 'cleared diagnostics', () => connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));
  }));

  documents.onDidChangeContent(guardNotification(log, 'a document change', async ({ document }) => {
    const opening = justOpened.delete(document.uri);
    // Opening a file counts as activity too: typing in it usually follows.
    lastEdit = Date.now();
    if (!opening) lastTyped.set(document.uri, lastEdit);
    guardNotification(log, 'a configuration document change', () => configDocumentChanged(document, opening))(undefined);
    if (pullDiagnostics) return;
    const { debounceMs } = await settings.get(document.uri);
    // Closed while its settings were asked for: nothing to analyze, and nothing may keep its text.
    if (documents.get(document.uri) !== document) return;
    schedulePush(document, opening ? 0 : debounceMs);
  }));

  documents.onDidClose(guardNotification(log, 'textDocument/didClose', ({ document }) => {
    // Everything keyed by this URI goes, so a closed document's text (50 MB, say) is garbage now.
    cancelPush(document.uri);
    lastTyped.delete(document.uri);
    justOpened.delete(document.uri);
    pushedClosed.delete(document.uri);
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
    if (!pullDiagnostics) askClient(log, 'cleared diagnostics', () => connection.sendDiagnostics({ uri: document.uri, diagnostics: [] }));
  }));

  /** Requests before `initialize` are refused, as LSP says (ServerNotInitialized). */
  const requireInitialized = () => {
    if (!initialized) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized yet.');
  };

  connection.languages.diagnostics.on(guardRequest(log, 'textDocument/diagnostic', async (params: unknown, token) => {
    requireInitialized();
    const uri = documentUri(params);
    const previousResultId = isObject(params) && typeof params.previousResultId === 'string' ? params.previousResultId : undefined;
    const doc = documents.get(uri);
    if (!doc) return { kind: 'full', items: [] };
    const { debounceMs } = await settings.get(uri);
    // A cancellation wakes the wait at once: the client is answered now, not after the debounce.
    if (!(await settle(() => lastTyped.get(uri) ?? 0, debounceMs, token))) throw cancelled();
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
    if (previousResultId === resultId) return { kind: 'unchanged' as const, resultId };
    return { kind: 'full' as const, resultId, items };
  }));

  connection.onCodeAction(guardRequest(log, 'textDocument/codeAction', async (params: unknown) => {
    requireInitialized();
    const uri = documentUri(params);
    const p = params as Record<string, unknown>;
    if (!isRange(p.range)) throw new InvalidParams('range must be a range');
    const context = isObject(p.context) ? p.context : {};
    // Only what code-actions.ts reads, checked: diagnostics with ranges, `only` as a list of kinds.
    const checked: CodeActionParams = {
      textDocument: { uri },
      range: p.range,
      context: {
        diagnostics: (Array.isArray(context.diagnostics) ? context.diagnostics : []).filter((d): d is Diagnostic => isObject(d) && isRange(d.range)),
        only: Array.isArray(context.only) ? context.only.filter((k): k is string => typeof k === 'string') : undefined,
      },
    };
    const doc = documents.get(uri);
    const path = doc && uriToPath(doc.uri);
    if (!doc || !path || !SOURCE_FILE.test(path)) return [];
    const { service } = await serviceForUri(doc.uri, path);
    return codeActions(checked, doc, path, () => service);
  }));

  connection.onHover(guardRequest(log, 'textDocument/hover', async (params: unknown) => {
    requireInitialized();
    const uri = documentUri(params);
    const position = (params as Record<string, unknown>).position;
    if (!isPosition(position)) throw new InvalidParams('position must be a position');
    const doc = documents.get(uri);
    const path = doc && uriToPath(doc.uri);
    if (!doc || !path) return null;
    if (configKindOf(path)) return configHoverAt((await serviceForUri(doc.uri, path)).service, path, doc, position);
    if (!SOURCE_FILE.test(path)) return null;
    const { service } = await serviceForUri(doc.uri, path);
    if (service.isIgnored(path)) return null;
    const value = hoverAt(service, path, doc.getText(), doc.offsetAt(position));
    return value ? { contents: { kind: 'markdown' as const, value } } : null;
  }));

  const commandHost: CommandHost = {
    connection,
    serviceFor: async (path) => (await serviceForUri(pathToUri(path), path)).service,
    openDocument: (uri) => documents.get(uri),
    workspaceFolders: () => registry.workspaceFolders,
    textOf,
    publishClosed: (uri, diagnostics) => {
      pushedClosed.add(uri);
      askClient(log, 'diagnostics of a closed file', () => connection.sendDiagnostics({ uri, diagnostics }));
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

  connection.onExecuteCommand(guardRequest(log, 'workspace/executeCommand', async (params: unknown, token) => {
    requireInitialized();
    if (!isObject(params) || typeof params.command !== 'string') throw new InvalidParams('command must be a string');
    if (params.arguments !== undefined && !Array.isArray(params.arguments)) throw new InvalidParams('arguments must be a list');
    const args = params.arguments as unknown[] | undefined;
    switch (params.command) {
      case ServerCommands.checkWorkspace: return runCheckWorkspace(commandHost, args, token);
      case ServerCommands.showRuntimeConstraints: return runShowRuntimeConstraints(commandHost, args);
      case ServerCommands.fixAll: return runFixAll(commandHost, args);
      case ServerCommands.showDocumentation: return runShowDocumentation(commandHost, args);
      default: throw new ResponseError(ErrorCodes.MethodNotFound, `Unknown command ${params.command.slice(0, 100)}`);
    }
  }));

  connection.onRequest(FileContextRequest.type, guardRequest(log, FileContextRequest.method, async (params: unknown): Promise<FileContextSummary | null> => {
    requireInitialized();
    if (!isObject(params) || typeof params.uri !== 'string') throw new InvalidParams('uri must be a string');
    const uri = params.uri;
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
  }));

  documents.listen(checkedDocumentSync(connection, log, () => initialized));
  connection.listen();
}
