// React Router v7 framework mode and Remix v2: route modules' `loader`/`action`, `entry.server` and the server entry
// (a Worker's `export default { fetch }`, an Express or Vercel adapter) that hands requests to `createRequestHandler`.
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';

const REMIX_RUNTIME =
  /^@remix-run\/(node|cloudflare|deno|react|serve|express|vercel|dev|server-runtime|architect|netlify|cloudflare-pages|cloudflare-workers)$/;
const CONFIGS = ['react-router.config.ts', 'react-router.config.js', 'react-router.config.mjs', 'remix.config.js', 'remix.config.mjs'];
const HANDLER_PACKAGES =
  /^(react-router|@react-router\/(node|express|cloudflare|architect)|@remix-run\/(node|cloudflare|express|vercel|architect|netlify|server-runtime|deno))$/;

/** A React Router framework-mode or Remix project: its dependencies or its config file (react-router alone is a library). */
function isReactRouter(env: ScanEnv): boolean {
  const deps = env.project.dependencies;
  if (deps.has('@react-router/dev')) return true;
  for (const d of deps) if (REMIX_RUNTIME.test(d)) return true;
  return env.project.frameworkConfigs.some((c) => CONFIGS.includes(c));
}

/** Whether the file imports `createRequestHandler` from a React Router or Remix server package. */
function importsRequestHandler(sf: ts.SourceFile): boolean {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !HANDLER_PACKAGES.test(st.moduleSpecifier.text)) continue;
    const named = st.importClause?.namedBindings;
    if (named && ts.isNamedImports(named) && named.elements.some((e) => (e.propertyName ?? e.name).text === 'createRequestHandler')) return true;
  }
  return false;
}

// A route module's UI and client data functions: they run in the browser (the component also renders on the server,
// but its effects and event handlers never do), so no rule looks at them.
const BROWSER_EXPORTS: ReadonlySet<string> = new Set([
  'default',
  'clientLoader',
  'clientAction',
  'HydrateFallback',
  'ErrorBoundary',
  'Layout',
  'shouldRevalidate',
]);

// On Workers the load context carries the execution context: `context.cloudflare.ctx.waitUntil(p)`.
const CONTEXT_WAIT_UNTIL = { via: 'param', param: 0, property: 'context', member: 'cloudflare.ctx.waitUntil' } as const;

/**
 * `app/routes/posts.$slug.tsx` → `/posts/:slug`; `_index` → `/`; pathless `_layout` segments and `route` files drop.
 * This is the flat-routes convention (Remix v2, `flatRoutes()`); a route configured in app/routes.ts under another
 * URL is shown by its file (the registry reads no second file).
 */
function route(rel: string): string | undefined {
  if (rel === 'app/root') return '/ (root route)';
  const m = /^app\/routes\/(.+)$/.exec(rel);
  if (!m) return rel.startsWith('app/') ? rel : undefined;
  // `[robots.txt]`, `[.]`: brackets escape the dots that would otherwise separate segments.
  const flat = m[1].replace(/\/route$/, '').replace(/\[([^\]]*)\]/g, (_, inner: string) => inner.replace(/\./g, '\u0000'));
  const segments = flat.split(/[./]/).filter((s) => s !== '_index' && !/^_[^.]/.test(s) && s !== '');
  const path = segments
    .map((s) =>
      s
        .replace(/_$/, '')
        .replace(/^\(\$(.+)\)$/, ':$1?')
        .replace(/^\((.+)\)$/, '$1?')
        .replace(/^\$$/, '*')
        .replace(/^\$/, ':')
        .replace(/\u0000/g, '.'),
    )
    .join('/');
  return '/' + path;
}

const reactRouter: FrameworkModule = {
  id: 'react-router',
  label: 'React Router / Remix',
  detect: {
    dependencies: ['@react-router/dev', '@remix-run/node', '@remix-run/cloudflare', '@remix-run/react', '@remix-run/vercel'],
    configFiles: CONFIGS,
    paths: ['app/routes/**', 'app/routes.ts', 'app/root.tsx', 'app/entry.server.tsx', 'workers/app.ts', 'server.ts'],
  },
  shapes: [
    {
      // loader/action({ request, params, context }): the one argument carries the request. Their return value is the
      // response (data or a Response); a redirect is thrown or returned.
      id: 'rr-route-handler',
      label: 'route loader/action',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': CONTEXT_WAIT_UNTIL },
    },
    {
      // handleRequest(request, status, headers, routerContext, loadContext) and handleDataRequest(response, { request, ... }).
      id: 'rr-entry-server',
      label: 'entry.server handler',
      request: { params: 5 },
      responds: { via: 'return' },
    },
  ],
  entries: [
    {
      // Route modules: files under app/routes/, and any app/ module that exports loader/action (the routes app/routes.ts
      // names may sit anywhere under app/). Default-exported components and clientLoader/clientAction run in the browser.
      id: 'rr-route',
      path: /^app\/(?!entry\.client\.)(?!.*\.client\.[cm]?[jt]sx?$).+\.[cm]?[jt]sx?$/,
      route,
      browserExports: BROWSER_EXPORTS,
      handlers(env) {
        if (!isReactRouter(env) || /^app\/entry\.server\./.test(env.relPath)) return false;
        for (const name of ['loader', 'action']) env.add('rr-route-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        // `export const config = { runtime: 'edge' }` (Vercel's Remix/React Router preset): the route is a function of its own.
        return env.handlerCount > 0 || (/^app\/routes\//.test(env.relPath) && env.exports.has('config'));
      },
    },
    {
      id: 'rr-entry-server',
      path: /^app\/entry\.server\.[cm]?[jt]sx?$/,
      route: () => '(every document and data request)',
      handlers(env) {
        if (!isReactRouter(env)) return false;
        env.add('rr-entry-server', 'default', env.exportedFn('default'), env.nameNodeOf('default'));
        env.add('rr-entry-server', 'handleDataRequest', env.exportedFn('handleDataRequest'), env.nameNodeOf('handleDataRequest'));
        return env.handlerCount > 0;
      },
    },
    {
      // The server entry: a Worker's `export default { fetch }` (workers/app.ts, server.ts) or an adapter's handler
      // (`export default createRequestHandler({ build })` on Vercel, Express routes) that calls createRequestHandler.
      id: 'rr-server',
      path: /^(workers\/app|server|app\/server|api\/index|server\/index)\.[cm]?[jt]s$/,
      route: () => '/*',
      handlers(env) {
        if (!importsRequestHandler(env.sf)) return false;
        const def = env.exports.get('default') ?? env.exports.get('module.exports');
        if (env.objectMethods(def, new Set(['fetch']), 'workers-handler', 'default.')) return true;
        env.add('vercel-function', 'default', env.unwrap(def), env.nameNodeOf('default'));
        return !!def || env.candidates.length > 0 || env.marked('listens');
      },
    },
  ],
};

export default reactRouter;
