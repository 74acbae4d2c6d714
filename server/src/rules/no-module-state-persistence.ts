// Counters, caches, sessions and rate limiters kept in module scope are per instance and vanish on cold starts.
import * as ts from 'typescript';
import { strip } from '../analysis/ast';
import type { Platform } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { isFunctionNode } from '../analysis/handlers';
import { someInSubtree } from '../analysis/tree';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PythonRuleContext } from '../analysis/rule';
import { usesOf } from '../python/facts';

/** Compound assignments that read and write the same slot: counters and accumulators. */
const COMPOUND = new Set([
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
]);
/** Mutating methods of Map (set), Set (add) and arrays (push, unshift, splice) that grow the collection. */
const KEYED_WRITES = new Set(['set']);
const GROWING_WRITES = new Set(['push', 'unshift', 'add', 'splice']);

/** The external store to name, per platform: what survives instances, cold starts and scale-out there. */
const STORES: Partial<Record<Platform, string>> = {
  vercel: 'Redis (Upstash from the Vercel Marketplace, the successor of Vercel KV) or Postgres, or Edge Config for read-mostly settings',
  netlify: 'Netlify Blobs, Upstash Redis or Postgres',
  'aws-lambda': 'DynamoDB or Redis (ElastiCache, Upstash)',
  'cloudflare-workers': 'Workers KV or D1, or a Durable Object where counts and rate limits must be exact',
  'deno-deploy': 'Deno KV',
};

/** A module-scope `let`/`const`/`var` at the root of a member chain (not through calls), excluding WeakMap/WeakSet. */
function moduleState(target: ts.Expression, ctx: RuleContext): { root: ts.Identifier; decl: ts.VariableDeclaration } | undefined {
  let e = strip(target);
  while (!ts.isIdentifier(e)) {
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = strip(e.expression);
    else return undefined;
  }
  const decl = ctx.facts.moduleScopeDeclaration(e);
  if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
  // A WeakMap keyed by the request object is per-request memoization, released with the request.
  const init = decl.initializer && strip(decl.initializer);
  if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && /^Weak(Map|Set)$/.test(init.expression.text)) return undefined;
  return { root: e, decl };
}

/**
 * Whether code runs once per request rather than once at module load: inside a handler, or inside a function
 * declared at module level (helpers and methods run when a handler calls them). Callbacks passed to calls at
 * module scope (`entries.forEach(…)`, IIFEs) run during initialization.
 */
function runsPerRequest(node: ts.Node, ctx: RuleContext): boolean {
  if (ctx.facts.isInHandler(node)) return true;
  let outer: ts.Node | undefined;
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionNode(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) outer = n;
  }
  if (!outer) return false;
  if (
    ts.isFunctionDeclaration(outer) ||
    ts.isMethodDeclaration(outer) ||
    ts.isConstructorDeclaration(outer) ||
    ts.isGetAccessor(outer) ||
    ts.isSetAccessor(outer)
  )
    return true;
  let p = outer.parent;
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) p = p.parent;
  return (
    !!p &&
    ((ts.isVariableDeclaration(p) && p.initializer !== undefined) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isExportAssignment(p))
  );
}

/** Whether a value depends on the call's input: request-derived, or built from a parameter of an enclosing function. */
function dependsOnInput(expr: ts.Expression, ctx: RuleContext): boolean {
  if (ctx.facts.isRequestDerived(expr)) return true;
  return someInSubtree(
    expr,
    (n) => {
      if (!ts.isIdentifier(n)) return false;
      const decl = ctx.facts.symbolOf(n)?.declarations?.[0];
      // A parameter of a function around the write (not of a callback inside the value itself).
      const fn = decl && ts.isParameter(decl) ? decl.parent : undefined;
      return !!fn && fn.pos <= expr.pos && expr.end <= fn.end && !(expr.pos <= fn.pos && fn.end <= expr.end);
    },
    undefined,
    ctx.sourceFile,
  );
}

export default defineRule({
  meta: {
    id: 'no-module-state-persistence',
    severity: 'warning',
    category: 'state',
    scope: 'function-code',
    summary: 'Disallow counters, caches, sessions and rate limiters kept in module-scope variables of function code.',
    why:
      'On a long-running server one process serves every request, so a module-level counter, Map of sessions or ' +
      'in-memory rate limiter sees them all and lives until the next deploy. A serverless platform runs many instances ' +
      'side by side, starts new ones under load and recycles idle ones: each has its own copy of module scope, which ' +
      'starts empty on every cold start. Counts come out too low, sessions disappear between two requests, and a rate ' +
      'limiter lets a client through N times per instance instead of N times in total.',
    action:
      'Keep state that must outlive one request in an external store: Redis or KV (Upstash, Vercel Marketplace, Workers KV, Deno KV), a database such as Postgres or DynamoDB, or a Durable Object on Cloudflare; for rate limiting use a store-backed limiter such as @upstash/ratelimit.',
    bad: [
      {
        fileName: 'app/api/login/route.ts',
        platform: 'vercel',
        code: [
          'const attempts = new Map<string, number>();',
          '',
          'export async function POST(request: Request) {',
          "  const ip = request.headers.get('x-forwarded-for') ?? 'unknown';",
          '  const count = (attempts.get(ip) ?? 0) + 1;',
          '  attempts.set(ip, count);',
          "  if (count > 5) return new Response('Too many attempts', { status: 429 });",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'from flask import Flask, jsonify',
          '',
          'app = Flask(__name__)',
          'visits = 0',
          '',
          '',
          '@app.route("/api/visit", methods=["POST"])',
          'def visit():',
          '    global visits',
          '    visits += 1',
          '    return jsonify(visits=visits)',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/login/route.ts',
        platform: 'vercel',
        code: [
          "import { Ratelimit } from '@upstash/ratelimit';",
          "import { Redis } from '@upstash/redis';",
          '',
          "const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });",
          '',
          'export async function POST(request: Request) {',
          "  const ip = request.headers.get('x-forwarded-for') ?? 'unknown';",
          '  const { success } = await ratelimit.limit(ip);',
          "  if (!success) return new Response('Too many attempts', { status: 429 });",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import os, redis',
          'from flask import Flask, jsonify',
          '',
          'app = Flask(__name__)',
          'store = redis.Redis.from_url(os.environ["REDIS_URL"])',
          '',
          '',
          '@app.route("/api/visit", methods=["POST"])',
          'def visit():',
          '    return jsonify(visits=store.incr("visits"))',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      counter:
        'Module-scope `{{name}}` counts across requests, but each instance keeps its own count and restarts it on every cold start, so other instances never see these writes. Keep this state in {{store}}.',
      cache:
        'Module-scope `{{name}}` is used as a cache or session store across requests, but each instance has its own copy, empty after every cold start, so other instances never see these writes. Keep this state in {{store}}.',
      collection:
        'Module-scope `{{name}}` collects entries across requests, but each instance has its own copy, empty after every cold start, so other instances never see these writes. Keep this state in {{store}}.',
      pythonState:
        '{{What}} the module-level `{{name}}` per request: each instance keeps its own copy, lost on every cold start and never shared with the other instances, so counts, caches and rate limits are wrong. Keep this state in a store (Redis, a database).',
    },
    limits: [
      'Writes are found on module-scope variables and member chains rooted at them: `n++`, `n += x`, `obj.count++`, `map.set(k, v)`, `set.add(x)`, `arr.push(x)`, `obj[key] = v`. State hidden behind a class instance method (`limiter.hit(ip)` on an object of another module) is not followed.',
      'A write is reported only when the variable is also read somewhere else in the file (the state is read back as if it persisted); a write-only metric is left alone.',
      "`map.set('key', value)` with a literal key and a value that does not depend on the request or the function's parameters is memoization of a request-independent value and is not reported; nor are lazy singletons (`if (!x) x = create()`) and WeakMap/WeakSet caches keyed by request objects.",
      'Split with no-request-state-in-module-scope: that rule owns plain assignments of request data to a variable or a fixed property (`user = session.user`); this rule owns writes that accumulate (counters, compound assignments, collection writes, computed-key assignments), so no write is reported by both.',
      'Writes are checked in handlers and in functions declared at module level of function code (helpers the handlers call); a callback passed to a call at module scope runs at initialization and is ignored.',
    ],
    references: [
      'https://vercel.com/docs/fluid-compute',
      'https://developers.cloudflare.com/durable-objects/',
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html',
      'https://vercel.com/docs/storage',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonModuleStatePersistence at the end of this file.
  python: pythonModuleStatePersistence,
  create(ctx) {
    const store = STORES[ctx.context.platform.value] ?? 'an external store such as Redis, a KV store or Postgres';
    const referenceCounts = new Map<ts.Symbol, number>();

    /** How many identifiers in the file refer to the symbol, declaration excluded (computed once per symbol). */
    const referencesOf = (root: ts.Identifier, decl: ts.VariableDeclaration): number => {
      const symbol = ctx.facts.symbolOf(root);
      if (!symbol) return 0;
      let count = referenceCounts.get(symbol);
      if (count === undefined) referenceCounts.set(symbol, (count = ts.isIdentifier(decl.name) ? ctx.facts.referencesOf(decl.name).length : 0));
      return count;
    };

    const report = (node: ts.Node, target: ts.Expression, kind: 'counter' | 'cache' | 'collection') => {
      const state = moduleState(target, ctx);
      if (!state || !runsPerRequest(node, ctx)) return;
      // Read back elsewhere: at least one reference besides the root of this write.
      if (referencesOf(state.root, state.decl) < 2) return;
      const name = state.root.text;
      ctx.report({
        node,
        messageId: kind,
        data: { name, store },
      });
    };

    const updateTarget = (u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression) => {
      if (u.operator !== ts.SyntaxKind.PlusPlusToken && u.operator !== ts.SyntaxKind.MinusMinusToken) return;
      report(u, u.operand, 'counter');
    };

    return {
      enter: {
        [ts.SyntaxKind.PostfixUnaryExpression]: updateTarget,
        [ts.SyntaxKind.PrefixUnaryExpression]: updateTarget,
        [ts.SyntaxKind.BinaryExpression]: (b) => {
          const op = b.operatorToken.kind;
          if (COMPOUND.has(op)) return report(b, b.left, 'counter');
          if (op !== ts.SyntaxKind.EqualsToken) return;
          // `obj[key] = value` with a computed key: a keyed cache or session table.
          const left = strip(b.left);
          if (!ts.isElementAccessExpression(left)) return;
          const key = left.argumentExpression;
          if (ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) return;
          if (!dependsOnInput(key, ctx) && !dependsOnInput(b.right, ctx)) return;
          report(b, left.expression, 'cache');
        },
        [ts.SyntaxKind.CallExpression]: (call) => {
          const callee = strip(call.expression);
          if (!ts.isPropertyAccessExpression(callee)) return;
          const method = callee.name.text;
          if (KEYED_WRITES.has(method) && call.arguments.length === 2) {
            const [key, value] = call.arguments;
            // Memoizing a request-independent value under a fixed key is fine: any instance can recompute it.
            if ((ts.isStringLiteralLike(key) || ts.isNumericLiteral(key)) && !dependsOnInput(value, ctx)) return;
            report(call, callee.expression, 'cache');
          } else if (GROWING_WRITES.has(method) && call.arguments.length >= 1) {
            report(call, callee.expression, 'collection');
          }
        },
      },
    };
  },
});

// The Python part: module-level counters, dict caches and in-memory rate limits written per request. Each instance
// has its own copy, lost on a cold start and never shared with the other instances.

/** Module-level values that are mutable containers: literals and their constructors. */
const PY_CONTAINER = /^(dict|list|set|collections\.(defaultdict|OrderedDict|Counter|deque)|defaultdict|OrderedDict|Counter|deque)$/;
const PY_MUTATORS = new Set(['append', 'extend', 'add', 'update', 'setdefault', 'insert', 'appendleft']);

function pythonModuleStatePersistence(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  const containers = new Set<string>();
  const numbers = new Set<string>();
  for (const [name, { value }] of facts.moduleNames) {
    if (!value) continue;
    if (value.type === 'dictionary' || value.type === 'list' || value.type === 'set') containers.add(name);
    else if (
      value.type === 'call' &&
      PY_CONTAINER.test(facts.qualified(value.childForFieldName('function')) ?? facts.dotted(value.childForFieldName('function')) ?? '')
    )
      containers.add(name);
    else if (value.type === 'integer' || value.type === 'float') numbers.add(name);
  }
  if (!containers.size && !numbers.size) return;
  const perRequest = facts.perRequestFunctions();
  const uses = new Map<string, number>();
  // Read back somewhere besides its definition and this write, as in the TypeScript part: a write-only value is dead code, not state.
  const readBack = (name: string) => (uses.get(name) ?? uses.set(name, usesOf(facts, facts.root, name).length).get(name)!) >= 3;
  const literalKey = (subscript: PyNode) => ['string', 'integer'].includes(subscript.childForFieldName('subscript')?.type ?? '');
  const report = (node: PyNode, name: string, what: string) =>
    readBack(name) &&
    ctx.report({
      node,
      messageId: 'pythonState',
      data: { What: what, name },
    });
  for (const fn of facts.functions) {
    if (!perRequest.has(fn.id)) continue;
    const globals = facts.globalsOf(fn);
    const own = (n: PyNode) => facts.enclosingFunction(n)?.id === fn.id;
    // The written name, read from the source, must be module state before the tree is asked anything.
    const target = (a: PyNode) => /^([A-Za-z_]\w*)/.exec(facts.source(a))?.[1] ?? '';
    for (const a of facts.ofType(fn, 'augmented_assignment')) {
      if (!containers.has(target(a)) && !numbers.has(target(a))) continue;
      const left = a.childForFieldName('left');
      if (!own(a) || !left) continue;
      if (left.type === 'identifier' && numbers.has(left.text) && globals.has(left.text)) report(a, left.text, 'Updates');
      else if (left.type === 'subscript') {
        const root = left.childForFieldName('value');
        if (root?.type === 'identifier' && containers.has(root.text) && !literalKey(left) && !shadowed(facts, fn, root.text)) report(a, root.text, 'Updates');
      }
    }
    for (const a of facts.ofType(fn, 'assignment')) {
      if (!containers.has(target(a))) continue;
      const left = a.childForFieldName('left');
      if (!own(a) || left?.type !== 'subscript') continue;
      const root = left.childForFieldName('value');
      if (root?.type === 'identifier' && containers.has(root.text) && !literalKey(left) && !shadowed(facts, fn, root.text)) report(a, root.text, 'Writes to');
    }
    for (const call of facts.ofType(fn, 'call')) {
      // A cheap look at the source first (`hits[ip].append(…)` has no plain callee name); the tree decides after.
      if (!/\.\s*(append|extend|add|update|setdefault|insert|appendleft)\s*\(/.test(facts.source(call))) continue;
      const callee = call.childForFieldName('function');
      if (!own(call) || callee?.type !== 'attribute' || !PY_MUTATORS.has(callee.childForFieldName('attribute')?.text ?? '')) continue;
      let object = callee.childForFieldName('object');
      // `hits[ip].append(now)`: the container is the subscript's value.
      if (object?.type === 'subscript') object = object.childForFieldName('value');
      if (object?.type === 'identifier' && containers.has(object.text) && !shadowed(facts, fn, object.text)) report(call, object.text, 'Writes to');
    }
  }
}

/** A local of the same name (a parameter or an assignment without `global`) hides the module-level one. */
function shadowed(facts: PythonRuleContext['facts'], fn: PyNode, name: string): boolean {
  if (facts.params(fn).includes(name)) return true;
  if (facts.globalsOf(fn).has(name)) return false;
  return facts.ofType(fn, 'assignment').some((a) => a.childForFieldName('left')?.type === 'identifier' && a.childForFieldName('left')?.text === name);
}
