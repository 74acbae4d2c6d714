// Suppression comments (spec §5): `// serverless-lint-disable-next-line RULE[, RULE] -- reason` and
// `// serverless-lint-disable RULE` for the whole file. Unused suppressions are reported.
import * as ts from 'typescript';
import type { Span } from '../../../shared/src/types';

export interface Suppression {
  kind: 'next-line' | 'file';
  /** Rule ids; empty means every rule. */
  rules: string[];
  /** The comment's span. */
  span: Span;
  /** For next-line: the 0-based line the suppression covers. */
  line?: number;
  reason?: string;
  /** Rule ids that actually suppressed something (filled in by the engine). */
  used: Set<string>;
}

const DIRECTIVE = /^\s*(?:\/\/|\/\*)\s*serverless-lint-(disable-next-line|disable)\b([^\n]*?)(?:\*\/)?\s*$/;

/** Finds suppression comments with the TypeScript scanner, so look-alikes inside strings are ignored. */
export function findSuppressions(sf: ts.SourceFile): Suppression[] {
  const text = sf.text;
  if (!text.includes('serverless-lint-disable')) return [];
  const out: Suppression[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sf.languageVariant, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const start = scanner.getTokenStart();
    const comment = scanner.getTokenText();
    const m = DIRECTIVE.exec(comment);
    if (!m) continue;
    const [body, reason] = m[2].split(/\s--\s?/, 2);
    const rules = body.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);
    const line = sf.getLineAndCharacterOfPosition(start).line;
    out.push({
      kind: m[1] === 'disable' ? 'file' : 'next-line', rules, span: { start, end: start + comment.length },
      line: m[1] === 'disable' ? undefined : line + 1, reason: reason?.trim() || undefined, used: new Set(),
    });
  }
  return out;
}

/** Returns the suppression that hides a finding of `ruleId` on `line`, marking it used. */
export function suppressionFor(suppressions: Suppression[], ruleId: string, line: number): Suppression | undefined {
  for (const s of suppressions) {
    if (s.kind === 'next-line' && s.line !== line) continue;
    if (s.rules.length === 0 || s.rules.includes(ruleId)) {
      s.used.add(ruleId);
      return s;
    }
  }
  return undefined;
}
