// Cloudflare Workers: I/O objects kept in module scope across requests, and I/O, timers or randomness at global scope.
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { clientCreation, isLongLivedTarget, opensConnection } from '../analysis/clients';
import { enclosingFunction } from '../analysis/facts';
import { isFunctionNode } from '../analysis/handlers';
import { importSource } from '../analysis/ast';
import { own } from '../../../shared/src/records';

/** Global constructors whose instances are bound to the request that created them. */
// biome-ignore format: a packed list of constructors reads better than one constructor per line.
const IO_CONSTRUCTORS: Record<string, string> = {
  Response: 'Response', Request: 'Request', ReadableStream: 'stream', WritableStream: 'stream', TransformStream: 'stream',
  CompressionStream: 'stream', DecompressionStream: 'stream', TextEncoderStream: 'stream', TextDecoderStream: 'stream',
  WebSocket: 'WebSocket', WebSocketPair: 'WebSocket pair',
};

/** Methods that store their argument in the receiver (a module-scope Map, Set or array). */
const STORING_METHODS = new Set(['set', 'push', 'unshift', 'add']);

const RANDOM = 'generating random values';

export default defineRule({
  meta: {
    id: 'workers-io-across-requests',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-code', platform: 'cloudflare-workers' },
    summary: 'Disallow sharing I/O objects between Workers requests and doing I/O, timers or randomness at global scope.',
    why:
      'In Cloudflare Workers every I/O object (a Request or Response and its body stream, a socket, a database connection, a pending fetch) ' +
      'belongs to the request that created it. Kept in a module-scope variable and used by a later request, it fails with ' +
      '"Cannot perform I/O on behalf of a different request", or the later request hangs until the runtime cancels it. Global scope runs ' +
      'once per isolate with no request at all, so asynchronous I/O (`fetch()`, `connect()`), timers and random values there are rejected ' +
      'at deploy time ("Disallowed operation called within global scope").',
    action:
      'Create I/O objects inside the handler and keep them request-local; cache plain data (the parsed JSON, not the Response) or use the ' +
      'Cache API / KV; move fetches, timers and random values from global scope into the handler.',
    bad: [
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          'let config: Response | undefined;',
          '',
          'export default {',
          '  async fetch(request: Request): Promise<Response> {',
          "    config ??= await fetch('https://config.example.com/flags.json');",
          '    const flags = await config.clone().json();',
          '    return Response.json(flags);',
          '  },',
          '};',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          'const instanceId = crypto.randomUUID();',
          '',
          'export default {',
          '  async fetch(): Promise<Response> {',
          '    return new Response(instanceId);',
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: [
          'let flags: Record<string, boolean> | undefined;',
          '',
          'export default {',
          '  async fetch(request: Request): Promise<Response> {',
          "    flags ??= await (await fetch('https://config.example.com/flags.json')).json() as Record<string, boolean>;",
          '    return Response.json(flags);',
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      globalScope:
        '{{call}}() at global scope is rejected when the Worker is deployed: {{what}} is not allowed outside a request ("Disallowed operation called within global scope"); move it into the handler.',
      storedAcrossRequests:
        '{{kind}} is created in one request and kept in module scope; another request that uses it fails with "Cannot perform I/O on behalf of a different request". Keep it request-local and cache plain data instead (or use the Cache API or KV).',
    },
    limits: [
      'Stored values are recognized when they are built in the same expression (`new Response`, `fetch()`, `.then()` on a fetch, a database client) or come from a local initialized that way; I/O objects returned by your own helpers are not followed.',
      'Storage is recognized for module-scope bindings, their properties and module-scope Map/Set/array methods (`set`, `add`, `push`); fields of Durable Objects (`this.x`) are not judged.',
      'Global-scope checks cover `fetch`, `connect` from cloudflare:sockets, `setTimeout`/`setInterval`, `Math.random`, `crypto.getRandomValues` and `crypto.randomUUID`, including inside immediately invoked functions.',
    ],
    references: [
      'https://developers.cloudflare.com/workers/runtime-apis/handlers/fetch/',
      'https://developers.cloudflare.com/workers/platform/limits/',
      'https://developers.cloudflare.com/workers/observability/errors/',
    ],
  },
  create(ctx) {
    const checkGlobalCall = (call: ts.CallExpression) => {
      const what = forbiddenAtGlobalScope(ctx, call);
      if (!what || !runsAtGlobalScope(call)) return;
      ctx.report({
        node: call,
        messageId: 'globalScope',
        data: { call: call.expression.getText(ctx.sourceFile), what },
      });
    };
    const reportStored = (value: ts.Expression) => {
      const kind = ioKind(ctx, value, 0);
      if (!kind) return;
      ctx.report({
        node: value,
        messageId: 'storedAcrossRequests',
        data: { kind },
      });
    };
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          checkGlobalCall(call);
          // `cache.set(key, response)` on a module-scope Map / Set / array, inside a function.
          const callee = call.expression;
          if (ts.isPropertyAccessExpression(callee) && STORING_METHODS.has(callee.name.text) && call.arguments.length && enclosingFunction(call)) {
            if (isLongLivedTarget(ctx.facts, callee.expression) && callee.expression.kind !== ts.SyntaxKind.ThisKeyword && !isThisRooted(callee.expression)) {
              reportStored(call.arguments[call.arguments.length - 1]);
            }
          }
        },
        [ts.SyntaxKind.BinaryExpression]: (bin) => {
          const op = bin.operatorToken.kind;
          if (op !== ts.SyntaxKind.EqualsToken && op !== ts.SyntaxKind.QuestionQuestionEqualsToken && op !== ts.SyntaxKind.BarBarEqualsToken) return;
          if (!enclosingFunction(bin) || isThisRooted(bin.left)) return;
          if (!isLongLivedTarget(ctx.facts, bin.left)) return;
          reportStored(bin.right);
        },
      },
    };
  },
});

function isThisRooted(e: ts.Expression): boolean {
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return e.kind === ts.SyntaxKind.ThisKeyword;
}

/** Whether code runs when the module is evaluated: not inside a function, except functions invoked on the spot. */
function runsAtGlobalScope(node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isPropertyDeclaration(p) && !ts.getModifiers(p)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return false;
    if (isFunctionNode(p) || ts.isConstructorDeclaration(p) || ts.isGetAccessor(p) || ts.isSetAccessor(p)) {
      let outer: ts.Node = p;
      while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
      const immediatelyInvoked =
        (ts.isFunctionExpression(p) || ts.isArrowFunction(p)) && ts.isCallExpression(outer.parent) && outer.parent.expression === outer;
      if (!immediatelyInvoked) return false;
    }
  }
  return true;
}

/** Whether an identifier is the runtime's global (not a local or an import of the same name). */
function isGlobal(ctx: RuleContext, id: ts.Expression): id is ts.Identifier {
  return ts.isIdentifier(id) && !ctx.facts.symbolOf(id);
}

/** What a global-scope call does that Workers forbid there, or undefined. */
function forbiddenAtGlobalScope(ctx: RuleContext, call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) {
    if (isGlobal(ctx, e)) {
      if (e.text === 'fetch') return 'asynchronous I/O';
      if (e.text === 'setTimeout' || e.text === 'setInterval') return 'setting a timer';
    }
    const src = importSource(ctx.facts, e);
    if (src?.specifier === 'cloudflare:sockets' && src.imported === 'connect') return 'asynchronous I/O';
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(e)) return undefined;
  const method = e.name.text;
  let obj = e.expression;
  let viaGlobalThis = false;
  // `globalThis.crypto.randomUUID()`, `globalThis.fetch()`.
  if (ts.isPropertyAccessExpression(obj) && isGlobal(ctx, obj.expression) && obj.expression.text === 'globalThis') {
    obj = obj.name;
    viaGlobalThis = true;
  } else if (isGlobal(ctx, obj) && obj.text === 'globalThis') {
    if (method === 'fetch') return 'asynchronous I/O';
    if (method === 'setTimeout' || method === 'setInterval') return 'setting a timer';
    return undefined;
  }
  if (!ts.isIdentifier(obj)) return undefined;
  const global = viaGlobalThis || isGlobal(ctx, obj);
  const randomMethod = method === 'getRandomValues' || method === 'randomUUID';
  if (global && obj.text === 'Math' && method === 'random') return RANDOM;
  if (global && obj.text === 'crypto' && randomMethod) return RANDOM;
  // `import crypto from 'node:crypto'` (with nodejs_compat) is just as random.
  const src = viaGlobalThis ? undefined : importSource(ctx.facts, obj);
  if (src && /^(node:)?crypto$/.test(src.specifier) && (randomMethod || method === 'randomBytes' || method === 'randomInt')) return RANDOM;
  return undefined;
}

/** What I/O object an expression evaluates to (`a Response`, `a fetch promise` …), or undefined for plain data. */
function ioKind(ctx: RuleContext, expr: ts.Expression, depth: number): string | undefined {
  if (depth > 3) return undefined;
  let e = expr;
  let awaited = false;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    else if (ts.isAwaitExpression(e)) {
      awaited = true;
      e = e.expression;
    } else break;
  }
  if (ts.isNewExpression(e)) {
    const what = isGlobal(ctx, e.expression) ? own(IO_CONSTRUCTORS, e.expression.text) : undefined;
    if (what) {
      return `A ${what}`.replace(/^A ([AEIOU])/, 'An $1');
    }
    const client = clientCreation(ctx.facts, e);
    if (client && opensConnection(client)) return `A database connection (${client.display})`;
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (isGlobal(ctx, callee) && callee.text === 'fetch') return awaited ? 'A fetch Response' : 'A fetch promise';
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      // A service binding or Durable Object stub: `env.API.fetch(...)`.
      if (method === 'fetch') return awaited ? 'A fetch Response' : 'A fetch promise';
      // `fetch(url).then(r => r.json())` is still a promise of the first request's I/O until it settles.
      if ((method === 'then' || method === 'catch' || method === 'finally') && !awaited) {
        return ioKind(ctx, callee.expression, depth + 1) ? 'A promise of a fetch' : undefined;
      }
      if (method === 'clone' || method === 'tee' || method === 'getReader' || method === 'pipeThrough') return ioKind(ctx, callee.expression, depth + 1);
    }
    if (ts.isIdentifier(callee)) {
      const src = importSource(ctx.facts, callee);
      if (src?.specifier === 'cloudflare:sockets' && src.imported === 'connect') return 'A socket';
    }
    const client = clientCreation(ctx.facts, e);
    if (client && opensConnection(client)) return `A database connection (${client.display})`;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'body' && ioKind(ctx, e.expression, depth + 1)) return 'A body stream';
  if (ts.isIdentifier(e)) return identifierIo(ctx, e, depth);
  return undefined;
}

/** A local initialized with an I/O object, or the Request parameter of a Workers handler. */
function identifierIo(ctx: RuleContext, id: ts.Identifier, depth: number): string | undefined {
  const decl = ctx.facts.symbolOf(id)?.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isParameter(decl)) {
    const fn = decl.parent;
    const handler = ctx.facts.handlerOf(fn);
    const isRequestParam = handler?.fn === fn && fn.parameters[0] === decl && /Workers handler|Durable Object handler|Pages Function/.test(handler.info.kind);
    return isRequestParam && handler.info.name.endsWith('fetch') ? 'The incoming Request' : undefined;
  }
  if (ts.isVariableDeclaration(decl) && decl.initializer && enclosingFunction(decl) && enclosingFunction(decl) === enclosingFunction(id)) {
    return ioKind(ctx, decl.initializer, depth + 1);
  }
  return undefined;
}
