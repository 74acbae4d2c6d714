// Next.js: App Router route handlers, Pages Router API routes, middleware, proxy (Next.js 16) and Server Actions.
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';
import { HTTP_METHODS, hasModifier } from '../shared';

const VERCEL = { value: 'vercel', reason: 'no platform configuration was found, but the file follows Next.js conventions (Vercel by default)' } as const;

function ownExport(env: ScanEnv, own: 'middleware' | 'proxy'): boolean {
  env.add(own === 'middleware' ? 'next-middleware' : 'next-proxy', own, env.exportedFn(own) ?? env.exportedFn('default'), env.nameNodeOf(own) ?? env.nameNodeOf('default'));
  return env.handlerCount > 0;
}

const nextjs: FrameworkModule = {
  id: 'nextjs',
  label: 'Next.js',
  detect: { dependencies: ['next'], configFiles: ['next.config.js', 'next.config.mjs', 'next.config.ts'], paths: ['app/**/route.ts', 'pages/api/**', 'middleware.ts', 'proxy.ts'] },
  shapes: [
    { id: 'next-route-handler', label: 'route handler', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-pages-api', label: 'API route', request: { params: 2 }, responds: { via: 'res', param: 1 } },
    { id: 'next-middleware', label: 'middleware', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-proxy', label: 'proxy', request: { params: 2 }, responds: { via: 'return' } },
    { id: 'next-server-action', label: 'Server Action', request: { params: 2 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'next-app-route', path: /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/, platformFromShape: VERCEL,
      handlers(env) {
        for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) env.add('next-route-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
      route(rel) {
        const app = /(?:^|\/)app\/(.*?)\/?route$/.exec(rel);
        return app ? '/' + app[1].split('/').filter((s) => !/^\(.*\)$/.test(s)).join('/') : undefined;
      },
    },
    {
      id: 'next-pages-api', path: /(^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/, platformFromShape: VERCEL,
      // after() needs the App Router's request scope; Pages Router API routes on Vercel use @vercel/functions.
      waitUntil: { 'next-after': { via: 'import', from: '@vercel/functions', name: 'waitUntil', style: 'call' } },
      handlers(env) {
        env.add('next-pages-api', 'default', env.exportedFn('default') ?? env.exportedFn('module.exports'), env.nameNodeOf('default'));
        return env.handlerCount > 0;
      },
      route(rel) {
        const pages = /(?:^|\/)pages\/(api\/.*)$/.exec(rel);
        return pages ? '/' + pages[1].replace(/\/index$/, '') : undefined;
      },
    },
    {
      id: 'next-middleware', path: /^(src\/)?middleware\.[cm]?[jt]s$/, platformFromShape: VERCEL,
      handlers: (env) => ownExport(env, 'middleware'),
      runtime: (platform) => (platform !== 'long-running' ? { value: 'edge', reason: "Next.js middleware runs on the edge runtime unless it sets runtime 'nodejs'" } : undefined),
      route: (rel) => (/(?:^|\/)middleware$/.test(rel) ? rel.replace(/^src\//, '') : undefined),
    },
    {
      id: 'next-proxy', path: /^(src\/)?proxy\.[cm]?[jt]s$/, platformFromShape: VERCEL,
      handlers: (env) => ownExport(env, 'proxy'),
      fixedRuntime: { value: 'node', reason: "Next.js 16 proxy runs on the Node.js runtime only (a runtime 'edge' there is a build error)" },
      route: (rel) => (/(?:^|\/)proxy$/.test(rel) ? rel.replace(/^src\//, '') : undefined),
    },
    { id: 'next-server-action', platformFromShape: VERCEL },
  ],
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
