// The analysis core: source + context + settings → findings. No LSP types, no I/O of its own.
// Each file is parsed once and walked once; nodes are dispatched to the rules that asked for their kind.
import * as ts from 'typescript';
import type { AnalysisResult, FileContext, Finding, Range, RuleFailure, Runtime, Severity, Span } from '../../../shared/src/types';
import { severityOfLevel } from '../../../shared/src/severity';
import type { Settings } from '../../../shared/src/settings';
import {
  declaredFix,
  declaredMessage,
  inScope,
  type GraphView,
  type NodeVisitor,
  type PackageLookup,
  type ReportDescriptor,
  type Rule,
  type RuleContext,
  type KindVisitors,
  type RuleListener,
} from './rule';
import type { ProjectInfo } from './project';
import { computeContext, type ComputedContext } from './context';
import { FileFacts } from './facts';
import { CrossFile, type CalleeGraph } from './callees';
import { GUARD_KINDS, unreachableChildren, type ConditionMemo } from './guards';
import { findSuppressions, suppressionFor, type Suppression } from './suppressions';
import { indexTree, kindTable } from './tree';
import { parseSource } from './parse';
import { scriptOf, toFileResult, type EmbeddedScript } from './embedded';

export interface AnalyzeInput {
  fileName: string;
  text: string;
  project: ProjectInfo;
  settings: Settings;
  rules: readonly Rule[];
  workspaceRoot?: string;
  /** Set by cross-file analysis when a function entry imports this module. */
  reachableFrom?: string;
  /** Installed-package facts (native addons, Node-only entries), when the caller can read node_modules. */
  packages?: PackageLookup;
  /** The workspace module graph, for cross-file rules. */
  graph?: GraphView;
  /**
   * How the caller parses, when it has a better way than `parseSource`: the service shares one parse with the
   * module graph, and an editor service reparses incrementally. Called only when the file is analyzed.
   */
  parse?: () => ts.SourceFile | { error: string };
}

/** 1 for the kinds the walker asks `unreachableChildren` about. */
const GUARD = kindTable((k) => (GUARD_KINDS.has(k) ? 1 : 0));

/** The kinds each rule's `enter` and `exit` visitors are keyed by, read off its first listener. */
const RULE_KINDS = new WeakMap<Rule, { enter?: ts.SyntaxKind[]; exit?: ts.SyntaxKind[] }>();

/**
 * The kinds a listener's visitors are keyed by. A rule keys its visitors by the same kinds in every file (a test
 * holds every rule to it: `test/engine.test.ts`), so they are enumerated once per rule, not per file: the keys are
 * integer-like, stored as array elements up to the largest kind, and Object.keys over them per file and rule made a
 * tenth of all the bytes the CLI allocated.
 */
export function listenerKinds(rule: Rule, which: 'enter' | 'exit', fns: KindVisitors): readonly ts.SyntaxKind[] {
  let known = RULE_KINDS.get(rule);
  if (!known) RULE_KINDS.set(rule, (known = {}));
  return (known[which] ??= Object.keys(fns).map((k) => Number(k) as ts.SyntaxKind));
}

/** A rule's visitor and its index in the rule list, as a dispatch table holds it. */
type DispatchEntry = { rule: number; fn: NodeVisitor };

/** Files a listener's visitors into the table (per node kind) they are dispatched from; the number filed. */
function register(table: Array<DispatchEntry[] | undefined>, index: number, rule: Rule, which: 'enter' | 'exit', fns: KindVisitors): number {
  let filed = 0;
  for (const kind of listenerKinds(rule, which, fns)) {
    // The walk dispatches by kind, so the node a visitor receives is of the type its key promises.
    const fn = fns[kind] as NodeVisitor | undefined;
    if (!fn) continue;
    (table[kind] ??= []).push({ rule: index, fn });
    filed++;
  }
  return filed;
}

/** What the walk dispatches: the visitors by node kind, the rules disabled so far, and how a throwing rule is disabled. */
interface Dispatch {
  enter: Array<DispatchEntry[] | undefined>;
  exit: Array<DispatchEntry[] | undefined>;
  disabled: Set<number>;
  fail(rule: number, error: unknown): void;
}

/**
 * One pass over the file's pre-order index (built by the parse's walk; no recursion, so deep files cannot overflow
 * the stack). A node's exit visitors run once the pass has left its subtree; subtrees that cannot run in this
 * runtime, and the entry's browser code (a route module's component), are jumped over.
 */
function walkFile(sf: ts.SourceFile, runtime: Runtime, browserCode: readonly ts.Node[], { enter, exit, disabled, fail }: Dispatch): void {
  const dispatch = (list: DispatchEntry[], node: ts.Node) => {
    for (const entry of list) {
      if (disabled.size && disabled.has(entry.rule)) continue;
      try {
        entry.fn(node);
      } catch (e) {
        fail(entry.rule, e);
      }
    }
  };
  // Only a file that names a runtime guard can have one: the others skip the question on every block and operator.
  const guarded = sf.text.includes('NEXT_RUNTIME') || sf.text.includes('EdgeRuntime');
  const memo: ConditionMemo = new Map();
  const { nodes, kinds, end } = indexTree(sf);
  const open: number[] = [];
  let skip: Set<ts.Node> | undefined = browserCode.length ? new Set(browserCode) : undefined;
  const count = nodes.length;
  for (let i = 0; i < count; ) {
    while (open.length && end[open[open.length - 1]] <= i) {
      const j = open.pop()!;
      dispatch(exit[kinds[j]]!, nodes[j]);
    }
    const node = nodes[i];
    if (skip?.has(node)) {
      i = end[i];
      continue;
    }
    const kind = kinds[i];
    const list = enter[kind];
    if (list !== undefined) dispatch(list, node);
    if (exit[kind] !== undefined) open.push(i);
    if (guarded && GUARD[kind] === 1) {
      const unreachable = unreachableChildren(node, runtime, memo);
      if (unreachable.length) {
        skip ??= new Set();
        for (const u of unreachable) skip.add(u);
      }
    }
    i++;
  }
  while (open.length) {
    const j = open.pop()!;
    dispatch(exit[kinds[j]]!, nodes[j]);
  }
}

/** Ids of the findings the engine itself reports (not rules). */
export const ENGINE_IDS = {
  unusedSuppression: 'unused-suppression',
  skipped: 'analysis-skipped',
  failed: 'analysis-failed',
} as const;

// Parsing lives in parse.ts, which the module graph imports without the engine (no analysis <-> graph loop).
export { parseSource, reparseSource, scriptKindOf } from './parse';

/**
 * Why an analysis that threw failed, in words for the finding: the error's message, and for a stack overflow
 * (a construct nested deeper than some pass could follow) what that means for the file.
 */
export function failureCause(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof RangeError && /call stack/i.test(error.message)) return `${message} (a construct in the file is nested too deeply to analyze)`;
  return message;
}

function looksBinary(text: string): boolean {
  const head = text.length > 8192 ? text.slice(0, 8192) : text;
  return head.includes('\u0000');
}

/** The context of a file that was not analyzed. */
function unanalyzedContext(fileName: string): FileContext {
  return {
    fileName,
    platform: { value: 'unknown', reason: 'the file was not analyzed' },
    runtime: { value: 'node', reason: 'the file was not analyzed' },
    role: { value: 'other', reason: 'the file was not analyzed' },
    plan: { value: 'n/a', reason: 'the file was not analyzed' },
    framework: { value: 'none', reason: 'the file was not analyzed' },
    handlers: [],
    nodejsCompat: false,
    waitUntilForm: 'none',
  };
}

/**
 * A file that was not analyzed, and why: a warning, not an info note, so that a file with errors cannot pass a CI
 * run that treats warnings as failures (`--max-warnings 0`) just because one construct in it could not be followed.
 */
/** Also for files the host would not read (service.ts). */
export function skippedResult(input: Pick<AnalyzeInput, 'fileName'>, reason: string, context?: FileContext): AnalysisResult {
  return notAnalyzed(input.fileName, ENGINE_IDS.skipped, `Serverless Lint skipped this file: ${reason}.`, reason, context);
}

function notAnalyzed(fileName: string, ruleId: string, message: string, reason: string, context?: FileContext): AnalysisResult {
  const finding: Finding = {
    ruleId,
    severity: 'warning',
    message,
    span: { start: 0, end: 0 },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
  return { fileName, context: context ?? unanalyzedContext(fileName), findings: [finding], failures: [], skipped: reason };
}

/**
 * The result of an analysis that threw outside any one rule (the context, the shared facts, the guards, the walk,
 * the suppressions): one "analysis-failed" warning with the cause, so the run and the server go on with the other
 * files. `skipped` carries the reason, so the file is listed among those not analyzed.
 */
export function failedResult(fileName: string, error: unknown): AnalysisResult {
  const cause = failureCause(error);
  return notAnalyzed(
    fileName,
    ENGINE_IDS.failed,
    `Serverless Lint could not analyze this file: ${cause}. Please report it with the file's shape (not its code) if you can.`,
    `the analysis failed: ${cause}`,
  );
}

/** What is decided before any rule runs: the tree and the file's context, or why the file is not analyzed. */
function prepare(input: AnalyzeInput): { sf: ts.SourceFile; context: FileContext; scan: ComputedContext['scan'] } | { skipped: AnalysisResult } {
  const { text, settings } = input;
  if (text.length > settings.maxFileSize) {
    return {
      skipped: skippedResult(
        input,
        `it is larger than serverlessLint.maxFileSize (${(text.length / 1024 / 1024).toFixed(1)} MB > ${(settings.maxFileSize / 1024 / 1024).toFixed(1)} MB)`,
      ),
    };
  }
  if (looksBinary(text)) return { skipped: skippedResult(input, 'it looks like a binary file') };
  const parsed = input.parse?.() ?? parseSource(input.fileName, text);
  if ('error' in parsed) return { skipped: skippedResult(input, parsed.error) };
  const { context, scan } = computeContext({
    fileName: input.fileName,
    sourceFile: parsed,
    project: input.project,
    settings,
    workspaceRoot: input.workspaceRoot,
    reachableFrom: input.reachableFrom,
  });
  return { sf: parsed, context, scan };
}

/** The file's context as `analyzeFile` decides it, without running the rules (what entry discovery needs). */
export function contextOfFile(input: Omit<AnalyzeInput, 'rules'>): FileContext {
  try {
    const prepared = prepare({ ...input, rules: [] });
    if ('skipped' in prepared) return prepared.skipped.context;
    // Handler spans of an embedded script are shown in the file (analyzeFile maps them the same way).
    const script = scriptOf(prepared.sf);
    if (!script) return prepared.context;
    return toFileResult(script, input.fileName, input.text, { fileName: input.fileName, context: prepared.context, findings: [], failures: [] }).context;
  } catch {
    return unanalyzedContext(input.fileName);
  }
}

/** The tree, context and facts `analyzeFile` would use (reachability included), without running the rules: for hovers. */
export function factsOfFile(input: Omit<AnalyzeInput, 'rules'>): { sourceFile: ts.SourceFile; facts: FileFacts } | undefined {
  try {
    const prepared = prepare({ ...input, rules: [] });
    return 'skipped' in prepared ? undefined : { sourceFile: prepared.sf, facts: new FileFacts(prepared.sf, prepared.context, prepared.scan) };
  } catch {
    return undefined; // the hover shows nothing for a file whose analysis throws; the diagnostics say why
  }
}

/**
 * Analyzes one file with the given rules. Never throws: a rule that throws is disabled for the file and reported,
 * and anything else that throws (a stack overflow included) becomes the file's one "analysis-failed" finding.
 */
export function analyzeFile(input: AnalyzeInput): AnalysisResult {
  try {
    const { result, script } = analyzeUnguarded(input);
    // The script of a file with embedded code (an Astro frontmatter) was analyzed: its offsets are mapped into the file.
    return script && !result.skipped ? toFileResult(script, input.fileName, input.text, result) : result;
  } catch (e) {
    return failedResult(input.fileName, e);
  }
}

function analyzeUnguarded(input: AnalyzeInput): { result: AnalysisResult; script?: EmbeddedScript } {
  // Read once, here: the inputs of successive calls need not share a hidden class, and a property read of `input`
  // after the walk made the walk's optimized (on-stack-replaced) code deoptimize at the end of 16 of the first 40
  // edits in the editor path (V8 --trace-deopt: "wrong map").
  const { settings, fileName, packages, graph } = input;
  const prepared = prepare(input);
  if ('skipped' in prepared) return { result: prepared.skipped };
  const { sf, context, scan } = prepared;
  // Rules read the text the tree was parsed from: the file's, or the script of a file with embedded code.
  const text = sf.text;
  const facts = new FileFacts(sf, context, scan);
  facts.configBindings = input.project.workerBindings;
  if (
    graph?.callee &&
    graph.promiseOf &&
    graph.singleton &&
    graph.rangeIn &&
    graph.writesOf &&
    graph.clientOf &&
    graph.sendsOf &&
    (context.role.value === 'function-entry' || context.role.value === 'function-module')
  ) {
    facts.crossFile = new CrossFile(graph as CalleeGraph, facts, fileName, context.runtime.value, context.platform.value, context.projectRoot);
  }
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];

  // Build the dispatch tables: for each node kind, the (rule, visitor) pairs that want it.
  const enter: Array<DispatchEntry[] | undefined> = [];
  const exit: Array<DispatchEntry[] | undefined> = [];
  let visitors = 0;
  const listeners: Array<RuleListener | undefined> = [];
  /** The rules whose listener has an `end`, in order. */
  const ends: number[] = [];
  const disabled = new Set<number>();
  const ruleList = input.rules;

  const fail = (index: number, error: unknown) => {
    if (disabled.has(index)) return;
    disabled.add(index);
    const err = error as Error;
    failures.push({ ruleId: ruleList[index].meta.id, fileName, error: String(err?.message ?? err), stack: err?.stack });
  };

  for (let i = 0; i < ruleList.length; i++) {
    const rule = ruleList[i];
    const level = severityOfLevel(settings.rules[rule.meta.id], rule.meta.severity);
    if (level === 'off') {
      listeners.push(undefined);
      continue;
    }
    try {
      if (!inScope(rule.meta.scope, context) || (rule.appliesTo && !rule.appliesTo(context))) {
        listeners.push(undefined);
        continue;
      }
      const ruleContext: RuleContext = {
        fileName,
        sourceFile: sf,
        text,
        context,
        settings,
        facts,
        packages,
        graph,
        report: (d: ReportDescriptor) => findings.push(makeFinding(sf, rule, d, settings)),
        fix: (id, edits, opts) => declaredFix(rule.meta, id, edits, opts),
      };
      const listener = rule.create(ruleContext);
      listeners.push(listener);
      // Each listener is looked at here, once: listeners of 25 rules have as many shapes, and reading them again
      // in the loops below made those loops' optimized code bail out file after file (--trace-deopt: "wrong map").
      if (listener.enter) visitors += register(enter, i, rule, 'enter', listener.enter);
      if (listener.exit) visitors += register(exit, i, rule, 'exit', listener.exit);
      if (listener.end) ends.push(i);
    } catch (e) {
      listeners.push(undefined);
      fail(i, e);
    }
  }

  // One pass over the file's pre-order index, in a function of its own: when V8 deoptimizes this one (an input
  // object of a shape it had not met), the walk's optimized code stays.
  if (visitors) walkFile(sf, context.runtime.value, scan.browserCode, { enter, exit, disabled, fail });
  for (const i of ends) {
    if (disabled.has(i)) continue;
    try {
      listeners[i]!.end!();
    } catch (e) {
      fail(i, e);
    }
  }

  // TypeScript's own recursive passes behind the lazy checker (the binder) run out of stack on very deeply nested
  // files, in whichever rule asks first. That is the file's depth, not a rule bug: one note, as for the parser.
  if (failures.some((f) => /Maximum call stack size exceeded/.test(f.error)) && nestedDeeperThan(sf, DEEP_NESTING)) {
    return { result: skippedResult(input, 'the file is too deeply nested to analyze (TypeScript ran out of stack)', context) };
  }
  const kept = applySuppressions(sf, findings);
  kept.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { result: { fileName, context, findings: kept, failures }, script: scriptOf(sf) };
}

/** Syntax tree depth beyond which a stack overflow is blamed on the file rather than on the rule that hit it. */
const DEEP_NESTING = 1000;

/** Whether the tree is deeper than `limit` (iterative, stops early; only run after a stack overflow). */
function nestedDeeperThan(sf: ts.SourceFile, limit: number): boolean {
  const stack: Array<[ts.Node, number]> = [[sf, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    ts.forEachChild(node, (c) => {
      stack.push([c, depth + 1]);
    });
  }
  return false;
}

function rangeOf(sf: ts.SourceFile, span: Span): Range {
  const s = sf.getLineAndCharacterOfPosition(span.start);
  const e = sf.getLineAndCharacterOfPosition(span.end);
  // A byte order mark read from disk (the CLI) is a character of the text but no column of the first line: editors
  // hide it, and so do the code frames.
  const bom = sf.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const column = (p: ts.LineAndCharacter) => (bom && p.line === 0 ? Math.max(0, p.character - 1) : p.character);
  return { start: { line: s.line, character: column(s) }, end: { line: e.line, character: column(e) } };
}

function makeFinding(sf: ts.SourceFile, rule: Rule, d: ReportDescriptor, settings: Settings): Finding {
  const span = d.span ?? (d.node ? { start: d.node.getStart(sf), end: d.node.getEnd() } : { start: 0, end: 0 });
  // A level the user configured wins over the rule's own (possibly context-dependent) severity.
  const configured = severityOfLevel(settings.rules[rule.meta.id], d.severity ?? rule.meta.severity);
  const severity: Severity = configured === 'off' ? (d.severity ?? rule.meta.severity) : configured;
  return {
    ruleId: rule.meta.id,
    severity,
    ...declaredMessage(rule.meta, d),
    span,
    range: rangeOf(sf, span),
    // A related place in this file gets its line here, where the text is at hand; one in another file keeps its
    // span, and the front ends place it (the editor from its document, the CLI by reading the file).
    related: d.related?.map((r) => ({ ...r, range: r.range ?? (r.fileName === sf.fileName ? rangeOf(sf, r.span) : undefined) })),
    fixes: d.fixes,
  };
}

/** Where each kind of suppression looks for findings, in the "Unused suppression" message. */
function where(s: Suppression): string {
  if (s.kind === 'line') return 'on this line';
  if (s.kind === 'next-line') return 'on the next line';
  if (s.kind === 'file') return 'in this file';
  return s.to === Number.MAX_SAFE_INTEGER && !s.until ? 'after this comment' : 'between this comment and its enable comment';
}

function applySuppressions(sf: ts.SourceFile, findings: Finding[]): Finding[] {
  const suppressions = findSuppressions(sf);
  if (suppressions.length === 0) return findings;
  const kept = findings.filter((f) => !suppressionFor(suppressions, f.ruleId, f.range.start.line));
  for (const s of suppressions) {
    if (s.kind === 'invalid') {
      // A malformed directive suppresses nothing; it is a typo to correct, not a comment to delete, so no fix.
      kept.push({
        ruleId: ENGINE_IDS.unusedSuppression,
        severity: 'info',
        message: `Suppression comment not understood: ${s.error}`,
        span: s.span,
        range: rangeOf(sf, s.span),
      });
      continue;
    }
    const unused = s.rules.length === 0 ? (s.used.size === 0 ? ['(all rules)'] : []) : s.rules.filter((r) => !s.used.has(r));
    if (unused.length === 0) continue;
    const line = sf.getLineAndCharacterOfPosition(s.span.start).line;
    const lineEnd = sf.getLineEndOfPosition(s.span.start);
    const lineStart = sf.getPositionOfLineAndCharacter(line, 0);
    // Removing the whole comment is the fix when nothing in it is used; otherwise the user edits the list.
    const removeAll = unused.length === s.rules.length || s.rules.length === 0;
    const onlyComment = sf.text.slice(lineStart, s.span.start).trim() === '';
    const removal = onlyComment ? { start: lineStart, end: Math.min(sf.text.length, lineEnd + (sf.text[lineEnd] === '\r' ? 2 : 1)) } : s.span;
    kept.push({
      ruleId: ENGINE_IDS.unusedSuppression,
      severity: 'info',
      message: `Unused suppression: no ${unused.join(', ')} finding ${where(s)} to disable.`,
      span: s.span,
      range: rangeOf(sf, s.span),
      fixes: removeAll ? [{ title: 'Remove unused suppression comment', safety: 'safe', edits: [{ span: removal, newText: '' }] }] : undefined,
    });
  }
  return kept;
}
