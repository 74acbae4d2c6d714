// On the edge runtime, a package with a native addon (or a Node-only build) cannot load: there is no Node.js to load `.node` files.
import type { Fix } from '../../../shared/src/types';
import { defineRule } from '../analysis/rule';
import {
  nodeBuiltinName,
  canSwitchToNodeRuntime,
  EDGE_TARGET_NAMES,
  edgeTargetOf,
  nativePackageOf,
  runtimeImportVisitors,
  switchToNodeRuntimeFix,
} from '../analysis/edge-modules';

/** A bare package specifier (not relative, absolute, a URL, or a builtin). */
function isPackageSpecifier(specifier: string): boolean {
  return !/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier) && !nodeBuiltinName(specifier);
}

export default defineRule({
  meta: {
    id: 'edge-no-native-module',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-code', runtime: 'edge' },
    summary: 'Disallow packages with native addons or Node-only builds on the edge runtime.',
    why:
      'Packages such as bcrypt, argon2, sharp, canvas, better-sqlite3 and sqlite3 ship compiled C/C++ addons (`.node` files) that ' +
      'only Node.js can load; the classic @prisma/client loads a native query engine. Edge runtimes are V8 isolates without ' +
      'Node.js, so the build fails or the import throws on the first request. Each has a pure-JavaScript, WebAssembly or ' +
      'HTTP-based alternative built for the edge.',
    action:
      'Use the edge build or a pure-JavaScript alternative (bcryptjs, @prisma/client/edge, an HTTP database driver), or run this route on the Node.js runtime.',
    bad: [
      {
        fileName: 'app/api/login/route.ts',
        platform: 'vercel',
        code: [
          "import bcrypt from 'bcrypt';",
          "import { getUserByEmail } from '@/lib/users';",
          '',
          "export const runtime = 'edge';",
          '',
          'export async function POST(request: Request) {',
          '  const { email, password } = await request.json();',
          '  const user = await getUserByEmail(email);',
          '  const ok = user ? await bcrypt.compare(password, user.passwordHash) : false;',
          '  return Response.json({ ok }, { status: ok ? 200 : 401 });',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/login/route.ts',
        platform: 'vercel',
        code: [
          "import bcrypt from 'bcryptjs';",
          "import { PrismaClient } from '@prisma/client/edge';",
          '',
          "export const runtime = 'edge';",
          'const prisma = new PrismaClient();',
          '',
          'export async function POST(request: Request) {',
          '  const { email, password } = await request.json();',
          '  const user = await prisma.user.findUnique({ where: { email } });',
          '  const ok = user ? await bcrypt.compare(password, user.passwordHash) : false;',
          '  return Response.json({ ok }, { status: ok ? 200 : 401 });',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'replace-package',
        title: "Replace '{{package}}' with '{{replacement}}'",
        safety: 'unsafe',
        preferred: true,
        description:
          "Rewrites the specifier to the package's edge-ready counterpart: bcrypt to bcryptjs (the same API in pure JavaScript; unsafe: bcryptjs must be installed, and it is slower), @prisma/client to @prisma/client/edge (unsafe: the edge build needs Prisma Accelerate or a driver adapter configured).",
      },
      {
        id: 'switch-to-node-runtime',
        title: 'Switch this route to the Node.js runtime',
        safety: 'unsafe',
        description: "On Vercel only: sets the route's runtime to `'nodejs'` (see edge-no-node-builtin).",
      },
    ],
    messages: {
      nativeModule: "'{{specifier}}' cannot load on {{where}}: it is {{why}}, and edge isolates cannot load native code; use {{action}}.",
    },
    limits: [
      'Beyond the built-in list, a package is known to be native only when the installed-package lookup reports it (gypfile, binding.gyp, prebuilds or .node files); without node_modules the list is all there is.',
      'Prisma 6 with the `prisma-client` generator and a driver adapter runs on the edge through the classic `@prisma/client` import path in some setups; the rule still flags it, since the default build loads the native engine.',
      "Only static specifiers are checked; packages reached through other local modules are edge-transitive-node-import's concern.",
    ],
    references: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/',
      'https://www.prisma.io/docs/orm/prisma-client/deployment/edge/overview',
    ],
  },
  create(ctx) {
    const target = edgeTargetOf(ctx.context);
    if (!target) return {};
    const where = EDGE_TARGET_NAMES[target];
    const canSwitch = canSwitchToNodeRuntime(ctx.context);
    return {
      enter: runtimeImportVisitors(ctx, (spec) => {
        const specifier = spec.text;
        if (!isPackageSpecifier(specifier)) return;
        const known = nativePackageOf(specifier);
        let why: string;
        let instead: string;
        if (known) {
          why = known.why;
          instead = known.instead;
        } else {
          const facts = ctx.packages?.inspect(specifier, ctx.fileName);
          if (!facts?.native) return;
          why = facts.reason ?? 'a native addon';
          instead = 'a pure-JavaScript or WebAssembly alternative';
        }
        const fixes: Fix[] = [];
        if (known?.replacement && specifier === known.name) {
          const quote = ctx.text[spec.getStart(ctx.sourceFile)] === '"' ? '"' : "'";
          // Only the bare package name is rewritten: a subpath of the native package has no counterpart in the replacement.
          fixes.push(
            ctx.fix(
              'replace-package',
              [{ span: { start: spec.getStart(ctx.sourceFile), end: spec.getEnd() }, newText: `${quote}${known.replacement}${quote}` }],
              {
                data: { package: specifier, replacement: known.replacement },
              },
            ),
          );
        }
        const switchFix = switchToNodeRuntimeFix(ctx, fixes.length === 0);
        if (switchFix) fixes.push(switchFix);
        const action = [instead, canSwitch ? 'switch this route to the Node.js runtime' : undefined].filter(Boolean).join(', or ');
        ctx.report({
          node: spec,
          messageId: 'nativeModule',
          data: { specifier, where, why, action },
          fixes,
        });
      }),
    };
  },
});
