// On Vercel's edge runtime and Cloudflare Workers, code generation at run time (eval, new Function, WebAssembly from bytes) is refused.
import * as ts from 'typescript';
import { stripAwait } from '../analysis/ast';
import { defineRule, type RuleContext } from '../analysis/rule';
import { EDGE_TARGET_NAMES, edgeTargetOf } from '../analysis/edge-modules';

const WASM_COMPILERS = new Set(['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']);
const BYTE_ARRAYS = new Set(['ArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint8ClampedArray', 'DataView', 'Buffer']);
const BYTE_CALLS = new Set(['arrayBuffer', 'fetch', 'readFile', 'readFileSync', 'bytes']);

/** Whether a name refers to the global of that name (no local or imported binding shadows it). */
function isGlobal(ctx: RuleContext, id: ts.Expression, name: string): boolean {
  if (ts.isIdentifier(id)) return id.text === name && !ctx.facts.symbolOf(id)?.declarations?.length;
  return ts.isPropertyAccessExpression(id) && id.name.text === name && ts.isIdentifier(id.expression) && id.expression.text === 'globalThis';
}

/**
 * Whether an expression evaluates to raw bytes (an ArrayBuffer, a typed array, a fetch Response): `new Uint8Array(…)`,
 * `await res.arrayBuffer()`, `fetch(url)`, or a local const initialised with one of those. Unknown values are not bytes,
 * so an imported `.wasm` module (or a parameter) stays silent.
 */
function isBytes(ctx: RuleContext, expr: ts.Expression, depth = 0): boolean {
  const e = stripAwait(expr);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression)) return BYTE_ARRAYS.has(e.expression.text);
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name && BYTE_CALLS.has(name)) return true;
    // `Uint8Array.from(…)`, `Buffer.from(…)`.
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && BYTE_ARRAYS.has(callee.expression.text) && callee.name.text === 'from')
      return true;
    return false;
  }
  if (ts.isIdentifier(e) && depth < 3) {
    const decl = ctx.facts.symbolOf(e)?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) return isBytes(ctx, decl.initializer, depth + 1);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'edge-no-dynamic-code',
    severity: 'error',
    category: 'edge',
    scope: { role: 'function-code', runtime: 'edge' },
    summary: 'Disallow eval, new Function and WebAssembly compiled from bytes on the edge runtime.',
    why:
      "Vercel's edge runtime and Cloudflare Workers disable code generation from strings and bytes inside their isolates: " +
      '`eval()`, `new Function()` and `WebAssembly.compile/instantiate` of a byte buffer throw "EvalError: Code generation from ' +
      'strings disallowed for this context" (Next.js fails the build with "Dynamic Code Evaluation not allowed"). WebAssembly must ' +
      'be imported as a precompiled module, which the bundler uploads with the function.',
    action:
      'Replace eval/new Function with real code (JSON.parse for data, a lookup table for dispatch); import .wasm files as modules (`import wasm from "./x.wasm?module"`) and instantiate those.',
    bad: [
      {
        fileName: 'app/api/calc/route.ts',
        platform: 'vercel',
        code: [
          "export const runtime = 'edge';",
          '',
          'export async function POST(request: Request) {',
          '  const { formula, x } = await request.json();',
          "  const f = new Function('x', `return ${formula};`);",
          '  return Response.json({ result: f(x) });',
          '}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/resize/route.ts',
        platform: 'vercel',
        code: [
          "import wasmModule from './resize.wasm?module';",
          '',
          "export const runtime = 'edge';",
          '',
          'export async function POST(request: Request) {',
          '  const instance = await WebAssembly.instantiate(wasmModule);',
          '  const width = (instance.exports.width as () => number)();',
          '  return Response.json({ width, size: (await request.arrayBuffer()).byteLength });',
          '}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      eval: 'eval() compiles code from a string at run time, which {{where}} refuses ("Code generation from strings disallowed"); use JSON.parse for data or write the logic as code.',
      function:
        '{{new}}Function() compiles code from a string at run time, which {{where}} refuses ("Code generation from strings disallowed"); write the function as code (a lookup table of functions for dynamic dispatch).',
      wasm: 'WebAssembly.{{method}}() compiles WebAssembly from bytes at run time, which {{where}} refuses ("Code generation from strings disallowed"); import the .wasm file as a module (`import wasm from \'./x.wasm?module\'`) and instantiate that.',
    },
    limits: [
      'Deno-based edges (Netlify Edge Functions, Deno Deploy, Supabase) allow eval and WebAssembly from bytes, so the rule is silent there.',
      'WebAssembly arguments count as bytes only when they visibly are (a typed array, `arrayBuffer()`, `fetch()`, or a local const set from one); bytes passed through parameters or other modules are not traced.',
      'Aliases such as `const e = eval` or `globalThis["eval"]` are not followed.',
    ],
    references: [
      'https://vercel.com/docs/functions/runtimes/edge',
      'https://nextjs.org/docs/messages/edge-dynamic-code-evaluation',
      'https://developers.cloudflare.com/workers/runtime-apis/webassembly/',
    ],
  },
  create(ctx) {
    const target = edgeTargetOf(ctx.context);
    if (target !== 'vercel-edge' && target !== 'workers' && target !== 'workers-nodejs-compat') return {};
    // The nodejs_compat flag changes nothing here, so Workers are named without it.
    const where = target === 'vercel-edge' ? EDGE_TARGET_NAMES[target] : 'Cloudflare Workers';
    const visit = (call: ts.CallExpression | ts.NewExpression) => {
      const callee = call.expression;
      if (ts.isCallExpression(call) && isGlobal(ctx, callee, 'eval')) {
        ctx.report({ node: call, messageId: 'eval', data: { where } });
        return;
      }
      if (isGlobal(ctx, callee, 'Function')) {
        ctx.report({ node: call, messageId: 'function', data: { where, new: ts.isNewExpression(call) ? 'new ' : '' } });
        return;
      }
      // WebAssembly.compile/instantiate(bytes) and new WebAssembly.Module(bytes).
      if (!ts.isPropertyAccessExpression(callee) || !isGlobal(ctx, callee.expression, 'WebAssembly')) return;
      const method = callee.name.text;
      const compiles = ts.isNewExpression(call) ? method === 'Module' : WASM_COMPILERS.has(method);
      const arg = call.arguments?.[0];
      if (!compiles || !arg || !isBytes(ctx, arg)) return;
      ctx.report({
        node: call,
        messageId: 'wasm',
        data: { method, where },
      });
    };
    return { enter: { [ts.SyntaxKind.CallExpression]: visit, [ts.SyntaxKind.NewExpression]: visit } };
  },
});
