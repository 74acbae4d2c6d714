// Small AST helpers that rules share: callee names, member calls, what a name was imported from.
import * as ts from 'typescript';
import type { FileFacts } from './facts';

/** An expression without the wrappers that leave its value alone: parentheses, `as`, `!`, `satisfies` and `<T>x`. */
export function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e))
    e = e.expression;
  return e;
}

/** `strip`, and through `await` as well: the expression whose value an awaited expression waits for. */
export function stripAwait(e: ts.Expression): ts.Expression {
  while (
    ts.isAwaitExpression(e) ||
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  )
    e = e.expression;
  return e;
}

/** `foo` for `foo()`, `bar` for `a.b.bar()`; undefined for computed callees. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The receiver text for `a.b.c()` is `a.b`; undefined for a plain call. */
export function calleeObject(call: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  const e = call.expression;
  return ts.isPropertyAccessExpression(e) ? e.expression : undefined;
}

/** Whether `call` is `object.method(...)` where object is the identifier `object` (or `globalThis.object`). */
export function isMemberCall(call: ts.CallExpression, object: string, method: string | Set<string>): boolean {
  const e = call.expression;
  if (!ts.isPropertyAccessExpression(e)) return false;
  const ok = typeof method === 'string' ? e.name.text === method : method.has(e.name.text);
  if (!ok) return false;
  const obj = e.expression;
  if (ts.isIdentifier(obj)) return obj.text === object;
  return ts.isPropertyAccessExpression(obj) && obj.name.text === object && ts.isIdentifier(obj.expression) && obj.expression.text === 'globalThis';
}

/** Strips `node:` and subpaths: `node:fs/promises` → `fs`, `@aws-sdk/client-s3/x` → `@aws-sdk/client-s3`. */
export function packageName(specifier: string): string {
  const s = specifier.replace(/^node:/, '');
  if (s.startsWith('@')) return s.split('/').slice(0, 2).join('/');
  return s.split('/')[0];
}

/**
 * The module a local identifier was imported from (through `import` or `require`), or undefined.
 * Only module-scope imports count; a local of the same name shadows them.
 */
export function importSource(facts: FileFacts, id: ts.Identifier, from?: ReadonlySet<string>): { specifier: string; imported: string } | undefined {
  const hit = facts.importOf(id.text);
  // `from` keeps only imports of these modules, decided from the import table before the scope lookup.
  if (!hit || (from && !from.has(hit.info.specifier))) return undefined;
  const decl = facts.moduleScopeDeclaration(id);
  if (!decl) return undefined;
  return { specifier: hit.info.specifier, imported: hit.imported };
}

/** The root identifier of `a.b.c` / `a[0].b` / `a.b()` chains. */
export function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  for (;;) {
    if (ts.isIdentifier(e)) return e;
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
    else if (ts.isCallExpression(e)) e = e.expression;
    else return undefined;
  }
}

/** The methods that chain on a promise and return another: `p.then(…)`, `.catch(…)`, `.finally(…)`. */
export const THEN_METHODS: ReadonlySet<string> = new Set(['then', 'catch', 'finally']);

/** Whether a node (a function) is declared `async`. */
export function isAsync(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
}

/** Whether the node is inside an `async` function (for fixes that insert `await`). */
export function inAsyncFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) return isAsync(n);
  }
  return false;
}

/** The string value of a literal or a template without substitutions. */
export function stringValue(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  return undefined;
}

/** Span of the whole line(s) a statement occupies, including its line break, for removals. */
export function statementSpan(sf: ts.SourceFile, node: ts.Node): { start: number; end: number } {
  return { start: node.getStart(sf), end: node.getEnd() };
}
