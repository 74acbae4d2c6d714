// Synchronous CPU-heavy calls (bcrypt, pbkdf2, scrypt, zlib, execSync) in request code block the whole instance.
import * as ts from 'typescript';
import { defineRule } from '../analysis/rule';
import { importedMember } from '../analysis/imports-edit';
import { enclosingFunction } from '../analysis/facts';
import { inAsyncFunction } from '../analysis/ast';
import type { PythonRuleContext } from '../analysis/rule';

/** Blocking APIs by module (without `node:`), with the async form to name in the message. */
const BLOCKING: Record<string, Record<string, string>> = {
  bcrypt: { hashSync: 'hash', compareSync: 'compare', genSaltSync: 'genSalt' },
  bcryptjs: { hashSync: 'hash', compareSync: 'compare', genSaltSync: 'genSalt' },
  crypto: { pbkdf2Sync: 'pbkdf2', scryptSync: 'scrypt', generateKeyPairSync: 'generateKeyPair' },
  zlib: {
    gzipSync: 'gzip',
    gunzipSync: 'gunzip',
    deflateSync: 'deflate',
    inflateSync: 'inflate',
    deflateRawSync: 'deflateRaw',
    inflateRawSync: 'inflateRaw',
    unzipSync: 'unzip',
    brotliCompressSync: 'brotliCompress',
    brotliDecompressSync: 'brotliDecompress',
  },
  child_process: { execSync: 'exec', spawnSync: 'spawn', execFileSync: 'execFile' },
};

/** bcrypt's async forms return promises with the same arguments, so only they get the `await` rewrite. */
const PROMISE_FORMS = new Set(['bcrypt', 'bcryptjs']);

export default defineRule({
  meta: {
    id: 'no-blocking-cpu-in-handler',
    severity: 'warning',
    category: 'performance',
    scope: { role: 'function-code', runtime: 'node' },
    summary: 'Disallow synchronous CPU-heavy calls (bcrypt, pbkdf2, scrypt, zlib, execSync) in request code.',
    why:
      'A synchronous hash, key derivation, compression or child process holds the event loop for its whole duration. ' +
      'On Vercel Fluid compute and Cloudflare one instance serves many requests at once, so every concurrent request on the instance waits too; ' +
      'on Lambda the invocation is billed for the blocked time. bcrypt.hashSync at cost 12 alone takes a few hundred milliseconds.',
    action:
      'Use the asynchronous form (`await bcrypt.hash(...)`, `crypto.scrypt` with a callback or promisified, `zlib.gzip`, `execFile`), which runs on the libuv thread pool.',
    bad: [
      {
        fileName: 'app/api/signup/route.ts',
        platform: 'vercel',
        code: [
          "import bcrypt from 'bcryptjs';",
          "import { db } from '@/lib/db';",
          '',
          'export async function POST(request: Request) {',
          '  const { email, password } = await request.json();',
          '  const passwordHash = bcrypt.hashSync(password, 12);',
          '  await db.user.create({ data: { email, passwordHash } });',
          '  return Response.json({ ok: true }, { status: 201 });',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/signup/route.ts',
        platform: 'vercel',
        code: [
          "import bcrypt from 'bcryptjs';",
          "import { db } from '@/lib/db';",
          '',
          'export async function POST(request: Request) {',
          '  const { email, password } = await request.json();',
          '  const passwordHash = await bcrypt.hash(password, 12);',
          '  await db.user.create({ data: { email, passwordHash } });',
          '  return Response.json({ ok: true }, { status: 201 });',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'use-async-form',
        title: 'Use await {{hash}}() instead',
        safety: 'unsafe',
        preferred: true,
        description:
          'For bcrypt/bcryptjs `hashSync`, `compareSync` and `genSaltSync` called as `bcrypt.xSync(...)` inside an async function: rewrites to `await bcrypt.x(...)`. ' +
          'Unsafe: it changes timing (other code runs while the hash is computed). No fix for crypto, zlib and child_process: their async forms take callbacks or return streams, so a correct rewrite needs more than a local edit.',
      },
    ],
    messages: {
      blocking:
        '{{call}}() blocks the event loop, and with it every concurrent request on this instance, while it runs; use the asynchronous {{asyncName}}() instead.',
      pythonBlocking:
        '`{{call}}()` blocks the event loop of this async handler: every concurrent request on the instance waits (Vercel Fluid compute serves many at once). Use {{instead}}, or make the route a plain `def` so it runs in the thread pool.',
    },
    limits: [
      'Calls are reported inside any function of a function entry or module (handlers and the helpers they call); module-scope calls run once per cold start and are left alone.',
      "Only calls through the module's import are found (default, namespace, named or `require`); a wrapper in another module is not followed.",
      'The cost of a call is not estimated: a gzipSync of a few bytes is reported like one of megabytes.',
    ],
    references: ['https://vercel.com/docs/fluid-compute', 'https://developers.cloudflare.com/workers/platform/limits/'],
  },
  // The edge runtime has none of these modules; the edge rules report their imports.
  // The Python part of the rule (server/src/python/): see pythonBlockingInAsyncHandler at the end of this file.
  python: pythonBlockingInAsyncHandler,
  create(ctx) {
    if (!ctx.facts.imports.some((i) => !i.typeOnly && BLOCKING[i.specifier.replace(/^node:/, '')])) return {};
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          const member = importedMember(ctx.facts, call.expression);
          const asyncName = member && BLOCKING[member.module]?.[member.name];
          if (!member || !asyncName) return;
          // Module scope runs once per cold start, not per request.
          if (!enclosingFunction(call)) return;
          const callee = call.expression;
          const canRewrite = PROMISE_FORMS.has(member.module) && member.viaObject && ts.isPropertyAccessExpression(callee) && inAsyncFunction(call);
          const fixes = [];
          if (canRewrite) {
            const p = call.parent;
            // `(await x())` where the result is used as an operand of a member access or call.
            const needsParens = ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p) || (ts.isCallExpression(p) && p.expression === call);
            const args = call.arguments.map((a) => a.getText(ctx.sourceFile)).join(', ');
            const text = `await ${(callee as ts.PropertyAccessExpression).expression.getText(ctx.sourceFile)}.${asyncName}(${args})`;
            fixes.push(
              ctx.fix('use-async-form', [{ span: { start: call.getStart(ctx.sourceFile), end: call.getEnd() }, newText: needsParens ? `(${text})` : text }], {
                data: { hash: asyncName },
              }),
            );
          }
          ctx.report({
            node: ts.isPropertyAccessExpression(callee) ? callee.name : callee,
            messageId: 'blocking',
            data: { call: member.name, asyncName },
            fixes,
          });
        },
      },
    };
  },
});

// The Python part: blocking calls inside an `async def` handler on Vercel. An ASGI app runs its async handlers on one
// event loop, and Fluid compute sends many requests to one instance at once: a blocking call stalls all of them.
// (A plain `def` route runs in FastAPI's thread pool, and a Lambda instance serves one request at a time: not reported.)

/** Blocking calls by qualified name, with what to use instead. */
const PY_BLOCKING = new Map<string, string>([
  ['time.sleep', '`await asyncio.sleep(...)`'],
  ['bcrypt.hashpw', '`await asyncio.to_thread(bcrypt.hashpw, ...)`'],
  ['bcrypt.checkpw', '`await asyncio.to_thread(bcrypt.checkpw, ...)`'],
  ['hashlib.pbkdf2_hmac', '`await asyncio.to_thread(hashlib.pbkdf2_hmac, ...)`'],
  ['hashlib.scrypt', '`await asyncio.to_thread(hashlib.scrypt, ...)`'],
  ['subprocess.run', '`await asyncio.create_subprocess_exec(...)`'],
  ['subprocess.check_output', '`await asyncio.create_subprocess_exec(...)`'],
  ['subprocess.call', '`await asyncio.create_subprocess_exec(...)`'],
  ['subprocess.check_call', '`await asyncio.create_subprocess_exec(...)`'],
  ['requests.get', 'an async client (`httpx.AsyncClient`)'],
  ['requests.post', 'an async client (`httpx.AsyncClient`)'],
  ['requests.put', 'an async client (`httpx.AsyncClient`)'],
  ['requests.patch', 'an async client (`httpx.AsyncClient`)'],
  ['requests.delete', 'an async client (`httpx.AsyncClient`)'],
  ['requests.request', 'an async client (`httpx.AsyncClient`)'],
  ['urllib.request.urlopen', 'an async client (`httpx.AsyncClient`)'],
]);

function pythonBlockingInAsyncHandler(ctx: PythonRuleContext): void {
  const { facts, context } = ctx;
  if (context.platform.value !== 'vercel') return;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? '';
    const instead = PY_BLOCKING.get(q);
    if (!instead) continue;
    const fn = facts.enclosingFunction(call);
    // Directly in the async handler's own body (a nested helper or lambda may run elsewhere).
    if (fn?.type !== 'function_definition' || !facts.handlerOf(call) || facts.handlerOf(call)!.fn.id !== fn.id) continue;
    if (!/^async\b/.test(fn.text)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonBlocking',
      data: { call: q, instead },
    });
  }
}
