// The messages the client and the server exchange beyond standard LSP: command ids, custom requests and
// notifications (each a small named type whose comment says which way it travels), and the editor settings shape.
// Both sides bundle this file, so it imports only plain types and the protocol library's message types.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Platform, Role, Runtime, RuleLevel } from './types';

/** The `source` of every diagnostic, and the suffix of the fix-all code action kind. */
export const DIAGNOSTIC_SOURCE = 'serverless-lint';

/** The code action kind that applies safe fixes only (so it can run on save). */
export const FIX_ALL_KIND = 'source.fixAll.serverless-lint';

/** The section of the VS Code settings (`serverlessLint.*`), also the language client id (for `trace.server`). */
export const SETTINGS_SECTION = 'serverlessLint';

/** Commands the server executes (`workspace/executeCommand`); the VS Code client registers them from the server's capabilities. */
export const ServerCommands = {
  checkWorkspace: 'serverless-lint.checkWorkspace',
  showRuntimeConstraints: 'serverless-lint.showRuntimeConstraints',
  fixAll: 'serverless-lint.fixAll',
  showDocumentation: 'serverless-lint.showDocumentation',
} as const;

/** Commands only the VS Code client implements. */
export const ClientCommands = {
  selectPlatformAndPlan: 'serverless-lint.selectPlatformAndPlan',
  restartServer: 'serverless-lint.restartServer',
  showOutput: 'serverless-lint.showOutput',
} as const;

/** The `serverlessLint.*` settings as the editor sends them (`workspace/configuration`), before they become engine overrides. */
export interface EditorSettings {
  /** `auto` lets detection decide. */
  platform: Platform | 'auto';
  /** Empty lets detection decide (the platform's most common paid tier). */
  plan: string;
  rules: Record<string, RuleLevel>;
  ignore: string[];
  maxFileSize: number;
  /** Milliseconds to wait after typing stops before analyzing; 0 analyzes on every change. */
  debounceMs: number;
}

export const DEFAULT_DEBOUNCE_MS = 200;

/**
 * Environment for the language server process (and its workspace-check worker). glibc gives each thread that
 * allocates its own malloc arena; V8's background threads (GC, compilation) left ~150 MB of arenas resident
 * after 1,000 edits. Two arenas keep that bounded at no measurable speed cost.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * Node options of the language server process. Each edit's analysis allocates a parse tree that is garbage by the
 * next edit; V8's default young generation (up to 16 MB per semi-space) kept up to ~48 MB of it resident. 4 MB
 * semi-spaces: RSS after 600 edits of the 1,000-line bench file 153 -> 129 MB, didChange p50/p95 8.0/17.4 ->
 * 9.1/17.9 ms. (A V8 heap flag cannot be set once the process runs: whoever starts the server passes it.)
 */
export const SERVER_NODE_ARGS: readonly string[] = ['--max-semi-space-size=4'];

/** Arguments of `serverless-lint.checkWorkspace`: the folders to check (URIs); all workspace folders when absent. */
export interface CheckWorkspaceArgs {
  folders?: string[];
}

/** What `serverless-lint.checkWorkspace` returns: the report as Markdown, and its totals. */
export interface CheckWorkspaceResult {
  markdown: string;
  filesAnalyzed: number;
  problems: number;
  cancelled: boolean;
}

/** What `serverless-lint.showRuntimeConstraints` returns (argument: the document URI). */
export interface RuntimeConstraintsResult {
  uri: string;
  title: string;
  markdown: string;
}

/** A file's context as the status bar shows it. */
export interface FileContextSummary {
  uri: string;
  platform: Platform;
  runtime: Runtime;
  role: Role;
  plan: string;
  framework: string;
  /** Kinds of the handlers found in the file, e.g. "route handler", in source order. */
  handlerKinds: string[];
  /** Why each field was decided, for the tooltip. */
  reasons: { platform: string; runtime: string; role: string; plan: string };
  /** Set when the file was not analyzed (too large, ignored, binary). */
  skipped?: string;
}

/**
 * Client → server: the context of an open document, for the status bar. Answers `null` when the document
 * is not open on the server or is not a file the server analyzes.
 */
export namespace FileContextRequest {
  export const method = 'serverless-lint/fileContext';
  export const type = new RequestType<{ uri: string }, FileContextSummary | null, void>(method);
}

/**
 * Server → client: contexts may have changed (settings, platform config files); the client asks again for the
 * active document's context.
 */
export namespace ContextsChangedNotification {
  export const method = 'serverless-lint/contextsChanged';
  export const type = new NotificationType<Record<string, never>>(method);
}
