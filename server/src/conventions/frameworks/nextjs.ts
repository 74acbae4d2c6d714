// Next.js: App Router route handlers, Pages Router API routes, middleware, proxy (Next.js 16) and Server Actions; and
// code that runs per request outside route files: getServerSideProps, metadata routes and Server Components.
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';
import { HTTP_METHODS, hasModifier, stringArg } from '../shared';

const VERCEL = { value: 'vercel', reason: 'no platform configuration was found, but the file follows Next.js conventions (Vercel by default)' } as const;

function ownExport(env: ScanEnv, own: 'middleware' | 'proxy'): boolean {
  env.add(
    own === 'middleware' ? 'next-middleware' : 'next-proxy',
    own,
    env.exportedFn(own) ?? env.exportedFn('default'),
    env.nameNodeOf(own) ?? env.nameNodeOf('default'),
  );
  return env.handlerCount > 0;
}

// after() needs the App Router's request scope; Pages Router code on Vercel uses @vercel/functions.
const PAGES_WAIT_UNTIL = { 'next-after': { via: 'import', from: '@vercel/functions', name: 'waitUntil', style: 'call' } } as const;

/**
 * The names a module exports without a function of its own here: re-exports (`export { GET, POST } from '@/auth'`,
 * `export { default } from 'lib/handler'`) and destructured exports (`export const { GET, POST } = handlers`).
 */
function forwardedExports(env: ScanEnv): Set<string> {
  const out = new Set<string>();
  for (const st of env.sf.statements) {
    if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) if (!el.isTypeOnly) out.add(el.name.text);
    } else if (ts.isVariableStatement(st) && hasModifier(st, ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) out.add(el.name.text);
      }
    }
  }
  return out;
}

/** A Next.js project: its dependency or its config file (Server Components and metadata files need one to be Next's). */
function isNext(env: ScanEnv): boolean {
  return env.project.dependencies.has('next') || env.project.frameworkConfigs.some((c) => /^next\.config\./.test(c));
}

function hasDirective(sf: ts.SourceFile, directive: string): boolean {
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === directive) return true;
  }
  return false;
}

/** `export const dynamic = 'force-static'`, `export const revalidate = 60`: the segment config value, if literal. */
function segmentConfig(env: ScanEnv, name: string): string | number | undefined {
  let init = env.exports.get(name);
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
  if (!init) return undefined;
  if (ts.isStringLiteralLike(init)) return init.text;
  if (ts.isNumericLiteral(init)) return Number(init.text);
  if (init.kind === ts.SyntaxKind.FalseKeyword) return 'false';
  return undefined;
}

/**
 * Request-time APIs by the module they come from: a call of one makes the segment render per request. A Map, not an
 * object: a call or import named `toString` or `constructor` must not find Object.prototype's.
 */
const REQUEST_API_SOURCES = new Map<string, RegExp>(
  Object.entries({
    cookies: /^next\/headers$/,
    headers: /^next\/headers$/,
    draftMode: /^next\/headers$/,
    connection: /^next\/server$/,
    unstable_noStore: /^next\/cache$/,
    noStore: /^next\/cache$/,
    // Auth helpers read the session cookie: NextAuth's auth(), Clerk's currentUser()/auth(), getServerSession().
    auth: /(^|\/)auth$|^next-auth|^@clerk\/nextjs/,
    currentUser: /^@clerk\/nextjs/,
    getServerSession: /^next-auth/,
  }),
);

/** Whether the file imports one of the request-time APIs it calls from its own module. */
function importsRequestApi(sf: ts.SourceFile): boolean {
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    for (const el of named.elements) if (REQUEST_API_SOURCES.get((el.propertyName ?? el.name).text)?.test(st.moduleSpecifier.text)) return true;
  }
  return false;
}

/** A page or layout reads `searchParams` (only known at request time): destructured, or `props.searchParams`. */
function readsSearchParams(env: ScanEnv, fn: ts.FunctionLikeDeclaration | undefined): boolean {
  const p = fn?.parameters[0];
  if (!p) return false;
  if (ts.isObjectBindingPattern(p.name)) return p.name.elements.some((el) => ((el.propertyName ?? el.name) as ts.Identifier).text === 'searchParams');
  return ts.isIdentifier(p.name) && !!fn!.body && new RegExp(`\\b${p.name.text}\\.searchParams\\b`).test(fn!.body.getText(env.sf));
}

/**
 * Whether an App Router segment file renders per request in a function rather than being prerendered at build time,
 * as far as the file itself shows: static when it says so (`dynamic = 'force-static'`, `generateStaticParams`), per
 * request when it says so (`dynamic = 'force-dynamic'`, `revalidate`), calls a request-time API or reads searchParams.
 * A page made dynamic only by a child component or an unlisted dynamic segment is left out: precision first.
 */
function rendersPerRequest(env: ScanEnv, fn: ts.FunctionLikeDeclaration | undefined): boolean {
  const dynamic = segmentConfig(env, 'dynamic');
  if (dynamic === 'force-static' || dynamic === 'error' || env.exports.has('generateStaticParams')) return false;
  if (dynamic === 'force-dynamic' || segmentConfig(env, 'fetchCache') === 'force-no-store') return true;
  const revalidate = segmentConfig(env, 'revalidate');
  // revalidate = 0 renders every request; a positive value re-renders in a function in the background (ISR).
  if (typeof revalidate === 'number') return true;
  if ((env.marked('request-api') && importsRequestApi(env.sf)) || env.marked('uncached-fetch')) return true;
  // A dynamic segment alone (`[slug]`) says nothing: a parent layout's generateStaticParams may prerender every page.
  return readsSearchParams(env, fn);
}

/**
 * The URL path of an `app/` file, from the folders `re` captures: route groups `(name)` and parallel-route slots
 * `@name` are not URL segments.
 */
function appRoute(rel: string, re: RegExp): string | undefined {
  const app = re.exec(rel);
  return app
    ? `/${app[1]
        .split('/')
        .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'))
        .join('/')}`
    : undefined;
}

const nextjs: FrameworkModule = {
  id: 'nextjs',
  label: 'Next.js',
  detect: {
    dependencies: ['next'],
    configFiles: ['next.config.js', 'next.config.mjs', 'next.config.ts'],
    paths: ['app/**/route.ts', 'pages/api/**', 'middleware.ts', 'proxy.ts'],
  },
  shapes: [
    { id: 'next-route-handler', label: 'route handler', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-pages-api', label: 'API route', request: { params: 2 }, responds: { via: 'res', param: 1 } },
    { id: 'next-middleware', label: 'middleware', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-proxy', label: 'proxy', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-server-action', label: 'Server Action', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-get-server-side-props', label: 'getServerSideProps', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'next-metadata-route', label: 'metadata route', request: { params: 1 }, responds: { via: 'return' } },
    {
      // Props ({ params, searchParams }) carry the request; cookies()/headers() are request-scoped wherever called.
      // A Server Component responds by returning JSX: React streams it, so there is no "after the response" inside it
      // (no-work-after-response has nothing to say), while a floating write is cut off like in a route handler once the
      // stream ends (after() works here). `void getItem(id)` is the documented preload idiom, not floating work.
      id: 'next-server-component',
      label: 'Server Component',
      request: { params: 1 },
      responds: { via: 'return' },
      voidIsPreload: true,
    },
  ],
  entries: [
    {
      id: 'next-app-route',
      path: /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/,
      platformFromShape: VERCEL,
      handlers(env) {
        for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) env.add('next-route-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        // Handlers built by a factory (`export const POST = toNextJsHandler(auth)`) or re-exported from a package
        // (`export { GET, POST } from '@/auth'`) have no function here, but the file is still the route's function.
        if (env.handlerCount > 0) return true;
        for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) return true;
        for (const name of forwardedExports(env)) if (HTTP_METHODS.has(name)) return true;
        return false;
      },
      route: (rel) => appRoute(rel, /(?:^|\/)app\/(.*?)\/?route$/),
    },
    {
      id: 'next-pages-api',
      path: /(^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/,
      platformFromShape: VERCEL,
      waitUntil: PAGES_WAIT_UNTIL,
      handlers(env) {
        env.add('next-pages-api', 'default', env.exportedFn('default') ?? env.exportedFn('module.exports'), env.nameNodeOf('default'));
        // `export default NextAuth(authOptions)`, `export { default } from 'lib/api/handler'`: a handler built elsewhere.
        return env.handlerCount > 0 || env.exports.has('default') || env.exports.has('module.exports') || forwardedExports(env).has('default');
      },
      route(rel) {
        const pages = /(?:^|\/)pages\/(api\/.*)$/.exec(rel);
        return pages ? '/' + pages[1].replace(/\/index$/, '') : undefined;
      },
    },
    {
      id: 'next-middleware',
      path: /^(src\/)?middleware\.[cm]?[jt]s$/,
      platformFromShape: VERCEL,
      handlers: (env) => ownExport(env, 'middleware'),
      runtime: (platform) =>
        platform !== 'long-running' ? { value: 'edge', reason: "Next.js middleware runs on the edge runtime unless it sets runtime 'nodejs'" } : undefined,
      route: (rel) => (/(?:^|\/)middleware$/.test(rel) ? rel.replace(/^src\//, '') : undefined),
    },
    {
      id: 'next-proxy',
      path: /^(src\/)?proxy\.[cm]?[jt]s$/,
      platformFromShape: VERCEL,
      handlers: (env) => ownExport(env, 'proxy'),
      fixedRuntime: { value: 'node', reason: "Next.js 16 proxy runs on the Node.js runtime only (a runtime 'edge' there is a build error)" },
      route: (rel) => (/(?:^|\/)proxy$/.test(rel) ? rel.replace(/^src\//, '') : undefined),
    },
    // Not a route of its own: Next.js calls a Server Action with a POST to the page that uses it.
    { id: 'next-server-action', route: () => '(Server Actions: a POST to the calling page)', platformFromShape: VERCEL },
    {
      // A Pages Router page with getServerSideProps renders per request; getStaticProps pages are built ahead.
      id: 'next-pages-ssr',
      path: /(^|\/)pages\/(?!_app\.|_document\.).+\.[cm]?[jt]sx?$/,
      platformFromShape: VERCEL,
      waitUntil: PAGES_WAIT_UNTIL,
      // The page component hydrates in the browser: its effects and event handlers are not function code.
      browserExports: new Set(['default']),
      handlers: (env) =>
        env.add('next-get-server-side-props', 'getServerSideProps', env.exportedFn('getServerSideProps'), env.nameNodeOf('getServerSideProps')),
      route(rel) {
        const pages = /(?:^|\/)pages\/(.*)$/.exec(rel);
        return pages ? ('/' + pages[1]).replace(/\/index$/, '') || '/' : undefined;
      },
    },
    {
      // Metadata files written as code (opengraph-image.tsx, icon.tsx, sitemap.ts ...): their default export renders
      // the image or document, per request unless prerendered.
      id: 'next-metadata-route',
      path: /(^|\/)app\/(.+\/)?(opengraph-image|twitter-image|icon|apple-icon|sitemap|robots|manifest)\d*\.[cm]?[jt]sx?$/,
      platformFromShape: VERCEL,
      handlers(env) {
        if (!isNext(env)) return false;
        const fn = env.exportedFn('default');
        if (!fn || !rendersPerRequest(env, fn)) return false;
        env.add('next-metadata-route', 'default', fn, env.nameNodeOf('default'));
        env.add('next-metadata-route', 'generateImageMetadata', env.exportedFn('generateImageMetadata'), env.nameNodeOf('generateImageMetadata'));
        return true;
      },
      route: (rel) => appRoute(rel, /(?:^|\/)app\/(.*)$/),
    },
    {
      // Server Components: pages and layouts without 'use client', which render in the function per request unless
      // prerendered. Their default export and generateMetadata run on the server for each request they render.
      id: 'next-server-component',
      path: /(^|\/)app\/(.+\/)?(page|layout|template|default)\.[cm]?[jt]sx?$/,
      platformFromShape: VERCEL,
      handlers(env) {
        if (!isNext(env) || hasDirective(env.sf, 'use client')) return false;
        const fn = env.exportedFn('default');
        if (!fn || !rendersPerRequest(env, fn)) return false;
        env.add('next-server-component', 'default', fn, env.nameNodeOf('default'));
        env.add('next-server-component', 'generateMetadata', env.exportedFn('generateMetadata'), env.nameNodeOf('generateMetadata'));
        return true;
      },
      route: (rel) => appRoute(rel, /(?:^|\/)app\/(.*?)\/?(page|layout|template|default)$/),
    },
  ],
  visitCall(call, env) {
    // Request-time APIs (checked against their imports once the file turns out to be a page), and uncached fetches.
    const callee = call.expression;
    if (ts.isIdentifier(callee)) {
      if (REQUEST_API_SOURCES.has(callee.text)) env.mark('request-api');
      else if (callee.text === 'fetch' && call.arguments.length > 1 && ts.isObjectLiteralExpression(call.arguments[1])) {
        for (const p of call.arguments[1].properties) {
          if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'cache' && stringArg(p.initializer) === 'no-store')
            env.mark('uncached-fetch');
        }
      }
    }
  },
  scanFile(env) {
    // A 'use server' file: each exported async function is a Server Action, whatever its path.
    if (!env.useServer) return;
    for (const [name, node] of env.exports) {
      const fn = env.unwrap(node);
      if (fn && hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) env.add('next-server-action', name, fn, env.nameNodeOf(name));
    }
    if (env.handlerCount) env.setEntry('next-server-action');
  },
};

export default nextjs;
