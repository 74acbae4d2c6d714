// Deno.serve(): Deno Deploy, and Supabase Edge Functions (supabase/functions/<name>/index.ts).
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';

const deno: FrameworkModule = {
  id: 'deno',
  label: 'Deno.serve / Supabase Edge Functions',
  detect: { configFiles: ['deno.json', 'deno.jsonc'], paths: ['supabase/functions/*/index.ts'] },
  shapes: [{ id: 'deno-serve-handler', label: 'Deno.serve handler', request: { params: 2 }, responds: { via: 'return' } }],
  entries: [
    {
      id: 'supabase-function',
      path: /(^|\/)supabase\/functions\/[^/]+\/index\.[jt]sx?$/,
      // Supabase serves each function at /functions/v1/<folder name>.
      route: (rel) => /(?:^|\/)supabase\/functions\/([^/]+)\/index$/.exec(rel)?.[1]?.replace(/^/, '/functions/v1/'),
      platformFromPath: { value: 'deno-deploy', reason: 'the file is a Supabase Edge Function (supabase/functions/*/index.ts)' },
      handlers: (env) => env.marked('deno-serve'),
      // Supabase Edge Functions expose the runtime's own EdgeRuntime.waitUntil to every handler.
      waitUntil: { any: { via: 'global', callee: 'EdgeRuntime.waitUntil' } },
    },
    {
      id: 'deno-serve',
      route: () => '/*',
      platformFromShape: { value: 'deno-deploy', reason: 'no platform configuration was found, but the file calls Deno.serve()' },
    },
  ],
  visitCall(call, env) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'serve' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Deno')
      return;
    env.mark('deno-serve');
    const fn = env.unwrap(call.arguments[call.arguments.length - 1]);
    if (fn) env.candidate({ shape: 'deno-serve-handler', name: 'Deno.serve handler', node: fn });
  },
  scanFile(env) {
    if (env.marked('deno-serve') && env.entry === 'none' && (env.platform === 'deno-deploy' || env.platform === 'unknown')) env.setEntry('deno-serve');
  },
};

export default deno;
