// Cloudflare Workers: `export default { fetch, scheduled, queue … }`, an exported app as the wrangler `main`, Durable
// Object classes (`extends DurableObject` or the classic constructor(state, env) + fetch), Workflows
// (`extends WorkflowEntrypoint`, `run(event, step)`) and `WorkerEntrypoint` classes (fetch and RPC methods).
import * as ts from 'typescript';
import type { FrameworkModule } from '../types';
import { own } from '../../../../shared/src/records';

export const WORKER_METHODS: ReadonlySet<string> = new Set(['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace']);
const DURABLE_METHODS = new Set(['fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);
/** The base classes of `cloudflare:workers` whose public methods the runtime calls (fetch, RPC, alarms, `run`). */
const RUNTIME_BASES: Record<string, ClassKind> = { DurableObject: 'durable-object', WorkerEntrypoint: 'entrypoint', WorkflowEntrypoint: 'workflow' };
/**
 * Packages whose base classes are Durable Objects: the Agents SDK (`Agent`, `AIChatAgent`, `McpAgent`), PartyServer
 * (`Server`) and Containers (`Container`); their public methods (onRequest, onMessage, RPC) run per request.
 */
const DURABLE_OBJECT_PACKAGES = /^(agents(\/.*)?|partyserver|@cloudflare\/containers)$/;

type ClassKind = 'durable-object' | 'entrypoint' | 'workflow' | 'classic-durable-object';

/** The local names of Workers runtime base classes the file imports, with what a class extending each is. */
function runtimeBases(sf: ts.SourceFile): Map<string, ClassKind> {
  const out = new Map<string, ClassKind>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const from = st.moduleSpecifier.text;
    const runtime = from === 'cloudflare:workers';
    if (!runtime && !DURABLE_OBJECT_PACKAGES.test(from)) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      const kind = runtime ? own(RUNTIME_BASES, imported) : /^[A-Z]/.test(imported) ? 'durable-object' : undefined;
      if (kind) out.set(el.name.text, kind);
    }
  }
  return out;
}

/** What a top-level class is to the Workers runtime, if anything. */
function classKind(node: ts.Node, sf: ts.SourceFile, bases: Map<string, ClassKind>): ClassKind | undefined {
  if (!ts.isClassDeclaration(node)) return undefined;
  const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (ext && ts.isIdentifier(ext) && bases.has(ext.text)) return bases.get(ext.text);
  // `extends DurableObject` with the base from elsewhere (a re-export): the name says it in a Workers project.
  if (ext && /(^|\.)DurableObject$/.test(ext.getText(sf))) return 'durable-object';
  // The classic shape: constructor(state, env) and a fetch method.
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const hasFetch = node.members.some((m) => ts.isMethodDeclaration(m) && m.name.getText(sf) === 'fetch');
  return !ext && ctor && ctor.parameters.length === 2 && hasFetch ? 'classic-durable-object' : undefined;
}

/** A method the runtime or an RPC caller can call: public, named, with a body. */
function isPublicMethod(m: ts.ClassElement, sf: ts.SourceFile): m is ts.MethodDeclaration {
  if (!ts.isMethodDeclaration(m) || !m.body || ts.isPrivateIdentifier(m.name)) return false;
  if (
    ts
      .getModifiers(m)
      ?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword || x.kind === ts.SyntaxKind.StaticKeyword)
  )
    return false;
  return !m.name.getText(sf).startsWith('_');
}

const workers: FrameworkModule = {
  id: 'workers',
  label: 'Cloudflare Workers',
  detect: { configFiles: ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'] },
  shapes: [
    {
      id: 'workers-handler',
      label: 'Workers handler',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: {
        'workers-ctx': { via: 'param', param: 2, member: 'waitUntil', add: { ts: ['_env: unknown', 'ctx: ExecutionContext'], js: ['_env', 'ctx'] } },
      },
    },
    { id: 'durable-object-handler', label: 'Durable Object handler', request: { params: 1 }, responds: { via: 'return' } },
    // `run(event, step)`: the event carries the instance's params; steps are retried and persisted by the runtime.
    { id: 'workflow-run', label: 'Workflow run', request: { params: 1 }, responds: { via: 'return' } },
    // `class Api extends WorkerEntrypoint { fetch(request) {} async getUser(id) {} }`: fetch and RPC methods, with
    // `this.ctx.waitUntil` to hand work on.
    { id: 'worker-entrypoint-method', label: 'WorkerEntrypoint method', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'workers',
      // A Worker serves every request its routes or workers.dev domain send it; a module of Durable Objects, Workflows
      // or RPC entrypoints only what their bindings call.
      route(_rel, shapes) {
        if (shapes.length && shapes.every((s) => s === 'durable-object-handler')) return '(Durable Object: requests to its stubs)';
        if (shapes.length && shapes.every((s) => s === 'workflow-run')) return '(Workflow: each run)';
        if (shapes.length && shapes.every((s) => s === 'worker-entrypoint-method')) return '(RPC from bound Workers)';
        return '/*';
      },
      platformFromShape: {
        value: 'cloudflare-workers',
        reason: 'no platform configuration was found, but the file exports a Workers-style `{ fetch }` default',
      },
    },
  ],
  scanFile(env) {
    // A Worker-shaped module of the tests (an e2e harness wrapping the real Worker with a mock env) is not deployed:
    // wrangler deploys its `main`.
    const testCode = !env.isWorkerMain && TEST_CODE.test(env.relPath);
    if ((env.platform === 'cloudflare-workers' || env.platform === 'unknown') && env.entry === 'none' && !testCode) {
      if (env.objectMethods(env.exports.get('default'), WORKER_METHODS, 'workers-handler', '')) env.setEntry('workers');
      // `export default app` (Hono on Workers) as the wrangler main: its route callbacks are the handlers.
      else if (env.isWorkerMain && env.exports.has('default')) env.setEntry('workers');
    }
    // Durable Objects, Workflows and WorkerEntrypoint classes: any file of a Workers project, or one importing
    // cloudflare:workers (a class extending its base is Workers code wherever it sits).
    const bases = runtimeBases(env.sf);
    const runtimeImport = bases.size > 0;
    if (env.platform === 'cloudflare-workers' || env.entry === 'workers' || runtimeImport) {
      for (const st of env.sf.statements) {
        const kind = classKind(st, env.sf, bases);
        // A class is Workers code by its imported base anywhere, by its name or shape only in a Workers project.
        if (!kind) continue;
        const cls = st as ts.ClassDeclaration;
        const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (!(base && ts.isIdentifier(base) && bases.has(base.text)) && env.platform !== 'cloudflare-workers') continue;
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

/** Paths of test code: a test folder (`e2e/`, `test/`, `tests/`, `__tests__/`) or a `*.test.*` / `*.spec.*` file. */
const TEST_CODE = /(^|\/)(e2e|tests?|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

export default workers;
