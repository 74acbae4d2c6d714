// SolidStart: API routes (`src/routes/**` files exporting GET/POST/…, one `APIEvent` `{ request, params, locals }`)
// and server functions (`"use server"` at the top of a file or of a function body, often inside `query()`/`action()`).
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';
import { HTTP_METHODS, hasModifier } from '../shared';
import { nodesOfKindIn } from '../../analysis/tree';

const isSolidStart = (env: ScanEnv) => env.project.dependencies.has('@solidjs/start');

/** `src/routes/api/users/[id].ts` → `/api/users/[id]`; groups `(…)` and `index` leave the URL. */
function route(rel: string): string | undefined {
  const m = /(?:^|\/)src\/routes\/(.+)$/.exec(rel);
  if (!m) return undefined;
  return (
    '/' +
    m[1]
      .split('/')
      .filter((s) => !/^\(.*\)$/.test(s) && s !== 'index')
      .join('/')
  );
}

/** A function whose body opens with the "use server" directive. */
function hasUseServer(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  for (const st of body.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use server') return true;
  }
  return false;
}

/** The name people call a server function by: its variable (`const getUser = query(async () => …)`) or declaration. */
function nameOf(fn: ts.FunctionLikeDeclaration): { name: string; node: ts.Node } {
  if (fn.name && ts.isIdentifier(fn.name)) return { name: fn.name.text, node: fn.name };
  let node: ts.Node = fn.parent;
  // Up through the wrapper calls (query(fn, key), action(fn)) to the declaration: a fixed, small number of steps.
  for (let i = 0; i < 3 && node; i++, node = node.parent) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return { name: node.name.text, node: node.name };
    if (!ts.isCallExpression(node) && !ts.isParenthesizedExpression(node) && !ts.isAsExpression(node)) break;
  }
  return { name: 'server function', node: fn };
}

const solidstart: FrameworkModule = {
  id: 'solidstart',
  label: 'SolidStart',
  detect: { dependencies: ['@solidjs/start'], paths: ['src/routes/**/*.ts', 'src/routes/**/*.tsx'] },
  shapes: [
    { id: 'solid-api-handler', label: 'SolidStart API route', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'solid-server-function', label: 'SolidStart server function', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'solid-api-route',
      path: /(^|\/)src\/routes\/.+\.[cm]?[jt]sx?$/,
      route,
      handlers(env) {
        if (!isSolidStart(env)) return false;
        for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) env.add('solid-api-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
    { id: 'solid-server-function' },
  ],
  scanFile(env) {
    // Runs before Next.js's Server Action scan in the registry, so a SolidStart 'use server' file is SolidStart's.
    if (!isSolidStart(env) || !env.sf.text.includes('use server')) return;
    const before = env.handlerCount;
    if (env.useServer) {
      for (const [name, node] of env.exports) {
        const fn = env.unwrap(node);
        if (fn && hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) env.add('solid-server-function', name, fn, env.nameNodeOf(name));
      }
    }
    for (const kind of [ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.FunctionDeclaration]) {
      for (const fn of nodesOfKindIn<ts.FunctionLikeDeclaration>(env.sf, env.sf, kind)) {
        if (!hasUseServer(fn)) continue;
        const { name, node } = nameOf(fn);
        env.add('solid-server-function', name, fn, node);
      }
    }
    if (env.handlerCount > before) env.setEntry('solid-server-function');
  },
};

export default solidstart;
