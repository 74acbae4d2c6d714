// On the edge runtime, an import or require of a Node.js builtin the runtime does not supply fails at build or at run time.
import type * as ts from 'typescript';
import { defineRule, type MessageRef, type RuleContext } from '../analysis/rule';
import {
  builtinSupport,
  canSwitchToNodeRuntime,
  EDGE_TARGET_NAMES,
  edgeTargetOf,
  runtimeImportVisitors,
  switchToNodeRuntimeFix,
  type EdgeTarget,
} from '../analysis/edge-modules';

export default defineRule({
  meta: {
    id: 'edge-no-node-builtin',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-code', runtime: 'edge' },
    summary: 'Disallow imports of Node.js builtins the edge runtime does not supply.',
    why:
      "Edge runtimes are V8 isolates with Web-standard APIs, not Node.js. Vercel's edge runtime supplies only buffer, events, " +
      'assert, util and async_hooks; Cloudflare Workers supply a documented subset, and only with the nodejs_compat flag; ' +
      'Deno-based edges (Netlify, Deno Deploy, Supabase) cannot spawn processes, open UDP sockets or start threads. ' +
      'Importing anything else fails the build ("Module not found", "not supported in the Edge Runtime") or throws when the ' +
      'code first touches it, in production, on the request that needed it.',
    action:
      'Use the Web-standard API (fetch, Web Crypto, Web Streams, URL), or run this route on the Node.js runtime; on Cloudflare, ' +
      'enable nodejs_compat when the module is one it supplies.',
    bad: [
      {
        fileName: 'app/api/report/route.ts',
        platform: 'vercel',
        code: [
          "import { readFile } from 'node:fs/promises';",
          '',
          "export const runtime = 'edge';",
          '',
          'export async function GET() {',
          "  const template = await readFile('./templates/report.html', 'utf8');",
          "  return new Response(template, { headers: { 'content-type': 'text/html' } });",
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        files: { 'wrangler.toml': 'name = "thumbs"\nmain = "src/index.ts"\ncompatibility_flags = ["nodejs_compat"]' },
        code: [
          "import { execFile } from 'node:child_process';",
          '',
          'export default {',
          '  async fetch(request: Request): Promise<Response> {',
          "    execFile('convert', ['in.png', 'out.webp']);",
          "    return new Response('queued');",
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/report/route.ts',
        platform: 'vercel',
        code: [
          "import { AsyncLocalStorage } from 'node:async_hooks';",
          "import type { IncomingHttpHeaders } from 'node:http';",
          '',
          "export const runtime = 'edge';",
          'const requestStore = new AsyncLocalStorage<{ id: string }>();',
          '',
          'function headerCount(headers: IncomingHttpHeaders): number {',
          '  return Object.keys(headers).length;',
          '}',
          '',
          'export async function GET(request: Request) {',
          '  const headers = Object.fromEntries(request.headers);',
          '  return requestStore.run({ id: crypto.randomUUID() }, () => Response.json({ headers: headerCount(headers) }));',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/index.ts',
        platform: 'cloudflare-workers',
        files: { 'wrangler.toml': 'name = "api"\nmain = "src/index.ts"\ncompatibility_flags = ["nodejs_compat"]' },
        code: [
          "import { createHash } from 'node:crypto';",
          '',
          'export default {',
          '  async fetch(request: Request): Promise<Response> {',
          "    const etag = createHash('sha256').update(await request.text()).digest('hex');",
          '    return new Response(null, { headers: { etag } });',
          '  },',
          '};',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'switch-to-node-runtime',
        title: 'Switch this route to the Node.js runtime',
        safety: 'unsafe',
        description:
          "On Vercel only: rewrites `export const runtime = 'edge'` (or `config.runtime`) to `'nodejs'`, or, in middleware, " +
          "adds `runtime: 'nodejs'` to its `config` (Next.js 15.5 or later). Unsafe: the route leaves the edge " +
          'network and its cold start, region and pricing change. Workers, Netlify Edge Functions and Deno have no Node.js runtime to switch to.',
      },
    ],
    messages: {
      needsNodejsCompat:
        '\'{{specifier}}\' ({{what}}) is not available on {{where}}: add "nodejs_compat" to compatibility_flags in your wrangler config{{instead}}.',
      unavailable: "'{{specifier}}' ({{what}}) is not available on {{where}}, so this import fails at build or run time; {{options}}.",
    },
    limits: [
      'Cloudflare compatibility dates decide only whether nodejs_compat is on (from 2026-08-04 it is the default unless `no_nodejs_compat` is set); within nodejs_compat, `node:fs` and `node:http` servers (compatibility date 2025-09-01) are assumed available whatever the date.',
      'On Deno-based edges only modules that cannot work in a Deno isolate (child_process, cluster, dgram, worker_threads, inspector, repl, v8) are flagged; partial implementations of the others are trusted.',
      'An unprefixed name that an installed npm polyfill answers (the `events`, `url` or `punycode` package) is not flagged when the package lookup can see it; without the lookup it is flagged.',
      'Only static specifiers are checked; `require(name)` with a computed name and imports through other local modules (see edge-transitive-node-import) are not.',
    ],
    references: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://nextjs.org/docs/app/api-reference/edge',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/',
      'https://docs.netlify.com/build/edge-functions/api/',
    ],
  },
  create(ctx) {
    const target = edgeTargetOf(ctx.context);
    if (!target) return {};
    const check = (specifierNode: ts.StringLiteralLike) => {
      const verdict = builtinSupport(specifierNode.text, target);
      if (!verdict || verdict.supported) return;
      // A bare name answered by an installed npm package of that name (a userland polyfill) is that package, not the builtin.
      // Only a package with an installed package.json (a version) counts, not whatever the lookup says about builtins.
      if (!verdict.prefixed && ctx.packages?.inspect(specifierNode.text, ctx.fileName)?.version) return;
      ctx.report({ node: specifierNode, ...messageFor(specifierNode.text, verdict, target, canSwitchToNodeRuntime(ctx.context)), fixes: fixesFor(ctx) });
    };
    return { enter: runtimeImportVisitors(ctx, check) };
  },
});

function messageFor(specifier: string, v: NonNullable<ReturnType<typeof builtinSupport>>, target: EdgeTarget, canSwitch: boolean): MessageRef {
  const where = EDGE_TARGET_NAMES[target];
  if (v.compatFlagWouldHelp) {
    return { messageId: 'needsNodejsCompat', data: { specifier, what: v.what, where, instead: v.instead ? `, or ${v.instead}` : '' } };
  }
  const options = [v.instead, canSwitch ? 'switch this route to the Node.js runtime' : 'move this work to a Node.js function'].filter(Boolean);
  return { messageId: 'unavailable', data: { specifier, what: v.what, where, options: options.join(', or ') } };
}

function fixesFor(ctx: RuleContext) {
  const fix = switchToNodeRuntimeFix(ctx, true);
  return fix ? [fix] : [];
}
