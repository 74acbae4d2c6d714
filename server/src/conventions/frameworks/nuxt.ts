// Nuxt and Nitro server routes: server/api, server/routes and server/middleware (api/, routes/, middleware/ in a
// Nitro project), whose default export is `defineEventHandler(event => …)`; request data comes through `event`.
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';

const DEFINERS = new Set(['defineEventHandler', 'eventHandler', 'defineCachedEventHandler', 'cachedEventHandler']);
const NITRO_PACKAGES = ['nuxt', 'nitropack', 'nitro'];
const NITRO_IMPORTS = /^(h3|nitro|nitropack|nitropack\/runtime|#imports)(\/|$)/;
const CONFIGS = ['nuxt.config.ts', 'nuxt.config.js', 'nuxt.config.mjs', 'nitro.config.ts', 'nitro.config.js', 'nitro.config.mjs'];

/** A Nuxt or Nitro project (dependency or config file), or a file that imports h3/Nitro itself. */
function isNitro(env: ScanEnv): boolean {
  if (NITRO_PACKAGES.some((p) => env.project.dependencies.has(p))) return true;
  if (env.project.frameworkConfigs.some((c) => CONFIGS.includes(c))) return true;
  return env.sf.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && NITRO_IMPORTS.test(st.moduleSpecifier.text));
}

/** `defineEventHandler(fn)` or `defineEventHandler({ handler: fn, … })`: the handler function. */
function eventHandlerOf(env: ScanEnv, expr: ts.Node | undefined): ts.FunctionLikeDeclaration | undefined {
  while (expr && (ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
  if (expr && ts.isIdentifier(expr)) expr = env.locals.get(expr.text);
  if (!expr || !ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || !DEFINERS.has(expr.expression.text)) return undefined;
  const arg = expr.arguments[0];
  if (arg && ts.isObjectLiteralExpression(arg)) {
    for (const p of arg.properties) {
      if (p.name && ts.isIdentifier(p.name) && p.name.text === 'handler')
        return ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? env.unwrap(p.initializer) : undefined;
    }
    return undefined;
  }
  return env.unwrap(arg);
}

const WEBSOCKET_DEFINERS = new Set(['defineWebSocketHandler', 'defineWebSocket']);
const WEBSOCKET_HOOKS = new Set(['upgrade', 'open', 'message', 'close', 'error']);

/**
 * `defineWebSocketHandler({ open(peer) {…}, message(peer, message) {…} })` (crossws through h3/Nitro): each hook runs
 * per connection event, in the function that holds the connection, so each is a handler of the route.
 */
function websocketHooksOf(env: ScanEnv, expr: ts.Node | undefined): Array<{ name: string; fn: ts.FunctionLikeDeclaration; node: ts.Node }> {
  while (expr && (ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isParenthesizedExpression(expr))) expr = expr.expression;
  if (expr && ts.isIdentifier(expr)) expr = env.locals.get(expr.text);
  if (!expr || !ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || !WEBSOCKET_DEFINERS.has(expr.expression.text)) return [];
  const arg = expr.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return [];
  const out: Array<{ name: string; fn: ts.FunctionLikeDeclaration; node: ts.Node }> = [];
  for (const p of arg.properties) {
    if (!p.name || !ts.isIdentifier(p.name) || !WEBSOCKET_HOOKS.has(p.name.text)) continue;
    const fn = ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? env.unwrap(p.initializer) : undefined;
    if (fn) out.push({ name: p.name.text, fn, node: p.name });
  }
  return out;
}

/** `server/api/users/[id].get.ts` → `/api/users/[id]`; `routes/index.ts` → `/`; middleware keeps its path. */
function route(rel: string): string | undefined {
  const m = /^(?:.*\/)?(?:server\/)?(api|routes|middleware)\/(.+)$/.exec(rel);
  if (!m) return undefined;
  if (m[1] === 'middleware') return rel;
  const path = m[2].replace(/\.(get|post|put|patch|delete|head|options)$/, '').replace(/(^|\/)index$/, '');
  return (m[1] === 'api' ? '/api/' + path : '/' + path).replace(/\/$/, '') || '/';
}

// Nitro's event.waitUntil hands work to the platform where its preset has one (Vercel, Cloudflare, Netlify).
const EVENT_WAIT_UNTIL = { via: 'param', param: 0, member: 'waitUntil', add: { ts: ['event'], js: ['event'] } } as const;

const nuxt: FrameworkModule = {
  id: 'nuxt',
  label: 'Nuxt / Nitro',
  detect: {
    dependencies: NITRO_PACKAGES,
    configFiles: CONFIGS,
    generatedDirs: ['.nuxt', '.nitro'],
    paths: ['server/api/**', 'server/routes/**', 'server/middleware/**', 'api/**', 'routes/**', 'middleware/**'],
  },
  shapes: [
    {
      // getQuery(event), readBody(event), event.node.req, event.context.params: all derived from the whole `event`.
      id: 'nitro-event-handler',
      label: 'Nitro event handler',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'vercel-waitUntil': EVENT_WAIT_UNTIL, 'workers-ctx': EVENT_WAIT_UNTIL, 'netlify-context': EVENT_WAIT_UNTIL },
    },
    {
      // upgrade(request), open(peer), message(peer, message), close(peer, details), error(peer, error): the peer and
      // what it sent are per-connection data.
      id: 'nitro-websocket-hook',
      label: 'Nitro WebSocket hook',
      request: { params: 2 },
      responds: { via: 'return' },
    },
  ],
  entries: [
    {
      id: 'nitro-route',
      path: /(^|\/)server\/(api|routes|middleware)\/.+\.[cm]?[jt]s$|^(api|routes|middleware)\/.+\.[cm]?[jt]s$/,
      route,
      handlers(env) {
        if (!isNitro(env)) return false;
        const exported = env.exports.get('default');
        const hooks = websocketHooksOf(env, exported);
        if (hooks.length) {
          let added = false;
          for (const h of hooks) added = env.add('nitro-websocket-hook', h.name, h.fn, h.node) || added;
          return added;
        }
        return env.add('nitro-event-handler', 'default', eventHandlerOf(env, exported), env.nameNodeOf('default'));
      },
    },
  ],
};

export default nuxt;
