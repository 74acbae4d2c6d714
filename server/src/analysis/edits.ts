// Small, general helpers that build fix edits: import insertions, node and statement replacements, removals.
// They only compute TextEdits (offsets into the original text); rules decide when a fix is offered and how safe it is.
import * as ts from 'typescript';
import type { TextEdit } from '../../../shared/src/types';
import { someInSubtree } from './tree';

/** A replacement of a node's own text (from its first token, without leading trivia, to its end). */
export function replaceNode(sf: ts.SourceFile, node: ts.Node, newText: string): TextEdit {
  return { span: { start: node.getStart(sf), end: node.getEnd() }, newText };
}

/** An insertion of text at an offset. */
export function insertAt(offset: number, newText: string): TextEdit {
  return { span: { start: offset, end: offset }, newText };
}

/** The whitespace that starts the line a node begins on: used to indent inserted lines like their neighbours. */
export function indentOf(sf: ts.SourceFile, node: ts.Node): string {
  const start = node.getStart(sf);
  const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(start).line, 0);
  return /^[ \t]*/.exec(sf.text.slice(lineStart, start))![0];
}

/**
 * A node's text moved out of a block indented by `indent`: its continuation lines lose that indentation, as a careful
 * human would write it at the new place. Left as it is when a string, template or JSX text spans lines (their
 * whitespace is content).
 */
export function dedentedText(sf: ts.SourceFile, node: ts.Node, indent: string): string {
  const text = node.getText(sf);
  if (!indent || !text.includes('\n')) return text;
  const literalSpansLines = (n: ts.Node) =>
    (ts.isStringLiteralLike(n) || ts.isTemplateLiteral(n) || ts.isJsxText(n)) && sf.text.slice(n.getStart(sf), n.end).includes('\n');
  if (someInSubtree(node, literalSpansLines, undefined, sf)) return text;
  return text
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/**
 * Removes a statement together with its line when it stands alone on its lines (so no blank line is left),
 * otherwise only its own text.
 */
export function removeStatement(sf: ts.SourceFile, stmt: ts.Node): TextEdit {
  const text = sf.text;
  const start = stmt.getStart(sf);
  const end = stmt.getEnd();
  const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(start).line, 0);
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  const aloneBefore = text.slice(lineStart, start).trim() === '';
  const aloneAfter = lineEnd >= text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r';
  if (aloneBefore && aloneAfter) {
    if (text[lineEnd] === '\r') lineEnd++;
    if (text[lineEnd] === '\n') lineEnd++;
    // Between two blank lines, take one of them too, so the removal does not leave a double gap.
    const blankBefore = lineStart === 0 || /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, lineStart - 200), lineStart));
    const nextBlank = /^[ \t]*\r?\n/.exec(text.slice(lineEnd, lineEnd + 200));
    if (blankBefore && nextBlank) lineEnd += nextBlank[0].length;
    return { span: { start: lineStart, end: lineEnd }, newText: '' };
  }
  return { span: { start, end }, newText: '' };
}

/**
 * Removes one declarator of a variable statement: the whole statement when it is the only one,
 * otherwise the declarator and the comma that separates it from its neighbour.
 */
export function removeVariableDeclaration(sf: ts.SourceFile, decl: ts.VariableDeclaration): TextEdit | undefined {
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list) || !ts.isVariableStatement(list.parent)) return undefined;
  const decls = list.declarations;
  if (decls.length === 1) return removeStatement(sf, list.parent);
  const i = decls.indexOf(decl);
  // Remove from the end of the previous declarator (taking its comma) or up to the start of the next one.
  if (i > 0) return { span: { start: decls[i - 1].getEnd(), end: decl.getEnd() }, newText: '' };
  return { span: { start: decl.getStart(sf), end: decls[1].getStart(sf) }, newText: '' };
}

/** The module-system style of a file, which decides whether an added dependency is an `import` or a `require`. */
export function usesCommonJs(sf: ts.SourceFile): boolean {
  if (sf.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s))) return false;
  if (/\.cjs$/.test(sf.fileName)) return true;
  // A plain .js file whose top-level statements use require() or module.exports is CommonJS.
  return /\.js$/.test(sf.fileName) && sf.statements.some((s) => isTopLevelRequire(s) || isModuleExportsAssignment(s));
}

function isTopLevelRequire(st: ts.Statement): boolean {
  if (!ts.isVariableStatement(st)) return false;
  return st.declarationList.declarations.some((d) => {
    let init = d.initializer;
    while (
      init &&
      (ts.isPropertyAccessExpression(init) || ts.isCallExpression(init)) &&
      !(ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require')
    ) {
      init = init.expression;
    }
    return !!init && ts.isCallExpression(init);
  });
}

function isModuleExportsAssignment(st: ts.Statement): boolean {
  if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression)) return false;
  const left = st.expression.left;
  const root = ts.isPropertyAccessExpression(left) ? (ts.isPropertyAccessExpression(left.expression) ? left.expression.expression : left.expression) : left;
  return ts.isIdentifier(root) && (root.text === 'module' || root.text === 'exports');
}

/**
 * Where a new import goes: after the last top-level import (or `require` statement in CommonJS files);
 * when there is none, after the directive prologue (`'use server'`), else before the first statement
 * (after any leading comments, which usually are license or tool headers).
 * Returns the offset and whether the new line goes after (`\n` + text) or before (text + `\n`) that offset.
 */
export function importInsertionPoint(sf: ts.SourceFile): { offset: number; after: boolean } {
  const cjs = usesCommonJs(sf);
  let last: ts.Statement | undefined;
  let lastDirective: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || (cjs && isTopLevelRequire(st))) last = st;
    else if (!last && !lastDirective && ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) lastDirective = st;
  }
  if (last) return { offset: last.getEnd(), after: true };
  if (lastDirective) return { offset: lastDirective.getEnd(), after: true };
  const first = sf.statements[0];
  return first ? { offset: first.getStart(sf), after: false } : { offset: sf.text.length, after: true };
}

/** Whether a name is already bound at module scope by an import, require or declaration. */
function boundAtTop(sf: ts.SourceFile, name: string): { specifier?: string; typeOnly: boolean } | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const spec = st.moduleSpecifier.text;
      if (c.name?.text === name) return { specifier: spec, typeOnly: c.isTypeOnly };
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return { specifier: spec, typeOnly: c.isTypeOnly };
      if (nb && ts.isNamedImports(nb)) {
        const el = nb.elements.find((e) => e.name.text === name);
        if (el) return { specifier: spec, typeOnly: c.isTypeOnly || el.isTypeOnly };
      }
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const names = ts.isIdentifier(d.name)
          ? [d.name.text]
          : ts.isObjectBindingPattern(d.name)
            ? d.name.elements.map((e) => (ts.isIdentifier(e.name) ? e.name.text : ''))
            : [];
        if (names.includes(name)) {
          const init = d.initializer;
          const spec =
            init &&
            ts.isCallExpression(init) &&
            ts.isIdentifier(init.expression) &&
            init.expression.text === 'require' &&
            init.arguments[0] &&
            ts.isStringLiteral(init.arguments[0])
              ? init.arguments[0].text
              : undefined;
          return { specifier: spec, typeOnly: false };
        }
      }
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) {
      return { typeOnly: false };
    }
  }
  return undefined;
}

/**
 * An edit that makes `name` (a named export of `specifier`) available at module scope, or `[]` when it
 * already is. Adds to an existing `import { … } from 'specifier'` when there is one; otherwise inserts a new
 * `import { name } from 'specifier';` (or `const { name } = require('specifier');` in CommonJS files) at
 * `importInsertionPoint`. Returns undefined when the name is taken by something else, so the caller can
 * drop its fix rather than produce code that shadows or clashes.
 */
export function ensureNamedImport(sf: ts.SourceFile, specifier: string, name: string, opts: { typeOnly?: boolean } = {}): TextEdit[] | undefined {
  const bound = boundAtTop(sf, name);
  if (bound) return bound.specifier === specifier && (opts.typeOnly || !bound.typeOnly) ? [] : undefined;
  const cjs = usesCommonJs(sf);
  if (!cjs) {
    // Extend an existing value import of the same module: `import { NextResponse } from 'next/server'`.
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== specifier) continue;
      const c = st.importClause;
      const nb = c?.namedBindings;
      if (!c || !nb || !ts.isNamedImports(nb) || nb.elements.length === 0) continue;
      if (c.isTypeOnly && !opts.typeOnly) continue;
      const lastEl = nb.elements[nb.elements.length - 1];
      const prefix = opts.typeOnly && !c.isTypeOnly ? 'type ' : '';
      return [insertAt(lastEl.getEnd(), `, ${prefix}${name}`)];
    }
  }
  if (cjs && opts.typeOnly) return undefined;
  const line = cjs ? `const { ${name} } = require('${specifier}');` : `import ${opts.typeOnly ? 'type ' : ''}{ ${name} } from '${specifier}';`;
  const point = importInsertionPoint(sf);
  return [insertAt(point.offset, point.after ? `\n${line}` : `${line}\n`)];
}
