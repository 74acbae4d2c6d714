// Express, Hono, Fastify and Koa-style routers: route callbacks registered with `app.get('/x', fn)`, `app.use(fn)`,
// `app.on(…)`, `fastify.route({ handler })`, and `.listen()` calls. They are handlers when the file is an entry.
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';
import { isFunctionNode, stringArg } from '../shared';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'on', 'route']);

const nodeRouters: FrameworkModule = {
  id: 'node-routers',
  label: 'Express / Hono / Fastify',
  detect: { dependencies: ['express', 'hono', 'fastify', 'koa'] },
  shapes: [
    {
      id: 'route-callback', label: 'route callback', request: { params: 1 }, responds: { via: 'res', param: 1 },
      // Hono on Workers: c.executionCtx.waitUntil.
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'executionCtx.waitUntil', whenImports: /^hono(\/|$)/ } },
    },
  ],
  entries: [],
  visitCall(call, env) {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee)) return;
    const method = callee.name.text;
    if (method === 'listen') env.mark('listens');
    if (!ROUTE_METHODS.has(method) || call.arguments.length < 1) return;
    const path = stringArg(call.arguments[0]);
    if (method === 'route' && call.arguments.length === 1 && ts.isObjectLiteralExpression(call.arguments[0])) {
      // fastify.route({ method, url, handler })
      for (const p of call.arguments[0].properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
          const fn = env.unwrap(p.initializer);
          if (fn) env.candidate({ shape: 'route-callback', name: `${callee.getText(env.sf)}(…)`, node: fn });
        } else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
          env.candidate({ shape: 'route-callback', name: `${callee.getText(env.sf)}(…)`, node: p });
        }
      }
    } else if (path !== undefined || method === 'use' || method === 'on') {
      const label = path !== undefined ? `${callee.getText(env.sf)}('${path}')` : `${callee.getText(env.sf)}(…)`;
      for (const arg of call.arguments) if (isFunctionNode(arg)) env.candidate({ shape: 'route-callback', name: label, node: arg });
    }
  },
};

export default nodeRouters;
