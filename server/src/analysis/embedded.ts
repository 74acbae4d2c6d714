// Files whose analysable code is embedded in another language (an Astro page's frontmatter; later a `.vue` or
// `.svelte` `<script>`): the TypeScript the engine parses in place of the file, and how its offsets map back, so that
// findings, fixes, hovers and suppressions point into the file itself and fixes never edit outside the code.
//
// A framework module declares the language (`FrameworkModule.embedded`: its extension and `extract`); the script is
// made of pieces copied verbatim from the file (offsets inside a piece map one to one) and synthetic text between
// them (the wrapper the framework compiles the code into, such as Astro's render function). Everything inside the
// core runs on the script; only the engine's result is mapped back (`toFileResult`).
import * as ts from 'typescript';
import type { AnalysisResult, Finding, Fix, HandlerInfo, Range, Span, TextEdit } from '../../../shared/src/types';
import { offsetToPosition } from './project';

/** A stretch of the script copied from the file: `script[at, at + length)` is `file[from, from + length)`. */
export interface ScriptPiece {
  at: number;
  from: number;
  length: number;
  /**
   * Set on a statement the framework moves to module level (an `import` of a frontmatter, which Astro hoists out of
   * the render function): where the statement's own code is in the script, without the comments around it. An edit
   * there keeps its meaning only if it stays inside the statement or adds imports (see `toFileEdit`).
   */
  hoisted?: Span;
}

/** The TypeScript of a file with embedded code, as the engine parses it. */
export interface EmbeddedScript {
  text: string;
  /** In script order, never overlapping and never touching (synthetic text lies between two pieces). */
  pieces: readonly ScriptPiece[];
  /** Where a finding on synthetic text is shown in the file (Astro: the opening `---` fence). */
  anchor: Span;
}

/** A file type whose code is embedded: one per framework module that has one (`FrameworkModule.embedded`). */
export interface EmbeddedLanguage {
  /** The file extension, with its dot: `.astro`. */
  extension: string;
  /** The editor's language id for such files (VS Code's, from the framework's own extension): `astro`. */
  languageId: string;
  /** The script of a file's text. Never throws; a file without code gives a script without pieces. */
  extract(text: string): EmbeddedScript;
}

/**
 * The script lives on the tree parsed from it (as the tree index does, tree.ts), so whoever holds the tree (the
 * engine, the hover, the module graph's spare trees) can map its offsets.
 */
const SCRIPT = Symbol('serverless-lint.embeddedScript');
type WithScript = ts.SourceFile & { [SCRIPT]?: EmbeddedScript };

export function attachScript(sf: ts.SourceFile, script: EmbeddedScript): void {
  Object.defineProperty(sf, SCRIPT, { value: script });
}

/** The embedded script a tree was parsed from, or undefined for a plain JavaScript or TypeScript file. */
export function scriptOf(sf: ts.SourceFile): EmbeddedScript | undefined {
  return (sf as WithScript)[SCRIPT];
}

/** The piece holding a script offset (its end included), or undefined on synthetic text. */
function pieceAt(script: EmbeddedScript, at: number): ScriptPiece | undefined {
  const pieces = script.pieces;
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = pieces[mid];
    if (at < p.at) hi = mid - 1;
    else if (at > p.at + p.length) lo = mid + 1;
    else return p;
  }
  return undefined;
}

/** The file offset of a script offset, or undefined when it is on synthetic text. */
export function toFileOffset(script: EmbeddedScript, at: number): number | undefined {
  const p = pieceAt(script, at);
  return p ? p.from + (at - p.at) : undefined;
}

/** The script offset of a file offset, or undefined when the file's text there is not code (an Astro template). */
export function toScriptOffset(script: EmbeddedScript, from: number): number | undefined {
  for (const p of script.pieces) if (from >= p.from && from <= p.from + p.length) return p.at + (from - p.from);
  return undefined;
}

/**
 * A script span in the file. A span starting on synthetic text (the whole render function, its name) is shown on
 * the anchor; one ending on synthetic text ends with the piece it starts in.
 */
export function toFileSpan(script: EmbeddedScript, span: Span): Span {
  const p = pieceAt(script, span.start);
  if (!p) return { ...script.anchor };
  const start = p.from + (span.start - p.at);
  const end = toFileOffset(script, span.end);
  return { start, end: end !== undefined && end >= start ? end : p.from + p.length };
}

/** Whether a text holds only import declarations (what may be added at the edge of a hoisted statement). */
function onlyImports(text: string): boolean {
  const sf = ts.createSourceFile('/imports.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return sf.statements.length > 0 && sf.statements.every((s) => ts.isImportDeclaration(s));
}

/**
 * An edit of the script as an edit of the file, or undefined when it cannot be one: it touches synthetic text or
 * spans two pieces, or it would change what a hoisted statement is. Text inserted next to an `import` of a frontmatter
 * lands in the frontmatter, which Astro compiles into the render function: a client a fix moves "to module scope"
 * there would still be created per request, so only imports may be added there.
 */
export function toFileEdit(script: EmbeddedScript, edit: TextEdit): TextEdit | undefined {
  const p = pieceAt(script, edit.span.start);
  if (!p || edit.span.end > p.at + p.length) return undefined;
  if (p.hoisted) {
    // Inside: after the statement's first token, and a replacement may end with it (a specifier without semicolon).
    const { start, end } = edit.span;
    const inside = start > p.hoisted.start && (end < p.hoisted.end || (end === p.hoisted.end && start < end));
    if (!inside && edit.newText !== '' && !onlyImports(edit.newText)) return undefined;
  }
  return { ...edit, span: { start: p.from + (edit.span.start - p.at), end: p.from + (edit.span.end - p.at) } };
}

/** The offsets where the file's lines start, with TypeScript's line breaks (CR, LF, CRLF, U+2028, U+2029). */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) starts.push(i + 1);
  }
  return starts;
}

/** Line and character of file offsets, as the engine's own ranges are (a byte order mark is no column). */
function ranger(fileText: string): (span: Span) => Range {
  const starts = lineStartsOf(fileText);
  const bom = fileText.charCodeAt(0) === 0xfeff ? 1 : 0;
  const at = (offset: number) => {
    const { line, character } = offsetToPosition(starts, offset);
    return { line, character: bom && line === 0 ? Math.max(0, character - 1) : character };
  };
  return (span) => ({ start: at(span.start), end: at(span.end) });
}

/**
 * An analysis result of the script as a result of the file: findings, their related places in this file, their
 * fixes (a fix with an edit that cannot be mapped is dropped whole) and the handlers' spans.
 */
export function toFileResult(script: EmbeddedScript, fileName: string, fileText: string, result: AnalysisResult): AnalysisResult {
  const rangeOf = ranger(fileText);
  const findings = result.findings.map((f): Finding => {
    const span = toFileSpan(script, f.span);
    const related = f.related?.map((r) => {
      if (r.fileName !== fileName) return r;
      const s = toFileSpan(script, r.span);
      return { ...r, span: s, range: rangeOf(s) };
    });
    let fixes: Fix[] | undefined;
    if (f.fixes) {
      fixes = [];
      for (const fix of f.fixes) {
        const edits: TextEdit[] = [];
        for (const e of fix.edits) {
          const mapped = e.fileName && e.fileName !== fileName ? e : toFileEdit(script, e);
          if (!mapped) break;
          edits.push(mapped);
        }
        if (edits.length === fix.edits.length) fixes.push({ ...fix, edits });
      }
      if (fixes.length === 0) fixes = undefined;
    }
    const out: Finding = { ...f, span, range: rangeOf(span), related };
    if (fixes) out.fixes = fixes;
    else delete out.fixes;
    if (!related) delete out.related;
    return out;
  });
  const handlers = result.context.handlers.map((h): HandlerInfo => ({ ...h, span: toFileSpan(script, h.span), nameSpan: toFileSpan(script, h.nameSpan) }));
  return { ...result, context: { ...result.context, handlers }, findings };
}
