// Cloudflare Workers: `export default { fetch, scheduled, queue … }`, an exported app as the wrangler `main`, Durable
// Object classes (`extends DurableObject` or the classic constructor(state, env) + fetch), Workflows
// (`extends WorkflowEntrypoint`, `run(event, step)`) and `WorkerEntrypoint` classes (fetch and RPC methods).
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';

export const WORKER_METHODS: ReadonlySet<string> = new Set(['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace']);
const DURABLE_METHODS = new Set(['fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);
/** The base classes of `cloudflare:workers` whose public methods the runtime calls (fetch, RPC, alarms, `run`). */
const ENTRYPOINT_BASES = /(^|\.)(DurableObject|WorkerEntrypoint|WorkflowEntrypoint)$/;

type ClassKind = 'durable-object' | 'entrypoint' | 'workflow' | 'classic-durable-object';

/** What a top-level class is to the Workers runtime, if anything. */
function classKind(node: ts.Node, sf: ts.SourceFile): ClassKind | undefined {
  if (!ts.isClassDeclaration(node)) return undefined;
  const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  const base = ext && ENTRYPOINT_BASES.exec(ext.getText(sf))?.[2];
  if (base === 'DurableObject') return 'durable-object';
  if (base === 'WorkerEntrypoint') return 'entrypoint';
  if (base === 'WorkflowEntrypoint') return 'workflow';
  // The classic shape: constructor(state, env) and a fetch method.
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const hasFetch = node.members.some((m) => ts.isMethodDeclaration(m) && m.name.getText(sf) === 'fetch');
  return !ext && !!ctor && ctor.parameters.length === 2 && hasFetch ? 'classic-durable-object' : undefined;
}

/** A method the runtime or an RPC caller can call: public, named, with a body. */
function isPublicMethod(m: ts.ClassElement, sf: ts.SourceFile): m is ts.MethodDeclaration {
  if (!ts.isMethodDeclaration(m) || !m.body || ts.isPrivateIdentifier(m.name)) return false;
  if (ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword || x.kind === ts.SyntaxKind.StaticKeyword)) return false;
  return !m.name.getText(sf).startsWith('_');
}

const importsWorkersRuntime = (sf: ts.SourceFile) => sf.statements.some((st) => ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === 'cloudflare:workers');

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
    // `run(event, step)`: the event carries the instance's params; steps are retried and persisted by the runtime.
    { id: 'workflow-run', label: 'Workflow run', request: { params: 1 }, responds: { via: 'return' } },
    // `class Api extends WorkerEntrypoint { fetch(request) {} async getUser(id) {} }`: fetch and RPC methods, with
    // `this.ctx.waitUntil` to hand work on.
    { id: 'worker-entrypoint-method', label: 'WorkerEntrypoint method', request: { params: 1 }, responds: { via: 'return' } },
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
    // Durable Objects, Workflows and WorkerEntrypoint classes: any file of a Workers project, or one importing
    // cloudflare:workers (a class extending its base is Workers code wherever it sits).
    const runtimeImport = importsWorkersRuntime(env.sf);
    if (env.platform === 'cloudflare-workers' || env.entry === 'workers' || runtimeImport) {
      for (const st of env.sf.statements) {
        const kind = classKind(st, env.sf);
        if (!kind || (kind !== 'classic-durable-object' && !runtimeImport && env.platform !== 'cloudflare-workers')) continue;
        const cls = st as ts.ClassDeclaration;
        const className = cls.name?.text ?? 'default';
        let found = false;
        for (const m of cls.members) {
          if (!isPublicMethod(m, env.sf)) continue;
          const name = m.name.getText(env.sf);
          // Workflows run `run(event, step)`; classic Durable Objects only the runtime's own methods; the others
          // every public method (fetch, alarm, webSocket*, and RPC methods other Workers call).
          if (kind === 'workflow' && name !== 'run') continue;
          if (kind === 'classic-durable-object' && !DURABLE_METHODS.has(name)) continue;
          const shape = kind === 'workflow' ? 'workflow-run' : kind === 'entrypoint' ? 'worker-entrypoint-method' : 'durable-object-handler';
          found = env.add(shape, `${className}.${name}`, m, m.name) || found;
        }
        if (found) env.setEntry('workers');
      }
    }
  },
};

export default workers;
