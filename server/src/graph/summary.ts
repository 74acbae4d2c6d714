// A module's import summary: what it loads at run time, with each import's position and the runtime
// guards around it. The module graph keeps one summary per file, cached by content.
import * as ts from 'typescript';
import type { Runtime, Span } from '../../../shared/src/types';
import { parseSource } from '../analysis/engine';
import { GUARD_KINDS, isFallbackLoad, unreachableChildren } from '../analysis/guards';

export interface ModuleImport {
  specifier: string;
  /** The span of the specifier string literal (quotes included). */
  span: Span;
  kind: 'import' | 'require' | 'dynamic-import' | 're-export' | 'side-effect';
  /**
   * `import type`, all-type named imports, or imports whose bindings are used only as types (TypeScript
   * elides those): they do not exist at run time and are never edges.
   */
  typeOnly: boolean;
  /** Set when the import sits in code guarded to one runtime (spec §1), e.g. `'node'` inside `NEXT_RUNTIME === 'nodejs'`. */
  onlyIn?: Runtime;
  /** A `require`/`import()` inside `try { } catch` or with `.catch()`: a fallback that may fail safely. */
  fallback: boolean;
}

export interface ModuleSummary {
  fileName: string;
  imports: ModuleImport[];
  /** `'use client'` modules run in the browser; reachability for function roles stops there. */
  useClient: boolean;
  /** Text length, for bundle estimates. */
  size: number;
  /** A stable key of everything edges depend on: two summaries with the same key give the same graph. */
  edgeKey: string;
}

function stripParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** Names used in value positions anywhere in the file (not in types, not as declared names or property keys). */
function valueNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const stack: ts.Node[] = [sf];
  // One callback for the whole walk (the order of a set does not matter): no closure per node for the GC.
  const push = (c: ts.Node) => {
    stack.push(c);
  };
  while (stack.length) {
    const node = stack.pop()!;
    // `class A extends B` is parsed as a type node, but B is a run-time value.
    const classExtends = ts.isExpressionWithTypeArguments(node) && ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(node.parent.parent);
    if (ts.isImportDeclaration(node) || (ts.isTypeNode(node) && !classExtends) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
      // A `typeof x` type query still needs no run-time value, so type nodes are skipped whole.
      continue;
    }
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node);
      if (!isPropertyName) names.add(node.text);
      continue;
    }
    ts.forEachChild(node, push);
  }
  return names;
}

function isTypeOnlyImport(st: ts.ImportDeclaration, used: () => Set<string>): boolean {
  const clause = st.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const locals: string[] = [];
  if (clause.name) locals.push(clause.name.text);
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) locals.push(nb.name.text);
  if (nb && ts.isNamedImports(nb)) {
    for (const el of nb.elements) if (!el.isTypeOnly) locals.push(el.name.text);
    if (!clause.name && nb.elements.length > 0 && locals.length === 0) return true;
  }
  if (locals.length === 0) return false;
  // TypeScript (and every bundler that strips types) drops an import none of whose bindings is used as a value.
  const names = used();
  return !locals.some((l) => names.has(l));
}

/**
 * Whether the text may load a module by a call: `require(…)`, `require?.(…)`, `require<T>(…)` or `import(…)`,
 * comments allowed before the parenthesis (`/` also matches a division: harmless, it only costs the full walk).
 * A false negative would miss an import, so the test errs on the side of the full walk.
 */
function mayLoadByCall(text: string): boolean {
  return /\b(?:require|import)\s*(?:\?\.\s*)?[(</]/.test(text);
}

/** Summarizes a module's imports. Never throws: an unparseable file has no imports. */
export function summarizeModule(fileName: string, text: string, parse = () => parseSource(fileName, text)): ModuleSummary {
  const imports: ModuleImport[] = [];
  const parsed = /\.(?:[cm]?[jt]sx?)$/.test(fileName) ? parse() : { error: 'not a script' };
  let useClient = false;
  if (!('error' in parsed)) {
    const sf = parsed;
    let used: Set<string> | undefined;
    const usedNames = () => (used ??= valueNames(sf));
    for (const st of sf.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) break;
      if (st.expression.text === 'use client') useClient = true;
    }
    const spanOf = (lit: ts.Node): Span => ({ start: lit.getStart(sf), end: lit.getEnd() });
    // Import and export declarations only occur among the statements of the file or of a `declare module`
    // block, so without a `require` or `import(` in the text a scan of those statements finds every import;
    // a walk of the whole tree (a fifth of the editor's per-change cost in the profile) is needed only for calls.
    const topLevelOnly = !mayLoadByCall(text);
    // One walk with the runtime a subtree is confined to (from guards) carried down.
    const stack: Array<{ node: ts.Node; onlyIn?: Runtime }> = [{ node: sf }];
    while (stack.length) {
      const { node, onlyIn } = stack.pop()!;
      if (topLevelOnly) {
        if (ts.isSourceFile(node) || ts.isModuleBlock(node)) {
          for (const st of node.statements) stack.push({ node: st });
          continue;
        }
        if (ts.isModuleDeclaration(node)) {
          if (node.body) stack.push({ node: node.body });
          continue;
        }
        if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node) && !ts.isImportEqualsDeclaration(node)) continue;
      }
      if (ts.isImportDeclaration(node) && ts.isStringLiteralLike(node.moduleSpecifier)) {
        imports.push({
          specifier: node.moduleSpecifier.text, span: spanOf(node.moduleSpecifier), kind: node.importClause ? 'import' : 'side-effect',
          typeOnly: isTypeOnlyImport(node, usedNames), onlyIn, fallback: false,
        });
        continue;
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteralLike(node.moduleSpecifier)) {
        const allTypes = node.isTypeOnly || (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
        imports.push({ specifier: node.moduleSpecifier.text, span: spanOf(node.moduleSpecifier), kind: 're-export', typeOnly: allTypes, onlyIn, fallback: false });
        continue;
      }
      if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteralLike(node.moduleReference.expression)) {
        imports.push({ specifier: node.moduleReference.expression.text, span: spanOf(node.moduleReference.expression), kind: 'require', typeOnly: node.isTypeOnly, onlyIn, fallback: false });
        continue;
      }
      if (ts.isCallExpression(node) && node.arguments.length >= 1) {
        const arg = stripParens(node.arguments[0]);
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
        const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        if ((isRequire || isDynamic) && ts.isStringLiteralLike(arg)) {
          imports.push({ specifier: arg.text, span: spanOf(arg), kind: isRequire ? 'require' : 'dynamic-import', typeOnly: false, onlyIn, fallback: isFallbackLoad(node) });
        }
      }
      // Children confined to one runtime by a guard: what cannot run on the edge runs only on Node, and vice versa.
      let nodeOnly: Set<ts.Node> | undefined;
      let edgeOnly: Set<ts.Node> | undefined;
      if (GUARD_KINDS.has(node.kind)) {
        const notOnEdge = unreachableChildren(node, 'edge');
        if (notOnEdge.length) nodeOnly = new Set(notOnEdge);
        const notOnNode = unreachableChildren(node, 'node');
        if (notOnNode.length) edgeOnly = new Set(notOnNode);
      }
      const children: ts.Node[] = [];
      ts.forEachChild(node, (c) => {
        children.push(c);
      });
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i];
        const confined = nodeOnly?.has(c) ? 'node' : edgeOnly?.has(c) ? 'edge' : onlyIn;
        stack.push({ node: c, onlyIn: confined });
      }
    }
  }
  imports.sort((a, b) => a.span.start - b.span.start);
  const edgeKey = JSON.stringify([useClient, imports.map((i) => [i.specifier, i.kind, i.typeOnly, i.onlyIn ?? '', i.fallback])]);
  return { fileName, imports, useClient, size: text.length, edgeKey };
}
