// `process.exit()` in function code kills the whole instance, dropping every concurrent request on it.
import * as ts from 'typescript';
import { defineRule } from '../analysis/rule';
import { isMemberCall } from '../analysis/ast';
import type { PythonRuleContext } from '../analysis/rule';
import { statementOf, callArgs } from '../python/facts';

export default defineRule({
  meta: {
    id: 'no-process-exit',
    severity: 'error',
    category: 'platform',
    scope: 'function-code',
    summary: 'Disallow process.exit() in function code.',
    why:
      'A serverless instance serves many requests over its life, and on Vercel Fluid compute or Cloudflare several at once. ' +
      'process.exit() kills the instance: every in-flight request on it fails, and the next request pays a cold start. ' +
      'On Lambda the runtime reports a crash ("Runtime exited") and retries asynchronous events.',
    action: 'Throw an error (or return an error response) and let the platform turn it into a 500.',
    bad: [
      {
        fileName: 'app/api/import/route.ts',
        code: [
          'export async function POST(request: Request) {',
          '  const body = await request.json();',
          '  if (!body.items) {',
          "    console.error('missing items');",
          '    process.exit(1);',
          '  }',
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
        platform: 'vercel',
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import sys',
          'from fastapi import FastAPI',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.post("/api/import")',
          'def run_import(items: list[dict]):',
          '    if not items:',
          '        sys.exit(1)',
          '    return {"imported": len(items)}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/import/route.ts',
        code: [
          'export async function POST(request: Request) {',
          '  const body = await request.json();',
          "  if (!body.items) return Response.json({ error: 'missing items' }, { status: 400 });",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
        platform: 'vercel',
      },
      {
        fileName: 'scripts/migrate.ts',
        code: 'async function main() {}\nmain().catch(() => process.exit(1));',
        platform: 'vercel',
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'from fastapi import FastAPI, HTTPException',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.post("/api/import")',
          'def run_import(items: list[dict]):',
          '    if not items:',
          '        raise HTTPException(status_code=400, detail="nothing to import")',
          '    return {"imported": len(items)}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'throw-instead',
        title: 'Throw an error instead',
        safety: 'unsafe',
        preferred: true,
        description: 'Replaces `process.exit(code)` with `throw new Error(...)`. Unsafe: callers may catch the error where the exit stopped everything.',
      },
      {
        id: 'raise-instead',
        title: 'Raise an exception instead',
        safety: 'unsafe',
        preferred: true,
        description:
          'Python: replaces a `sys.exit(…)`/`os._exit(…)` statement with `raise RuntimeError(…)`. Unsafe: callers may catch the exception where the exit stopped everything.',
      },
    ],
    messages: {
      processExit: 'process.exit() kills the instance and every concurrent request on it; throw an error instead.',
      pythonExit:
        '{{call}}() ends the worker process: every concurrent request on the instance fails and the next one pays a cold start (on Lambda: "Runtime exited"). Raise an exception or return an error response instead.',
      pythonSystemExit:
        'raise SystemExit ends the worker process: every concurrent request on the instance fails and the next one pays a cold start. Raise an ordinary exception or return an error response instead.',
    },
    limits: ['Only direct calls to `process.exit` are found; an alias such as `const exit = process.exit` is not followed.'],
    references: ['https://vercel.com/docs/fluid-compute', 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html'],
  },
  // The Python part of the rule (server/src/python/): see pythonProcessExit at the end of this file.
  python: pythonProcessExit,
  create(ctx) {
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          if (!isMemberCall(call, 'process', 'exit')) return;
          // Module scope of a function module is still function code; only skip nothing here.
          const code = call.arguments[0]?.getText(ctx.sourceFile);
          const isStatement = ts.isExpressionStatement(call.parent);
          ctx.report({
            node: call,
            messageId: 'processExit',
            fixes: isStatement
              ? [
                  ctx.fix('throw-instead', [
                    {
                      span: { start: call.parent.getStart(ctx.sourceFile), end: call.parent.getEnd() },
                      newText: `throw new Error(${code && code !== '0' ? `\`Process exit requested (code ${code.replace(/`/g, '')})\`` : "'Process exit requested'"});`,
                    },
                  ]),
                ]
              : [],
          });
        },
      },
    };
  },
});

// The Python part: `sys.exit()`, `os._exit()`, `exit()`/`quit()` and `raise SystemExit` in function code.

function pythonProcessExit(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const q = facts.callee(call);
    const name = facts.calleeName(call);
    if (q !== 'sys.exit' && q !== 'os._exit' && name !== 'exit' && name !== 'quit') continue;
    const callee = call.childForFieldName('function');
    const builtin =
      callee?.type === 'identifier' &&
      (callee.text === 'exit' || callee.text === 'quit') &&
      !facts.imports.has(callee.text) &&
      !facts.moduleNames.has(callee.text) &&
      !facts.functions.some((f) => f.childForFieldName('name')?.text === callee.text);
    if (q !== 'sys.exit' && q !== 'os._exit' && !builtin) continue;
    if (facts.underMainGuard(call)) continue;
    const statement = statementOf(call);
    const isStatement = statement?.type === 'expression_statement' && statement.firstNamedChild?.id === call.id;
    ctx.report({
      node: call,
      messageId: 'pythonExit',
      data: { call: q ?? callee!.text },
      fixes: isStatement
        ? [
            ctx.fix('raise-instead', [
              {
                span: { start: call.startIndex, end: call.endIndex },
                newText: `raise RuntimeError(${JSON.stringify(`exit requested${callArgs(call).positional[0] ? ` (${callArgs(call).positional[0].text.replace(/["\\]/g, '')})` : ''}`)})`,
              },
            ]),
          ]
        : [],
    });
  }
  for (const r of facts.ofType(facts.root, 'raise_statement')) {
    const value = r.firstNamedChild;
    const name = value?.type === 'call' ? value.childForFieldName('function')?.text : value?.text;
    if (name !== 'SystemExit' || facts.underMainGuard(r)) continue;
    ctx.report({ node: r, messageId: 'pythonSystemExit' });
  }
}
