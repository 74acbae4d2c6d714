// Import helpers for rules and fixes: which module a callee comes from, and edits that add a missing import.
import * as ts from 'typescript';
import type { TextEdit } from '../../../shared/src/types';
import { isAtModuleScope, type FileFacts } from './facts';
import { importSource } from './ast';

/** A module member a callee refers to: `fs.writeFileSync`, `writeFileSync` imported from `fs`, `fs.promises.writeFile`. */
export interface ImportedMember {
  /** The import specifier with `node:` removed, e.g. `fs`, `fs/promises`, `fs-extra`, `bcrypt`. */
  module: string;
  /** The member name, e.g. `writeFileSync`. */
  name: string;
  /** Whether the member was reached through the module's `default`/namespace binding (`fs.x`) rather than a named import. */
  viaObject: boolean;
}

function normalize(specifier: string): string {
  return specifier.replace(/^node:/, '');
}

/**
 * Resolves a callee to the module member it names, following only module-scope imports and requires
 * (a local of the same name shadows them). `fs.promises.writeFile` and `import { promises } from 'fs'`
 * resolve to module `fs/promises`.
 */
export function importedMember(facts: FileFacts, callee: ts.Expression): ImportedMember | undefined {
  let e = callee;
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isIdentifier(e)) {
    const src = importSource(facts, e);
    if (!src || src.imported === '*' || src.imported === 'default') return undefined;
    return { module: normalize(src.specifier), name: src.imported, viaObject: false };
  }
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const name = e.name.text;
  const obj = e.expression;
  if (ts.isIdentifier(obj)) {
    const src = importSource(facts, obj);
    if (!src) return undefined;
    const module = normalize(src.specifier);
    if (src.imported === '*' || src.imported === 'default') return { module, name, viaObject: true };
    // `import { promises as fsp } from 'fs'` then `fsp.writeFile(...)`.
    if (src.imported === 'promises' && module === 'fs') return { module: 'fs/promises', name, viaObject: true };
    return undefined;
  }
  // `fs.promises.writeFile(...)`.
  if (ts.isPropertyAccessExpression(obj) && obj.name.text === 'promises' && ts.isIdentifier(obj.expression)) {
    const src = importSource(facts, obj.expression);
    if (src && (src.imported === '*' || src.imported === 'default') && normalize(src.specifier) === 'fs')
      return { module: 'fs/promises', name, viaObject: true };
  }
  return undefined;
}

/** Whether the file is written as an ES module (imports or exports), as opposed to CommonJS `require`. */
export function isEsModule(sf: ts.SourceFile): boolean {
  if (/\.cjs$/.test(sf.fileName)) return false;
  if (/\.(mjs|mts|ts|tsx)$/.test(sf.fileName) && !sf.statements.some(isRequireStatement)) return true;
  return sf.statements.some(
    (st) =>
      ts.isImportDeclaration(st) ||
      ts.isExportDeclaration(st) ||
      ts.isExportAssignment(st) ||
      (ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

function isRequireStatement(st: ts.Statement): boolean {
  if (!ts.isVariableStatement(st)) return false;
  return st.declarationList.declarations.some((d) => {
    let init = d.initializer;
    while (init && ts.isPropertyAccessExpression(init)) init = init.expression;
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

/** The offset where a new import goes: after the last import or top-level require, else after directives, else 0. */
export function importInsertionPoint(sf: ts.SourceFile): { offset: number; needsLeadingNewline: boolean } {
  let last: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || isRequireStatement(st)) last = st;
  }
  if (!last) {
    for (const st of sf.statements) {
      if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) last = st;
      else break;
    }
  }
  if (!last) return { offset: 0, needsLeadingNewline: false };
  return { offset: last.getEnd(), needsLeadingNewline: true };
}

/**
 * The local name under which a Node builtin's default/namespace object is available (`os`, `path`),
 * reusing an existing `import os from 'os'`, `import * as os from 'node:os'` or `const os = require('os')`.
 * When there is none, returns a fresh name and the import statement text to add (ESM or CommonJS, as the file is).
 */
export function builtinObject(facts: FileFacts, sf: ts.SourceFile, builtin: string): { name: string; statement?: string } {
  // Each finding's fix asks again (a file with several writes outside /tmp): answered once per file.
  return facts.memo(`builtinObject:${builtin}`, () => findBuiltinObject(facts, sf, builtin));
}

function findBuiltinObject(facts: FileFacts, sf: ts.SourceFile, builtin: string): { name: string; statement?: string } {
  for (const info of facts.imports) {
    if (info.typeOnly || normalize(info.specifier) !== builtin) continue;
    if (info.kind !== 'import' && info.kind !== 'require') continue;
    // A require must be at module scope to be visible everywhere.
    const binding = info.bindings.find((b) => b.imported === '*' || b.imported === 'default');
    if (binding && isAtModuleScope(binding.node)) return { name: binding.local };
  }
  const taken = new Set<string>();
  for (const info of facts.imports) for (const b of info.bindings) taken.add(b.local);
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) taken.add(d.name.text);
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) taken.add(st.name.text);
  }
  let name = builtin;
  if (taken.has(name)) name = `node${builtin[0].toUpperCase()}${builtin.slice(1)}`;
  const statement = isEsModule(sf) ? `import ${name} from 'node:${builtin}';` : `const ${name} = require('node:${builtin}');`;
  return { name, statement };
}

/** One edit inserting the given import statements at the file's import insertion point (nothing when the list is empty). */
export function insertImports(sf: ts.SourceFile, statements: Array<string | undefined>): TextEdit[] {
  const lines = statements.filter((s): s is string => !!s);
  if (lines.length === 0) return [];
  const at = importInsertionPoint(sf);
  const text = at.needsLeadingNewline ? `\n${lines.join('\n')}` : `${lines.join('\n')}\n`;
  return [{ span: { start: at.offset, end: at.offset }, newText: text }];
}
