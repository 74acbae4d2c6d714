// The analysis of one Python file: parse (tree-sitter), Python facts, context, the Python part of every rule, and the
// `#` suppression comments. Same contract as `analyzeFile` for TypeScript: never throws, a rule that throws is disabled
// for the file and reported, anything else that throws is the file's one "analysis-failed" finding.
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import type { AnalysisResult, FileContext, Finding, Range, Severity, Span } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import type { ProjectInfo } from '../analysis/project';
import { declaredFix, declaredMessage, type PythonRuleContext, type Rule } from '../analysis/rule';
import { ENGINE_IDS, failedResult, skippedResult } from '../analysis/engine';
import { severityOfLevel } from '../../../shared/src/severity';
import { parseDirective, suppressionFor, suppressionsFrom, type DirectiveComment, type Suppression } from '../analysis/suppressions';
import { computePythonContext, type PythonContextInput, type VercelPythonConfig } from './context';
import { PyFacts } from './facts';
import { parsePython } from './parser';

export interface PythonAnalyzeInput {
  fileName: string;
  text: string;
  project: ProjectInfo;
  settings: Settings;
  rules: readonly Rule[];
  workspaceRoot?: string;
  vercelConfig?: VercelPythonConfig;
  /** The function entry whose imports reach this module, asked only when the file is no entry itself. */
  reachableFrom?: PythonContextInput['reachableFrom'];
  /** The module Vercel serves for the Python project at a root with zero configuration. */
  vercelEntry?: PythonContextInput['vercelEntry'];
  /** The modules of the project at a root that Vercel invokes with queue messages. */
  vercelSubscribers?: PythonContextInput['vercelSubscribers'];
  /** A tree the caller parsed and keeps (an editor service reparses incrementally from it); the engine does not delete it. */
  tree?: Tree;
}

/** Offsets of line starts, for ranges. */
class Lines {
  private readonly starts = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  startOf(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
  range(span: Span): Range {
    const sl = this.lineOf(span.start);
    const el = this.lineOf(span.end);
    return { start: { line: sl, character: span.start - this.starts[sl] }, end: { line: el, character: span.end - this.starts[el] } };
  }
}

/** Whether the text holds NUL bytes in its first 8 kB: binary data named .py. */
function looksBinary(text: string): boolean {
  return (text.length > 8192 ? text.slice(0, 8192) : text).includes('\u0000');
}

/** The context and facts of a parsed file (the hover and `--explain` use this too); the caller deletes the tree. */
export function preparePython(input: Omit<PythonAnalyzeInput, 'rules'>): { tree: Tree; facts: PyFacts; context: FileContext } | { skipped: AnalysisResult } {
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
  const tree = input.tree ?? parsePython(text);
  if ('error' in tree) return { skipped: skippedResult(input, tree.error) };
  try {
    const facts = new PyFacts(tree, text);
    const context = computePythonContext({ ...input, facts });
    return { tree, facts, context };
  } catch (e) {
    if (!input.tree) tree.delete();
    throw e;
  }
}

/** Analyzes one Python file with the Python parts of the given rules. Never throws. */
export function analyzePython(input: PythonAnalyzeInput): AnalysisResult {
  let prepared: ReturnType<typeof preparePython>;
  try {
    prepared = preparePython(input);
  } catch (e) {
    return failedResult(input.fileName, e);
  }
  if ('skipped' in prepared) return prepared.skipped;
  const { tree, facts, context } = prepared;
  try {
    return run(input, facts, context);
  } catch (e) {
    return failedResult(input.fileName, e);
  } finally {
    // The tree lives in the WebAssembly heap: free it now (the results hold plain data only), unless the caller keeps it.
    if (!input.tree) tree.delete();
  }
}

function run(input: PythonAnalyzeInput, facts: PyFacts, context: FileContext): AnalysisResult {
  const { fileName, text, settings } = input;
  const lines = new Lines(text);
  const findings: Finding[] = [];
  const failures: AnalysisResult['failures'] = [];
  const functionCode = context.role.value === 'function-entry' || context.role.value === 'function-module';
  if (functionCode) {
    for (const rule of input.rules) {
      if (!rule.python) continue;
      const level = severityOfLevel(settings.rules[rule.meta.id], rule.meta.severity);
      if (level === 'off') continue;
      const ctx: PythonRuleContext = {
        fileName,
        text,
        context,
        settings,
        facts,
        fix: (id, edits, opts) => declaredFix(rule.meta, id, edits, opts),
        report(d) {
          const span = d.span ?? (d.node ? { start: d.node.startIndex, end: d.node.endIndex } : { start: 0, end: 0 });
          const configured = severityOfLevel(settings.rules[rule.meta.id], d.severity ?? rule.meta.severity);
          const severity: Severity = configured === 'off' ? (d.severity ?? rule.meta.severity) : configured;
          findings.push({ ruleId: rule.meta.id, severity, ...declaredMessage(rule.meta, d), span, range: lines.range(span), fixes: d.fixes });
        },
      };
      try {
        rule.python(ctx);
      } catch (e) {
        const err = e as Error;
        failures.push({ ruleId: rule.meta.id, fileName, error: String(err?.message ?? err), stack: err?.stack });
      }
    }
  }
  const kept = applySuppressions(facts, lines, findings);
  kept.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
  return { fileName, context, findings: kept, failures };
}

/** The `#` directive comments of the file, in text order. */
function directiveComments(facts: PyFacts, lines: Lines): DirectiveComment[] {
  if (!facts.text.includes('serverless-lint-')) return [];
  const out: DirectiveComment[] = [];
  for (const c of facts.ofType(facts.root, 'comment')) {
    const parsed = parseDirective(c.text.slice(1));
    if (!parsed) continue;
    const span = { start: c.startIndex, end: c.endIndex };
    const startLine = lines.lineOf(span.start);
    out.push({ parsed, span, startLine, endLine: startLine, codeBefore: facts.text.slice(lines.startOf(startLine), span.start).trim() !== '' });
  }
  return out;
}

/** The offset of the first statement (comments are extras of the module, not statements). */
function firstCode(root: Node, text: string): number {
  for (const child of root.namedChildren) if (child && child.type !== 'comment') return child.startIndex;
  return text.length;
}

function where(s: Suppression): string {
  if (s.kind === 'line') return 'on this line';
  if (s.kind === 'next-line') return 'on the next line';
  if (s.kind === 'file') return 'in this file';
  return s.to === Number.MAX_SAFE_INTEGER && !s.until ? 'after this comment' : 'between this comment and its enable comment';
}

function applySuppressions(facts: PyFacts, lines: Lines, findings: Finding[]): Finding[] {
  const suppressions = suppressionsFrom(directiveComments(facts, lines), firstCode(facts.root, facts.text));
  if (suppressions.length === 0) return findings;
  const kept = findings.filter((f) => !suppressionFor(suppressions, f.ruleId, f.range.start.line));
  for (const s of suppressions) {
    if (s.kind === 'invalid') {
      kept.push({
        ruleId: ENGINE_IDS.unusedSuppression,
        severity: 'info',
        message: `Suppression comment not understood: ${s.error}`,
        span: s.span,
        range: lines.range(s.span),
      });
      continue;
    }
    const unused = s.rules.length === 0 ? (s.used.size === 0 ? ['(all rules)'] : []) : s.rules.filter((r) => !s.used.has(r));
    if (unused.length === 0) continue;
    const line = lines.lineOf(s.span.start);
    const lineStart = lines.startOf(line);
    const lineEnd = line + 1 < Number.MAX_SAFE_INTEGER ? lines.startOf(line + 1) : facts.text.length;
    const removeAll = unused.length === s.rules.length || s.rules.length === 0;
    const onlyComment = facts.text.slice(lineStart, s.span.start).trim() === '';
    const removal = onlyComment ? { start: lineStart, end: Math.min(facts.text.length, lineEnd) } : s.span;
    kept.push({
      ruleId: ENGINE_IDS.unusedSuppression,
      severity: 'info',
      message: `Unused suppression: no ${unused.join(', ')} finding ${where(s)} to disable.`,
      span: s.span,
      range: lines.range(s.span),
      fixes: removeAll ? [{ title: 'Remove unused suppression comment', safety: 'safe', edits: [{ span: removal, newText: '' }] }] : undefined,
    });
  }
  return kept;
}
