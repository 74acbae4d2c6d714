// Polling and retry loops in function code with no bound: they run until the platform's timeout and bill all of it.
import * as ts from 'typescript';
import { strip } from '../analysis/ast';
import { defineRule } from '../analysis/rule';
import { isFunctionNode } from '../analysis/handlers';
import { isAwaitedSleep } from '../analysis/timers';
import { SKIP, someInSubtree, walkSubtree } from '../analysis/tree';

type Loop = ts.WhileStatement | ts.DoStatement | ts.ForStatement;

const RELATIONAL = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
]);

export default defineRule({
  meta: {
    id: 'no-unbounded-polling',
    severity: 'warning',
    category: 'limits',
    scope: 'function-code',
    summary: 'Disallow polling and retry loops without a bound in function code.',
    why:
      'A function is billed for every second it runs and killed at its maximum duration (Vercel 300–1,800 s, Lambda 900 s, Netlify 60 s, ' +
      'Workers CPU limits). A `while (true)` loop that sleeps and polls until a job is done, or retries a failing call forever, holds the ' +
      'invocation open for as long as the condition takes: when the job is slow or the dependency is down it ends in a timeout, after ' +
      'billing the whole duration and keeping the caller waiting. Waiting for work to finish is what queues, durable workflows and cron ' +
      'jobs are for.',
    action:
      'Bound the loop (a maximum number of attempts, or a deadline checked with `Date.now()`), or move the waiting out of the request: ' +
      'enqueue the job (SQS, Cloudflare Queues, QStash, Inngest), run it as a workflow (Vercel Workflow, Step Functions, Cloudflare ' +
      'Workflows), or check on it from a cron job and let the client poll a cheap status endpoint.',
    bad: [
      {
        fileName: 'app/api/render/route.ts',
        platform: 'vercel',
        code: [
          'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));',
          '',
          'export async function POST(request: Request) {',
          '  const { jobId } = await request.json();',
          '  while (true) {',
          '    const res = await fetch(`https://render.example.com/jobs/${jobId}`);',
          '    const job = await res.json();',
          "    if (job.status === 'done') return Response.json(job);",
          '    await sleep(2000);',
          '  }',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/render/route.ts',
        platform: 'vercel',
        code: [
          'const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));',
          '',
          'export async function POST(request: Request) {',
          '  const { jobId } = await request.json();',
          '  for (let attempt = 0; attempt < 10; attempt++) {',
          '    const res = await fetch(`https://render.example.com/jobs/${jobId}`);',
          '    const job = await res.json();',
          "    if (job.status === 'done') return Response.json(job);",
          '    await sleep(2000);',
          '  }',
          "  return Response.json({ status: 'pending' }, { status: 202 });",
          '}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      unbounded:
        'This loop {{what}} and has no bound (no attempt limit or deadline), so it can run until the function times out and bill the whole time; bound it, or move the waiting to a queue, a workflow or a cron job.',
    },
    limits: [
      'A loop that awaits a stream `read()` and leaves when the result is `done` is bounded by the stream; a stream that never ends is not detected.',
      'A loop counts as bounded when its condition, or an `if` in its body that leaves the loop (break, return, throw), compares with `<`, `<=`, `>`, `>=` (an attempt counter, `Date.now() < deadline`), counts down (`while (retries--)`), or checks `signal.aborted`; whether the compared values really grow is not verified.',
      'Sleeps are recognized as awaited `new Promise` + `setTimeout`, `node:timers/promises`, `scheduler.wait`, local helpers built that way, and imported helpers named like a sleep (`sleep`, `delay`, `wait`…).',
      'Loops inside helper functions are checked in function code too; `for…of` over an async iterator is not considered.',
    ],
    references: [
      'https://vercel.com/docs/functions/limitations',
      'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      'https://developers.cloudflare.com/queues/',
    ],
  },
  create(ctx) {
    const check = (node: ts.Node) => {
      const loop = node as Loop;
      const cond = ts.isForStatement(loop) ? loop.condition : loop.expression;
      if (cond && isBoundingCondition(cond)) return;
      const body = scanBody(ctx.facts, loop);
      if (body.bounded || (!body.sleeps && !body.retries)) return;
      const header = headerSpan(ctx.sourceFile, loop);
      const what = body.sleeps ? 'polls with an awaited sleep' : 'retries a failing call';
      ctx.report({
        span: header,
        messageId: 'unbounded',
        data: { what },
      });
    };
    return { enter: { [ts.SyntaxKind.WhileStatement]: check, [ts.SyntaxKind.DoStatement]: check, [ts.SyntaxKind.ForStatement]: check } };
  },
});

/** A condition that limits the loop: a relational comparison, a countdown (`retries--`), or `signal.aborted`. */
function isBoundingCondition(cond: ts.Expression): boolean {
  const bounds = (n: ts.Node) =>
    (ts.isBinaryExpression(n) && RELATIONAL.has(n.operatorToken.kind)) ||
    ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && n.operator === ts.SyntaxKind.MinusMinusToken) ||
    (ts.isPropertyAccessExpression(n) && n.name.text === 'aborted') ||
    (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'throwIfAborted');
  return someInSubtree(strip(cond), bounds, isFunctionNode);
}

/** Whether a statement always leaves the loop: break (of this loop), return or throw. */
function leavesLoop(st: ts.Statement): boolean {
  // Blocks nested in blocks are looked into with a stack: no recursion over the tree.
  const pending: ts.Statement[] = [st];
  for (let s = pending.pop(); s; s = pending.pop()) {
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) return true;
    if (ts.isBreakStatement(s) && !s.label) return true;
    if (ts.isBlock(s)) for (let i = s.statements.length - 1; i >= 0; i--) pending.push(s.statements[i]);
  }
  return false;
}

/** `await reader.read()` (or `read(view)` of a BYOB reader): the loop consumes a stream. */
function isAwaitedStreamRead(n: ts.Node): boolean {
  if (!ts.isAwaitExpression(n)) return false;
  const call = strip(n.expression);
  return ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'read' && call.arguments.length <= 1;
}

/** A condition that tests a stream read's end: `done`, `result.done`, `done || signal.aborted` … */
function testsDone(cond: ts.Expression): boolean {
  return someInSubtree(
    strip(cond),
    (n) => (ts.isIdentifier(n) && n.text === 'done') || (ts.isPropertyAccessExpression(n) && n.name.text === 'done'),
    isFunctionNode,
  );
}

/** Whether `n` sits in a `for…of` / `for…in` nested inside `loop`: a catch there moves on to the next item, it retries nothing. */
function inNestedIteration(n: ts.Node, loop: Loop): boolean {
  for (let p = n.parent; p && p !== loop; p = p.parent) {
    if (ts.isForOfStatement(p) || ts.isForInStatement(p)) return true;
  }
  return false;
}

/** What the loop body does, without descending into nested functions or nested loops' own bounds. */
function scanBody(facts: Parameters<typeof isAwaitedSleep>[0], loop: Loop): { sleeps: boolean; retries: boolean; bounded: boolean } {
  const out = { sleeps: false, retries: false, bounded: false };
  // The standard stream loop, `while (true) { const { done, value } = await reader.read(); if (done) break; … }`,
  // is bounded by the stream: it ends when the stream does.
  let readsStream = false;
  let leavesWhenDone = false;
  walkSubtree(
    loop.statement,
    (n) => {
      if (isFunctionNode(n)) return SKIP;
      if (isAwaitedSleep(facts, n)) out.sleeps = true;
      if (isAwaitedStreamRead(n)) readsStream = true;
      if (ts.isIfStatement(n) && isBoundingCondition(n.expression) && (leavesLoop(n.thenStatement) || (n.elseStatement && leavesLoop(n.elseStatement))))
        out.bounded = true;
      if (ts.isIfStatement(n) && testsDone(n.expression) && leavesLoop(n.thenStatement)) leavesWhenDone = true;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'throwIfAborted') out.bounded = true;
      if (ts.isTryStatement(n) && n.catchClause && containsAwait(n.tryBlock) && !inNestedIteration(n, loop)) {
        const stmts = n.catchClause.block.statements;
        const last = stmts[stmts.length - 1];
        // A catch that swallows the error and goes round again is a retry; one that always leaves is not.
        if (!last || !leavesLoop(last)) out.retries = true;
      }
    },
    facts.sourceFile,
  );
  if (readsStream && leavesWhenDone) out.bounded = true;
  return out;
}

function containsAwait(n: ts.Node): boolean {
  return someInSubtree(n, ts.isAwaitExpression, isFunctionNode);
}

/** The loop's header: `while (cond)`, `for (;;)`, or the `while (cond)` tail of a do-while. */
function headerSpan(sf: ts.SourceFile, loop: Loop): { start: number; end: number } {
  const children = loop.getChildren(sf);
  const close = children.find((c) => c.kind === ts.SyntaxKind.CloseParenToken);
  if (ts.isDoStatement(loop)) {
    const kw = children.find((c) => c.kind === ts.SyntaxKind.WhileKeyword);
    return { start: (kw ?? loop).getStart(sf), end: close?.getEnd() ?? loop.getEnd() };
  }
  return { start: loop.getStart(sf), end: close?.getEnd() ?? loop.statement.getStart(sf) };
}
