// Express, Hono, Fastify and Koa-style routers: route callbacks registered with `app.get('/x', fn)`, `app.use(fn)`,
// `app.on(…)`, `fastify.route({ handler })`, and `.listen()` calls. They are handlers when the file is an entry, and
// in a module an entry reaches when the receiver is unmistakably a router (one the module creates, a Fastify
// plugin's instance). Adapters (`handle(app)` from hono/vercel or hono/aws-lambda, serverless-express) make the
// file that exports them an entry.
import * as ts from 'typescript';
import type { EntryId, FrameworkModule, ScanEnv } from '../types';
import { isFunctionNode, stringArg } from '../shared';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'on', 'route']);

/** Calls that create an app or router: `express()`, `express.Router()`, `Fastify()`, `createRouter()` (h3). */
const FACTORY_CALLS = new Set(['express', 'Router', 'Fastify', 'fastify', 'createApp', 'createRouter', 'AutoRouter', 'polka']);
/** Classes whose instances are apps or routers: `new Hono()`, `new Koa()`, `new Router()` (@koa/router), `new Elysia()`. */
const FACTORY_CLASSES = new Set(['Hono', 'OpenAPIHono', 'Koa', 'Router', 'KoaRouter', 'Elysia', 'H3']);
/** Parameters that hold a router in a module that registers routes on one it is given (a Fastify plugin). */
const ROUTER_PARAM_NAMES = /^(fastify|app|router|server|instance|api)$/;
const ROUTER_PARAM_TYPES = /\b(Express|Router|Application|Hono|OpenAPIHono|FastifyInstance|Koa|Elysia|H3)\b/;
/** Hono's `app.on('GET', '/x', fn)` takes a method (or methods) first; an emitter's `on('data', fn)` does not. */
const HONO_ON_METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|PURGE|ALL)$/i;

/** Adapters that turn an app into a platform handler: the export they build is an entry's handler. */
const ADAPTERS =
  /^(hono\/(vercel|aws-lambda|netlify|cloudflare-pages|lambda-edge)|@hono\/node-server\/vercel|@vendia\/serverless-express|@codegenie\/serverless-express|serverless-http|@fastify\/aws-lambda|@h4ad\/serverless-adapter)$/;

/** The import bindings, kept on the tree (see `indexTree`: a `WeakMap` keyed by trees made the scavenger promote them all). */
const IMPORTS = Symbol('serverless-lint.import-bindings');

/** The module each import or top-level `require` binding of the file comes from (`express` → 'express'). */
export function importBindings(sf: ts.SourceFile): Map<string, string> {
  let out = (sf as { [IMPORTS]?: Map<string, string> })[IMPORTS];
  if (out) return out;
  out = new Map<string, string>();
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      // const express = require('express'); const { Hono } = require('hono')
      for (const d of st.declarationList.declarations) {
        const init = d.initializer;
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const from = stringArg(init.arguments[0]);
        if (from === undefined) continue;
        if (ts.isIdentifier(d.name)) out.set(d.name.text, from);
        else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) out.set(el.name.text, from);
      }
      continue;
    }
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause || st.importClause.isTypeOnly) continue;
    const from = st.moduleSpecifier.text;
    const clause = st.importClause;
    if (clause.name) out.set(clause.name.text, from);
    if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) out.set(clause.namedBindings.name.text, from);
    else if (clause.namedBindings) for (const el of clause.namedBindings.elements) if (!el.isTypeOnly) out.set(el.name.text, from);
  }
  Object.defineProperty(sf, IMPORTS, { value: out });
  return out;
}

/** The root of a call chain: `new Hono().basePath('/api').get(…)` → `new Hono()`; `app.get(…).post(…)` → `app`. */
function chainRoot(expr: ts.Expression): ts.Expression {
  for (let i = 0; i < 50; i++) {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) expr = expr.expression;
    else if (ts.isCallExpression(expr) && ts.isPropertyAccessExpression(expr.expression) && !isFactory(expr)) expr = expr.expression.expression;
    else break;
  }
  return expr;
}

function isFactory(expr: ts.Expression): boolean {
  if (ts.isNewExpression(expr)) return ts.isIdentifier(expr.expression) && FACTORY_CLASSES.has(expr.expression.text);
  if (!ts.isCallExpression(expr)) return false;
  const callee = expr.expression;
  if (ts.isIdentifier(callee)) return FACTORY_CALLS.has(callee.text);
  // express.Router(), Fastify.default() stays out: only the documented Router factory.
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'Router' && ts.isIdentifier(callee.expression);
}

/** Whether an expression creates an app or router, through a chain of calls on it (`new Hono().basePath('/api')`). */
export function createsRouter(expr: ts.Node | undefined): boolean {
  if (!expr) return false;
  const root = chainRoot(expr as ts.Expression);
  return isFactory(root);
}

/** Whether the receiver of a registration call is unmistakably a router: created in the module, or a router parameter. */
function isRouterReceiver(receiver: ts.Expression, env: ScanEnv): boolean {
  const root = chainRoot(receiver);
  if (isFactory(root)) return true;
  if (!ts.isIdentifier(root)) return false;
  const local = env.locals.get(root.text);
  if (local) return createsRouter(local);
  // A parameter of an enclosing function: `export default async function (fastify) { fastify.get(…) }`.
  let node: ts.Node | undefined = receiver.parent;
  for (let depth = 0; node && depth < 200; depth++, node = node.parent) {
    if (!isFunctionNode(node)) continue;
    for (const p of node.parameters) {
      if (!ts.isIdentifier(p.name) || p.name.text !== root.text) continue;
      return ROUTER_PARAM_NAMES.test(p.name.text) || (!!p.type && ROUTER_PARAM_TYPES.test(p.type.getText(env.sf)));
    }
  }
  return false;
}

/** A short name for a registration's receiver: `app`, `router`, `new Elysia()` for a chain on a new app. */
function receiverLabel(receiver: ts.Expression, env: ScanEnv): string {
  const root = chainRoot(receiver);
  if (ts.isIdentifier(root)) return root.text;
  if (root === receiver) return receiver.getText(env.sf);
  if (ts.isNewExpression(root)) return `new ${root.expression.getText(env.sf)}()`;
  return ts.isCallExpression(root) ? `${root.expression.getText(env.sf)}()` : root.getText(env.sf);
}

/** Whether a registration is a route in any module: Hono's `on` needs a method first, other methods a router. */
function registersRoute(call: ts.CallExpression, method: string, env: ScanEnv): boolean {
  if (method === 'on') {
    const first = call.arguments[0];
    const methods = first && ts.isArrayLiteralExpression(first) ? first.elements.map((e) => stringArg(e)) : [stringArg(first)];
    if (!methods.every((m) => m !== undefined && HONO_ON_METHOD.test(m))) return false;
  }
  return isRouterReceiver((call.expression as ts.PropertyAccessExpression).expression, env);
}

/** The handler an adapter export wraps: `export const GET = handle(app)`, `export const handler = serverless(app)`. */
function adapterExports(env: ScanEnv): string[] {
  const imports = importBindings(env.sf);
  const out: string[] = [];
  for (const [name, node] of env.exports) {
    let expr: ts.Node | undefined = node;
    if (expr && ts.isIdentifier(expr)) expr = env.locals.get(expr.text);
    while (expr && (ts.isAwaitExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
    if (!expr || !ts.isCallExpression(expr)) continue;
    const callee = expr.expression;
    const id = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
    const from = id && imports.get(id.text);
    if (from && ADAPTERS.test(from)) out.push(name);
  }
  return out;
}

const nodeRouters: FrameworkModule = {
  id: 'node-routers',
  label: 'Express / Hono / Fastify',
  detect: { dependencies: ['express', 'hono', 'fastify', 'koa', 'h3', 'elysia'] },
  shapes: [
    {
      id: 'route-callback',
      label: 'route callback',
      request: { params: 1 },
      responds: { via: 'res', param: 1 },
      // Hono on Workers: c.executionCtx.waitUntil.
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'executionCtx.waitUntil', whenImports: /^hono(\/|$)/ } },
    },
  ],
  entries: [],
  visitCall(call, env) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    if (method === 'listen') env.mark('listens');
    if (!ROUTE_METHODS.has(method) || call.arguments.length < 1) return;
    const path = stringArg(call.arguments[0]);
    const receiver = receiverLabel(callee.expression, env);
    // Asked once per registration, only when a handler is there to record.
    let inModule: boolean | undefined;
    const routeInModule = () => (inModule ??= registersRoute(call, method, env));
    if (method === 'route' && call.arguments.length === 1 && ts.isObjectLiteralExpression(call.arguments[0])) {
      // fastify.route({ method, url, handler })
      for (const p of call.arguments[0].properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
          const fn = env.unwrap(p.initializer);
          if (fn) env.candidate({ shape: 'route-callback', name: `${receiver}.${method}(…)`, node: fn, inModule: routeInModule() });
        } else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
          env.candidate({ shape: 'route-callback', name: `${receiver}.${method}(…)`, node: p, inModule: routeInModule() });
        }
      }
    } else if (path !== undefined || method === 'use' || method === 'on') {
      const label = path !== undefined ? `${receiver}.${method}('${path}')` : `${receiver}.${method}(…)`;
      for (const arg of call.arguments) {
        // Inline callbacks, wrapped ones (`asyncHandler(fn)`, h3's `defineEventHandler(fn)`), and on a router the
        // local functions it names (`router.get('/', listUsers)`).
        const fn = isFunctionNode(arg)
          ? arg
          : ts.isCallExpression(arg)
            ? env.unwrap(arg)
            : ts.isIdentifier(arg) && env.locals.has(arg.text) && routeInModule()
              ? env.unwrap(arg)
              : undefined;
        if (fn) env.candidate({ shape: 'route-callback', name: label, node: fn, inModule: routeInModule() });
      }
    }
  },
  scanFile(env) {
    // `export const GET = handle(app)` in a Next.js route, `export const handler = handle(app)` for Lambda: the file is
    // the entry its path (or the Lambda convention) says, and the app's route callbacks, here or imported, its handlers.
    if (env.entry !== 'none') return;
    const adapted = adapterExports(env);
    if (adapted.length === 0) return;
    const entry: EntryId | undefined =
      env.pathMatch ?? (adapted.includes('handler') && (env.platform === 'aws-lambda' || env.platform === 'unknown') ? 'lambda' : undefined);
    if (entry) env.setEntry(entry);
  },
};

export default nodeRouters;
