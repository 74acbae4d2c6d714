// `export const maxDuration = N` above the Vercel plan maximum makes the deployment fail.
import * as ts from 'typescript';
import { strip } from '../analysis/ast';
import { defineRule } from '../analysis/rule';
import { checkDuration } from '../analysis/durations';

/** The value of a numeric constant expression (`900`, `60 * 15`, `15 * 60 + 30`); undefined for anything else. */
function numericValue(expr: ts.Expression, depth = 0): number | undefined {
  const e = strip(expr);
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  // A generated `1 + 1 + ...` is as deep as it is long: past a depth no real duration has, it is no constant.
  if (ts.isBinaryExpression(e) && depth < 64) {
    const l = numericValue(e.left, depth + 1);
    const r = numericValue(e.right, depth + 1);
    if (l === undefined || r === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.AsteriskToken:
        return l * r;
      case ts.SyntaxKind.PlusToken:
        return l + r;
      case ts.SyntaxKind.MinusToken:
        return l - r;
      default:
        return undefined;
    }
  }
  return undefined;
}

function isExported(st: ts.VariableStatement): boolean {
  return !!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

export default defineRule({
  meta: {
    id: 'max-duration-exceeds-limit',
    severity: 'error',
    category: 'limits',
    scope: { role: 'any', platform: 'vercel', runtime: 'node' },
    summary: 'Disallow a maxDuration above the Vercel plan maximum.',
    why:
      'Vercel reads `export const maxDuration` (Next.js route segment config, or `config.maxDuration` in Pages API routes and `api/` functions) ' +
      'at build time and rejects the deployment when it is above the plan maximum: 300 s on Hobby, 1,800 s on Pro and Enterprise ' +
      '(Node.js and Python with Fluid compute; durations above 800 s are a beta that any project opts into by setting the value). ' +
      'Work that needs longer than the maximum does not fit a request/response function at all.',
    action: 'Set maxDuration at or below the plan maximum, and move longer work to a queue, a workflow or a cron job.',
    bad: [
      {
        fileName: 'app/api/reports/route.ts',
        platform: 'vercel',
        plan: 'hobby',
        code: [
          'export const maxDuration = 600;',
          '',
          'export async function POST(request: Request) {',
          '  const { month } = await request.json();',
          "  return Response.json({ month, status: 'queued' });",
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/reports/route.ts',
        platform: 'vercel',
        plan: 'pro',
        code: [
          'export const maxDuration = 600;',
          '',
          'export async function POST(request: Request) {',
          '  const { month } = await request.json();',
          "  return Response.json({ month, status: 'queued' });",
          '}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'set-to-maximum',
        title: 'Set to the plan maximum ({{N}})',
        safety: 'safe',
        preferred: true,
        description:
          'Replaces the value with the plan maximum. Safe: a value above the maximum is rejected at deployment, so no running behaviour is lost ' +
          'and the fix only lets it deploy.',
      },
    ],
    messages: {
      exceedsLimit: '{{name}} {{problem}} Set it to {{max}} or less and move longer work to a queue or workflow.',
    },
    limits: [
      "Only Vercel is checked: `export const maxDuration` is Vercel's convention and other platforms ignore it (their timeouts live in config files).",
      'Only numeric constants and simple arithmetic (`15 * 60`) are evaluated; a value imported or computed at run time is not checked.',
      'Go, Ruby and other non-Node.js, non-Python runtimes stay at 800 s on Pro/Enterprise; a `maxDuration` in such a function is checked against the Node.js maximum.',
      'The plan comes from the settings (`--plan`, `serverlessLint.plan`); without one, the most common paid tier (Pro) is assumed.',
    ],
    references: [
      'https://vercel.com/docs/functions/configuring-functions/duration',
      'https://vercel.com/changelog/vercel-functions-can-now-run-up-to-30-minutes',
      'https://vercel.com/docs/functions/limitations',
    ],
  },
  create(ctx) {
    const { platform, runtime, plan } = ctx.context;
    const check = (valueNode: ts.Expression, name: string) => {
      const seconds = numericValue(valueNode);
      if (seconds === undefined) return;
      const result = checkDuration(platform.value, runtime.value, plan.value, seconds);
      if (result.ok || result.max === undefined) return;
      ctx.report({
        node: valueNode,
        messageId: 'exceedsLimit',
        data: { name, problem: result.message!, max: result.max },
        fixes: [
          ctx.fix('set-to-maximum', [{ span: { start: valueNode.getStart(ctx.sourceFile), end: valueNode.getEnd() }, newText: String(result.max) }], {
            data: { N: result.max },
          }),
        ],
      });
    };
    return {
      enter: {
        [ts.SyntaxKind.VariableStatement]: (st) => {
          if (!ts.isSourceFile(st.parent) || !isExported(st)) return;
          for (const d of st.declarationList.declarations) {
            if (!ts.isIdentifier(d.name) || !d.initializer) continue;
            if (d.name.text === 'maxDuration') check(d.initializer, 'maxDuration');
            // Pages API routes and Vercel `api/` functions: export const config = { maxDuration: N }.
            const init = strip(d.initializer);
            if (d.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
              for (const p of init.properties) {
                if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === 'maxDuration')
                  check(p.initializer, 'config.maxDuration');
              }
            }
          }
        },
      },
    };
  },
});
