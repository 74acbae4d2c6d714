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
      if (p.name && ts.isIdentifier(p.name) && p.name.text === 'handler') return ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? env.unwrap(p.initializer) : undefined;
    }
    return undefined;
  }
  return env.unwrap(arg);
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
  detect: { dependencies: NITRO_PACKAGES, configFiles: CONFIGS, generatedDirs: ['.nuxt', '.nitro'], paths: ['server/api/**', 'server/routes/**', 'server/middleware/**', 'api/**', 'routes/**', 'middleware/**'] },
  shapes: [
    {
      // getQuery(event), readBody(event), event.node.req, event.context.params: all derived from the whole `event`.
      id: 'nitro-event-handler', label: 'Nitro event handler', request: { params: 1 }, responds: { via: 'return' },
      waitUntil: { 'vercel-waitUntil': EVENT_WAIT_UNTIL, 'workers-ctx': EVENT_WAIT_UNTIL, 'netlify-context': EVENT_WAIT_UNTIL },
    },
  ],
  entries: [
    {
      id: 'nitro-route', path: /(^|\/)server\/(api|routes|middleware)\/.+\.[cm]?[jt]s$|^(api|routes|middleware)\/.+\.[cm]?[jt]s$/, route,
      handlers(env) {
        if (!isNitro(env)) return false;
        return env.add('nitro-event-handler', 'default', eventHandlerOf(env, env.exports.get('default')), env.nameNodeOf('default'));
      },
    },
  ],
};

export default nuxt;
