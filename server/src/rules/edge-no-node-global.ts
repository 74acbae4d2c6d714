// On the edge runtime, Node-only globals (`__dirname`, `require`, `process.cwd()`, `setImmediate`, sometimes `Buffer`) are undefined.
import * as ts from 'typescript';
import type { Fix } from '../../../shared/src/types';
import { defineRule, type RuleContext } from '../analysis/rule';
import { isFallbackLoad } from '../analysis/guards';
import {
  addBufferImportEdit,
  builtinSupport,
  nativePackageOf,
  canImportBuffer,
  EDGE_TARGET_NAMES,
  edgeTargetOf,
  NODE_GLOBALS,
  type EdgeTarget,
} from '../analysis/edge-modules';
import { own } from '../../../shared/src/records';

const WATCHED = new Set(['process', '__dirname', '__filename', 'require', 'module', 'setImmediate', 'Buffer']);

/** `process` members this rule checks; `exit` is left to no-process-exit, which reports it in all function code. */
const PROCESS_MEMBERS: Record<string, string> = {
  cwd: 'there is no working directory on the edge; bundle files as imports or fetch them',
  nextTick: 'use queueMicrotask()',
  memoryUsage: 'there is no process to measure on the edge',
};

/** Whether a node sits inside a type annotation (where a name is a type, not a run-time value). */
function inTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (n.kind >= ts.SyntaxKind.FirstTypeNode && n.kind <= ts.SyntaxKind.LastTypeNode) return true;
    if (ts.isExpressionWithTypeArguments(n) && ts.isHeritageClause(n.parent) && n.parent.token === ts.SyntaxKind.ImplementsKeyword) return true;
    // A type holds no binary expression: the climb ends there too, not at the statement above a generated
    // 20,000-term chain (a climb per identifier made such a file quadratic: 100 s).
    if (ts.isStatement(n) || ts.isSourceFile(n) || n.kind === ts.SyntaxKind.BinaryExpression) return false;
  }
  return false;
}

/** Whether an identifier is a reference to a global of that name (not a property, declaration, or a local binding). */
function isFreeReference(ctx: RuleContext, id: ts.Identifier): boolean {
  const parent = id.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) && (parent as ts.PropertyAccessExpression).name === id) return false;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent)) &&
    parent.name === id
  )
    return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isTypeOfExpression(parent)) return false; // `typeof Buffer !== 'undefined'` is a feature check.
  if (inTypePosition(id)) return false;
  return !ctx.facts.symbolOf(id)?.declarations?.length;
}

export default defineRule({
  meta: {
    id: 'edge-no-node-global',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-code', runtime: 'edge' },
    summary: 'Disallow Node-only globals (process.cwd, __dirname, require, setImmediate, Buffer where absent) on the edge runtime.',
    why:
      'Edge runtimes run ES modules in V8 isolates: there is no `__dirname`, `__filename`, `require` or `module.exports`, ' +
      'and `process` carries little more than `env`. `setImmediate` is missing on Vercel and Deno, and `Buffer` is a global ' +
      'only on Vercel and on Workers with nodejs_compat (Deno exposes it to npm packages, not to your code). The code ' +
      'compiles, then throws a ReferenceError or TypeError on the request that reaches it.',
    action:
      'Use Web-standard replacements (import.meta.url, import, queueMicrotask, Uint8Array/TextEncoder), import Buffer from node:buffer where the runtime has it, or run this route on the Node.js runtime.',
    bad: [
      {
        fileName: 'app/api/docs/route.ts',
        platform: 'vercel',
        code: [
          "export const runtime = 'edge';",
          '',
          'export async function GET(request: Request) {',
          "  const slug = new URL(request.url).searchParams.get('slug');",
          '  const base = process.cwd();',
          '  return Response.json({ slug, base });',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'netlify/edge-functions/basic-auth.ts',
        code: [
          'export default async (request: Request) => {',
          "  const header = request.headers.get('authorization') ?? '';",
          "  const [user] = Buffer.from(header.replace('Basic ', ''), 'base64').toString().split(':');",
          "  if (!user) return new Response('Unauthorized', { status: 401 });",
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'netlify/edge-functions/basic-auth.ts',
        code: [
          "import { Buffer } from 'node:buffer';",
          '',
          'export default async (request: Request) => {',
          "  const header = request.headers.get('authorization') ?? '';",
          "  const [user] = Buffer.from(header.replace('Basic ', ''), 'base64').toString().split(':');",
          "  if (!user || user !== Netlify.env.get('ADMIN_USER')) return new Response('Unauthorized', { status: 401 });",
          '};',
        ].join('\n'),
      },
      {
        fileName: 'app/api/docs/route.ts',
        platform: 'vercel',
        code: [
          "export const runtime = 'edge';",
          '',
          'export async function GET() {',
          "  return Response.json({ region: process.env.VERCEL_REGION, token: Buffer.from('ok').toString('base64') });",
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'import-buffer',
        title: "Import Buffer from 'node:buffer'",
        safety: 'safe',
        preferred: true,
        description:
          "Adds `import { Buffer } from 'node:buffer';` after the imports, where the runtime supplies node:buffer (Deno-based edges). Safe: the global would have been the same class.",
      },
    ],
    messages: {
      processMember: 'process.{{member}} does not exist on {{where}} (process carries only env there); {{hint}}.',
      dirname:
        '{{name}} is not defined on {{where}}, which runs ES modules without a filesystem; use import.meta.url for URLs, or bundle the file as an import.',
      moduleExports: 'module.exports does not exist on {{where}}, which loads ES modules only; export with `export` instead.',
      require: 'require is not defined on {{where}}, which loads ES modules only; use `import` (or `await import()`) instead.',
      setImmediate: 'setImmediate is not defined on {{where}}; use queueMicrotask() or setTimeout(fn, 0).',
      bufferImport: "Buffer is not a global on {{where}}; import it from 'node:buffer' (or use Uint8Array, TextEncoder and atob/btoa).",
      bufferMissing: "Buffer does not exist on {{where}}; enable nodejs_compat and import it from 'node:buffer', or use Uint8Array, TextEncoder and atob/btoa.",
    },
    limits: [
      '`process.exit` is left to no-process-exit, which reports it in every function file.',
      'Only direct references are found: `globalThis.Buffer`, `global.setImmediate` or a destructured `const { cwd } = process` are not.',
      'On Cloudflare Workers, `require` is not flagged: Wrangler bundles static `require()` calls into the Worker.',
      'Which globals a runtime has is taken from the tables in edge-modules.ts (Workers: compatibility date 2024-09-23 or later assumed when nodejs_compat is on).',
    ],
    references: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://developers.cloudflare.com/workers/runtime-apis/nodejs/',
      'https://docs.deno.com/runtime/fundamentals/node/',
    ],
  },
  create(ctx) {
    const target = edgeTargetOf(ctx.context);
    if (!target) return {};
    const globals = NODE_GLOBALS[target];
    const where = EDGE_TARGET_NAMES[target];
    return {
      enter: {
        [ts.SyntaxKind.Identifier]: (id) => {
          if (!WATCHED.has(id.text) || !isFreeReference(ctx, id)) return;
          const parent = id.parent;
          switch (id.text) {
            case 'process': {
              if (!ts.isPropertyAccessExpression(parent) || parent.expression !== id) return;
              const member = parent.name.text;
              const hint = own(PROCESS_MEMBERS, member);
              if (!hint || globals.processMembers.has(member)) return;
              ctx.report({ node: parent, messageId: 'processMember', data: { member, where, hint } });
              return;
            }
            case '__dirname':
            case '__filename':
              ctx.report({ node: id, messageId: 'dirname', data: { name: id.text, where } });
              return;
            case 'module':
              if (ts.isPropertyAccessExpression(parent) && parent.name.text === 'exports') {
                ctx.report({ node: parent, messageId: 'moduleExports', data: { where } });
              }
              return;
            case 'require':
              reportRequire(ctx, id, target, where);
              return;
            case 'setImmediate':
              if (globals.setImmediate) return;
              ctx.report({ node: id, messageId: 'setImmediate', data: { where } });
              return;
            case 'Buffer':
              reportBuffer(ctx, id, target, where, globals.Buffer);
              return;
          }
        },
      },
    };
  },
});

function reportRequire(ctx: RuleContext, id: ts.Identifier, target: EdgeTarget, where: string): void {
  // Wrangler (esbuild) turns static require() calls into bundled modules, so Workers code may use them.
  if (target === 'workers' || target === 'workers-nodejs-compat') return;
  const call = id.parent;
  if (ts.isCallExpression(call) && call.expression === id) {
    if (isFallbackLoad(call)) return;
    // A require of an unsupported builtin or a native package is edge-no-node-builtin's or edge-no-native-module's
    // finding already; one diagnostic per mistake.
    const arg = call.arguments[0];
    if (arg && ts.isStringLiteralLike(arg) && (builtinSupport(arg.text, target)?.supported === false || nativePackageOf(arg.text))) return;
  }
  ctx.report({ node: id, messageId: 'require', data: { where } });
}

function reportBuffer(ctx: RuleContext, id: ts.Identifier, target: EdgeTarget, where: string, isGlobal: boolean): void {
  if (isGlobal) return;
  const fixes: Fix[] = [];
  if (canImportBuffer(target)) {
    fixes.push(ctx.fix('import-buffer', [addBufferImportEdit(ctx.sourceFile)]));
    ctx.report({ node: id, messageId: 'bufferImport', data: { where }, fixes });
  } else {
    ctx.report({ node: id, messageId: 'bufferMissing', data: { where } });
  }
}
