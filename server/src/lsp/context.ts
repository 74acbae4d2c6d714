// The state the language server's features share — the connection, the open documents, the services, the settings
// and what the client supports — passed to each feature as one explicit object instead of closed-over variables.
import { ErrorCodes, ResponseError, TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { EditorSettings } from '../../../shared/src/protocol';
import type { LintService } from '../analysis/service';
import { ensurePythonParser, isPythonFile } from '../python/parser';
import type { GuardLog } from './guard';
import { SettingsCache, toOverrides } from './settings';
import { pathToUri, ServiceRegistry } from './workspace';

/** What the client told us at `initialize`; until then nothing is supported. */
export interface ClientState {
  /** Whether `initialize` was answered: before it, document notifications are dropped and requests refused. */
  initialized: boolean;
  /** The client pulls diagnostics (`textDocument/diagnostic`); else the server publishes them. */
  pullDiagnostics: boolean;
  /** The client accepts `workspace/diagnostic/refresh`. */
  refreshSupport: boolean;
  /** The file watchers and the configuration section may be registered dynamically. */
  watchDynamic: boolean;
  configurationDynamic: boolean;
  /** Whether the client can tell us about added and removed workspace folders (`workspace.workspaceFolders`). */
  workspaceFolders: boolean;
}

export function uninitializedClient(): ClientState {
  return { initialized: false, pullDiagnostics: false, refreshSupport: false, watchDynamic: false, configurationDynamic: false, workspaceFolders: false };
}

export interface ServerContext {
  readonly connection: Connection;
  readonly log: GuardLog;
  readonly client: ClientState;
  readonly documents: TextDocuments<TextDocument>;
  readonly registry: ServiceRegistry;
  /** Replaced at `initialize` by one that knows the client's capabilities; defaults until then. Read it at each use. */
  settings: SettingsCache;
  /** A file's text: the open document's, else what the services read (open configuration documents' buffers first). */
  textOf(path: string): string | undefined;
  /** The service for a document under its editor settings; a `.py` file's first request loads the Python parser. */
  serviceForUri(uri: string, path: string): Promise<{ service: LintService; editor: EditorSettings }>;
  /** Requests before `initialize` are refused, as LSP says (ServerNotInitialized). */
  requireInitialized(): void;
}

export function createServerContext(connection: Connection, log: GuardLog, client: ClientState): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const registry = new ServiceRegistry();
  const ctx: ServerContext = {
    connection,
    log,
    client,
    documents,
    registry,
    settings: new SettingsCache(connection, false),
    textOf: (path) => documents.get(pathToUri(path))?.getText() ?? registry.host.readFile(path),
    async serviceForUri(uri, path) {
      // Every request on a .py file comes through here: the Python parser (WebAssembly) is loaded by the first one.
      if (isPythonFile(path)) await ensurePythonParser();
      const editor = await ctx.settings.get(uri);
      return { service: registry.serviceFor(path, toOverrides(editor)), editor };
    },
    requireInitialized() {
      if (!client.initialized) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The server is not initialized yet.');
    },
  };
  return ctx;
}
