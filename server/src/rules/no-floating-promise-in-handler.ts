// A promise started in a handler and left floating is cut off when the platform freezes or ends the invocation.
import * as ts from 'typescript';
import type { Fix, HandlerInfo } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { inAsyncFunction, isAsync, strip, THEN_METHODS } from '../analysis/ast';
import { enclosingFunction } from '../analysis/facts';
import { insertAt, replaceNode } from '../analysis/edits';
import { shapeOf } from '../conventions';
import { promiseOrigin, responseSentBefore, wrapExpressionFix, WRAP_IN_WAIT_UNTIL } from '../analysis/promises';
import type { PythonRuleContext } from '../analysis/rule';
import { statementOf, assignedName, usesOf } from '../python/facts';

const PLATFORM_NAMES: Record<string, string> = {
  vercel: 'Vercel',
  netlify: 'Netlify',
  'aws-lambda': 'AWS Lambda',
  'cloudflare-workers': 'Cloudflare Workers',
  'deno-deploy': 'Deno Deploy',
};

/** The advice part of the message: the platform's own API for work that may finish after the response. */
function keepAliveAdvice(ctx: RuleContext): string {
  switch (ctx.context.waitUntilForm) {
    case 'next-after':
      return ctx.context.framework.value === 'next-pages-api'
        ? 'await it or pass it to waitUntil() from @vercel/functions'
        : 'await it or run it in after() from next/server';
    case 'vercel-waitUntil':
      return 'await it or pass it to waitUntil() from @vercel/functions';
    case 'workers-ctx':
      return 'await it or pass it to ctx.waitUntil()';
    case 'netlify-context':
      return 'await it or pass it to context.waitUntil()';
    default:
      return ctx.context.framework.value === 'supabase-function'
        ? 'await it or pass it to EdgeRuntime.waitUntil()'
        : 'await it (or return it) before the handler returns';
  }
}

export default defineRule({
  meta: {
    id: 'no-floating-promise-in-handler',
    severity: 'error',
    category: 'async',
    scope: { role: 'function-code', handlers: true },
    summary: 'Disallow promises started in a handler that are neither awaited, returned nor handed to waitUntil.',
    why:
      'On a long-running server a promise nobody awaits still finishes in the background. A serverless platform ' +
      'considers the invocation over when the handler returns or the response is sent: Lambda freezes the execution ' +
      'environment, Vercel and Netlify end or freeze the function, and Cloudflare Workers cancel outstanding work. ' +
      'The email, analytics event or database write in the floating promise is cut off part-way or runs minutes later ' +
      'on the next invocation, and its errors are lost. `void promise` only silences linters: the work is still cut off.',
    action:
      'Await the promise (or return it, or combine it with Promise.all) when the response may wait for it; otherwise hand it ' +
      'to the platform: waitUntil() from @vercel/functions, after() in Next.js, ctx.waitUntil() on Workers, context.waitUntil() on Netlify.',
    bad: [
      {
        fileName: 'app/api/signup/route.ts',
        platform: 'vercel',
        code: [
          "import { Resend } from 'resend';",
          '',
          'const resend = new Resend(process.env.RESEND_API_KEY);',
          '',
          'export async function POST(request: Request) {',
          '  const { email } = await request.json();',
          "  resend.emails.send({ from: 'hi@acme.dev', to: email, subject: 'Welcome', html: '<p>Hi</p>' });",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          'export default {',
          '  async fetch(request: Request, env: { LOG_URL: string }): Promise<Response> {',
          "    fetch(env.LOG_URL, { method: 'POST', body: request.url });",
          "    return new Response('ok');",
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/signup/route.ts',
        platform: 'vercel',
        code: [
          "import { after } from 'next/server';",
          "import { Resend } from 'resend';",
          '',
          'const resend = new Resend(process.env.RESEND_API_KEY);',
          '',
          'export async function POST(request: Request) {',
          '  const { email } = await request.json();',
          "  after(() => resend.emails.send({ from: 'hi@acme.dev', to: email, subject: 'Welcome', html: '<p>Hi</p>' }));",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          'export default {',
          '  async fetch(request: Request, env: { LOG_URL: string }, ctx: ExecutionContext): Promise<Response> {',
          "    ctx.waitUntil(fetch(env.LOG_URL, { method: 'POST', body: request.url }));",
          "    return new Response('ok');",
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'add-await',
        title: 'Add await',
        safety: 'unsafe',
        preferred: true,
        description:
          'Offered inside async functions: awaits the promise where it is started (preferred there). Unsafe: the response now waits for the work, and its errors now reach the handler.',
      },
      {
        id: WRAP_IN_WAIT_UNTIL,
        title: 'Wrap in {{waitUntil}}()',
        safety: 'unsafe',
        description:
          "Hands the promise to the platform in its own form: `waitUntil(x)` with `import { waitUntil } from '@vercel/functions'` (Vercel functions and the Next.js Pages Router), " +
          "`after(() => x)` with `import { after } from 'next/server'` (Next.js App Router, Server Actions, middleware), `ctx.waitUntil(x)` on Workers " +
          "(adding the handler's `ctx` parameter when missing), `context.waitUntil(x)` on Netlify (adding `context` when missing), `EdgeRuntime.waitUntil(x)` on Supabase. " +
          'Unsafe: the work still runs, but after the response, and its failure no longer fails the request. Not offered on Lambda or Deno Deploy, which have no such API.',
      },
      {
        id: 'await-task',
        title: 'Await the task',
        safety: 'unsafe',
        preferred: true,
        description:
          'Python: offered when `asyncio.create_task(…)` stands alone as a statement of an `async def` handler: awaits it there. Unsafe: the response now waits for the task, and its errors now reach the handler.',
      },
    ],
    messages: {
      floating:
        '{{Origin}} starts a promise that nothing awaits: {{platform}} may freeze or end the invocation once the response is sent, cutting the work off; {{advice}}.',
      floatingInHelper:
        '`{{label}}` starts {{what}} in {{where}} and neither awaits nor returns it, so nothing here can keep it alive: {{platform}} may freeze or end the invocation once the response is sent, cutting the work off; await or return it in that function, then {{advice}}.',
      pythonTask:
        'The task {{call}}() starts is never awaited: once the handler returns, the platform may freeze the instance (Lambda, Vercel), so the task stops half-way or runs during a later request. Await it (or `asyncio.gather` it) before returning.',
    },
    limits: [
      "Promises are recognized from the call: `fetch`, `.then/.catch/.finally` chains, `Promise.all/race/…`, functions and methods of this file declared `async` or returning `Promise<…>`, and a curated list of package APIs (Resend, Stripe, SendGrid, nodemailer, Prisma, Drizzle, Supabase, Redis clients, Vercel Blob/Analytics, QStash, Inngest, Slack, Twilio, OpenAI, Anthropic, axios, AWS SDK v3 `send`). Functions and methods of the project's own modules are followed through their summaries in the module graph (`async`, or returning `fetch()`, a `.then()` chain or a call that does): through imports, re-exports, default exports, members of module-level objects and instances, and `this.x.m()` where the class of `x` is a constructor parameter type or a field initializer; a callee reached any other way (a parameter, a computed member) is not. Cloudflare binding calls (`env.KV.put`, `env.DB.prepare(…).run()`, `env.QUEUE.send`, Durable Object stubs), in the handler or returned or dropped by a helper it calls, count when the binding is declared in the wrangler config or in a type of the file (`interface Env { CACHE: KVNamespace }`); the table is server/src/conventions/platform-apis.ts.",
      'Only promises started directly in the handler body are checked; promises inside callbacks the handler defines (an event listener, `arr.forEach(async …)`) are not followed.',
      'A Lambda handler in callback style (`(event, context, callback)`, or answering through the legacy `context.succeed()` / `fail()` / `done()`; not `async`) is not checked: its invocation ends when the event loop is empty, so Lambda waits for the promises it started, unless the file sets `context.callbackWaitsForEmptyEventLoop = false`.',
      "A helper of the project that starts a promise and drops it (a `fetch(…)` or `.catch()` chain as a statement of its own body, neither awaited nor returned) is reported at the handler's call, awaited or not: that work cannot be kept alive from the handler. Only promises its own text shows count there (not calls into further helpers).",
      'A promise stored in a variable counts as handled as soon as the variable is used anywhere (the analysis does not prove that the use awaits it); it is reported only when the variable is never used.',
      'Work started after a Node-style response was sent (`res.json(…)` then `sendEmail()`) is reported by no-work-after-response, not here, so each problem is reported once.',
    ],
    references: [
      'https://vercel.com/docs/functions/functions-api-reference',
      'https://nextjs.org/docs/app/api-reference/functions/after',
      'https://developers.cloudflare.com/workers/runtime-apis/context/',
      'https://docs.netlify.com/build/functions/api/',
      'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonFloatingTask at the end of this file.
  python: pythonFloatingTask,
  // Handlers of modules an entry reaches (an Express router, a NestJS controller) are handlers too.
  create(ctx) {
    const sf = ctx.sourceFile;
    const platform = PLATFORM_NAMES[ctx.context.platform.value] ?? 'The platform';

    /**
     * A Lambda handler in callback style (`(event, context, callback)`, not async) ends its invocation when the event
     * loop is empty, not when it calls back (`context.callbackWaitsForEmptyEventLoop` is true unless the file turns it
     * off): the runtime waits for every promise it started.
     */
    const waitsForEventLoop = !/callbackWaitsForEmptyEventLoop\s*=\s*false/.test(ctx.text);
    // Asked for every statement and call of a handler: decided once per handler.
    const callbackStyleOf = new Map<ts.Node, boolean>();
    const callbackStyle = (handler: { info: HandlerInfo; fn: ts.FunctionLikeDeclaration }) => {
      let known = callbackStyleOf.get(handler.fn);
      if (known === undefined) {
        known =
          waitsForEventLoop &&
          handler.info.shape === 'lambda-handler' &&
          !isAsync(handler.fn) &&
          (handler.fn.parameters.length >= 3 || legacyContextCall(handler.fn, sf));
        callbackStyleOf.set(handler.fn, known);
      }
      return known;
    };

    /** Whether a statement runs directly in a handler's own body (not in a callback the handler defines). */
    const inHandlerBody = (node: ts.Node) => {
      const handler = ctx.facts.handlerOf(node);
      return !!handler && enclosingFunction(node) === handler.fn && !callbackStyle(handler);
    };

    const report = (node: ts.Expression, origin: string, fixes: Fix[]) => {
      // A promise known from the callee's summary names the chain: the call here, the function, where it makes the promise.
      let call: ts.Expression = node;
      while (ts.isParenthesizedExpression(call) || ts.isAsExpression(call) || ts.isNonNullExpression(call)) call = call.expression;
      const related = ts.isCallExpression(call) ? ctx.facts.crossFile?.promise(call)?.related : undefined;
      ctx.report({
        node,
        related,
        messageId: 'floating',
        data: { Origin: `${origin[0].toUpperCase()}${origin.slice(1)}`, platform, advice: keepAliveAdvice(ctx) },
        fixes,
      });
    };

    /** The statement of the handler's own body a call belongs to (through `await`, `const x = ...`, `return`). */
    const statementOf = (call: ts.Node): ts.Statement | undefined => {
      let n: ts.Node = call;
      while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !ts.isFunctionLike(n.parent)) n = n.parent;
      return ts.isBlock(n.parent) || ts.isSourceFile(n.parent) ? (n as ts.Statement) : undefined;
    };

    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          // A helper that starts a promise and drops it (`fetch(url);` in lib/track.ts, neither awaited nor returned):
          // awaiting the helper cannot keep that work alive. Known from the helper's summary in the module graph.
          const cross = ctx.facts.crossFile;
          if (!cross) return;
          if (!inHandlerBody(call)) return;
          const answer = cross.callee(call);
          const floats = answer?.facts.floats;
          if (!answer || !floats || (floats.binding && !cross.bindingAsync(floats.binding))) return;
          const stmt = statementOf(call);
          if (!stmt || responseSentBefore(stmt, ctx.facts)) return;
          // A call that is itself a floating promise is reported once, by the statement visitor.
          if (
            ts.isExpressionStatement(stmt) &&
            (stmt.expression === call || (ts.isVoidExpression(stmt.expression) && stmt.expression.expression === call)) &&
            promiseOrigin(call, ctx.facts)
          )
            return;
          const where = cross.show(answer.fileName);
          const label = `${call.expression.getText(sf).replace(/\s+/g, '')}()`;
          ctx.report({
            node: call,
            messageId: 'floatingInHelper',
            data: { label, what: floats.what, where, platform, advice: keepAliveAdvice(ctx) },
            related: [
              cross.related(call, 'The call in the handler.'),
              cross.at(answer.fileName, answer.facts.at, `The function it calls, in ${where}.`),
              cross.at(answer.fileName, floats.at, 'The promise it starts and drops.'),
            ],
          });
        },
        [ts.SyntaxKind.ExpressionStatement]: (stmt) => {
          if (!inHandlerBody(stmt)) return;
          let expr = stmt.expression;
          const isVoid = ts.isVoidExpression(expr);
          // A shape may say `void` starts a preload there (Server Components: the render awaits the memoized call later).
          if (isVoid && shapeOf(ctx.facts.handlerOf(stmt)!.info.shape).voidIsPreload) return;
          if (isVoid) expr = (expr as ts.VoidExpression).expression;
          const origin = promiseOrigin(expr, ctx.facts);
          if (!origin) return;
          // `p.catch(log)` on a promise the handler awaits (or returns) elsewhere: the work is kept alive there, and the
          // handler settles with it.
          if (chainOnKeptPromise(expr, stmt, ctx)) return;
          // After a Node-style response was sent, no-work-after-response owns the statement.
          if (responseSentBefore(stmt, ctx.facts)) return;
          const fixes: Fix[] = [];
          const canAwait = inAsyncFunction(stmt);
          if (canAwait) {
            fixes.push(ctx.fix('add-await', [isVoid ? replaceNode(sf, stmt.expression, `await ${expr.getText(sf)}`) : insertAt(expr.getStart(sf), 'await ')]));
          }
          const wrap = wrapExpressionFix(ctx, expr, { preferred: !canAwait });
          if (wrap) {
            // `void x` becomes the wrapped `x`: the wrapper is what keeps the promise alive.
            if (isVoid) wrap.edits[0] = { ...wrap.edits[0], span: { start: stmt.expression.getStart(sf), end: stmt.expression.getEnd() } };
            fixes.push(wrap);
          }
          report(expr, origin, fixes);
        },
        [ts.SyntaxKind.VariableDeclaration]: (decl) => {
          // `const p = sendEmail(…)` where `p` is never used again: as floating as a bare call.
          if (!decl.initializer || !ts.isIdentifier(decl.name) || !inHandlerBody(decl)) return;
          const origin = promiseOrigin(decl.initializer, ctx.facts);
          if (!origin) return;
          const symbol = ctx.facts.symbolAt(decl.name);
          const handler = ctx.facts.handlerOf(decl)!;
          if (!symbol || isReferenced(handler.fn, decl.name, ctx)) return;
          const stmt = decl.parent.parent;
          if (ts.isVariableStatement(stmt) && responseSentBefore(stmt, ctx.facts)) return;
          const fixes: Fix[] = inAsyncFunction(decl) ? [ctx.fix('add-await', [insertAt(decl.initializer.getStart(sf), 'await ')])] : [];
          report(decl.initializer, origin, fixes);
        },
      },
    };
  },
});

/**
 * Whether a statement's `.then/.catch/.finally` chain starts from a local the handler also awaits, returns or hands to
 * a call (`await p`, `return p`, `Promise.all([p])`, `waitUntil(p)`) outside this statement: that use keeps the work
 * alive, and the chain's handlers run as it settles.
 */
function chainOnKeptPromise(expr: ts.Expression, stmt: ts.Statement, ctx: RuleContext): boolean {
  let e = strip(expr);
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && THEN_METHODS.has(e.expression.name.text)) e = strip(e.expression.expression);
  if (e === strip(expr) || !ts.isIdentifier(e)) return false;
  const decl = ctx.facts.symbolOf(e)?.declarations?.[0];
  const handler = ctx.facts.handlerOf(stmt);
  if (!decl || !handler || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return false;
  return ctx.facts.referencesOf(decl.name, handler.fn).some((ref) => {
    if (ref.pos >= stmt.pos && ref.end <= stmt.end) return false;
    let use: ts.Node = ref;
    while (ts.isParenthesizedExpression(use.parent) || ts.isArrayLiteralExpression(use.parent)) use = use.parent;
    return (
      ts.isAwaitExpression(use.parent) ||
      ts.isReturnStatement(use.parent) ||
      (ts.isCallExpression(use.parent) && use.parent.arguments.includes(use as ts.Expression))
    );
  });
}

/** Whether a Lambda handler answers through the legacy `context.succeed()` / `fail()` / `done()` of its second parameter. */
function legacyContextCall(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): boolean {
  const context = fn.parameters[1]?.name;
  if (!context || !ts.isIdentifier(context) || !fn.body) return false;
  return new RegExp(`(?<![\\w$])${context.text.replace(/\$/g, '\\$')}\\s*\\.\\s*(succeed|fail|done)\\s*\\(`).test(fn.body.getText(sf));
}

/** Whether a local is referenced anywhere in the function besides its own declaration. */
function isReferenced(fn: ts.Node, name: ts.Identifier, ctx: RuleContext): boolean {
  return ctx.facts.referencesOf(name, fn).length > 0;
}

// The Python part: `asyncio.create_task(…)` / `asyncio.ensure_future(…)` in a handler whose task is never awaited:
// once the handler returns, the platform may freeze the instance and the task never finishes.

function pythonFloatingTask(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? '';
    if (!/(^|\.)(create_task|ensure_future)$/.test(facts.calleeName(call) ?? '')) continue;
    const callee = call.childForFieldName('function');
    const isTask =
      q === 'asyncio.create_task' ||
      q === 'asyncio.ensure_future' ||
      (callee?.type === 'attribute' &&
        callee.childForFieldName('attribute')?.text === 'create_task' &&
        /loop$/i.test(callee.childForFieldName('object')?.text ?? ''));
    if (!isTask || !facts.handlerOf(call)) continue;
    const fn = facts.enclosingFunction(call)!;
    const statement = statementOf(call);
    const discarded = statement?.type === 'expression_statement' && statement.firstNamedChild?.id === call.id;
    const name = assignedName(call);
    // Kept in a name that is used again (awaited, gathered, returned): not floating.
    if (!discarded && !(name && usesOf(facts, fn, name).length <= 1)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonTask',
      data: { call: callee?.text ?? q },
      fixes:
        discarded && facts.text.slice(fn.startIndex, fn.startIndex + 6) === 'async '
          ? [ctx.fix('await-task', [{ span: { start: call.startIndex, end: call.startIndex }, newText: 'await ' }])]
          : [],
    });
  }
}
