// On Vercel, a route that opts into the edge runtime gives up Node.js for no gain: Next.js deprecated it and Vercel recommends Node.js.
import * as ts from 'typescript';
import { defineRule } from '../analysis/rule';
import { declaredRuntime } from '../analysis/context';
import { switchToNodeRuntimeFix } from '../analysis/edge-modules';

export default defineRule({
  meta: {
    id: 'prefer-node-runtime',
    severity: 'info',
    category: 'platform',
    summary: "Suggest the Node.js runtime over `runtime = 'edge'` on Vercel.",
    why:
      "Next.js deprecated `export const runtime = 'edge'` for routes and pages, and Vercel recommends migrating edge functions " +
      'to the Node.js runtime: both run on Fluid compute with Active CPU pricing, and Node.js adds the full Node API and npm ' +
      'ecosystem, database connections, larger bundles, more memory and longer durations. The edge runtime keeps its limits ' +
      '(128 MB, 1–4 MB code, no Node builtins) without a latency advantage for most routes.',
    action: "Remove the edge declaration or set `runtime = 'nodejs'`; pick regions close to your data with `preferredRegion` if latency matters.",
    bad: [
      {
        fileName: 'app/api/hello/route.ts',
        platform: 'vercel',
        code: [
          "export const runtime = 'edge';",
          '',
          'export function GET(request: Request) {',
          "  return Response.json({ hello: new URL(request.url).searchParams.get('name') ?? 'world' });",
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'middleware.ts',
        platform: 'vercel',
        code: [
          "import { NextResponse, type NextRequest } from 'next/server';",
          '',
          'export function middleware(request: NextRequest) {',
          "  if (!request.cookies.has('session')) return NextResponse.redirect(new URL('/login', request.url));",
          '  return NextResponse.next();',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        code: "export default {\n  async fetch(request: Request): Promise<Response> {\n    return new Response('ok');\n  },\n};",
      },
    ],
    fixes: [
      { title: 'Switch this route to the Node.js runtime', safety: 'unsafe', description: "Rewrites the declaration to `'nodejs'`. Unsafe: code written for the edge (Web APIs only) keeps working, but the route's regions, cold starts and pricing change." },
    ],
    limits: [
      'Middleware is left alone: it runs on the edge by default, Vercel Routing Middleware on the edge is supported, and a Node.js runtime for middleware exists only from Next.js 15.5.',
      'Only Vercel projects are checked; Cloudflare Workers, Netlify Edge Functions and Deno have no Node.js runtime to move to.',
    ],
    references: ['https://nextjs.org/docs/messages/edge-runtime-deprecated', 'https://vercel.com/docs/functions/runtimes/edge', 'https://vercel.com/docs/fluid-compute'],
  },
  appliesTo: (context) =>
    context.platform.value === 'vercel' && context.runtime.value === 'edge' && context.framework.value !== 'next-middleware' && context.role.value !== 'client',
  create(ctx) {
    return {
      end() {
        const declared = declaredRuntime(ctx.sourceFile);
        if (!declared || (declared.value !== 'edge' && declared.value !== 'experimental-edge')) return;
        const node = ts.isVariableDeclaration(declared.node) || ts.isPropertyAssignment(declared.node) ? declared.node.initializer ?? declared.node : declared.node;
        const fix = switchToNodeRuntimeFix(ctx.sourceFile, ctx.context, true);
        const next = ctx.context.framework.value.startsWith('next') || ts.isVariableDeclaration(declared.node);
        ctx.report({
          node,
          message: `${next ? 'Next.js deprecated the edge runtime for routes, and ' : ''}Vercel recommends the Node.js runtime: on Fluid compute it has the full Node API and higher limits at the same pricing; switch to 'nodejs' unless this route depends on edge behaviour.`,
          fixes: fix ? [fix] : [],
        });
      },
    };
  },
});
