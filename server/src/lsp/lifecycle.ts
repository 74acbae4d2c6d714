// The session and the workspace: `initialize` (what the client supports, our capabilities), `initialized` (dynamic
// registrations), and the changes of settings, watched configuration files and workspace folders.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { FIX_ALL_KIND, ServerCommands } from '../../../shared/src/protocol';
import type { ServerContext } from './context';
import { askClient, guardNotification, guardRequest, InvalidParams, isObject, refusedAnswer, REFUSED_REQUEST } from './guard';
import { SettingsCache } from './settings';
import { MARKER_NAMES } from '../analysis/project';
import { FRAMEWORK_CONFIG_FILES } from '../conventions/config-files';

/**
 * Our own config, package.json (dependencies decide frameworks), every platform's configuration markers and every
 * framework's config files (both from the conventions registry): a change to any of them can change every file's
 * context. Folder markers (`.vercel`, `supabase`) match as paths too.
 */
export const WATCHED_FILES: readonly string[] = [...new Set(['serverless-lint.json', 'package.json', ...MARKER_NAMES, ...FRAMEWORK_CONFIG_FILES])];
const WATCHED_GLOBS = WATCHED_FILES.map((name) => `**/${name}`);

export interface LifecycleOptions {
  /** The server's version, for `serverInfo`. */
  version: string;
  /** Contexts may have changed: re-analyze what is shown and rediscover entries. */
  refreshAll(): void;
  /** Starts the first entry discovery once the client is ready. */
  startDiscovery(): void;
}

/** The URIs of a list of workspace folders as a client sent it; undefined when it is not a list. */
function folderUris(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((f) => (isObject(f) && typeof f.uri === 'string' ? [f.uri] : []));
}

export function registerLifecycle(ctx: ServerContext, { version, refreshAll, startDiscovery }: LifecycleOptions): void {
  const { connection, log, client, registry } = ctx;

  connection.onInitialize(
    guardRequest(log, 'initialize', (params: unknown): InitializeResult => {
      if (client.initialized) throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already received');
      if (!isObject(params)) throw new InvalidParams('params must be an object');
      // Every capability is read as optional: a client may send `{}` or odd values, which mean "not supported".
      const caps = isObject(params.capabilities) ? params.capabilities : {};
      const flag = (section: unknown, ...path: string[]): boolean => {
        let v: unknown = section;
        for (const key of path) v = isObject(v) ? v[key] : undefined;
        return v === true || isObject(v);
      };
      client.pullDiagnostics = flag(caps.textDocument, 'diagnostic');
      client.refreshSupport = flag(caps.workspace, 'diagnostics', 'refreshSupport');
      client.watchDynamic = flag(caps.workspace, 'didChangeWatchedFiles', 'dynamicRegistration');
      client.configurationDynamic = flag(caps.workspace, 'didChangeConfiguration', 'dynamicRegistration');
      client.workspaceFolders = flag(caps.workspace, 'workspaceFolders');
      ctx.settings = new SettingsCache(connection, flag(caps.workspace, 'configuration'));
      registry.setFolders(folderUris(params.workspaceFolders) ?? (typeof params.rootUri === 'string' ? [params.rootUri] : []));
      client.initialized = true;
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          // Inter-file: a module's role comes from the entries importing it, so an edit of a route can change a helper's
          // diagnostics. The client then re-pulls open documents after an edit; unchanged ones are cache hits.
          diagnosticProvider: client.pullDiagnostics
            ? { identifier: 'serverless-lint.pull', interFileDependencies: true, workspaceDiagnostics: false }
            : undefined,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
          hoverProvider: true,
          executeCommandProvider: { commands: Object.values(ServerCommands) },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: 'serverless-lint-language-server', version },
      };
    }),
  );

  // Requests the message gate refused (before `initialize`, say) come here renamed, to be answered with their error.
  connection.onRequest(REFUSED_REQUEST, (params: unknown) => {
    throw refusedAnswer(params);
  });

  let initializedSeen = false;
  connection.onInitialized(
    guardNotification(log, 'initialized', () => {
      // Sent once by a well-behaved client; a second one (or one before initialize) must not register everything twice.
      if (!client.initialized || initializedSeen) throw new InvalidParams(client.initialized ? 'it was already received' : 'it came before initialize');
      initializedSeen = true;
      startDiscovery();
      if (client.configurationDynamic)
        askClient(log, 'the configuration registration', () =>
          connection.client.register(DidChangeConfigurationNotification.type, { section: 'serverlessLint' }),
        );
      if (client.watchDynamic)
        askClient(log, 'the file watcher registration', () =>
          connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }),
        );
      // The library offers this event only to clients with the capability (it throws otherwise): others never send it.
      if (client.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guardNotification(log, 'workspace/didChangeWorkspaceFolders', async () => {
            const folders = folderUris(await connection.workspace.getWorkspaceFolders().then(undefined, () => undefined));
            if (!folders) return;
            registry.setFolders(folders);
            ctx.settings.clear();
            refreshAll();
          }),
        );
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guardNotification(log, 'workspace/didChangeConfiguration', (params: unknown) => {
      if (!client.initialized) throw new InvalidParams('it came before initialize');
      ctx.settings.clear(isObject(params) ? params.settings : undefined);
      registry.reset();
      refreshAll();
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification(log, 'workspace/didChangeWatchedFiles', () => {
      if (!client.initialized) throw new InvalidParams('it came before initialize');
      registry.invalidate();
      refreshAll();
    }),
  );
}
