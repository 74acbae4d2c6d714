// Work a Node-style handler starts after `res.json()` / `callback(null, …)` runs while the platform is freezing the function.
import * as ts from 'typescript';
import type { Fix } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { rootIdentifier, strip } from '../analysis/ast';
import { enclosingFunction } from '../analysis/facts';
import { indentOf, replaceNode } from '../analysis/edits';
import { handlerMaySend, helperSend, promiseOrigin, responseSentBefore, waitUntilPlan, WRAP_IN_WAIT_UNTIL } from '../analysis/promises';
import { shapeOf } from '../conventions';
import { someInSubtree } from '../analysis/tree';
import type { PythonRuleContext } from '../analysis/rule';
import { chainedCall, assignedName, usesOf } from '../python/facts';

const skipsCache = new WeakMap<ts.Node, boolean>();

/**
 * Whether a Lambda handler sets `<context>.callbackWaitsForEmptyEventLoop = false` (its second parameter), after
 * which Lambda returns a callback's response at once and freezes whatever is still running.
 */
function skipsEventLoopWait(fn: ts.SignatureDeclaration & { body?: ts.Node }): boolean {
  const cached = skipsCache.get(fn);
  if (cached !== undefined) return cached;
  const param = fn.parameters[1];
  const contextName = param && ts.isIdentifier(param.name) ? param.name.text : undefined;
  const setsFalse = (node: ts.Node) =>
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    node.right.kind === ts.SyntaxKind.FalseKeyword &&
    ts.isPropertyAccessExpression(node.left) &&
    node.left.name.text === 'callbackWaitsForEmptyEventLoop' &&
    ts.isIdentifier(node.left.expression) &&
    node.left.expression.text === contextName;
  // Nested functions run at other times; only the handler's own statements decide.
  const found = !!contextName && !!fn.body && someInSubtree(fn.body, setsFalse, ts.isFunctionLike);
  skipsCache.set(fn, found);
  return found;
}

/** Receivers whose awaited calls are logging, not work (pino, winston and console methods are synchronous or best-effort). */
const LOGGERS = new Set(['console', 'logger', 'log']);

function isLogging(e: ts.Expression): boolean {
  const root = rootIdentifier(strip(e));
  return !!root && LOGGERS.has(root.text);
}

/** The expression in a statement that starts asynchronous work: an awaited call, or a call known to return a promise. */
function asyncWorkOf(expr: ts.Expression | undefined, ctx: RuleContext): ts.Expression | undefined {
  if (!expr) return undefined;
  let e = strip(expr);
  if (ts.isVoidExpression(e)) e = strip(e.expression);
  if (ts.isAwaitExpression(e)) return isLogging(e.expression) ? undefined : e;
  return promiseOrigin(e, ctx.facts) ? e : undefined;
}

export default defineRule({
  meta: {
    id: 'no-work-after-response',
    severity: 'error',
    category: 'async',
    scope: { role: 'function-entry', handlers: true },
    summary: 'Disallow starting asynchronous work after a Node-style handler has sent its response.',
    why:
      'On a long-running Express server, code after `res.json()` keeps running and finishes a moment later. In a ' +
      'serverless function the platform treats the sent response as the end of the invocation: Vercel and Netlify ' +
      'freeze or stop the function, and Lambda does the same after the callback when the handler set ' +
      '`context.callbackWaitsForEmptyEventLoop = false` (by default it waits for the work and holds the response). Work started ' +
      'after the response (an email, a database write, a webhook) is cut off part-way, or resumes minutes later on ' +
      'the next request, and its errors never reach anyone.',
    action:
      'Do the work before sending the response, or hand it to the platform so it may finish afterwards: ' +
      "waitUntil() from '@vercel/functions' on Vercel, context.waitUntil() on Netlify; on Lambda, finish the work before calling back.",
    bad: [
      {
        fileName: 'pages/api/feedback.ts',
        platform: 'vercel',
        code: [
          "import type { NextApiRequest, NextApiResponse } from 'next';",
          "import { prisma } from '@/lib/prisma';",
          '',
          'export default async function handler(req: NextApiRequest, res: NextApiResponse) {',
          '  res.status(202).json({ received: true });',
          '  await prisma.feedback.create({ data: { text: req.body.text } });',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'pages/api/feedback.ts',
        platform: 'vercel',
        code: [
          "import type { NextApiRequest, NextApiResponse } from 'next';",
          "import { prisma } from '@/lib/prisma';",
          '',
          'export default async function handler(req: NextApiRequest, res: NextApiResponse) {',
          '  await prisma.feedback.create({ data: { text: req.body.text } });',
          "  console.info('feedback stored');",
          '  res.status(202).json({ received: true });',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: WRAP_IN_WAIT_UNTIL,
        title: 'Wrap in {{waitUntil}}()',
        safety: 'unsafe',
        preferred: true,
        description:
          "Hands the work to the platform: `waitUntil(x)` with `import { waitUntil } from '@vercel/functions'` on Vercel (Express, `api/` functions and the Pages Router), " +
          '`context.waitUntil(x)` in Netlify functions. A lone `await x;` or `x;` statement is wrapped by itself; a statement whose result is used later is wrapped ' +
          'together with the rest of its block in an async function. Unsafe: the work now runs concurrently with what follows and its errors no longer fail the request. ' +
          'Not offered for Lambda callbacks (Lambda has no waitUntil): move the work before the callback.',
      },
    ],
    messages: {
      afterResponse:
        '`{{label}}` starts after `{{sent}}` sent the response: the platform may freeze the function once the response is out, cutting this work off; {{advice}}.',
      pythonThread:
        'This thread keeps working after the handler returns, but the platform freezes the instance once the response is sent (Lambda, Vercel): the work stops half-way or resumes during a later request. Finish the work before returning (join the thread), or hand it to a queue.',
      pythonBackgroundTasks:
        'BackgroundTasks run after the response is sent, but on {{platform}} the instance may be frozen then (on Lambda through Mangum the response also waits for them): the task is cut off or delays the reply. Do the work before returning, or send it to a queue.',
    },
    limits: [
      "Responses are recognized on the handler's own response parameter (`res.send/json/end/redirect/sendStatus/sendFile/render`, also through `res.status(…)` chains) and on a Lambda handler's `callback` parameter; a helper the handler calls with its response object counts when its summary says it always sends (`res.json(…)` as a statement of its own body, not in a branch, or such a statement handing the response to a function that does, up to four deep).",
      "A Lambda `callback(…)` counts as the end only when the handler sets `context.callbackWaitsForEmptyEventLoop = false` itself; middleware that sets it (middy's do-not-wait-for-empty-event-loop) is not seen.",
      'Control flow is followed through blocks, `if` and `try`; a response sent inside a loop or a `switch` case is not followed, and a send followed by `return` in its block ends that path.',
      'Asynchronous work is an `await` (except on `console`/`logger`/`log` calls) or a call no-floating-promise-in-handler recognizes as a promise; a plain synchronous call after the response is not reported.',
      'A floating promise started after the response is reported here only (not also by no-floating-promise-in-handler).',
    ],
    references: [
      'https://vercel.com/docs/functions/functions-api-reference',
      'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
      'https://docs.netlify.com/build/functions/api/',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonWorkAfterResponse at the end of this file.
  python: pythonWorkAfterResponse,
  create(ctx) {
    const sf = ctx.sourceFile;

    // Cheapest test first: most statements are in handlers that never send a Node-style response, or come before
    // the send; only statements after one are asked whether they start asynchronous work (which resolves symbols).
    const check = (stmt: ts.Statement, workOf: () => ts.Expression | undefined) => {
      const handler = ctx.facts.handlerOf(stmt);
      if (!handler || enclosingFunction(stmt) !== handler.fn || !handlerMaySend(handler)) return;
      const sent = responseSentBefore(stmt, ctx.facts);
      if (!sent) return;
      const work = workOf();
      if (!work) return;
      const sentText = `${sent.expression.getText(sf).replace(/\s+/g, '')}(…)`;
      // A helper given the response sends it (its summary says so): the chain goes to the send in the helper.
      const res = handlerResponse(handler.fn, ctx);
      const viaHelper = res ? helperSend(sent, res, ctx.facts) : undefined;
      const isCallback = !viaHelper && !ts.isPropertyAccessExpression(sent.expression);
      // Lambda holds a callback's response until the event loop is empty, so later work completes (and delays the
      // response) unless the handler turned that off: only then is the work frozen mid-way.
      if (isCallback && !skipsEventLoopWait(handler.fn)) return;
      const target = ts.isAwaitExpression(work) ? work.expression : work;
      const label = ts.isCallExpression(target) ? `${target.expression.getText(sf).replace(/\s+/g, '')}()` : 'this work';
      const advice = isCallback
        ? 'finish it before calling back'
        : ctx.context.waitUntilForm === 'none'
          ? 'do it before sending the response'
          : 'do it before sending the response or hand it to waitUntil()';
      const fix = buildFix(ctx, stmt, work);
      ctx.report({
        node: work,
        messageId: 'afterResponse',
        data: { label, sent: sentText, advice },
        related: [
          {
            fileName: ctx.fileName,
            span: { start: sent.getStart(sf), end: sent.getEnd() },
            message: viaHelper ? 'The response is sent by this call.' : 'The response is sent here.',
          },
          ...(viaHelper && ctx.facts.crossFile
            ? [ctx.facts.crossFile.at(viaHelper.fileName, viaHelper.at, `${viaHelper.what} in ${ctx.facts.crossFile.show(viaHelper.fileName)} sends it.`)]
            : []),
        ],
        fixes: fix ? [fix] : [],
      });
    };

    return {
      enter: {
        [ts.SyntaxKind.ExpressionStatement]: (stmt) => {
          check(stmt, () => asyncWorkOf(stmt.expression, ctx));
        },
        [ts.SyntaxKind.VariableStatement]: (stmt) => {
          check(stmt, () => stmt.declarationList.declarations.map((d) => asyncWorkOf(d.initializer, ctx)).find((w) => w));
        },
        [ts.SyntaxKind.ReturnStatement]: (stmt) => {
          check(stmt, () => asyncWorkOf(stmt.expression, ctx));
        },
      },
    };
  },
});

/** The symbol of the handler's response parameter, when its shape responds through one (`res`). */
function handlerResponse(fn: ts.SignatureDeclaration, ctx: RuleContext): ts.Symbol | undefined {
  const handler = ctx.facts.handlerOf(fn);
  const responds = handler && shapeOf(handler.info.shape).responds;
  const p = responds?.via === 'res' ? fn.parameters[responds.param] : undefined;
  return p && ts.isIdentifier(p.name) ? ctx.facts.symbolAt(p.name) : undefined;
}

/**
 * The waitUntil fix: `await x;` / `x;` becomes the wrapped `x`; any other statement (its result is used by what
 * follows) is wrapped with the rest of its block in an async function, so later statements still see its values.
 */
function buildFix(ctx: RuleContext, stmt: ts.Statement, work: ts.Expression): Fix | undefined {
  const plan = waitUntilPlan(ctx, stmt);
  if (!plan) return undefined;
  const sf = ctx.sourceFile;
  const fix = (edit: ReturnType<typeof replaceNode>): Fix => ctx.fix(WRAP_IN_WAIT_UNTIL, [edit, ...plan.edits], { data: { waitUntil: plan.wrapper } });
  if (ts.isExpressionStatement(stmt)) {
    const inner = ts.isAwaitExpression(work) ? work.expression : work;
    return fix(replaceNode(sf, stmt.expression, plan.wrapExpression(inner.getText(sf))));
  }
  const block = stmt.parent;
  if (!ts.isBlock(block)) return undefined;
  const rest = block.statements.slice(block.statements.indexOf(stmt));
  const indent = indentOf(sf, stmt);
  const start = rest[0].getStart(sf);
  const end = rest[rest.length - 1].getEnd();
  const body = sf.text
    .slice(start, end)
    .split('\n')
    .map((line, i) => (i === 0 ? `${indent}  ${line}` : line.length ? `  ${line}` : line))
    .join('\n');
  return fix({ span: { start, end }, newText: `${plan.wrapStatements(body, indent)};` });
}

// The Python part: work handed past the response: `threading.Thread(…).start()` without a join, and FastAPI/Starlette
// `BackgroundTasks` on Vercel or Lambda, which run after the response is sent, when the platform may freeze the instance.

function pythonWorkAfterResponse(ctx: PythonRuleContext): void {
  const { facts, context } = ctx;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? '';
    if (q !== 'threading.Thread' && !(facts.calleeName(call) ?? '').endsWith('.add_task')) continue;
    const handler = facts.handlerOf(call);
    if (!handler) continue;
    const callee = call.childForFieldName('function');
    if (q === 'threading.Thread') {
      const fn = facts.enclosingFunction(call)!;
      const name = assignedName(call);
      const start =
        chainedCall(call, 'start') ??
        (name
          ? usesOf(facts, fn, name)
              .map((id) => chainedCall(id, 'start'))
              .find(Boolean)
          : undefined);
      const joined = name !== undefined && usesOf(facts, fn, name).some((id) => chainedCall(id, 'join'));
      if (!start || joined) continue;
      ctx.report({
        node: call,
        messageId: 'pythonThread',
      });
    } else if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'add_task') {
      const object = callee.childForFieldName('object')?.text ?? '';
      const param = facts.paramInfo(handler.fn).find((p) => p.name === object);
      if (!param || !/^(fastapi\.|starlette\.background\.)?BackgroundTasks$/.test(param.type ?? '')) continue;
      ctx.report({
        node: call,
        messageId: 'pythonBackgroundTasks',
        data: { platform: context.platform.value === 'aws-lambda' ? 'Lambda' : 'Vercel' },
      });
    }
  }
}
