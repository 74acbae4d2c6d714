// TanStack Start: server functions (`createServerFn(…).handler(fn)`, anywhere) and server routes in `src/routes`
// (`createFileRoute(path)({ server: { handlers: { GET } } })`, and the beta's `createServerFileRoute(path).methods({ GET })`).
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';
import { HTTP_METHODS } from '../shared';

const PACKAGES = ['@tanstack/react-start', '@tanstack/solid-start', '@tanstack/start'];
const METHODS = new Set([...HTTP_METHODS, 'ANY']);
const isStart = (env: ScanEnv) => PACKAGES.some((p) => env.project.dependencies.has(p));

/** The root call of a builder chain (`createServerFn({ … }).inputValidator(v).handler`): its callee name. */
function chainRoot(expr: ts.Expression): string | undefined {
  // A builder chain is a handful of calls long; the bound keeps this a loop over a fixed depth.
  for (let i = 0; i < 12; i++) {
    if (ts.isCallExpression(expr)) {
      if (ts.isIdentifier(expr.expression)) return expr.expression.text;
      expr = expr.expression;
    } else if (ts.isPropertyAccessExpression(expr)) expr = expr.expression;
    else return undefined;
  }
  return undefined;
}

function propertyOf(obj: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return undefined;
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === name) return p.initializer;
  return undefined;
}

function methodCandidates(env: ScanEnv, obj: ts.Node | undefined): void {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return;
  for (const p of obj.properties) {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!name || !METHODS.has(name)) continue;
    const fn = ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? env.unwrap(p.initializer) : undefined;
    if (fn) env.candidate({ shape: 'tanstack-route-handler', name, node: fn });
  }
}

/** `src/routes/api/users/$id.ts` or `src/routes/api.users.$id.ts` → `/api/users/$id`. */
function route(rel: string): string | undefined {
  const m = /(?:^|\/)src\/routes\/(.+)$/.exec(rel);
  if (!m) return undefined;
  const segments = m[1].split(/[/.]/).filter((s) => s && s !== 'index' && s !== 'route' && !/^\(.*\)$/.test(s) && !s.startsWith('_'));
  return '/' + segments.join('/');
}

const tanstackStart: FrameworkModule = {
  id: 'tanstack-start',
  label: 'TanStack Start',
  detect: { dependencies: PACKAGES, paths: ['src/routes/**'] },
  shapes: [
    { id: 'tanstack-server-fn', label: 'TanStack server function', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'tanstack-route-handler', label: 'TanStack server route', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'tanstack-server-route',
      path: /(^|\/)src\/routes\/.+\.[cm]?[jt]sx?$/,
      route,
      handlers: (env) => isStart(env) && env.candidates.some((c) => c.shape === 'tanstack-route-handler'),
    },
    { id: 'tanstack-server-fn', route: () => '(server functions: a POST from the calling page)' },
  ],
  visitCall(call, env) {
    const callee = call.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const member = callee.name.text;
      if (member === 'handler' && chainRoot(callee.expression) === 'createServerFn' && isStart(env)) {
        const fn = env.unwrap(call.arguments[0]);
        if (fn)
          env.candidate({
            shape: 'tanstack-server-fn',
            name: ts.isVariableDeclaration(call.parent) && ts.isIdentifier(call.parent.name) ? call.parent.name.text : 'server function',
            node: fn,
          });
      } else if (member === 'methods' && chainRoot(callee.expression) === 'createServerFileRoute' && isStart(env)) {
        methodCandidates(env, call.arguments[0]);
      }
    } else if (ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createFileRoute' && isStart(env)) {
      // createFileRoute('/x')({ server: { handlers: { GET } } }): the server half of a route file.
      methodCandidates(env, propertyOf(propertyOf(call.arguments[0], 'server'), 'handlers'));
    }
  },
  scanFile(env) {
    // Server functions are entries wherever they are defined (each is an RPC endpoint of the app).
    if (env.entry === 'none' && env.candidates.some((c) => c.shape === 'tanstack-server-fn')) env.setEntry('tanstack-server-fn');
  },
};

export default tanstackStart;
