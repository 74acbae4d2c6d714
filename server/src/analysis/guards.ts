// Runtime guards (spec §1): code that cannot run in the runtime being checked is not analyzed for it.
// `if (process.env.NEXT_RUNTIME === 'nodejs') { … }` never runs on the edge; `typeof EdgeRuntime` likewise.
import * as ts from 'typescript';
import type { Runtime } from '../../../shared/src/types';

function strip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function isNextRuntimeRef(e: ts.Expression): boolean {
  e = strip(e);
  // process.env.NEXT_RUNTIME or process.env['NEXT_RUNTIME']
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'NEXT_RUNTIME' && /^process\.env$/.test(e.expression.getText());
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text === 'NEXT_RUNTIME' && /^process\.env$/.test(e.expression.getText());
  return false;
}

function isTypeofEdgeRuntime(e: ts.Expression): boolean {
  e = strip(e);
  return ts.isTypeOfExpression(e) && /^(globalThis\.)?EdgeRuntime$/.test(strip(e.expression).getText());
}

/**
 * The runtime in which a condition can be true, when it depends only on the runtime:
 * `'node'` for `process.env.NEXT_RUNTIME === 'nodejs'`, `'edge'` for `typeof EdgeRuntime !== 'undefined'`.
 */
export function conditionRuntime(cond: ts.Expression): Runtime | undefined {
  cond = strip(cond);
  if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = conditionRuntime(cond.operand);
    return inner === undefined ? undefined : inner === 'edge' ? 'node' : 'edge';
  }
  if (ts.isBinaryExpression(cond)) {
    const op = cond.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return conditionRuntime(cond.left) ?? conditionRuntime(cond.right);
    if (op === ts.SyntaxKind.BarBarToken) {
      const l = conditionRuntime(cond.left);
      return l !== undefined && l === conditionRuntime(cond.right) ? l : undefined;
    }
    const eq = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const ne = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!eq && !ne) return undefined;
    const right = strip(cond.right);
    const literalOnRight = ts.isStringLiteralLike(right);
    const ref = literalOnRight ? cond.left : cond.right;
    const lit = literalOnRight ? right : strip(cond.left);
    if (!ts.isStringLiteralLike(lit)) return undefined;
    let when: Runtime | undefined;
    if (isNextRuntimeRef(ref)) when = lit.text === 'edge' ? 'edge' : lit.text === 'nodejs' ? 'node' : undefined;
    else if (isTypeofEdgeRuntime(ref)) when = lit.text === 'undefined' ? 'node' : 'edge';
    if (!when) return undefined;
    return eq ? when : when === 'edge' ? 'node' : 'edge';
  }
  return undefined;
}

/** Whether a statement always leaves its block (return/throw), so what follows runs only when it did not. */
function exits(st: ts.Statement): boolean {
  if (ts.isReturnStatement(st) || ts.isThrowStatement(st)) return true;
  if (ts.isBlock(st)) return st.statements.length > 0 && exits(st.statements[st.statements.length - 1]);
  return false;
}

/** What `unreachableChildren` answers for most nodes: one shared empty list (it is asked about every binary expression). */
const REACHABLE: readonly ts.Node[] = Object.freeze([]);

/** `whenTrue` or `whenFalse`, whichever cannot run in `runtime` given that `cond` depends only on the runtime. */
function skipIf(cond: ts.Expression, whenTrue: ts.Node | undefined, whenFalse: ts.Node | undefined, runtime: Runtime): readonly ts.Node[] {
  const only = conditionRuntime(cond);
  if (!only) return REACHABLE;
  const skipped = only !== runtime ? whenTrue : whenFalse;
  return skipped ? [skipped] : REACHABLE;
}

/**
 * The children of `node` that cannot run in `runtime`. Called by the walker on every node of the kinds
 * below; the walker skips the returned subtrees for every rule.
 */
export function unreachableChildren(node: ts.Node, runtime: Runtime): readonly ts.Node[] {
  if (ts.isIfStatement(node)) return skipIf(node.expression, node.thenStatement, node.elseStatement, runtime);
  if (ts.isConditionalExpression(node)) return skipIf(node.condition, node.whenTrue, node.whenFalse, runtime);
  if (ts.isBinaryExpression(node)) return node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? skipIf(node.left, node.right, undefined, runtime) : REACHABLE;
  if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    // Early exit: `if (process.env.NEXT_RUNTIME !== 'nodejs') return;` — the rest of the block runs only on Node.
    const statements = node.statements;
    for (let i = 0; i < statements.length - 1; i++) {
      const st = statements[i];
      if (!ts.isIfStatement(st) || st.elseStatement || !exits(st.thenStatement)) continue;
      const only = conditionRuntime(st.expression);
      if (only && only === runtime) return statements.slice(i + 1);
    }
  }
  return REACHABLE;
}

/** Kinds `unreachableChildren` may return something for: the walker asks only on these. */
export const GUARD_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.IfStatement, ts.SyntaxKind.ConditionalExpression, ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.Block,
  ts.SyntaxKind.SourceFile, ts.SyntaxKind.ModuleBlock, ts.SyntaxKind.CaseClause, ts.SyntaxKind.DefaultClause,
]);

/** A dynamic `import()` (or `require`) inside a `try` with a `catch`: a fallback that may fail safely. */
export function isFallbackLoad(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isTryStatement(n) && n.catchClause && node.pos >= n.tryBlock.pos && node.end <= n.tryBlock.end) return true;
    // `.catch(...)` chained on the dynamic import promise.
    if (ts.isPropertyAccessExpression(n) && n.name.text === 'catch' && n.expression.pos <= node.pos && node.end <= n.expression.end) return true;
    if (ts.isFunctionDeclaration(n) || ts.isSourceFile(n)) break;
  }
  return false;
}
