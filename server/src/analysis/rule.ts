// What a rule is: metadata (docs, examples, fixes) plus a `create` that returns node-kind visitors.
// Rules never walk the tree themselves: the engine walks each file once and dispatches nodes to them.
import type * as ts from 'typescript';
import type { FileContext, Fix, FixSafety, Platform, Range, RelatedLocation, Runtime, Severity, Span, TextEdit } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import type { FileFacts } from './facts';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PyFacts } from '../python/facts';
import type { BindingUse, CallRef } from '../graph/functions';
import type { CalleeAnswer } from '../graph/graph';

export type RuleCategory = 'state' | 'async' | 'connections' | 'edge' | 'filesystem' | 'limits' | 'performance' | 'platform';

/** A code example in a rule's docs. The test suite runs every example: bad ones must fire, good ones must not. */
export interface RuleExample {
  /** The file the example pretends to be, which decides its context (e.g. `app/api/users/route.ts`). */
  fileName: string;
  code: string;
  /** Overrides platform detection for the example (the docs say which platform it is about). */
  platform?: string;
  plan?: string;
  /** Extra files of the example's project, e.g. `{ 'wrangler.toml': 'compatibility_flags = ["nodejs_compat"]' }`. */
  files?: Record<string, string>;
}

/**
 * A fix a rule offers, declared once: the code that builds it names it by `id` (`ctx.fix(id, edits)`), so its title
 * and safety come from here, and the fixture tests fail on a fix that is built but not declared or declared but
 * never built.
 */
export interface RuleFixDoc {
  /** Stable within the rule (kebab-case). */
  id: string;
  /** A template: `{{name}}` is filled from the data the code passes (the docs show the bare name). */
  title: string;
  safety: FixSafety;
  /** Shown first in the editor's quick-fix menu, unless the code that builds it says otherwise. */
  preferred?: boolean;
  /** When the fix is offered and what it does. */
  description: string;
}

/**
 * Which files a rule looks at, declared instead of written out as an `appliesTo` lambda: `'function-code'` is an entry
 * or a module an entry imports, `'function-entry'` only entries; the object form narrows further. A rule with a
 * condition that is not one of these keeps an `appliesTo` as well, and both must agree.
 */
export type RuleScope = RoleScope | { role: RoleScope; runtime?: Runtime; platform?: Platform; handlers?: true };
export type RoleScope = 'function-code' | 'function-entry' | 'any';

/** Whether a file's context is in a rule's scope. */
export function inScope(scope: RuleScope, context: FileContext): boolean {
  const s = typeof scope === 'string' ? { role: scope } : scope;
  const role = context.role.value;
  if (s.role === 'function-code' && role !== 'function-entry' && role !== 'function-module') return false;
  if (s.role === 'function-entry' && role !== 'function-entry') return false;
  if ('runtime' in s && s.runtime && context.runtime.value !== s.runtime) return false;
  if ('platform' in s && s.platform && context.platform.value !== s.platform) return false;
  if ('handlers' in s && s.handlers && context.handlers.length === 0) return false;
  return true;
}

export interface RuleMeta {
  /** Stable id (= file name). A contract: never rename. */
  id: string;
  severity: Severity;
  category: RuleCategory;
  /** Which files the rule looks at (TypeScript and JavaScript; a Python part runs on Python function code). */
  scope: RuleScope;
  /** One line: what it finds. */
  summary: string;
  /** A paragraph: why it breaks in serverless/edge runtimes. Shown in hovers and docs. */
  why: string;
  /** What to do instead (the action), one or two sentences. */
  action: string;
  bad: RuleExample[];
  good: RuleExample[];
  fixes: RuleFixDoc[];
  /**
   * The rule's messages by id (typescript-eslint's `messageId`): a template each, `{{name}}` filled from the data of
   * the report. A finding carries its id, so tests and docs can name a message without quoting its text.
   */
  messages: Record<string, string>;
  /** What the analysis cannot see: honest limits, listed in the docs. */
  limits: string[];
  /** Links to platform documentation. */
  references: string[];
}

/** The values a message or fix title template (`{{name}}`) is filled with. */
export type TemplateData = Readonly<Record<string, string | number>>;

/** Fills `{{name}}` placeholders; a placeholder without a value is a bug in the rule, so it throws. */
export function renderTemplate(template: string, data: TemplateData | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    const value = data?.[key];
    if (value === undefined) throw new Error(`no value for {{${key}}} in "${template}"`);
    return String(value);
  });
}

/** What the code that builds a fix passes besides its edits. */
export interface FixOptions {
  data?: TemplateData;
  /** Overrides the declared `preferred` (e.g. only inside async functions). */
  preferred?: boolean;
}

/** Builds the fix a rule declared as `id` in `meta.fixes`; an undeclared id throws (the rule is disabled for the file). */
export function declaredFix(meta: RuleMeta, id: string, edits: TextEdit[], opts: FixOptions = {}): Fix {
  const doc = meta.fixes.find((f) => f.id === id);
  if (!doc) throw new Error(`${meta.id} builds the fix "${id}", which its meta.fixes does not declare`);
  const preferred = opts.preferred ?? doc.preferred;
  return { id, title: renderTemplate(doc.title, opts.data), safety: doc.safety, edits, ...(preferred !== undefined ? { preferred } : {}) };
}

/** What a rule passes to build one of its declared fixes. */
export type FixBuilder = (id: string, edits: TextEdit[], opts?: FixOptions) => Fix;

/** Which of the rule's `meta.messages` a finding says, and the values of its placeholders. */
export interface MessageRef {
  messageId: string;
  data?: TemplateData;
}

/** The text and id of a reported message, from the rule's declared template; an undeclared id throws. */
export function declaredMessage(meta: RuleMeta, ref: MessageRef): { message: string; messageId: string } {
  const template = Object.hasOwn(meta.messages, ref.messageId) ? meta.messages[ref.messageId] : undefined;
  if (template === undefined) throw new Error(`${meta.id} reports the message "${ref.messageId}", which its meta.messages does not declare`);
  return { message: renderTemplate(template, ref.data), messageId: ref.messageId };
}

export interface ReportDescriptor extends MessageRef {
  /** The node to underline (its own text, without leading trivia). */
  node?: ts.Node;
  /** Or an explicit span. */
  span?: Span;
  /** Overrides the rule's default severity for this finding (e.g. W on Vercel, E elsewhere). */
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

/** What is known about an installed package, found by a bounded look into node_modules (cross-file analysis). */
export interface PackageFacts {
  name: string;
  version?: string;
  /** A native addon: `gypfile: true`, `binding.gyp`, `prebuilds/` or `.node` files. */
  native: boolean;
  /** Node builtins the package's entry (for the runtime's export conditions) imports. */
  nodeBuiltins: string[];
  /** Why `native` / `nodeBuiltins` were decided, for messages and hovers. */
  reason?: string;
}

/** Answers questions about installed packages; supplied by the caller (it reads node_modules through the Host). */
export interface PackageLookup {
  inspect(specifier: string, fromFile: string): PackageFacts | undefined;
}

/** A path from one of a file's imports to Node-only code, through local modules and installed packages. */
export interface ImportChain {
  /** The file's own import that starts the chain. */
  start: { specifier: string; span: Span };
  /** Every import along the way, the file's own first; the last one loads the culprit. */
  hops: Array<{ fileName: string; specifier: string; span: Span; range: Range }>;
  culprit: { kind: 'builtin' | 'native'; module: string; detail: string };
}

/** Cross-file answers, supplied by the caller's module graph (which reads files through the Host). */
export interface GraphView {
  nodeOnlyChains(fileName: string, query: { runtime: Runtime; platform: Platform; builtinAllowed(module: string): boolean }): ImportChain[];
  /** The summarized function a call leads to (graph/functions.ts), through imports, re-exports, objects and `this.x`. */
  callee?(fileName: string, ref: CallRef, runtime: Runtime, platform: Platform): CalleeAnswer | undefined;
  /** Why a callee returns a promise, following the calls it returns. */
  promiseOf?(answer: CalleeAnswer, runtime: Runtime, platform: Platform): { fileName: string; why: string; at: Span; binding?: BindingUse } | undefined;
  /** Which argument a call's callee always sends the response through, itself or through the functions it hands it to. */
  sendsOf?(answer: CalleeAnswer, runtime: Runtime, platform: Platform): { param: number; what: string; fileName: string; at: Span } | undefined;
  /** The client a call's callee creates on every call, itself or through the calls it returns. */
  clientOf?(
    answer: CalleeAnswer,
    runtime: Runtime,
    platform: Platform,
  ): { fileName: string; display: string; at: Span; via: Array<{ fileName: string; at: Span }> } | undefined;
  /** The module-scope writes a call's callee makes from its arguments, through the functions it hands them on to. */
  writesOf?(
    answer: CalleeAnswer,
    runtime: Runtime,
    platform: Platform,
  ): Array<{ target: string; param: number; fileName: string; at: Span; sharedInstance: boolean; via: Array<{ fileName: string; at: Span }> }>;
  /** The module-level object or instance an imported name binds. */
  singleton?(fileName: string, local: string, runtime: Runtime, platform: Platform): { fileName: string; kind: 'object' | 'instance'; at: Span } | undefined;
  /** Line and character of a span in a module of the graph. */
  rangeIn?(fileName: string, span: Span): Range;
  /** Whether an import specifier of a module resolves to a file of the project (not a package, builtin or nothing). */
  resolvesToFile?(specifier: string, fromFile: string, runtime: Runtime, platform: Platform): boolean;
}

export interface RuleContext {
  readonly fileName: string;
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  readonly context: FileContext;
  readonly settings: Settings;
  /** Shared per-file facts (imports, module-scope bindings, handlers, symbols), computed lazily once. */
  readonly facts: FileFacts;
  /** Installed-package facts, when the caller can read node_modules (the CLI and the server can; tests may not). */
  readonly packages?: PackageLookup;
  /** The workspace module graph, when the caller has one (LintService does). */
  readonly graph?: GraphView;
  report(descriptor: ReportDescriptor): void;
  /** Builds a fix declared in the rule's `meta.fixes`. */
  fix: FixBuilder;
}

export type NodeVisitor = (node: ts.Node) => void;

/**
 * The node type of a syntax kind, for the kinds rules visit: a visitor keyed by `ts.SyntaxKind.CallExpression`
 * receives a `ts.CallExpression`. A kind not listed here gives `ts.Node`; add it here when a rule first visits it.
 */
export type NodeOfKind<K extends ts.SyntaxKind> = K extends ts.SyntaxKind.CallExpression
  ? ts.CallExpression
  : K extends ts.SyntaxKind.NewExpression
    ? ts.NewExpression
    : K extends ts.SyntaxKind.Identifier
      ? ts.Identifier
      : K extends ts.SyntaxKind.AwaitExpression
        ? ts.AwaitExpression
        : K extends ts.SyntaxKind.BinaryExpression
          ? ts.BinaryExpression
          : K extends ts.SyntaxKind.PrefixUnaryExpression
            ? ts.PrefixUnaryExpression
            : K extends ts.SyntaxKind.PostfixUnaryExpression
              ? ts.PostfixUnaryExpression
              : K extends ts.SyntaxKind.VariableDeclaration
                ? ts.VariableDeclaration
                : K extends ts.SyntaxKind.VariableStatement
                  ? ts.VariableStatement
                  : K extends ts.SyntaxKind.ExpressionStatement
                    ? ts.ExpressionStatement
                    : K extends ts.SyntaxKind.ReturnStatement
                      ? ts.ReturnStatement
                      : K extends ts.SyntaxKind.WhileStatement
                        ? ts.WhileStatement
                        : K extends ts.SyntaxKind.DoStatement
                          ? ts.DoStatement
                          : K extends ts.SyntaxKind.ForStatement
                            ? ts.ForStatement
                            : K extends ts.SyntaxKind.ImportDeclaration
                              ? ts.ImportDeclaration
                              : K extends ts.SyntaxKind.ImportEqualsDeclaration
                                ? ts.ImportEqualsDeclaration
                                : K extends ts.SyntaxKind.ExportDeclaration
                                  ? ts.ExportDeclaration
                                  : K extends ts.SyntaxKind.SourceFile
                                    ? ts.SourceFile
                                    : ts.Node;

/** Visitors keyed by syntax kind, each receiving its kind's node type (`NodeOfKind`). */
export type KindVisitors = { [K in ts.SyntaxKind]?: (node: NodeOfKind<K>) => void };

/** Visitors keyed by `ts.SyntaxKind`. `enter` runs before a node's children, `exit` after; `end` once at the end. */
export interface RuleListener {
  enter?: KindVisitors;
  exit?: KindVisitors;
  end?(): void;
}

/** What the Python part of a rule sees: the file's Python facts (tree-sitter), its context, and a report. */
export interface PythonRuleContext {
  readonly fileName: string;
  readonly text: string;
  readonly context: FileContext;
  readonly settings: Settings;
  readonly facts: PyFacts;
  report(descriptor: MessageRef & { node?: PyNode; span?: Span; severity?: Severity; fixes?: Fix[] }): void;
  /** Builds a fix declared in the rule's `meta.fixes`. */
  fix: FixBuilder;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * The rule's Python part, beside `create` in the rule's own file: called once per analyzed .py file that is function
   * code (the rule's `scope` and `appliesTo` are for TypeScript contexts and are not asked). It reads `ctx.facts` and never walks the tree recursively.
   */
  python?(ctx: PythonRuleContext): void;
  /**
   * Called once per file, or not at all when the file is out of `meta.scope` or `appliesTo` says no. Return the visitors for the nodes the
   * rule wants; return an empty listener when nothing in this file can match.
   */
  create(ctx: RuleContext): RuleListener;
  /** A cheap pre-filter beyond `meta.scope`, for conditions a scope cannot say: when it returns false the rule never sees the file. */
  appliesTo?(context: FileContext): boolean;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
