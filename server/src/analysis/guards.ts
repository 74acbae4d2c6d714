// Runtime guards: code that cannot run in the runtime being checked is not analyzed for it.
// `if (process.env.NEXT_RUNTIME === 'nodejs') { … }` never runs on the edge; `typeof EdgeRuntime` likewise.
import * as ts from 'typescript';
import { strip } from './ast';
import type { Runtime } from '../../../shared/src/types';

/** `process.env`, read from the tree: `getText()` finds the file by climbing every parent, as deep as a chain is long. */
function isProcessEnv(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && e.name.text === 'env' && ts.isIdentifier(e.expression) && e.expression.text === 'process';
}

function isNextRuntimeRef(e: ts.Expression): boolean {
  e = strip(e);
  // process.env.NEXT_RUNTIME or process.env['NEXT_RUNTIME']
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'NEXT_RUNTIME' && isProcessEnv(e.expression);
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression))
    return e.argumentExpression.text === 'NEXT_RUNTIME' && isProcessEnv(e.expression);
  return false;
}

function isTypeofEdgeRuntime(e: ts.Expression): boolean {
  e = strip(e);
  if (!ts.isTypeOfExpression(e)) return false;
  const x = strip(e.expression);
  // EdgeRuntime or globalThis.EdgeRuntime
  if (ts.isIdentifier(x)) return x.text === 'EdgeRuntime';
  return ts.isPropertyAccessExpression(x) && x.name.text === 'EdgeRuntime' && ts.isIdentifier(x.expression) && x.expression.text === 'globalThis';
}

/** The runtime a comparison leaf (`process.env.NEXT_RUNTIME === 'edge'`, `typeof EdgeRuntime !== 'undefined'`) allows. */
function comparisonRuntime(cond: ts.Expression): Runtime | undefined {
  if (!ts.isBinaryExpression(cond)) return undefined;
  const op = cond.operatorToken.kind;
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

/** What is left to do with a sub-condition's answer, on `conditionRuntime`'s explicit stack. */
type Pending =
  | { op: 'not'; node: ts.Node }
  | { op: 'and'; node: ts.Node; right: ts.Expression }
  | { op: 'and-right'; node: ts.Node }
  | { op: 'or-left'; node: ts.Node; right: ts.Expression }
  | { op: 'or-right'; node: ts.Node; left: Runtime };

/** Answers of `conditionRuntime` for the operators of one analysis: `null` for "depends on more than the runtime". */
export type ConditionMemo = Map<ts.Node, Runtime | null>;

/**
 * The runtime in which a condition can be true, when it depends only on the runtime:
 * `'node'` for `process.env.NEXT_RUNTIME === 'nodejs'`, `'edge'` for `typeof EdgeRuntime !== 'undefined'`.
 * `!a` flips `a`'s answer; `a && b` is `a`'s answer or else `b`'s; `a || b` has one only when both sides agree.
 * A loop with an explicit stack: a generated `a && b && ...` of 10,000 terms is as deep as it is long, and recursing
 * over it overflowed the stack. `memo` keeps the answer of every operator it evaluated, so the walker, which asks
 * again about each operator of such a chain, does not walk down the chain again each time.
 */
export function conditionRuntime(cond: ts.Expression, memo?: ConditionMemo): Runtime | undefined {
  const pending: Pending[] = [];
  let e: ts.Expression | undefined = cond;
  let value: Runtime | undefined;
  for (;;) {
    // Down the left side until a leaf (or an operator answered before).
    while (e !== undefined) {
      e = strip(e);
      const known = memo?.get(e);
      if (known !== undefined) {
        value = known ?? undefined;
        e = undefined;
      } else if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
        pending.push({ op: 'not', node: e });
        e = e.operand;
      } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
        pending.push({ op: 'and', node: e, right: e.right });
        e = e.left;
      } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.BarBarToken) {
        pending.push({ op: 'or-left', node: e, right: e.right });
        e = e.left;
      } else {
        value = comparisonRuntime(e);
        e = undefined;
      }
    }
    // Up again, combining answers, until an operator needs its right side.
    while (pending.length && e === undefined) {
      const p = pending.pop()!;
      if (p.op === 'not') value = value === undefined ? undefined : value === 'edge' ? 'node' : 'edge';
      else if (p.op === 'and' && value === undefined) {
        // `a && b` with no answer from `a` is `b`'s answer: this operator's, once `b` is done.
        pending.push({ op: 'and-right', node: p.node });
        e = p.right;
        continue;
      } else if (p.op === 'or-left' && value !== undefined) {
        pending.push({ op: 'or-right', node: p.node, left: value });
        e = p.right;
        continue;
      } else if (p.op === 'or-right') value = value !== undefined && value === p.left ? value : undefined;
      memo?.set(p.node, value ?? null);
    }
    if (e === undefined) return value;
  }
}

/** Whether a statement always leaves its block (return/throw), so what follows runs only when it did not. */
function exits(st: ts.Statement): boolean {
  // A loop into the last statement of nested blocks: `{{{ ... return; }}}` nests as deep as its author likes.
  while (ts.isBlock(st)) {
    if (st.statements.length === 0) return false;
    st = st.statements[st.statements.length - 1];
  }
  return ts.isReturnStatement(st) || ts.isThrowStatement(st);
}

/** What `unreachableChildren` answers for most nodes: one shared empty list (it is asked about every binary expression). */
const REACHABLE: readonly ts.Node[] = Object.freeze([]);

/** `whenTrue` or `whenFalse`, whichever cannot run in `runtime` given that `cond` depends only on the runtime. */
function skipIf(
  cond: ts.Expression,
  whenTrue: ts.Node | undefined,
  whenFalse: ts.Node | undefined,
  runtime: Runtime,
  memo: ConditionMemo | undefined,
): readonly ts.Node[] {
  const only = conditionRuntime(cond, memo);
  if (!only) return REACHABLE;
  const skipped = only !== runtime ? whenTrue : whenFalse;
  return skipped ? [skipped] : REACHABLE;
}

/**
 * The children of `node` that cannot run in `runtime`. Called by the walker on every node of the kinds
 * below; the walker skips the returned subtrees for every rule. `memo`, one per walk, keeps it linear on long chains.
 */
export function unreachableChildren(node: ts.Node, runtime: Runtime, memo?: ConditionMemo): readonly ts.Node[] {
  if (ts.isIfStatement(node)) return skipIf(node.expression, node.thenStatement, node.elseStatement, runtime, memo);
  if (ts.isConditionalExpression(node)) return skipIf(node.condition, node.whenTrue, node.whenFalse, runtime, memo);
  if (ts.isBinaryExpression(node))
    return node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ? skipIf(node.left, node.right, undefined, runtime, memo) : REACHABLE;
  if (ts.isBlock(node) || ts.isSourceFile(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) {
    // Early exit: `if (process.env.NEXT_RUNTIME !== 'nodejs') return;` — the rest of the block runs only on Node.
    const statements = node.statements;
    for (let i = 0; i < statements.length - 1; i++) {
      const st = statements[i];
      if (!ts.isIfStatement(st) || st.elseStatement || !exits(st.thenStatement)) continue;
      const only = conditionRuntime(st.expression, memo);
      if (only && only === runtime) return statements.slice(i + 1);
    }
  }
  return REACHABLE;
}

/** Kinds `unreachableChildren` may return something for: the walker asks only on these. */
export const GUARD_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ConditionalExpression,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseClause,
  ts.SyntaxKind.DefaultClause,
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
