// Suppression comments (README.md, "Configuration"), in ESLint's grammar: `serverless-lint-disable-line RULE[, RULE] -- reason`,
// `serverless-lint-disable-next-line …`, a block `serverless-lint-disable …` ended by `serverless-lint-enable …`, and a
// `disable` before any code for the whole file. `parseDirective` reads one comment's text and knows nothing of comment
// syntax (so `#` comments can use it later); `findSuppressions` finds the comments of a JS/TS file and turns them
// into line ranges. Unused and malformed suppressions are reported by the engine.
import * as ts from 'typescript';
import type { Span } from '../../../shared/src/types';

export type DirectiveKind = 'disable-line' | 'disable-next-line' | 'disable' | 'enable';

/** One directive as written: which, the rules it names (none means every rule), and the reason after ` -- `. */
export interface Directive {
  kind: DirectiveKind;
  rules: string[];
  reason?: string;
}

/** A comment that starts like a directive but is none: it suppresses nothing, which the user must hear about. */
export interface MalformedDirective {
  error: string;
}

const PREFIX = 'serverless-lint-';
const KINDS: readonly DirectiveKind[] = ['disable-line', 'disable-next-line', 'disable', 'enable'];
/** The directive word: `serverless-lint-` and a word made of letters and dashes, ended by a blank or the end. */
const HEAD = /^serverless-lint-((?:disable|enable)[a-z-]*)(?=\s|$)/;
/** Rule ids are file names: letters, digits, dashes, and `/` or `@` for rules a plugin may one day bring. */
const RULE_ID = /^[\w@/-]+$/;

/**
 * Parses the text inside one comment, its delimiters removed (`// x` → ` x`, `/* x *\/` → ` x `, `# x` → ` x`).
 * Returns undefined when the comment is no directive at all (prose that mentions one later in the text included).
 */
export function parseDirective(body: string): Directive | MalformedDirective | undefined {
  const text = body.trim();
  if (!text.startsWith(PREFIX)) return undefined;
  const head = HEAD.exec(text);
  if (!head) {
    const word = /^\S+/.exec(text)![0];
    if (!/^serverless-lint-(?:disable|enable)/.test(word)) return undefined;
    return { error: `Unknown suppression directive '${word}': write ${KINDS.map((k) => `${PREFIX}${k}`).join(', ')}.` };
  }
  const kind = head[1] as DirectiveKind;
  if (!KINDS.includes(kind)) return { error: `Unknown suppression directive '${PREFIX}${kind}': write ${KINDS.map((k) => `${PREFIX}${k}`).join(', ')}.` };
  const rest = text.slice(head[0].length);
  // ESLint's separator: ` -- ` (or `--` ending the comment) starts the reason; a rule id never contains it.
  const sep = /(?:^|\s)--(?:\s|$)/.exec(rest);
  const list = sep ? rest.slice(0, sep.index) : rest;
  const reason = sep ? rest.slice(sep.index + sep[0].length).trim() : '';
  const rules = list.split(/[\s,]+/).filter(Boolean);
  const bad = rules.find((r) => !RULE_ID.test(r));
  if (bad) return { error: `'${bad}' is no rule id in '${PREFIX}${kind}': list rule ids separated by commas, and put a reason after ' -- '.` };
  return { kind, rules, ...(reason ? { reason } : {}) };
}

export interface Suppression {
  /**
   * `line` and `next-line` cover one line; `block` runs from its `disable` to its `enable` (or the end of the file);
   * `file` is a `disable` before any code that no `enable` ends. `invalid` is a malformed directive or an `enable`
   * with nothing to end: it suppresses nothing.
   */
  kind: 'line' | 'next-line' | 'block' | 'file' | 'invalid';
  /** Rule ids; empty means every rule. */
  rules: string[];
  /** The comment's span (in JSX children, with its braces). */
  span: Span;
  /** The 0-based lines covered, both inclusive. */
  from: number;
  to: number;
  /** For a block an `enable RULE` ended for some of its rules only: the last line covered, per rule. */
  until?: Map<string, number>;
  reason?: string;
  /** What is wrong with an `invalid` directive. */
  error?: string;
  /** Rule ids that actually suppressed something (filled in by the engine). */
  used: Set<string>;
}

/** Finds the directive comments of `sf` in text order, with the line each starts and ends on. */
function directiveComments(
  sf: ts.SourceFile,
): { parsed: Directive | MalformedDirective; span: Span; startLine: number; endLine: number; codeBefore: boolean }[] {
  const text = sf.text;
  const out: ReturnType<typeof directiveComments> = [];
  const seen = new Set<number>();
  const marker = /serverless-lint-(?:disable|enable)/g;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    const found = commentAt(sf, m.index);
    if (!found || seen.has(found.range.pos)) continue;
    const { range, container } = found;
    seen.add(range.pos);
    const comment = text.slice(range.pos, range.end);
    const body = range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? comment.slice(2) : comment.slice(2, comment.endsWith('*/') ? -2 : undefined);
    const parsed = parseDirective(body);
    if (!parsed) continue;
    // In JSX the braces belong to the comment: an unused one is removed with them, not left as an empty `{}`.
    const span = container ? { start: container.getStart(sf), end: container.getEnd() } : { start: range.pos, end: range.end };
    const startLine = sf.getLineAndCharacterOfPosition(span.start).line;
    const endLine = sf.getLineAndCharacterOfPosition(span.end).line;
    const lineStart = sf.getPositionOfLineAndCharacter(startLine, 0);
    out.push({ parsed, span, startLine, endLine, codeBefore: text.slice(lineStart, span.start).trim() !== '' });
  }
  return out;
}

/**
 * Finds suppression comments. Each occurrence of the marker is located in the syntax tree: it counts only inside
 * the comment trivia before a token, never inside a string, template or JSX text. A plain scan of the text cannot
 * tell those apart in JSX (`<p>Don't</p>` is text, not a quote) or after a template's `${…}`, and JSX children
 * hold their comments in an otherwise empty expression container: the trivia before its closing brace.
 */
export function findSuppressions(sf: ts.SourceFile): Suppression[] {
  if (!sf.text.includes(PREFIX)) return [];
  const firstCode = sf.statements.length ? sf.statements[0].getStart(sf) : sf.text.length;
  return suppressionsFrom(directiveComments(sf), firstCode);
}

/** A directive comment found by a language's own comment scan (JS/TS here, `#` comments in `python/`). */
export interface DirectiveComment {
  parsed: Directive | MalformedDirective;
  span: Span;
  startLine: number;
  endLine: number;
  /** Code precedes the comment on its line. */
  codeBefore: boolean;
}

/** Turns directive comments (in text order) into suppressions; `firstCode` is the offset of the file's first statement. */
export function suppressionsFrom(comments: readonly DirectiveComment[], firstCode: number): Suppression[] {
  const out: Suppression[] = [];
  const open: Suppression[] = [];
  for (const c of comments) {
    const base = { span: c.span, used: new Set<string>() };
    if ('error' in c.parsed) {
      out.push({ ...base, kind: 'invalid', rules: [], from: -1, to: -1, error: c.parsed.error });
      continue;
    }
    const { kind, rules, reason } = c.parsed;
    const withReason = reason ? { reason } : {};
    if (kind === 'disable-line') out.push({ ...base, ...withReason, kind: 'line', rules, from: c.startLine, to: c.startLine });
    else if (kind === 'disable-next-line') out.push({ ...base, ...withReason, kind: 'next-line', rules, from: c.endLine + 1, to: c.endLine + 1 });
    else if (kind === 'disable') {
      const s: Suppression = {
        ...base,
        ...withReason,
        kind: c.span.end <= firstCode ? 'file' : 'block',
        rules,
        from: c.startLine,
        to: Number.MAX_SAFE_INTEGER,
      };
      out.push(s);
      open.push(s);
    } else {
      // The block ends on the line before its `enable`, or on the enable's line when code precedes the comment there.
      const last = c.codeBefore ? c.startLine : c.startLine - 1;
      let ended = false;
      for (let i = open.length - 1; i >= 0; i--) {
        const s = open[i];
        const names = rules.length ? rules.filter((r) => s.rules.length === 0 || s.rules.includes(r)) : s.rules.length ? s.rules : [];
        if (rules.length && !names.length) continue;
        ended = true;
        if (!rules.length) s.to = last;
        else {
          s.until ??= new Map();
          for (const r of names) if (!s.until.has(r)) s.until.set(r, last);
          if (s.rules.length && s.rules.every((r) => s.until!.has(r))) s.to = Math.max(...s.until.values());
        }
        if (s.to !== Number.MAX_SAFE_INTEGER) open.splice(i, 1);
      }
      if (!ended) {
        const what = rules.length ? rules.join(', ') : 'every rule';
        out.push({ ...base, kind: 'invalid', rules: [], from: -1, to: -1, error: `'${PREFIX}enable' for ${what} ends no '${PREFIX}disable' above it.` });
      }
    }
  }
  // A `disable` before any code that an `enable` ends is a block like any other.
  for (const s of out) if (s.kind === 'file' && (s.to !== Number.MAX_SAFE_INTEGER || s.until)) s.kind = 'block';
  for (const s of out) if (s.kind === 'file') s.from = 0;
  return out;
}

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
      const empty =
        ts.isJsxExpression(node) && !node.expression && sf.text.slice(node.getStart(sf) + 1, node.getEnd() - 1).trim() === sf.text.slice(range.pos, range.end);
      return { range, container: empty ? (node as ts.JsxExpression) : undefined };
    }
    if (child.getChildCount(sf) === 0) return undefined;
    node = child;
  }
}

/** Returns the suppression that hides a finding of `ruleId` on `line` (0-based), marking it used. */
export function suppressionFor(suppressions: Suppression[], ruleId: string, line: number): Suppression | undefined {
  for (const s of suppressions) {
    if (s.kind === 'invalid' || line < s.from || line > (s.until?.get(ruleId) ?? s.to)) continue;
    if (s.rules.length === 0 || s.rules.includes(ruleId)) {
      s.used.add(ruleId);
      return s;
    }
  }
  return undefined;
}
