// Deno.serve(): Deno Deploy, and Supabase Edge Functions (supabase/functions/<name>/index.ts).
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';
import { importBindings } from './node-routers';

/** The standard library's serve functions, and the modules they come from (the URL form, JSR, npm-style specifiers). */
const STD_SERVE = new Set(['serve', 'listenAndServe']);
/** Sift, the router Deno Deploy's early examples used: `serve({ "/path": handler })`. */
const SIFT = /^https:\/\/deno\.land\/x\/sift(@[^/]+)?\/mod\.ts$/;
const STD_HTTP = /^(https:\/\/deno\.land\/std(@[^/]+)?\/http\/(server|mod)\.ts|jsr:@std\/http(@[^/]+)?(\/server)?|@std\/http(\/server)?)$/;

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
      platformFromShape: {
        value: 'deno-deploy',
        reason: "no platform configuration was found, but the file calls Deno.serve() (or the standard library's serve)",
      },
    },
  ],
  visitCall(call, env) {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'serve' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Deno') {
      env.mark('deno-serve');
      const fn = env.unwrap(call.arguments[call.arguments.length - 1]);
      if (fn) env.candidate({ shape: 'deno-serve-handler', name: 'Deno.serve handler', node: fn });
      return;
    }
    // The standard library's server, which Deno Deploy's examples used before Deno.serve: `serve(handler)`,
    // `listenAndServe(":8080", handler)` from deno.land/std's http/server.ts (or @std/http).
    if (!ts.isIdentifier(callee) || !STD_SERVE.has(callee.text)) return;
    const from = importBindings(env.sf).get(callee.text) ?? '';
    if (STD_HTTP.test(from)) {
      const fn = call.arguments.map((a) => env.unwrap(a)).find((f) => f !== undefined);
      if (!fn) return;
      env.mark('deno-serve');
      env.candidate({ shape: 'deno-serve-handler', name: `${callee.text} handler`, node: fn });
    } else if (SIFT.test(from) && call.arguments[0] && ts.isObjectLiteralExpression(call.arguments[0])) {
      // Sift's route table: `serve({ "/": home, "/api/:id": (request, params) => ... })`.
      for (const p of call.arguments[0].properties) {
        const fn = ts.isPropertyAssignment(p) ? env.unwrap(p.initializer) : ts.isMethodDeclaration(p) ? env.unwrap(p) : undefined;
        if (!fn) continue;
        env.mark('deno-serve');
        env.candidate({ shape: 'deno-serve-handler', name: `serve ${p.name!.getText(env.sf)}`, node: fn });
      }
    }
  },
  scanFile(env) {
    if (env.marked('deno-serve') && env.entry === 'none' && (env.platform === 'deno-deploy' || env.platform === 'unknown')) env.setEntry('deno-serve');
  },
};

export default deno;
