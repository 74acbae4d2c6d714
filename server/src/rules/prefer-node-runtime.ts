// On Vercel, a route that opts into the edge runtime gives up Node.js for no gain: Next.js deprecated it and Vercel recommends Node.js.
import * as ts from 'typescript';
import { defineRule, type RuleContext } from '../analysis/rule';
import { declaredRuntime } from '../analysis/context';
import { switchToNodeRuntimeFix } from '../analysis/edge-modules';
import type { Fix } from '../../../shared/src/types';

/**
 * Deletes a runtime declaration from a Next.js proxy: the whole `export const runtime = …` statement, or the
 * `runtime` property of `config` with its comma. Proxy takes no runtime option at all, so switching to 'nodejs' is
 * not the fix; deleting it keeps what Next.js runs (Node.js) and lets the build pass.
 */
function removeProxyRuntimeFix(ctx: RuleContext, declared: ts.Node): Fix | undefined {
  const sf = ctx.sourceFile;
  const text = sf.text;
  let start: number;
  let end: number;
  if (ts.isVariableDeclaration(declared)) {
    const list = declared.parent;
    const statement = list.parent;
    if (!ts.isVariableDeclarationList(list) || list.declarations.length !== 1 || !ts.isVariableStatement(statement)) return undefined;
    start = statement.getStart(sf);
    end = statement.getEnd();
    // The statement's own line break goes too, so no blank line is left behind.
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
  } else if (ts.isPropertyAssignment(declared)) {
    start = declared.getStart(sf);
    end = declared.getEnd();
    // The comma after the property (found by the scanner: line breaks and comments may come before it) and the
    // white space up to the next property go with it.
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text, undefined, end);
    if (scanner.scan() === ts.SyntaxKind.CommaToken) {
      end = scanner.getTokenEnd();
      while (end < text.length && /\s/.test(text[end])) end++;
    }
  } else return undefined;
  return ctx.fix('remove-runtime', [{ span: { start, end }, newText: '' }]);
}

export default defineRule({
  meta: {
    id: 'prefer-node-runtime',
    severity: 'info',
    category: 'platform',
    scope: { role: 'any', platform: 'vercel' },
    summary: "Suggest the Node.js runtime over `runtime = 'edge'` on Vercel; report it as an error in a Next.js 16 proxy.",
    why:
      "Next.js deprecated `export const runtime = 'edge'` for routes and pages, and Vercel recommends migrating edge functions " +
      'to the Node.js runtime: both run on Fluid compute with Active CPU pricing, and Node.js adds the full Node API and npm ' +
      'ecosystem, database connections, larger bundles, more memory and longer durations. The edge runtime keeps its limits ' +
      '(128 MB, 1–4 MB code, no Node builtins) without a latency advantage for most routes. ' +
      "In Next.js 16, `proxy.ts` (the renamed middleware) runs on Node.js only, and a `runtime = 'edge'` there fails the build " +
      '("Proxy does not support Edge runtime"): that case is reported as an error.',
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
      {
        id: 'remove-runtime',
        title: 'Remove the runtime declaration (proxy always runs on Node.js)',
        safety: 'safe',
        preferred: true,
        description: 'In a Next.js 16 proxy only: deletes the declaration. Safe: the build rejects it, and Next.js runs proxy on Node.js either way.',
      },
      {
        id: 'switch-to-node-runtime',
        title: 'Switch this route to the Node.js runtime',
        safety: 'unsafe',
        description:
          "Rewrites the declaration to `'nodejs'`. Unsafe: code written for the edge (Web APIs only) keeps working, but the route's regions, cold starts and pricing change.",
      },
    ],
    messages: {
      proxyRuntime:
        'Next.js 16 runs proxy on the Node.js runtime only, so runtime \'{{runtime}}\' here fails the build ("Proxy does not support Edge runtime"); remove the declaration.',
      preferNode:
        "{{next}}Vercel recommends the Node.js runtime: on Fluid compute it has the full Node API and higher limits at the same pricing; switch to 'nodejs' unless this route depends on edge behaviour.",
    },
    limits: [
      'Middleware is left alone: it runs on the edge by default, Vercel Routing Middleware on the edge is supported, and a Node.js runtime for middleware exists only from Next.js 15.5.',
      'Only Vercel projects are checked; Cloudflare Workers, Netlify Edge Functions and Deno have no Node.js runtime to move to.',
      'A proxy file is recognised by its name at the project root or in `src/` (`proxy.ts`, `src/proxy.js` …); the error is reported under this rule id, so turning the rule off silences it too.',
    ],
    references: [
      'https://nextjs.org/docs/app/api-reference/file-conventions/proxy',
      'https://nextjs.org/docs/messages/edge-runtime-deprecated',
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://vercel.com/docs/fluid-compute',
    ],
  },
  appliesTo: (context) =>
    context.role.value !== 'client' &&
    (context.framework.value === 'next-proxy' || (context.runtime.value === 'edge' && context.framework.value !== 'next-middleware')),
  create(ctx) {
    return {
      end() {
        const declared = declaredRuntime(ctx.sourceFile);
        if (!declared || (declared.value !== 'edge' && declared.value !== 'experimental-edge')) return;
        const node =
          ts.isVariableDeclaration(declared.node) || ts.isPropertyAssignment(declared.node) ? (declared.node.initializer ?? declared.node) : declared.node;
        if (ctx.context.framework.value === 'next-proxy') {
          const remove = removeProxyRuntimeFix(ctx, declared.node);
          ctx.report({
            node,
            severity: 'error',
            messageId: 'proxyRuntime',
            data: { runtime: declared.value },
            fixes: remove ? [remove] : [],
          });
          return;
        }
        const fix = switchToNodeRuntimeFix(ctx, true);
        const next = ctx.context.framework.value.startsWith('next') || ts.isVariableDeclaration(declared.node);
        ctx.report({
          node,
          messageId: 'preferNode',
          data: { next: next ? 'Next.js deprecated the edge runtime for routes, and ' : '' },
          fixes: fix ? [fix] : [],
        });
      },
    };
  },
});
