// On the edge runtime, a TCP/WebSocket database connection created at module scope or never closed outlives its request.
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { clientCreation, declaredVariable, isLongLivedTarget, memberCallsOn, opensConnection, outerExpression, type ClientCreation } from '../analysis/clients';
import { enclosingFunction } from '../analysis/facts';
import { isFunctionNode } from '../analysis/handlers';
import { someInSubtree } from '../analysis/tree';

export default defineRule({
  meta: {
    id: 'edge-connection-outlives-request',
    severity: 'error',
    category: 'connections',
    scope: { role: 'function-code', runtime: 'edge' },
    summary: 'Disallow edge-runtime database connections that outlive the request that opened them.',
    why:
      'On the edge runtime (Vercel Edge, Cloudflare Workers, Netlify Edge Functions) a socket belongs to the request that opened it. ' +
      'A `Pool` or `Client` from pg or @neondatabase/serverless created at module scope, or kept after the response, is reused by a later ' +
      'request whose I/O context cannot touch it: queries hang or fail ("Cannot perform I/O on behalf of a different request" on Workers), ' +
      'and a connection that is never closed stays open on the database until it times out, so connection slots leak under load.',
    action:
      'Create the connection inside the handler and close it before the request ends: `await pool.end()` in a `finally` block, or ' +
      '`ctx.waitUntil(client.end())` / `waitUntil(pool.end())`; or use an HTTP driver such as `neon()`, which opens no socket.',
    bad: [
      {
        fileName: 'app/api/posts/route.ts',
        platform: 'vercel',
        code: [
          "import { Pool } from '@neondatabase/serverless';",
          '',
          "export const runtime = 'edge';",
          'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
          '',
          'export async function GET() {',
          "  const { rows } = await pool.query('select id, title from posts limit 10');",
          '  return Response.json(rows);',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          "import { Client } from 'pg';",
          '',
          'export default {',
          '  async fetch(request: Request, env: { HYPERDRIVE: { connectionString: string } }, ctx: ExecutionContext) {',
          '    const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });',
          '    await client.connect();',
          "    const { rows } = await client.query('select id, title from posts limit 10');",
          '    ctx.waitUntil(client.end());',
          '    return Response.json(rows);',
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      moduleScope:
        '{{client}} at module scope outlives the request that opens its connection, and edge connections cannot be reused by later requests; create it in the handler and close it with {{close}}, or use an HTTP driver such as neon().',
      storedInModule:
        '{{client}} is kept in module scope, so a later request reuses a connection opened by another request, which the edge runtime forbids; create it per request and close it with {{close}}.',
      neverClosed:
        '{{client}} is never closed, so its connection outlives the request on the edge runtime; close it with {{close}} (or `await …end()` in a finally block).',
    },
    limits: [
      'The connection must be kept in a `const`/`let` of the function that creates it; a connection passed to another function that closes it is reported as never closed.',
      'A plain `await client.end()` outside `finally` does not count as closed: an error thrown before it leaves the connection open.',
      'A connection stored on `this` (a Durable Object field) is not judged.',
      'Connections are recognized by import source (pg, @neondatabase/serverless `Pool`/`Client`, postgres.js, @vercel/postgres, mysql2); see server/src/analysis/clients.ts.',
    ],
    references: [
      'https://neon.tech/docs/serverless/serverless-driver',
      'https://developers.cloudflare.com/workers/runtime-apis/bindings/#making-changes-to-bindings',
      'https://vercel.com/docs/functions/runtimes/edge',
    ],
  },
  create(ctx) {
    const check = (node: ts.NewExpression | ts.CallExpression) => {
      const creation = clientCreation(ctx.facts, node);
      if (creation?.spec.kind !== 'sql' || !opensConnection(creation)) return;
      const problem = problemOf(ctx, creation);
      if (!problem) return;
      const close = closeHint(ctx, creation);
      ctx.report({
        node: creation.node,
        messageId: problem === 'module' ? 'moduleScope' : problem === 'stored' ? 'storedInModule' : 'neverClosed',
        data: { client: creation.display, close },
      });
    };
    return { enter: { [ts.SyntaxKind.NewExpression]: check, [ts.SyntaxKind.CallExpression]: check } };
  },
});

type Problem = 'module' | 'stored' | 'unclosed';

function problemOf(ctx: RuleContext, creation: ClientCreation): Problem | undefined {
  const fn = enclosingFunction(creation.node);
  if (!fn) return 'module';
  const value = outerExpression(creation.node);
  const parent = value.parent;
  // Assigned somewhere: to module scope (including lazy singletons) it outlives the request; to `this` we do not judge.
  if (ts.isBinaryExpression(parent) && parent.right === value) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken) {
      if (isThisProperty(parent.left)) return undefined;
      if (isLongLivedTarget(ctx.facts, parent.left)) return 'stored';
    }
  }
  // Returned to the caller: closing it is the caller's job.
  if (ts.isReturnStatement(parent) || (ts.isArrowFunction(parent) && parent.body === value)) return undefined;
  const decl = declaredVariable(creation.node);
  if (!decl || !ts.isIdentifier(decl.name)) return 'unclosed';
  if (isReturned(ctx, decl.name, fn)) return undefined;
  const closes = memberCallsOn(ctx.facts, decl.name, fn, creation.spec.close);
  return closes.some((c) => inFinally(c, fn) || handedToWaitUntil(c)) ? undefined : 'unclosed';
}

function isThisProperty(e: ts.Expression): boolean {
  return (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && e.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** Whether `return x` (or `return { x }`) hands the variable to the caller. */
function isReturned(ctx: RuleContext, name: ts.Identifier, fn: ts.Node): boolean {
  const symbol = ctx.facts.symbolOf(name);
  const isVar = (x: ts.Node) => ts.isIdentifier(x) && ctx.facts.symbolOf(x) === symbol;
  const returnsIt = (n: ts.Node) => {
    if (!ts.isReturnStatement(n) || !n.expression) return false;
    const e = n.expression;
    if (isVar(e)) return true;
    return (
      ts.isObjectLiteralExpression(e) &&
      e.properties.some((p) => (ts.isShorthandPropertyAssignment(p) && isVar(p.name)) || (ts.isPropertyAssignment(p) && isVar(p.initializer)))
    );
  };
  return someInSubtree(fn, returnsIt, (n) => n !== fn && isFunctionNode(n), ctx.sourceFile);
}

/** Whether the call sits in a `finally` block (of the function or a nested callback). */
function inFinally(call: ts.Node, fn: ts.Node): boolean {
  for (let n: ts.Node = call; n.parent && n !== fn; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return true;
    // `promise.finally(() => client.end())`.
    if (isFunctionNode(n) && ts.isCallExpression(n.parent) && ts.isPropertyAccessExpression(n.parent.expression) && n.parent.expression.name.text === 'finally')
      return true;
  }
  return false;
}

/** `waitUntil(pool.end())`, `ctx.waitUntil(client.end())`, `event.waitUntil(…)`, `context.waitUntil(…)`. */
function handedToWaitUntil(call: ts.Node): boolean {
  const value = outerExpression(call);
  const parent = value.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(value as ts.Expression)) return false;
  const callee = parent.expression;
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name === 'waitUntil' || name === 'after';
}

/** How to close it in this platform's words. */
function closeHint(ctx: RuleContext, creation: ClientCreation): string {
  const method = creation.spec.close[0] ?? 'end';
  const decl = declaredVariable(creation.node);
  const name = decl && ts.isIdentifier(decl.name) ? decl.name.text : ctx.context.waitUntilForm === 'workers-ctx' ? 'client' : 'pool';
  switch (ctx.context.waitUntilForm) {
    case 'workers-ctx':
      return `ctx.waitUntil(${name}.${method}())`;
    case 'netlify-context':
      return `context.waitUntil(${name}.${method}())`;
    default:
      return `waitUntil(${name}.${method}()) from @vercel/functions`;
  }
}
