// Suppression comments (spec §5): `// serverless-lint-disable-next-line RULE[, RULE] -- reason` and
// `// serverless-lint-disable RULE` for the whole file; in JSX children, `{/* serverless-lint-disable-next-line RULE */}`.
// Unused suppressions are reported.
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

/**
 * Finds suppression comments. Each occurrence of the marker is located in the syntax tree: it counts only inside
 * the comment trivia before a token, never inside a string, template or JSX text. A plain scan of the text cannot
 * tell those apart in JSX (`<p>Don't</p>` is text, not a quote) or after a template's `${…}`, and JSX children
 * hold their comments in an otherwise empty expression container: the trivia before its closing brace.
 */
export function findSuppressions(sf: ts.SourceFile): Suppression[] {
  const text = sf.text;
  if (!text.includes(MARKER)) return [];
  const out: Suppression[] = [];
  const seen = new Set<number>();
  for (let at = text.indexOf(MARKER); at >= 0; at = text.indexOf(MARKER, at + MARKER.length)) {
    const found = commentAt(sf, at);
    if (!found || seen.has(found.range.pos)) continue;
    const { range, container } = found;
    seen.add(range.pos);
    const comment = text.slice(range.pos, range.end);
    const m = DIRECTIVE.exec(comment);
    if (!m) continue;
    const [body, reason] = m[2].split(/\s--\s?/, 2);
    const rules = body.split(/[\s,]+/).map((r) => r.trim()).filter(Boolean);
    // In JSX the braces belong to the comment: an unused one is removed with them, not left as an empty `{}`.
    const span = container ? { start: container.getStart(sf), end: container.getEnd() } : { start: range.pos, end: range.end };
    const line = sf.getLineAndCharacterOfPosition(span.start).line;
    out.push({
      kind: m[1] === 'disable' ? 'file' : 'next-line', rules, span,
      line: m[1] === 'disable' ? undefined : line + 1, reason: reason?.trim() || undefined, used: new Set(),
    });
  }
  return out;
}

const MARKER = 'serverless-lint-disable';

/**
 * The comment holding `pos` (and the `{…}` around it when it is alone in a JSX expression container): descends to the child whose full range holds it; when `pos` is before that child's
 * first character it is in the child's leading trivia, and when the child is a token, inside the token's own text.
 */
function commentAt(sf: ts.SourceFile, pos: number): { range: ts.CommentRange; container?: ts.JsxExpression } | undefined {
  let node: ts.Node = sf;
  for (;;) {
    // JSDoc nodes overlap the trivia of the node they document; the trivia itself is what is searched.
    const child = node.getChildren(sf).find((c) => !ts.isJSDoc(c) && c.pos <= pos && pos < c.end);
    if (!child) return undefined;
    if (pos < child.getStart(sf)) {
      // The trivia's comments on the previous token's line are "trailing", the rest "leading": search both.
      const comments = [...(ts.getTrailingCommentRanges(sf.text, child.pos) ?? []), ...(ts.getLeadingCommentRanges(sf.text, child.pos) ?? [])];
      const range = comments.find((r) => r.pos <= pos && pos < r.end);
      if (!range) return undefined;
      const empty = ts.isJsxExpression(node) && !node.expression && sf.text.slice(node.getStart(sf) + 1, node.getEnd() - 1).trim() === sf.text.slice(range.pos, range.end);
      return { range, container: empty ? node as ts.JsxExpression : undefined };
    }
    if (child.getChildCount(sf) === 0) return undefined;
    node = child;
  }
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
