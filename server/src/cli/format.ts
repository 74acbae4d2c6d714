// Output formats of the CLI: text with code frames, ESLint-shaped JSON, and SARIF 2.1.0.
import { offsetToPosition } from '../analysis/project';
import type * as Sarif from 'sarif';
import { createTwoFilesPatch } from 'diff';
import type { ConfigProblem, FileContext, Finding, Range, Severity, Span } from '../../../shared/src/types';
import { eslintSeverity, sarifLevel } from '../../../shared/src/severity';
import type { Rule } from '../analysis/rule';
import { flatString } from '../analysis/detach';
import { CONFIG_CHECKS } from '../config-checks/meta';
import { REPOSITORY_URL, configCheckDocsUrl, docsUrl } from '../../../shared/src/docs-urls';

export interface FileReport {
  filePath: string;
  /**
   * The source lines the text format prints under the findings, by 0-based line number (`sourceLines`); absent
   * for the other formats. Only those lines: a whole workspace's texts kept for the report until the end of a run
   * were 12–38 MB of the CLI's peak RSS on the 5,000-file bench corpus.
   */
  lines?: ReadonlyMap<number, string>;
  findings: Finding[];
  /** Problems in configuration files, reported as findings of that file. */
  configProblems?: ConfigProblem[];
  /** The file's role, when it was linted (a module's may change once the entries importing it are known). */
  role?: FileContext['role']['value'];
  /** With --fix-dry-run: the text the safe fixes would write (ESLint's `output`), when they change the file. */
  output?: string;
  /**
   * Set when the file was not analyzed, with the reason (`AnalysisResult.skipped`: too large, unreadable, not a
   * regular file, too deeply nested, minified, or the analysis failed). Every format lists these files.
   */
  skipped?: string;
}

/** A report for a file that was not analyzed: one analysis-skipped warning with the reason, and the reason. */
export function skippedReport(filePath: string, reason: string): FileReport {
  const at = { line: 0, character: 0 };
  return {
    filePath,
    skipped: reason,
    findings: [
      {
        ruleId: 'analysis-skipped',
        severity: 'warning',
        message: `Serverless Lint skipped this file: ${reason}.`,
        span: { start: 0, end: 0 },
        range: { start: at, end: at },
      },
    ],
  };
}

/**
 * Text made safe for a terminal: C0 and C1 control characters (ESC sequences among them), DEL and the bidirectional
 * overrides and isolates (which can make a line read differently from what it is) become visible escapes, `\x1b`,
 * `\u202e`. Tabs stay. A file name or a source line is the workspace author's text, not ours to send to a terminal.
 */
export function terminalSafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

const UNSAFE_CLASS = '[\\u0000-\\u0008\\u000a-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]';
const UNSAFE = new RegExp(UNSAFE_CLASS);
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, 'g');

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The lines of `text` on which findings start (`wanted`, 0-based), split where TypeScript counts lines (CR LF, LF,
 * a lone CR, U+2028, U+2029: a file saved with old Mac line ends has its code frames too), without a leading byte
 * order mark (the positions of the first line do not count it). Each is copied out of the text, so that the report
 * does not keep the file's text alive.
 */
export function sourceLines(text: string, wanted: Iterable<number>): Map<number, string> {
  const lines = new Map<number, string>();
  const want = [...new Set(wanted)].sort((a, b) => a - b);
  let k = 0;
  let line = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; k < want.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (c !== -1 && c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029) continue;
    if (line === want[k]) {
      lines.set(line, flatString(text.slice(start, i)));
      k++;
    }
    if (c === -1) break;
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    line++;
    start = i + 1;
  }
  return lines;
}

/**
 * What a report keeps of its file's text: with `keep` (the text format), the lines its findings and configuration
 * problems start on; nothing otherwise, or when there is nothing to show.
 */
export function reportLines(
  keep: boolean,
  text: string,
  findings: readonly Finding[],
  configProblems: readonly ConfigProblem[] = [],
): Map<number, string> | undefined {
  if (!keep || (!findings.length && !configProblems.length)) return undefined;
  return sourceLines(text, [...findings.map((f) => f.range.start.line), ...configProblems.map((p) => p.range?.start.line ?? 0)]);
}

/** The offsets where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1);
  return starts;
}

/** A position from line starts and an offset (never before the line's start). */
function positionAt(starts: readonly number[], offset: number): Range['start'] {
  const at = offsetToPosition(starts, offset);
  return { line: at.line, character: Math.max(0, at.character) };
}

/**
 * Fills in the line and column of each place that carries only an offset span (a configuration problem such as a
 * tsconfig's missing `extends`, a related location in another file), reading each file once through `readText`, so
 * that no format prints it at 1:1. Positions already known are kept.
 */
export function placePositions(places: Iterable<{ fileName: string; span?: Span; range?: Range }>, readText: (fileName: string) => string | undefined): void {
  const starts = new Map<string, number[] | undefined>();
  for (const p of places) {
    if (p.range || !p.span) continue;
    if (!starts.has(p.fileName)) {
      const text = readText(p.fileName);
      starts.set(p.fileName, text === undefined ? undefined : lineStarts(text));
    }
    const at = starts.get(p.fileName);
    if (at) p.range = { start: positionAt(at, p.span.start), end: positionAt(at, p.span.end) };
  }
}

function allFindings(r: FileReport): Finding[] {
  const fromConfig: Finding[] = (r.configProblems ?? []).map((p) => ({
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
    span: p.span,
    range: p.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  }));
  return [...fromConfig, ...r.findings];
}

/*
 * The text and JSON formats are made line by line (`textLines`, `jsonLines`: the output is their lines joined by
 * newlines) and written in pieces, so that a workspace's report is never one string (3.3 MB of JSON on the generated
 * bench corpus). Measured there, four alternating runs each: the CLI's peak RSS 143–149 → 141–142 MB with
 * `--format json`, 148–152 → 142–145 MB with the text format; the same bytes out.
 */

/**
 * `file:line:col  severity  message  rule-id`, then the line with a caret under the finding; at the end, the files that
 * were not analyzed and why, then the totals. Text from the workspace (file names, messages quoting code, source
 * lines) goes through `terminalSafe`.
 */
export function* textLines(reports: FileReport[], color = false): Generator<string> {
  const c = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let withFindings = 0;
  for (const r of reports) {
    const findings = allFindings(r);
    if (findings.length) withFindings++;
    const filePath = terminalSafe(r.filePath);
    for (const f of findings) {
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
      const { line, character } = f.range.start;
      const sev = f.severity === 'error' ? c('31', 'error') : f.severity === 'warning' ? c('33', 'warning') : c('36', 'info');
      yield `${c('1', `${filePath}:${line + 1}:${character + 1}`)}  ${sev}  ${terminalSafe(f.message)}  ${c('2', terminalSafe(f.ruleId))}`;
      const src = r.lines?.get(line);
      if (src !== undefined) {
        const gutter = String(line + 1).padStart(5);
        const endChar = f.range.end.line === line ? f.range.end.character : src.length;
        // The caret stands under the escaped text: its column and width are those of the escaped prefix and span.
        const shown = terminalSafe(src.length > 200 ? src.slice(0, 200) : src);
        const column = terminalSafe(src.slice(0, character)).length;
        const width = Math.max(1, terminalSafe(src.slice(character, Math.max(character, endChar))).length);
        yield `${c('2', gutter + ' |')} ${src.length > 200 ? shown + '…' : shown}`;
        yield `${' '.repeat(gutter.length)} ${c('2', '|')} ${' '.repeat(Math.min(column, 200))}${c(f.severity === 'error' ? '31' : '33', '^'.repeat(Math.min(width, 200)))}`;
      }
      for (const rel of f.related ?? []) {
        // `placePositions` gave every related place its line; one whose file could not be read shows none.
        yield `${' '.repeat(7)}${c('2', '↳')} ${terminalSafe(rel.fileName)}${rel.range ? `:${rel.range.start.line + 1}:${rel.range.start.character + 1}` : ''}  ${terminalSafe(rel.message)}`;
      }
      yield '';
    }
  }
  const skipped = reports.filter((r) => r.skipped !== undefined);
  if (skipped.length) {
    yield `${skipped.length} file(s) not analyzed:`;
    for (const r of skipped) yield `  ${terminalSafe(r.filePath)}: ${terminalSafe(r.skipped!)}`;
    yield '';
  }
  const total = errors + warnings + infos;
  yield total === 0
    ? `No problems found in ${reports.length} file(s).`
    : `${total} problem(s) (${errors} error(s), ${warnings} warning(s), ${infos} info) in ${withFindings} of ${reports.length} file(s).`;
}

/** ESLint's JSON formatter shape; info findings are severity 1 with `level: "info"`. */
export function* jsonLines(reports: FileReport[]): Generator<string> {
  // `JSON.stringify(files, null, 2)`, one file at a time: each file as the only element of an array, which
  // JSON.stringify indents as the whole report's elements, without the brackets.
  if (!reports.length) {
    yield '[]';
    return;
  }
  yield '[';
  for (let i = 0; i < reports.length; i++) yield `${JSON.stringify([jsonFile(reports[i])], null, 2).slice(2, -2)}${i < reports.length - 1 ? ',' : ''}`;
  yield ']';
}

function jsonFile(r: FileReport) {
  const messages = allFindings(r).map((f) => {
    const fix = f.fixes?.find((x) => x.safety === 'safe');
    const singleEdit = fix && fix.edits.length === 1 ? fix.edits[0] : undefined;
    return {
      ruleId: f.ruleId,
      severity: eslintSeverity(f.severity),
      ...(f.severity === 'info' ? { level: 'info' } : {}),
      message: f.message,
      // ESLint's JSON carries the rule's message id the same way.
      ...(f.messageId ? { messageId: f.messageId } : {}),
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      ...(singleEdit ? { fix: { range: [singleEdit.span.start, singleEdit.span.end], text: singleEdit.newText } } : {}),
      ...(f.related?.length
        ? {
            relatedLocations: f.related.map((x) => ({
              filePath: x.fileName,
              ...(x.range
                ? { line: x.range.start.line + 1, column: x.range.start.character + 1, endLine: x.range.end.line + 1, endColumn: x.range.end.character + 1 }
                : {}),
              message: x.message,
            })),
          }
        : {}),
    };
  });
  return {
    filePath: r.filePath,
    messages,
    // Not in ESLint's shape (its readers ignore what they do not know): why the file was not analyzed.
    ...(r.skipped !== undefined ? { skipped: r.skipped } : {}),
    errorCount: messages.filter((m) => m.severity === 2).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: messages.filter((m) => m.severity === 2 && 'fix' in m).length,
    fixableWarningCount: messages.filter((m) => m.severity === 1 && 'fix' in m).length,
    ...(r.output !== undefined ? { output: r.output } : {}),
  };
}

/** What SARIF says of an id that is no rule of `RULES`: the engine's own findings and the configuration checks. */
export interface SarifDescriptor {
  id: string;
  summary: string;
  why?: string;
  action?: string;
  severity: Severity;
  helpUri?: string;
}

/** The ids the engine and the configuration checks report under, which are no rules. */
export const SARIF_DESCRIPTORS: readonly SarifDescriptor[] = [
  {
    id: 'unused-suppression',
    severity: 'info',
    summary: 'A suppression comment that suppresses nothing, or one that is not understood.',
    action: 'Remove the comment, or correct its directive or rule ids.',
  },
  {
    id: 'analysis-skipped',
    severity: 'info',
    summary: 'A file Serverless Lint did not analyze (too large, minified, too deeply nested).',
    action: 'Nothing to do unless the file is function code; see the message for why it was skipped.',
  },
  ...CONFIG_CHECKS.map((c) => ({ id: c.id, severity: c.severity, summary: c.summary, why: c.why, action: c.action, helpUri: configCheckDocsUrl(c.id) })),
];

/**
 * A path as a URI reference: each segment percent-encoded, so that `[id]`, spaces, `#`, `%` and non-ASCII names make
 * valid URIs (RFC 3986 allows none of them raw; SARIF1002). `encodeURIComponent` leaves `!'()*` as they are, which
 * RFC 3986 allows in a path.
 */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The id of the folder relative artifact URIs resolve against: the folder the CLI ran in. */
export const SRCROOT = 'SRCROOT';

/**
 * SARIF 2.1.0, as GitHub code scanning accepts it. Files under `cwd` are URIs relative to `%SRCROOT%` (the checkout,
 * as code scanning expects), others absolute `file:` URIs. Every result's rule id is in `tool.driver.rules`, with its
 * index: the rules, then `extra` (configuration checks and the engine's own ids), then a bare entry for anything else.
 */
export function formatSarif(reports: FileReport[], rules: readonly Rule[], version: string, cwd: string, extra: readonly SarifDescriptor[] = []): string {
  const artifact = (p: string): Sarif.ArtifactLocation =>
    p.startsWith(cwd + '/')
      ? { uri: encodePath(p.slice(cwd.length + 1)), uriBaseId: SRCROOT }
      : { uri: `file://${encodePath(p.startsWith('/') ? p : `/${p}`)}` };
  const descriptors: Sarif.ReportingDescriptor[] = rules.map((r) => ({
    id: r.meta.id,
    shortDescription: { text: r.meta.summary },
    fullDescription: { text: r.meta.why },
    help: { text: r.meta.action },
    helpUri: docsUrl(r.meta.id),
    defaultConfiguration: { level: sarifLevel(r.meta.severity) },
  }));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const findings = reports.map((r) => allFindings(r));
  const extraById = new Map(extra.map((d) => [d.id, d]));
  for (const f of findings.flat()) {
    if (index.has(f.ruleId)) continue;
    const d = extraById.get(f.ruleId);
    index.set(f.ruleId, descriptors.length);
    descriptors.push({
      id: f.ruleId,
      shortDescription: { text: d?.summary ?? f.ruleId },
      ...(d?.why ? { fullDescription: { text: d.why } } : {}),
      ...(d?.action ? { help: { text: d.action } } : {}),
      ...(d?.helpUri ? { helpUri: d.helpUri } : {}),
      defaultConfiguration: { level: sarifLevel(d?.severity ?? f.severity) },
    });
  }
  const region = (range: Range): Sarif.Region => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  const results: Sarif.Result[] = reports.flatMap((r, k) =>
    findings[k].map(
      (f): Sarif.Result => ({
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId)!,
        level: sarifLevel(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: artifact(r.filePath), region: region(f.range) } }],
        ...(f.related?.length
          ? {
              relatedLocations: f.related.map(
                (x, i): Sarif.Location => ({
                  id: i + 1,
                  message: { text: x.message },
                  physicalLocation: { artifactLocation: artifact(x.fileName), ...(x.range ? { region: region(x.range) } : {}) },
                }),
              ),
            }
          : {}),
      }),
    ),
  );
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'serverless-lint', version, informationUri: REPOSITORY_URL, rules: descriptors } },
        originalUriBaseIds: { [SRCROOT]: { uri: `file://${encodePath(cwd.endsWith('/') ? cwd : `${cwd}/`)}` } },
        results,
        // Files that were not analyzed: tool execution notifications, which code scanning shows with the run.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: reports
              .filter((r) => r.skipped !== undefined)
              .map((r) => ({
                level: 'warning',
                message: { text: `Serverless Lint skipped this file: ${r.skipped}.` },
                descriptor: { id: 'analysis-skipped' },
                locations: [{ physicalLocation: { artifactLocation: artifact(r.filePath) } }],
              })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

/** A unified diff of one file, as `git diff` prints it (`a/` and `b/` before the path relative to the CLI's folder). */
export function unifiedDiff(path: string, before: string, after: string): string {
  // jsdiff opens with a line of `=` signs that git and patch do without, and keeps 4 lines of context to git's 3.
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 }).replace(/^=+\n/, '').replace(/\n$/, '');
}

/** The one line after the fixes: how many were applied (or would be, for --fix-dry-run) in how many files. */
export function summarizeFixes(run: { write: boolean; fixed: ReadonlyArray<{ applied: number }> }): string {
  const applied = run.fixed.reduce((n, f) => n + f.applied, 0);
  const files = run.fixed.length;
  if (!run.write) return `${applied} problem(s) would be fixed in ${files} file(s) (dry run: no file was written).`;
  return `${applied} problem(s) fixed in ${files} file(s).`;
}
