// Code actions: each diagnostic's own fixes (read from its `data`, never by re-running analysis), suppression
// comments for the line or the file, a link to the rule's docs, and `source.fixAll.serverless-lint` (safe fixes only).
import { isPythonFile } from '../python/parser';
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND, ServerCommands } from '../../../shared/src/protocol';
import * as ts from 'typescript';
import { ENGINE_IDS, parseSource } from '../analysis/engine';
import type { LintService } from '../analysis/service';
import { RULE_IDS } from '../rules';
import { diagnosticData } from './diagnostics';
import { documentUri, guardRequest, InvalidParams, isObject, isRange } from './guard';
import type { Diagnostic } from 'vscode-languageserver';
import type { ServerContext } from './context';
import { SOURCE_FILE, uriToPath } from './workspace';
import { embeddedLanguageOf } from '../conventions';
import type { EmbeddedLanguage } from '../conventions/types';

const RULE_ID_SHAPE = /^[a-z][a-z0-9-]{0,80}$/;

/** Whether the client asked (through `only`) for actions of this kind. No `only` means every kind. */
export function wants(only: string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === kind || kind.startsWith(k + '.'));
}

/** The smallest single edit turning `before` into `after`, so the editor keeps the cursor and folding where nothing changed. */
export function minimalEdit(doc: TextDocument, before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { range: { start: doc.positionAt(start), end: doc.positionAt(endBefore) }, newText: after.slice(start, endAfter) };
}

/** Safe fixes applied until stable, as one edit of the document; undefined when nothing changes. */
export function fixAllEdit(doc: TextDocument, fileName: string, service: LintService): TextEdit | undefined {
  const before = doc.getText();
  const { text, applied } = service.fix(fileName, before);
  if (applied === 0 || text === before) return undefined;
  return minimalEdit(doc, before, text);
}

// A next-line directive alone on its line: a line comment in code, a block comment in braces in JSX children.
const DIRECTIVE_LINE = /^(\s*(?:\/\/|#|\{\s*\/\*)\s*serverless-lint-disable-next-line\s+)([\w-]+(?:\s*,\s*[\w-]+)*)(.*)$/;

/**
 * Whether text inserted at `offset` lands in JSX children, where `//` would be rendered as text and a comment must
 * be a block comment in braces. Decided on the syntax tree: among the nodes strictly around the offset (a node that
 * starts there is after the insertion), the innermost JSX element or fragment holds it between its tags, with no
 * `{…}` expression or tag (JavaScript again) in between.
 */
export function lineStartsInJsxChildren(sf: ts.SourceFile, offset: number): boolean {
  let found = false;
  // Down the one path of nodes around the offset, outermost first (no recursion).
  for (let node: ts.Node | undefined = sf; node; ) {
    node = ts.forEachChild(node, (c) => (offset > c.getStart(sf) && offset < c.getEnd() ? c : undefined));
    if (!node) break;
    if (ts.isJsxExpression(node) || ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxClosingElement(node)) {
      found = false;
    }
    if (ts.isJsxElement(node) || ts.isJsxFragment(node)) {
      const open = ts.isJsxElement(node) ? node.openingElement : node.openingFragment;
      const close = ts.isJsxElement(node) ? node.closingElement : node.closingFragment;
      found = offset >= open.getEnd() && offset <= close.getStart(sf);
    }
  }
  return found;
}

/**
 * The edit adding RULE to a suppression for the diagnostic's line: extends an existing directive above it, or adds
 * one. `sf`, when given, is the document parsed, so a line in JSX children gets the JSX form (a block comment in braces).
 */
export function disableLineEdit(doc: TextDocument, line: number, ruleId: string, sf?: ts.SourceFile, hash = false): TextEdit {
  const lineText = (n: number) => doc.getText({ start: { line: n, character: 0 }, end: { line: n + 1, character: 0 } }).replace(/\r?\n$/, '');
  if (line > 0) {
    const above = DIRECTIVE_LINE.exec(lineText(line - 1));
    if (above) {
      const insertAt = above[1].length + above[2].length;
      return { range: { start: { line: line - 1, character: insertAt }, end: { line: line - 1, character: insertAt } }, newText: `, ${ruleId}` };
    }
  }
  const indent = /^\s*/.exec(lineText(line))?.[0] ?? '';
  const jsx = !!sf && lineStartsInJsxChildren(sf, doc.offsetAt({ line, character: indent.length }));
  // Python comments start with `#`; a reason after ` -- ` is the user's to write.
  const comment = hash
    ? `# serverless-lint-disable-next-line ${ruleId}`
    : jsx
      ? `{/* serverless-lint-disable-next-line ${ruleId} */}`
      : `// serverless-lint-disable-next-line ${ruleId}`;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}${comment}\n` };
}

/**
 * The edit adding a file-wide suppression at the top (after a shebang, which must stay first); in a file with embedded
 * code, at the top of the code (`codeStart`: an Astro frontmatter's first line, after its fence).
 */
export function disableFileEdit(doc: TextDocument, ruleId: string, hash = false, codeStart?: number): TextEdit {
  const line = codeStart !== undefined ? doc.positionAt(codeStart).line : doc.getText().startsWith('#!') ? 1 : 0;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${hash ? '#' : '//'} serverless-lint-disable ${ruleId}\n` };
}

/** Where an embedded file's code starts (its first piece), or undefined when it has none or cannot be read. */
function codeStartOf(language: EmbeddedLanguage, text: string): number | undefined {
  try {
    return language.extract(text).pieces[0]?.from;
  } catch {
    return undefined; // a frontmatter too deeply nested to parse: the file gets no file-wide comment offer
  }
}

function edit(uri: string, version: number, edits: TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri, version }, edits }] };
}

export function codeActions(params: CodeActionParams, doc: TextDocument, fileName: string, service: () => LintService): CodeAction[] {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (wants(only, CodeActionKind.QuickFix)) {
    const fixes: CodeAction[] = [];
    const suppressions: CodeAction[] = [];
    const docs: CodeAction[] = [];
    const seen = new Set<string>();
    // Parsed once, and only for files that can hold JSX: the disable comment's form depends on where the line is.
    const python = isPythonFile(fileName);
    // An embedded script (an Astro frontmatter) holds no JSX; where its code starts is where a file-wide comment goes.
    const embedded = embeddedLanguageOf(fileName);
    const codeStart = embedded ? codeStartOf(embedded, doc.getText()) : undefined;
    let parsed: ts.SourceFile | undefined | null = python || embedded || /\.[cm]?ts$/.test(fileName) ? null : undefined;
    const sf = () => {
      if (parsed === undefined) {
        const p = parseSource(fileName, doc.getText());
        parsed = 'error' in p ? null : p;
      }
      return parsed ?? undefined;
    };
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const data = diagnosticData(diagnostic);
      const ruleId = data?.ruleId ?? String(diagnostic.code ?? '');
      // A rule id goes into a comment in the user's file: only the shape of an id, never text a client made up.
      if (!RULE_ID_SHAPE.test(ruleId) || !isRange(diagnostic.range)) continue;
      // Edits computed for another version of the text would land in the wrong place: offer them only when current.
      if (data && data.version === doc.version) {
        for (const fix of data.fixes) {
          const byUri = new Map<string, TextEdit[]>();
          for (const e of fix.edits) byUri.set(e.uri, [...(byUri.get(e.uri) ?? []), { range: e.range, newText: e.newText }]);
          fixes.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: fix.preferred || undefined,
            edit: { changes: Object.fromEntries(byUri) },
          });
        }
      }
      if (ruleId === ENGINE_IDS.skipped) continue;
      const line = diagnostic.range.start.line;
      if (!seen.has(`line\0${ruleId}\0${line}`)) {
        seen.add(`line\0${ruleId}\0${line}`);
        suppressions.push({
          title: `Disable ${ruleId} for this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: edit(doc.uri, doc.version, [disableLineEdit(doc, line, ruleId, sf(), python)]),
        });
      }
      if (!seen.has(`file\0${ruleId}`) && ruleId !== ENGINE_IDS.unusedSuppression && (!embedded || codeStart !== undefined)) {
        seen.add(`file\0${ruleId}`);
        suppressions.push({
          title: `Disable ${ruleId} for this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: edit(doc.uri, doc.version, [disableFileEdit(doc, ruleId, python, codeStart)]),
        });
      }
      if (RULE_IDS.has(ruleId) && !seen.has(`docs\0${ruleId}`)) {
        seen.add(`docs\0${ruleId}`);
        docs.push({
          title: `Show documentation for ${ruleId}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Show documentation for ${ruleId}`, command: ServerCommands.showDocumentation, arguments: [ruleId] },
        });
      }
    }
    actions.push(...fixes, ...suppressions, ...docs);
  }
  // Fix-all is computed only when asked for by kind (on save, or the Source Action menu): it analyzes up to ten times.
  if (only && wants(only, FIX_ALL_KIND)) {
    const fixAll = fixAllEdit(doc, fileName, service());
    if (fixAll) {
      actions.push({ title: 'Fix all safe Serverless Lint problems', kind: FIX_ALL_KIND, edit: edit(doc.uri, doc.version, [fixAll]) });
    }
  }
  return actions;
}

/** Answers `textDocument/codeAction` for open source files. */
export function registerCodeActions(ctx: ServerContext): void {
  ctx.connection.onCodeAction(
    guardRequest(ctx.log, 'textDocument/codeAction', async (params: unknown) => {
      ctx.requireInitialized();
      const uri = documentUri(params);
      const p = params as Record<string, unknown>;
      if (!isRange(p.range)) throw new InvalidParams('range must be a range');
      const context = isObject(p.context) ? p.context : {};
      // Only what codeActions reads, checked: diagnostics with ranges, `only` as a list of kinds.
      const checked: CodeActionParams = {
        textDocument: { uri },
        range: p.range,
        context: {
          diagnostics: (Array.isArray(context.diagnostics) ? context.diagnostics : []).filter((d): d is Diagnostic => isObject(d) && isRange(d.range)),
          only: Array.isArray(context.only) ? context.only.filter((k): k is string => typeof k === 'string') : undefined,
        },
      };
      const doc = ctx.documents.get(uri);
      const path = doc && uriToPath(doc.uri);
      if (!doc || !path || !SOURCE_FILE.test(path)) return [];
      const { service } = await ctx.serviceForUri(doc.uri, path);
      return codeActions(checked, doc, path, () => service);
    }),
  );
}
