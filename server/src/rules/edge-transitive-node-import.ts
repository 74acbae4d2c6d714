// An edge entry that imports, through local modules or installed packages, code that needs Node.js: the
// build or the first request fails although the entry itself looks clean. Needs the workspace module graph.
import { defineRule } from '../analysis/rule';
import { builtinSupport, edgeTargetOf, EDGE_TARGET_NAMES, switchToNodeRuntimeFix } from '../analysis/edge-modules';
import { relativeTo } from '../analysis/host';

export default defineRule({
  meta: {
    id: 'edge-transitive-node-import',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-entry', runtime: 'edge' },
    summary: 'Disallow edge entries whose imports lead to Node builtins or native addons in other modules.',
    why:
      'An edge function is bundled with everything it imports, and the edge runtime has no filesystem, no subprocesses, ' +
      'no raw sockets and no native addons. A helper two imports away that reads a file with `fs` or hashes with `bcrypt` ' +
      'breaks the build ("The edge runtime does not support Node.js \'fs\' module") or throws on the first request, ' +
      'while the route file itself looks clean. The chain is hard to find by hand because each module is fine on its own.',
    action:
      'Switch the route to the Node.js runtime, or keep the Node-only code out of the edge path: split the helper so the ' +
      "edge entry imports only the Web-standard part, or guard the Node-only branch with `process.env.NEXT_RUNTIME === 'nodejs'`.",
    bad: [
      {
        fileName: 'middleware.ts',
        code: [
          "import { NextResponse, type NextRequest } from 'next/server';",
          "import { readSession } from './lib/session';",
          '',
          'export async function middleware(request: NextRequest) {',
          "  const session = await readSession(request.cookies.get('sid')?.value);",
          "  if (!session) return NextResponse.redirect(new URL('/login', request.url));",
          '  return NextResponse.next();',
          '}',
        ].join('\n'),
        platform: 'vercel',
        files: {
          'lib/session.ts': [
            "import { readFile } from 'node:fs/promises';",
            '',
            'export async function readSession(id: string | undefined) {',
            '  if (!id) return null;',
            "  const secrets = JSON.parse(await readFile('./secrets.json', 'utf8'));",
            '  return secrets[id] ?? null;',
            '}',
          ].join('\n'),
        },
      },
    ],
    good: [
      {
        fileName: 'middleware.ts',
        code: [
          "import { NextResponse, type NextRequest } from 'next/server';",
          "import { verifySession } from './lib/session';",
          '',
          'export async function middleware(request: NextRequest) {',
          "  const ok = await verifySession(request.cookies.get('sid')?.value);",
          "  return ok ? NextResponse.next() : NextResponse.redirect(new URL('/login', request.url));",
          '}',
        ].join('\n'),
        platform: 'vercel',
        files: {
          'lib/session.ts': [
            "import { jwtVerify } from 'jose';",
            '',
            'const key = new TextEncoder().encode(process.env.SESSION_SECRET);',
            '',
            'export async function verifySession(token: string | undefined) {',
            '  if (!token) return false;',
            '  return jwtVerify(token, key).then(() => true, () => false);',
            '}',
          ].join('\n'),
        },
      },
    ],
    fixes: [
      {
        id: 'switch-to-node-runtime',
        title: 'Switch this route to the Node.js runtime',
        safety: 'unsafe',
        description:
          "On Vercel, rewrites `export const runtime = 'edge'` (or `config.runtime`) to `'nodejs'`, or adds `export const runtime = 'nodejs'` to middleware. " +
          'Unsafe: the route moves from edge locations to a regional function, which changes latency and pricing.',
      },
    ],
    messages: {
      leadsToNodeCode: "'{{specifier}}' leads to {{what}} ({{path}}; {{detail}}). {{action}}",
    },
    limits: [
      'Follows static `import`/`export … from`/`require()` and `import()` with string literals; computed specifiers and bundler aliases outside tsconfig `paths` are not followed.',
      'Runtime guards are recognized only in the forms `analysis/guards.ts` knows (`NEXT_RUNTIME`, `typeof EdgeRuntime`, try/catch fallbacks); other environment checks inside packages (`typeof window`, `process.versions.node`) are not, so such packages may be reported.',
      "Installed packages are inspected from their entry for the runtime's export conditions, at most 40 files each; a Node builtin deeper in a large package is not seen.",
      'An import whose bindings are used only as types is treated as type-only (TypeScript elides it); name shadowing can make that guess conservative.',
      'Direct imports of builtins and native packages are left to edge-no-node-builtin and edge-no-native-module.',
      "A local module's builtin counts only when one of its bindings is used at the module's top level or in a function or method that the importing module's uses reach by name (`db.getUserFromReq` reaches the method `getUserFromReq` and what it calls); names are matched without types, so a same-named member elsewhere in the module counts as reached, and a module passed on whole (`fn(db)`) counts as fully used.",
    ],
    references: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://nextjs.org/docs/app/api-reference/edge',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/',
    ],
  },
  create(ctx) {
    const graph = ctx.graph;
    const target = edgeTargetOf(ctx.context);
    if (!graph || !target) return {};
    return {
      end() {
        const root = ctx.context.projectRoot;
        const show = (file: string) => (root && relativeTo(root, file)) || file;
        const chains = graph.nodeOnlyChains(ctx.fileName, {
          runtime: 'edge',
          platform: ctx.context.platform.value,
          builtinAllowed: (module) => builtinSupport(`node:${module}`, target)?.supported ?? true,
        });
        for (const chain of chains) {
          const path = chain.hops
            .slice(1)
            .map((h) => show(h.fileName))
            .concat(chain.culprit.kind === 'builtin' ? `node:${chain.culprit.module}` : chain.culprit.module);
          const what =
            chain.culprit.kind === 'builtin'
              ? `the Node builtin node:${chain.culprit.module}, which ${EDGE_TARGET_NAMES[target]} does not provide`
              : `the native addon ${chain.culprit.module}`;
          const fix = switchToNodeRuntimeFix(ctx, true);
          ctx.report({
            span: chain.start.span,
            messageId: 'leadsToNodeCode',
            data: {
              specifier: chain.start.specifier,
              what,
              path: path.join(' → '),
              detail: chain.culprit.detail,
              action: fix
                ? 'Switch this route to the Node.js runtime, or keep that code out of the edge import path.'
                : 'Keep that code out of the edge import path, or guard it to run only on Node.js.',
            },
            related: chain.hops.map((h, i) => ({
              fileName: h.fileName,
              span: h.span,
              range: h.range,
              message:
                i === chain.hops.length - 1
                  ? `${show(h.fileName)} loads '${h.specifier}': ${chain.culprit.detail}`
                  : `${show(h.fileName)} imports '${h.specifier}'`,
            })),
            fixes: fix ? [fix] : [],
          });
        }
      },
    };
  },
});
