// Decides a Python file's context (platform, runtime, role, plan, handlers), each with its reason, from the file's
// Python facts and the project configuration: the same FileContext the TypeScript files get, so every front end
// (`--explain`, hovers, the status bar, the report) shows it unchanged.
import picomatch from 'picomatch';
import type { Decision, FileContext, HandlerInfo, Platform, Role } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import { relativeTo } from '../analysis/host';
import type { ConfiguredHandler, ProjectInfo } from '../analysis/project';
import { decidePlan, decidePlatform, type ContextInput } from '../analysis/context';
import { shapeOf } from '../conventions';
import {
  definesWebApp,
  djangoMiddlewareHandlers,
  djangoViewHandlers,
  isVercelPythonApiPath,
  PYTHON_ZERO_CONFIG,
  scanPython,
  vercelAppName,
  type PythonScan,
} from '../conventions/frameworks/python';
import type { VercelPythonEntry, VercelPythonSubscriber } from './entrypoint';
import type { PyFacts } from './facts';

export interface PythonContextInput {
  fileName: string;
  facts: PyFacts;
  project: ProjectInfo;
  settings: Settings;
  workspaceRoot?: string;
  /** The project's vercel.json (or vercel.toml / vercel.ts) as data, when it has one. */
  vercelConfig?: VercelPythonConfig;
  /** The function entry whose imports reach this module (asked only when the file is no entry itself). */
  /**
   * The function entry whose imports reach this module (asked only when the file is no entry itself): the first by
   * name, or with `subscribers` first a queue subscriber that reaches it (for a module of message handlers).
   */
  reachableFrom?: (prefer?: 'subscribers') => { file: string; platform: Platform } | undefined;
  /** The module Vercel serves for the Python project at a root with zero configuration (`python/entrypoint.ts`). */
  vercelEntry?: (root: string) => VercelPythonEntry | undefined;
  /** The modules of the Python project at a root that Vercel invokes with Vercel Queues messages (`python/entrypoint.ts`). */
  vercelSubscribers?: (root: string) => readonly VercelPythonSubscriber[];
}

/** What the Python conventions read of a Vercel configuration: `functions` globs and the Services layout. */
export interface VercelPythonConfig {
  functions?: Record<string, { maxDuration?: unknown; runtime?: unknown }>;
  /** `services.<name>`: a `root` folder, and an `entrypoint` such as `main:app` (module:object) for Python. */
  services?: Record<string, { root?: unknown; entrypoint?: unknown; framework?: unknown }>;
  /** `experimentalServices.<name>`: an `entrypoint` file such as `gateway/app.py`. */
  experimentalServices?: Record<string, { entrypoint?: unknown; maxDuration?: unknown }>;
}

/** The service of the Services layout whose Python entrypoint is this file (`rel` to the project root), with the reason. */
function vercelServiceEntry(config: VercelPythonConfig | undefined, rel: string): string | undefined {
  for (const [name, s] of Object.entries(config?.services ?? {})) {
    if (!s || typeof s !== 'object' || typeof s.root !== 'string') continue;
    const root = s.root.replace(/^\.?\//, '').replace(/\/?$/, '/');
    if (!rel.startsWith(root)) continue;
    const inside = rel.slice(root.length);
    const entry = typeof s.entrypoint === 'string' ? s.entrypoint.split(':')[0].replace(/\./g, '/') + '.py' : undefined;
    if (entry ? inside === entry : PYTHON_ZERO_CONFIG.test(inside))
      return `vercel.json's service '${name}' (root ${s.root}${entry ? `, entrypoint ${s.entrypoint}` : ''}) serves this module`;
  }
  for (const [name, s] of Object.entries(config?.experimentalServices ?? {})) {
    if (s && typeof s === 'object' && typeof s.entrypoint === 'string' && s.entrypoint.replace(/^\.?\//, '') === rel)
      return `vercel.json's service '${name}' has this file as its entrypoint`;
  }
  return undefined;
}

/** The configured Lambda handlers whose module is this file: `app.handler` → app.py, `src.handlers.users.handler` → src/handlers/users.py. */
export function configuredPythonHandlers(fileName: string, handlers: readonly ConfiguredHandler[]): ConfiguredHandler[] {
  const noExt = fileName.replace(/\.py$/, '');
  return handlers.filter((h) => {
    if (h.runtime && !/^python/i.test(h.runtime)) return false;
    if (h.modulePath === noExt) return true;
    // Python names modules with dots: only the part after the configuration's folder is a dotted module path.
    const slash = h.modulePath.lastIndexOf('/');
    return h.modulePath.slice(0, slash + 1) + h.modulePath.slice(slash + 1).replace(/\./g, '/') === noExt;
  });
}

function toHandlerInfo(h: PythonScan['handlers'][number]): HandlerInfo {
  return {
    name: h.name,
    shape: h.shape,
    kind: shapeOf(h.shape).label,
    span: { start: h.fn.startIndex, end: h.fn.endIndex },
    nameSpan: { start: h.nameNode.startIndex, end: h.nameNode.endIndex },
    params: h.params,
  };
}

/** Computes the context of a Python file and records its handlers in `facts` (what the Python rules read). */
export function computePythonContext(input: PythonContextInput): FileContext {
  const { fileName, facts, project, settings } = input;
  const asContext = { fileName, project, settings, workspaceRoot: input.workspaceRoot } as ContextInput;
  const provisional = decidePlatform(asContext, relativeTo(input.workspaceRoot ?? '/', fileName) ?? fileName);
  const root = provisional.root ?? project.pythonRoot ?? input.workspaceRoot;
  const rel = (root && relativeTo(root, fileName)) ?? fileName.replace(/^\//, '');
  const configured = configuredPythonHandlers(fileName, project.configuredHandlers);
  let platform: Decision<Platform> = { value: provisional.value, reason: provisional.reason, source: provisional.source };
  const scan = scanPython(facts, {
    lambdaNames: configured.map((h) => h.exportName),
    plainLambda: platform.value === 'aws-lambda' || (platform.value === 'unknown' && project.configuredHandlers.length > 0),
  });
  facts.handlers = scan.handlers;

  let role: Decision<Role> = {
    value: 'other',
    reason: 'the file is not a Python function entry: no api/ file, zero-config entrypoint or configured Lambda handler',
  };
  let framework: FileContext['framework'] = { value: 'none', reason: 'no Python handler convention matched' };
  const module = 'the Python module (server/src/conventions/frameworks/python.ts)';
  const names = () => scan.handlers.map((h) => h.name).join(', ') || (scan.app ? `the \`${scan.app}\` object` : 'none found');
  const vercelService = vercelServiceEntry(input.vercelConfig, rel);
  const subscriber = root ? input.vercelSubscribers?.(root).find((s) => s.file === fileName) : undefined;
  // Vercel serves one module per Python project (its zero-config search); without the search (no host), a module
  // with an entrypoint name that defines an app stands for itself.
  // A project Vercel builds as Next.js (next.config found, no vercel.json) runs its Python only as api/ functions.
  const nextProject = /(^|\/)next\.config\.[^/]+$/.test(provisional.source ?? '');
  const zeroConfig = root && input.vercelEntry && !nextProject ? input.vercelEntry(root) : undefined;
  const served = input.vercelEntry || nextProject ? zeroConfig?.file : PYTHON_ZERO_CONFIG.test(rel) && vercelAppName(facts) ? fileName : undefined;
  // With no platform configuration, only a Python project (requirements.txt, pyproject.toml, Pipfile; Vercel's
  // detection) whose module builds a web app counts, or a Django project (manage.py is Vercel's Django detection).
  const zeroConfigApp = !!zeroConfig?.django || (!!project.pythonRoot && (input.vercelEntry ? !!zeroConfig?.webApp : definesWebApp(facts)));
  const vercelGlob = Object.keys(input.vercelConfig?.functions ?? {}).find(
    (g) => /\.py$|\*$|\}$/.test(g) && picomatch.isMatch(rel, g.replace(/^\.?\//, ''), { dot: true }),
  );

  if (configured.length) {
    const h = configured[0];
    if (platform.value === 'unknown') platform = { value: 'aws-lambda', reason: `${h.source} names this module's \`${h.exportName}\` as a Lambda handler` };
    role = {
      value: 'function-entry',
      reason: `${relativeTo(root ?? '/', h.source) ?? h.source} names \`${h.exportName}\` in this module as the handler of ${h.functionName}${h.runtime ? ` (runtime ${h.runtime})` : ''}; handlers: ${names()}`,
    };
    framework = { value: 'python-lambda', reason: `matched the python-lambda convention of ${module}: a Lambda handler named in ${h.source}` };
  } else if (subscriber && (platform.value === 'vercel' || platform.value === 'unknown')) {
    if (platform.value === 'unknown') platform = { value: 'vercel', reason: `${subscriber.how}: Vercel Queues subscribers run as Vercel Functions` };
    role = { value: 'function-entry', reason: `${subscriber.how}: Vercel invokes it with each queue message; handlers: ${names()}` };
    framework = { value: 'python-vercel-subscriber', reason: `matched the python-vercel-subscriber convention of ${module}` };
  } else if (platform.value === 'long-running') {
    role =
      scan.app || scan.handlers.length
        ? { value: 'long-running-server', reason: `${platform.reason}: the app runs as a long-running server` }
        : { value: 'other', reason: 'the project runs as a long-running server, so no function rules apply' };
  } else if (platform.value === 'vercel' && vercelService) {
    role = { value: 'function-entry', reason: `${vercelService}; handlers: ${names()}` };
    framework = { value: 'python-vercel-app', reason: `matched the python-vercel-app convention of ${module} (the Services layout)` };
  } else if ((platform.value === 'vercel' || platform.value === 'unknown') && (isVercelPythonApiPath(rel) || vercelGlob)) {
    // Vercel serves a module-level `app` (ASGI/WSGI) or a `handler` class; an api/ module with neither is a helper.
    if (scan.app || scan.handlerClass || vercelGlob) {
      if (platform.value === 'unknown')
        platform = {
          value: 'vercel',
          reason: 'no platform configuration was found, but a .py file under api/ with an `app` or `handler` is a Vercel Function',
        };
      role = {
        value: 'function-entry',
        reason: `${vercelGlob ? `vercel.json configures functions matching '${vercelGlob}'` : 'a .py file under api/ is a Vercel Function'}; handlers: ${names()}`,
      };
      framework = { value: 'python-vercel-api', reason: `matched the python-vercel-api convention of ${module}` };
    } else if (platform.value === 'vercel') {
      role = { value: 'function-module', reason: 'a .py file under api/ without `app` or `handler` is bundled with the functions that import it' };
    }
  } else if ((platform.value === 'vercel' || platform.value === 'unknown') && served === fileName && (platform.value === 'vercel' || zeroConfigApp)) {
    // The module Vercel's zero-config search serves. Code under `if __name__ == "__main__":` (a local `uvicorn.run`)
    // never runs there: the runtime imports the module and serves its app.
    const local = scan.mainGuardServer ? '; its server start under `if __name__ == "__main__":` runs only locally' : '';
    const django = zeroConfig?.django;
    if (platform.value === 'unknown')
      platform = {
        value: 'vercel',
        reason: `no platform configuration was found, but Vercel deploys this file with zero configuration (${django ? "the application a Django project's settings name" : 'the first of its Python entrypoint names that defines an app, in a Python project'})`,
      };
    if (django) {
      const views = [...django.views].flatMap(([file, list]) => list.map((v) => `${v.name} ${v.route} (${relativeTo(root ?? '/', file) ?? file})`));
      role = {
        value: 'function-entry',
        reason: `${zeroConfig!.how}: one function serves \`${zeroConfig!.variable}\`, and the views its URLconfs route to are handlers in their modules: ${views.slice(0, 8).join(', ') || 'none found'}${views.length > 8 ? ` and ${views.length - 8} more` : ''}`,
      };
      framework = { value: 'python-vercel-django', reason: `matched the python-vercel-django convention of ${module}` };
    } else {
      role = {
        value: 'function-entry',
        reason: `${zeroConfig?.how ?? `${rel} is a zero-config Python entrypoint`}: one function serves its \`${zeroConfig?.variable ?? scan.app ?? 'app'}\`; handlers: ${names()}${local}`,
      };
      framework = { value: 'python-vercel-app', reason: `matched the python-vercel-app convention of ${module}` };
    }
  } else if (platform.value === 'aws-lambda' && scan.handlers.some((h) => h.shape === 'python-lambda-handler')) {
    role = { value: 'function-entry', reason: `the module defines a Lambda handler: ${names()}` };
    framework = { value: 'python-lambda', reason: `matched the python-lambda convention of ${module}: a \`handler(event, context)\` in a Lambda project` };
  }
  if (
    role.value === 'other' &&
    platform.value !== 'long-running' &&
    zeroConfig &&
    zeroConfig.file !== fileName &&
    !isVercelPythonApiPath(rel) &&
    (PYTHON_ZERO_CONFIG.test(rel) || definesWebApp(facts))
  )
    role = {
      value: 'other',
      reason: `Vercel serves one module of this project, ${relativeTo(root ?? '/', zeroConfig.file) ?? zeroConfig.file} (${zeroConfig.how}), not this one`,
    };
  // Celery tasks and queue handlers run in the subscriber that Vercel invokes per message, though a web entry that
  // enqueues them imports the module too.
  const messages = scan.handlers.some((h) => h.shape === 'celery-task' || h.shape === 'vercel-queue-subscriber');
  const reached = role.value === 'other' && platform.value !== 'long-running' ? input.reachableFrom?.(messages ? 'subscribers' : undefined) : undefined;
  if (reached) {
    // Imported by a function entry: its code runs in that function; the routes it registers are handlers.
    const routes = scan.handlers.filter((h) => h.shape !== 'python-lambda-handler');
    scan.handlers = routes;
    facts.handlers = routes;
    const entry = relativeTo(root ?? '/', reached.file) ?? reached.file;
    role = {
      value: 'function-module',
      reason: `the module is imported by the function entry ${entry}${routes.length ? `; the handlers it registers: ${names()}` : ''}`,
    };
    if (platform.value === 'unknown') platform = { value: reached.platform, reason: `the function entry ${entry} that imports it runs on ${reached.platform}` };
  }
  // The views a Django project's URLconfs route to, in a module of the function: each runs per request.
  const views = role.value === 'function-module' ? zeroConfig?.django?.views.get(fileName) : undefined;
  if (views?.length) {
    const handlers = [...scan.handlers, ...djangoViewHandlers(facts, views).filter((v) => !scan.handlers.some((h) => h.fn.id === v.fn.id))];
    scan.handlers = handlers;
    facts.handlers = handlers;
    role = { value: 'function-module', reason: `${role.reason}; Django's URLconfs route requests to its views, the handlers: ${names()}` };
  }
  // Its middleware classes (`MIDDLEWARE`): one instance for the process, whose methods every request passes through.
  const middleware = role.value === 'function-module' ? zeroConfig?.django?.middleware.get(fileName) : undefined;
  const passes = middleware?.length ? djangoMiddlewareHandlers(facts, middleware) : [];
  if (passes.length) {
    const handlers = [...scan.handlers, ...passes.filter((m) => !scan.handlers.some((h) => h.fn.id === m.fn.id))];
    scan.handlers = handlers;
    facts.handlers = handlers;
    role = { value: 'function-module', reason: `${role.reason}; settings.MIDDLEWARE runs every request through ${middleware!.join(', ')}` };
  }

  const runtimeName =
    configured.find((h) => h.runtime)?.runtime ??
    (typeof input.vercelConfig?.functions?.[vercelGlob ?? '']?.runtime === 'string'
      ? (input.vercelConfig!.functions![vercelGlob!].runtime as string)
      : undefined);
  const runtime: Decision<'python'> = {
    value: 'python',
    reason: runtimeName ? `the configuration names runtime ${runtimeName}` : "a .py file runs on the platform's Python runtime",
  };
  const plan = decidePlan(asContext, platform.value, 'python');
  const functionRole = role.value === 'function-entry' || role.value === 'function-module';
  return {
    fileName,
    platform,
    runtime,
    role,
    plan,
    framework,
    handlers: functionRole ? scan.handlers.map((h) => toHandlerInfo(h)) : [],
    nodejsCompat: false,
    waitUntilForm: 'none',
    projectRoot: root,
    ...(reached && role.value === 'function-module' ? { entry: reached.file } : {}),
  };
}
