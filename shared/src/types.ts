// Types shared by the analysis core, the language server, the CLI and the client: contexts, findings, fixes.
// This file must never import `typescript` or `vscode`: the client bundles it.
import type { EntryId, ShapeId } from './conventions.generated';

export type { EntryId, ShapeId };

export const PLATFORMS = ['vercel', 'netlify', 'aws-lambda', 'cloudflare-workers', 'deno-deploy', 'long-running', 'unknown'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where function code runs: Node.js, an edge isolate, or CPython (Vercel's and Lambda's Python runtimes). */
export type Runtime = 'node' | 'edge' | 'python';

export const ROLES = ['function-entry', 'function-module', 'long-running-server', 'client', 'other'] as const;
export type Role = (typeof ROLES)[number];

/** The severity a finding is shown with. `info` is an LSP "information" diagnostic. */
export type Severity = 'error' | 'warning' | 'info';

/** What a user may write for a rule in `serverless-lint.json` or `serverlessLint.rules`. */
export type RuleLevel = 'off' | 'info' | 'warn' | 'error';

/** One decided field of a file's context, with the reason it was decided (shown by `--explain` and the status bar). */
export interface Decision<T> {
  value: T;
  /** A full sentence: why this value, e.g. "vercel.json found in /repo". */
  reason: string;
  /** The file the decision came from, when it came from one. */
  source?: string;
}

/** Which API a handler uses to keep work alive after the response. */
export type WaitUntilForm = 'vercel-waitUntil' | 'next-after' | 'workers-ctx' | 'netlify-context' | 'none';

/** A half-open range of UTF-16 offsets into a file's text. */
export interface Span {
  start: number;
  end: number;
}

/** A 0-based line and UTF-16 character, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A function the platform calls for a request/event, found in the file. */
export interface HandlerInfo {
  /** Exported name or a description, e.g. `GET`, `default`, `handler`, `app.get('/users')`. */
  name: string;
  /** The handler shape of the conventions registry: what the analysis dispatches on. */
  shape: ShapeId;
  /** Display only: the shape's label, e.g. "route handler", "Lambda handler", "route callback". */
  kind: string;
  /** The function's span (the whole function node). */
  span: Span;
  /** The span of the handler's name, for hovers. */
  nameSpan: Span;
  /** Parameter names in order; the first is usually the request/event. */
  params: string[];
}

/** Everything rules need to know about where a file runs. Computed once per file, shown to the user. */
export interface FileContext {
  fileName: string;
  platform: Decision<Platform>;
  runtime: Decision<Runtime>;
  role: Decision<Role>;
  plan: Decision<string>;
  /** The entry convention that matched (`next-app-route`, `lambda`, `workers` …), or 'none'. */
  framework: Decision<EntryId | 'none'>;
  handlers: HandlerInfo[];
  /** Cloudflare: Node.js compatibility is on (the `nodejs_compat` flag, or a compatibility date from 2026-08-04). */
  nodejsCompat: boolean;
  /** Cloudflare: why `nodejsCompat` is on or off, for explanations. */
  nodejsCompatReason?: string;
  /** The form of `waitUntil` the platform offers, used by fixes and hovers. */
  waitUntilForm: WaitUntilForm;
  /** The project root the platform was decided from (folder of the config file), if any. */
  projectRoot?: string;
  /** A function module's function entry: the entry whose imports reach it (the first by name). */
  entry?: string;
}

export type FixSafety = 'safe' | 'unsafe';

/** One replacement in a file. `fileName` absent means the analyzed file. */
export interface TextEdit {
  fileName?: string;
  span: Span;
  newText: string;
}

export interface Fix {
  /** Which of the rule's declared fixes this is (`meta.fixes[].id`); absent for the engine's own fixes. */
  id?: string;
  title: string;
  /** Safe fixes keep behaviour and are the only ones `--fix` and fixAll apply. */
  safety: FixSafety;
  edits: TextEdit[];
  /** Shown first in the editor's quick-fix menu. */
  preferred?: boolean;
}

export interface RelatedLocation {
  fileName: string;
  span: Span;
  range?: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** The id of the rule's message template (`meta.messages`), when the finding comes from a rule. */
  messageId?: string;
  span: Span;
  /** Filled in by the engine from `span`. */
  range: Range;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** A problem in a configuration file (ours or a platform's): shown as a diagnostic in that file. */
export interface ConfigProblem {
  fileName: string;
  span: Span;
  range?: Range;
  message: string;
  severity: Severity;
  ruleId: string;
}

/** A rule that threw: it is disabled for that file and reported once. */
export interface RuleFailure {
  ruleId: string;
  fileName: string;
  error: string;
  stack?: string;
}

export interface AnalysisResult {
  fileName: string;
  context: FileContext;
  findings: Finding[];
  /** Rules that threw on this file. */
  failures: RuleFailure[];
  /** Set when the file was not analyzed (too large, binary, too deeply nested), with the reason. */
  skipped?: string;
}
