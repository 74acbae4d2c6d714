// Vercel Functions outside a framework: files under `api/`, and the zero-config backends Vercel detects: an
// `app|index|server` file at the root or in `src/` that uses Express, Hono, Fastify, Koa, NestJS, h3 or Elysia and
// default-exports the app or listens (one function; its route callbacks are the handlers), or a `node:http` server
// whose request callback is the handler. https://vercel.com/docs/frameworks/backend (checked 2026-12-07).
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';
import { functionFileHandlers } from './web-function';
import { createsRouter, importBindings } from './node-routers';

/** The backend frameworks Vercel's zero-config detection knows, by the package the entry imports. */
const BACKENDS = /^(express|hono|fastify|koa|@nestjs\/core|h3|elysia)(\/|$)/;
const HTTP_MODULES = new Set(['http', 'node:http', 'https', 'node:https']);

/** The backend package the file imports and the project depends on (an import alone could be a stray example). */
function backendOf(env: ScanEnv): string | undefined {
  for (const from of importBindings(env.sf).values()) {
    const pkg = BACKENDS.exec(from)?.[1];
    if (pkg && env.project.dependencies.has(pkg)) return pkg;
  }
  return undefined;
}

/** `new http.Server(cb)` / `new Server(cb)` at module scope, from node:http: its callback is the request handler. */
function httpServerClass(env: ScanEnv): void {
  const imports = importBindings(env.sf);
  for (const init of env.locals.values()) {
    if (!ts.isNewExpression(init)) continue;
    const e = init.expression;
    const fromHttp = ts.isPropertyAccessExpression(e)
      ? e.name.text === 'Server' && ts.isIdentifier(e.expression) && HTTP_MODULES.has(imports.get(e.expression.text) ?? '')
      : ts.isIdentifier(e) && e.text === 'Server' && HTTP_MODULES.has(imports.get('Server') ?? '');
    const fn = fromHttp ? init.arguments?.map((a) => env.unwrap(a)).find(Boolean) : undefined;
    if (fn) env.candidate({ shape: 'node-http-handler', name: 'new Server(…)', node: fn });
  }
}

const ZERO_CONFIG = {
  value: 'vercel',
  reason:
    'no platform configuration was found, but Vercel deploys this file with zero configuration (an app, index or server entry of an Express, Hono, Fastify, Koa, NestJS, h3 or Elysia app that exports it or listens)',
} as const;

const vercel: FrameworkModule = {
  id: 'vercel',
  label: 'Vercel Functions',
  detect: {
    configFiles: ['vercel.json'],
    paths: ['api/**', '{app,index,server}.{js,ts,mjs,cjs}', 'src/{app,index,server,main}.{js,ts,mjs,cjs}'],
  },
  shapes: [
    { id: 'vercel-function', label: 'Vercel function', request: { params: 2 }, responds: { via: 'res', param: 1 } },
    { id: 'node-http-handler', label: 'node:http request handler', request: { params: 1 }, responds: { via: 'res', param: 1 } },
  ],
  entries: [
    {
      id: 'vercel-api',
      path: /^api\/.+\.[cm]?[jt]sx?$/,
      // A Workers project's api/ folder holds the Worker's modules (its `main` names the entry), not Vercel Functions.
      handlers: (env) => env.platform !== 'cloudflare-workers' && functionFileHandlers(env, 'vercel-function'),
      route(rel) {
        const m = /^api\/(.*)$/.exec(rel);
        return m ? ('/api/' + m[1]).replace(/\/index$/, '').replace(/\/$/, '') : undefined;
      },
    },
    {
      // Vercel's server detection: one function serves every route; its route callbacks are the handlers. A project
      // that says it runs elsewhere (a Dockerfile, wrangler.toml) is not Vercel's, so only Vercel or no platform counts.
      id: 'vercel-server',
      path: /^(src\/)?(app|index|server)\.[cm]?[jt]s$|^src\/main\.[cm]?[jt]s$/,
      platformFromShape: ZERO_CONFIG,
      route: () => '/*',
      handlers(env) {
        if (env.platform !== 'vercel' && env.platform !== 'unknown') return false;
        httpServerClass(env);
        const backend = backendOf(env);
        if (backend) {
          // src/main.ts is NestJS's entry name only.
          if (/(^|\/)main\.[^/]+$/.test(env.relPath) && backend !== '@nestjs/core') return false;
          const exportsApp = env.exports.has('default') || env.exports.has('module.exports');
          // The file creates the app (`express()`, `new Hono()`, `NestFactory.create`), not only a piece of one.
          const createsApp = backend === '@nestjs/core' || createsRouter(env.exports.get('default')) || [...env.locals.values()].some((n) => createsRouter(n));
          return createsApp && (exportsApp || env.marked('listens'));
        }
        // A bare node:http server that listens: its request callback is the handler.
        return env.marked('listens') && (env.platform === 'vercel' || env.candidates.some((c) => c.shape === 'node-http-handler'));
      },
    },
  ],
  visitCall(call, env) {
    // http.createServer((req, res) => …) / createServer(options, handler) from node:http or node:https.
    const callee = call.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (name !== 'createServer') return;
    const imports = importBindings(env.sf);
    const fromHttp = ts.isIdentifier(callee)
      ? callee.text === 'createServer' && HTTP_MODULES.has(imports.get('createServer') ?? '')
      : ts.isPropertyAccessExpression(callee) &&
        callee.name.text === 'createServer' &&
        ts.isIdentifier(callee.expression) &&
        HTTP_MODULES.has(imports.get(callee.expression.text) ?? '');
    if (!fromHttp) return;
    const fn = call.arguments.map((a) => env.unwrap(a)).find(Boolean);
    if (fn) env.candidate({ shape: 'node-http-handler', name: 'createServer(…)', node: fn });
  },
};

export default vercel;
