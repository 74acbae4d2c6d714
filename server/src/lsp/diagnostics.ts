// Findings and config problems → LSP diagnostics. Each diagnostic carries its fixes (as LSP edits) in `data`,
// so code actions never re-run analysis (the Ruff server's habit).
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigProblem, Finding, FixSafety, Severity, Span } from '../../../shared/src/types';
import { DIAGNOSTIC_SOURCE } from '../../../shared/src/protocol';
import { configCheckDocsUrl, docsUrl } from '../../../shared/src/docs-urls';
import { CONFIG_CHECK_IDS } from '../config-checks/meta';
import { RULE_IDS } from '../rules';
import { pathToUri } from './workspace';
import { isObject, isRange } from './guard';

/** One fix as it travels inside a diagnostic: edits already in LSP coordinates, per document URI. */
export interface LspFix {
  title: string;
  safety: FixSafety;
  preferred: boolean;
  edits: Array<{ uri: string; range: Range; newText: string }>;
}

/** What `Diagnostic.data` holds. `version` is the document version the edits were computed for. */
export interface DiagnosticData {
  ruleId: string;
  version: number;
  fixes: LspFix[];
}

export function toLspSeverity(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

function spanRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** Reads another file's text to place an edit or related location in it: open buffer first, then disk. */
export type TextOf = (path: string) => string | undefined;

export function toDiagnostic(finding: Finding, doc: TextDocument, fileName: string, textOf: TextOf): Diagnostic {
  const otherDocs = new Map<string, TextDocument | undefined>();
  const docFor = (path: string | undefined): TextDocument | undefined => {
    if (!path || path === fileName) return doc;
    if (!otherDocs.has(path)) {
      const text = textOf(path);
      otherDocs.set(path, text === undefined ? undefined : TextDocument.create(pathToUri(path), 'plaintext', 0, text));
    }
    return otherDocs.get(path);
  };
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of finding.related ?? []) {
    const target = docFor(r.fileName);
    const range = r.range ?? (target ? spanRange(target, r.span) : undefined);
    if (range) related.push({ location: { uri: r.fileName === fileName ? doc.uri : pathToUri(r.fileName), range }, message: r.message });
  }
  const fixes: LspFix[] = [];
  for (const fix of finding.fixes ?? []) {
    const edits: LspFix['edits'] = [];
    let placeable = true;
    for (const e of fix.edits) {
      const target = docFor(e.fileName);
      if (!target) {
        placeable = false;
        break;
      }
      edits.push({ uri: target.uri, range: spanRange(target, e.span), newText: e.newText });
    }
    // A fix whose other file cannot be read is not offered: half a fix is worse than none.
    if (placeable) fixes.push({ title: fix.title, safety: fix.safety, preferred: fix.preferred === true, edits });
  }
  const data: DiagnosticData = { ruleId: finding.ruleId, version: doc.version, fixes };
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: toLspSeverity(finding.severity),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    message: finding.message,
    data,
  };
  if (RULE_IDS.has(finding.ruleId)) diagnostic.codeDescription = { href: docsUrl(finding.ruleId) };
  if (related.length) diagnostic.relatedInformation = related;
  return diagnostic;
}

/** Problems of a config file (ours or a platform's) as diagnostics of that file. */
export function configProblemDiagnostic(problem: ConfigProblem, doc?: TextDocument): Diagnostic {
  const range = problem.range ?? (doc ? spanRange(doc, problem.span) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
  const d: Diagnostic = { range, severity: toLspSeverity(problem.severity), source: DIAGNOSTIC_SOURCE, code: problem.ruleId, message: problem.message };
  // Configuration checks have pages of their own (docs/config-checks), linked like the rules'.
  if (RULE_IDS.has(problem.ruleId)) d.codeDescription = { href: docsUrl(problem.ruleId) };
  else if (CONFIG_CHECK_IDS.has(problem.ruleId)) d.codeDescription = { href: configCheckDocsUrl(problem.ruleId) };
  return d;
}

/** Type guard for `Diagnostic.data` coming back from the client in a code action request. */
export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  // The client hands `data` back as it pleases: only well-formed fixes are trusted, the rest dropped.
  const data = d.data as DiagnosticData | undefined;
  if (!data || typeof data !== 'object' || typeof data.ruleId !== 'string' || !Array.isArray(data.fixes) || !Number.isSafeInteger(data.version))
    return undefined;
  const fixes = data.fixes.filter(
    (f): f is LspFix =>
      isObject(f) &&
      typeof f.title === 'string' &&
      typeof f.safety === 'string' &&
      Array.isArray(f.edits) &&
      f.edits.every((e: unknown) => isObject(e) && typeof e.uri === 'string' && typeof e.newText === 'string' && isRange(e.range)),
  );
  return { ruleId: data.ruleId, version: data.version, fixes };
}
