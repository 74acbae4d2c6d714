// Timer knowledge shared by the background-timer and polling rules: callback timers, sleep promises, and whether a
// promise built around a timer is consumed (awaited, returned, raced) so the timer cannot outlive its caller.
import * as ts from 'typescript';
import type { FileFacts } from './facts';
import { enclosingFunction } from './facts';
import { isFunctionNode } from './handlers';
import { importSource, packageName, THEN_METHODS } from './ast';
import { outerExpression } from './clients';
import { someInSubtree } from './tree';

export type TimerKind = 'setTimeout' | 'setInterval';

const CALLBACK_TIMER_MODULES = new Set(['timers', 'node:timers']);
const PROMISE_TIMER_MODULES = new Set(['timers/promises', 'node:timers/promises']);
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
/** Names of sleep helpers imported from modules we cannot read (`import { sleep } from '@/lib/utils'`). */
const SLEEP_NAMES = /^(sleep|delay|wait|pause|backoff|snooze|waitFor|waitMs|sleepMs)$/i;

function isGlobalName(facts: FileFacts, id: ts.Node, name: string): boolean {
  return ts.isIdentifier(id) && id.text === name && !facts.symbolOf(id);
}

/** A callback timer call: global `setTimeout`/`setInterval`, `globalThis.setTimeout`, or one imported from `node:timers`. */
export function timerCall(facts: FileFacts, call: ts.CallExpression): TimerKind | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) {
    if (e.text === 'setTimeout' || e.text === 'setInterval')
      return facts.symbolOf(e) ? (fromModules(facts, e, CALLBACK_TIMER_MODULES) as TimerKind | undefined) : e.text;
    return fromModules(facts, e, CALLBACK_TIMER_MODULES) as TimerKind | undefined;
  }
  if (ts.isPropertyAccessExpression(e) && (e.name.text === 'setTimeout' || e.name.text === 'setInterval')) {
    const obj = e.expression;
    if (isGlobalName(facts, obj, 'globalThis') || isGlobalName(facts, obj, 'window')) return e.name.text;
    if (ts.isIdentifier(obj)) {
      const src = importSource(facts, obj, CALLBACK_TIMER_MODULES);
      if (src && (src.imported === '*' || src.imported === 'default')) return e.name.text;
    }
  }
  return undefined;
}

/** The timer an imported identifier names when it comes from one of `modules` (following `as` renames). */
function fromModules(facts: FileFacts, id: ts.Identifier, modules: Set<string>): string | undefined {
  // Most calls are of names no timer module binds: the import table answers before any scope lookup.
  const src = importSource(facts, id, modules);
  if (!src) return undefined;
  return src.imported === 'setTimeout' || src.imported === 'setInterval' ? src.imported : undefined;
}

function stripValue(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** `new Promise(executor)` with the global Promise: the executor, else undefined. */
export function promiseExecutor(facts: FileFacts, node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isNewExpression(node) || !isGlobalName(facts, node.expression, 'Promise')) return undefined;
  const arg = node.arguments?.[0];
  return arg && isFunctionNode(arg) ? arg : undefined;
}

/** Whether a function body contains a callback timer call (nested callbacks included). */
function containsTimer(facts: FileFacts, root: ts.Node): boolean {
  return someInSubtree(root, (n) => ts.isCallExpression(n) && !!timerCall(facts, n), undefined, facts.sourceFile);
}

/**
 * Whether an expression is a sleep: a promise that settles after a delay. `new Promise(r => setTimeout(r, ms))`,
 * `setTimeout(ms)` from `node:timers/promises`, `scheduler.wait(ms)` (Workers), `Bun.sleep(ms)`, the `delay`
 * package, a local function returning one of these, or an imported helper named like a sleep (`sleep`, `delay`, `wait`…).
 */
export function isSleepPromise(facts: FileFacts, expr: ts.Expression, depth = 0): boolean {
  const e = stripValue(expr);
  const executor = promiseExecutor(facts, e);
  if (executor) return containsTimer(facts, executor);
  if (!ts.isCallExpression(e) || depth > 3) return false;
  const callee = stripValue(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const obj = callee.expression;
    const name = callee.name.text;
    if (name === 'wait' && isGlobalName(facts, obj, 'scheduler')) return true;
    if (name === 'sleep' && isGlobalName(facts, obj, 'Bun')) return true;
    if (ts.isIdentifier(obj)) {
      const src = importSource(facts, obj);
      if (src && PROMISE_TIMER_MODULES.has(src.specifier) && name === 'setTimeout') return true;
    }
    return false;
  }
  if (!ts.isIdentifier(callee)) return false;
  const src = importSource(facts, callee);
  if (src) {
    if (PROMISE_TIMER_MODULES.has(src.specifier)) return src.imported === 'setTimeout';
    if (packageName(src.specifier) === 'delay') return true;
    // A helper from a module we cannot read: trust a sleep-like name, but only from the project's own modules.
    return /^(\.|@\/|~\/|#)/.test(src.specifier) && SLEEP_NAMES.test(src.imported === 'default' ? callee.text : src.imported);
  }
  const decl = facts.symbolOf(callee)?.declarations?.[0];
  if (!decl) return false;
  const fn = ts.isFunctionDeclaration(decl)
    ? decl
    : ts.isVariableDeclaration(decl) && decl.initializer && isFunctionNode(stripValue(decl.initializer))
      ? (stripValue(decl.initializer) as ts.FunctionLikeDeclaration)
      : undefined;
  if (!fn?.body) return false;
  if (!ts.isBlock(fn.body)) return isSleepPromise(facts, fn.body, depth + 1);
  return fn.body.statements.some((st) => ts.isReturnStatement(st) && !!st.expression && isSleepPromise(facts, st.expression, depth + 1));
}

/** Whether an expression is `await <sleep>` (or the sleep itself under an await). */
export function isAwaitedSleep(facts: FileFacts, node: ts.Node): boolean {
  return ts.isAwaitExpression(node) && isSleepPromise(facts, node.expression);
}

/**
 * Whether a promise-valued expression is consumed where it is written: awaited, returned (also as an arrow body),
 * yielded, handed to `waitUntil`/`after`, or an element of a consumed `Promise.all/race/any/allSettled`; or kept in
 * a local that is awaited or returned later in the same function.
 */
export function isPromiseConsumed(facts: FileFacts, expr: ts.Node, depth = 0): boolean {
  if (depth > 4) return false;
  const value = outerExpression(expr);
  for (let n: ts.Node = expr; n !== value; n = n.parent) if (ts.isAwaitExpression(n.parent)) return true;
  const parent = value.parent;
  if (!parent) return false;
  if (ts.isReturnStatement(parent) || ts.isYieldExpression(parent)) return true;
  if (ts.isArrowFunction(parent) && parent.body === value) return true;
  if (ts.isCallExpression(parent) && parent.arguments.includes(value as ts.Expression)) {
    const callee = parent.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name === 'waitUntil' || name === 'after') return true;
  }
  if (ts.isArrayLiteralExpression(parent)) {
    const call = parent.parent;
    if (
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      isGlobalName(facts, call.expression.expression, 'Promise') &&
      PROMISE_COMBINATORS.has(call.expression.name.text)
    )
      return isPromiseConsumed(facts, call, depth + 1);
    return false;
  }
  // `.then(...)` on it: the chain is consumed when the chain is.
  if (ts.isPropertyAccessExpression(parent) && parent.expression === value && ts.isCallExpression(parent.parent) && THEN_METHODS.has(parent.name.text)) {
    return isPromiseConsumed(facts, parent.parent, depth + 1);
  }
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) {
    const scope = enclosingFunction(parent) ?? parent.getSourceFile();
    return facts.referencesOf(parent.name, scope).some((n) => isPromiseConsumed(facts, n, depth + 1));
  }
  return false;
}

/**
 * Whether a timer's handle is cleared: `const t = setTimeout(…)` (or `t = setTimeout(…)`) and a `clearTimeout(t)` /
 * `clearInterval(t)` on the same binding somewhere in the binding's scope.
 */
export function isTimerCleared(facts: FileFacts, call: ts.CallExpression): boolean {
  const value = outerExpression(call);
  const parent = value.parent;
  let target: ts.Identifier | undefined;
  if (ts.isVariableDeclaration(parent) && parent.initializer === value && ts.isIdentifier(parent.name)) target = parent.name;
  else if (ts.isBinaryExpression(parent) && parent.right === value && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(parent.left))
    target = parent.left;
  if (!target) return false;
  const symbol = facts.symbolOf(target);
  const decl = symbol?.declarations?.[0];
  if (!symbol || !decl) return false;
  const scope = enclosingFunction(decl) ?? decl.getSourceFile();
  // `clearTimeout(t)` / `clearInterval(t)`: a use of the binding as a clear call's first argument.
  return facts.referencesOf(target, scope).some((arg) => {
    const call = arg.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== arg) return false;
    const c = call.expression;
    const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
    return name === 'clearTimeout' || name === 'clearInterval';
  });
}
