// Cloudflare Workers: `export default { fetch, scheduled, queue … }`, an exported app as the wrangler `main`, and
// Durable Object classes.
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';

export const WORKER_METHODS: ReadonlySet<string> = new Set(['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace']);
const DURABLE_METHODS = new Set(['fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);

function isDurableObjectClass(node: ts.Node): node is ts.ClassDeclaration {
  if (!ts.isClassDeclaration(node)) return false;
  const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (ext && /(^|\.)DurableObject$/.test(ext.getText())) return true;
  // The classic shape: constructor(state, env) and a fetch method.
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const hasFetch = node.members.some((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'fetch');
  return !!ctor && ctor.parameters.length === 2 && hasFetch;
}

const workers: FrameworkModule = {
  id: 'workers',
  label: 'Cloudflare Workers',
  detect: { configFiles: ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'] },
  shapes: [
    {
      id: 'workers-handler', label: 'Workers handler', request: { params: 1 }, responds: { via: 'return' },
      waitUntil: { 'workers-ctx': { via: 'param', param: 2, member: 'waitUntil', add: { ts: ['_env: unknown', 'ctx: ExecutionContext'], js: ['_env', 'ctx'] } } },
    },
    { id: 'durable-object-handler', label: 'Durable Object handler', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    { id: 'workers', platformFromShape: { value: 'cloudflare-workers', reason: 'no platform configuration was found, but the file exports a Workers-style `{ fetch }` default' } },
  ],
  scanFile(env) {
    if ((env.platform === 'cloudflare-workers' || env.platform === 'unknown') && env.entry === 'none') {
      if (env.objectMethods(env.exports.get('default'), WORKER_METHODS, 'workers-handler', '')) env.setEntry('workers');
      // `export default app` (Hono on Workers) as the wrangler main: its route callbacks are the handlers.
      else if (env.isWorkerMain && env.exports.has('default')) env.setEntry('workers');
    }
    if (env.platform === 'cloudflare-workers' || env.entry === 'workers') {
      for (const st of env.sf.statements) {
        if (!isDurableObjectClass(st)) continue;
        for (const m of st.members) {
          if (ts.isMethodDeclaration(m) && m.body && DURABLE_METHODS.has(m.name.getText(env.sf))) env.add('durable-object-handler', `${st.name?.text}.${m.name.getText(env.sf)}`, m, m.name);
        }
        env.setEntry('workers');
      }
    }
  },
};

export default workers;
