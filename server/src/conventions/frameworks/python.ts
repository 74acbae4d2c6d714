// Python functions as the conventions registry knows them: Vercel's `api/**/*.py` and zero-config entrypoints (an ASGI
// or WSGI `app`, a `handler` class, a Django project's WSGI/ASGI `application`), Lambda handlers named in serverless.yml
// or a SAM template, and the handlers inside them (FastAPI/Starlette routes, Flask views, Django views, Lambda handler
// functions, Mangum-wrapped apps). The TypeScript scanner never sees a .py file; `server/src/python/context.ts` calls
// `scanPython` with the file's Python facts.
// https://vercel.com/docs/functions/runtimes/python and https://vercel.com/docs/frameworks/backend/fastapi (checked 2026-12-07).
// Vercel's zero-config search, read in vercel/vercel at 17d9eba (2026-08-03; checked 2026-12-07):
// packages/python/src/entrypoint.ts tries the names app, index, server, main, wsgi, asgi (.py) in the folders '', src/,
// app/, api/, in that order, and serves the first file with a top-level `app` or `application` (assigned, defined or
// imported) or a class `handler` (packages/python-analysis entrypoint.rs); `[tool.vercel] entrypoint` in pyproject.toml
// comes first and `[project.scripts] app` last. A Django project (packages/frameworks: `manage.py` setting
// DJANGO_SETTINGS_MODULE, in the root or a folder one level down) is served from its settings' ASGI_APPLICATION, else
// WSGI_APPLICATION (packages/python/src/index.ts, the django hook; https://vercel.com/docs/frameworks/full-stack/django,
// updated 2026-07-24), and Django loads ROOT_URLCONF, INSTALLED_APPS and MIDDLEWARE from those settings' strings.
// The runtime imports the module, so code under `if __name__ == "__main__":` (a local `uvicorn.run`) never runs there.
import type { Node } from '@vscode/tree-sitter-wasm';
import type { FrameworkModule } from '../types';
import type { ShapeId } from '../../../../shared/src/types';
import { decoratorsOf, HTTP_VERBS, routeRequestParams, type PyFacts, type PyHandler, type PyWebFramework } from '../../python/facts';

const python: FrameworkModule = {
  id: 'python',
  label: 'Python functions (FastAPI, Flask, Starlette, Sanic, Bottle, Litestar, Falcon, Django, Lambda)',
  detect: {
    configFiles: ['vercel.json', 'serverless.yml', 'template.yaml', 'manage.py'],
    paths: ['api/**/*.py', '{,src/,app/,api/}{app,index,server,main,wsgi,asgi}.py'],
  },
  shapes: [
    { id: 'fastapi-route', label: 'FastAPI route', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'flask-view', label: 'Flask view', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'starlette-route', label: 'Starlette route', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'sanic-route', label: 'Sanic route', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'bottle-route', label: 'Bottle route', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'litestar-route', label: 'Litestar route', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'falcon-responder', label: 'Falcon responder', request: { params: 1 }, responds: { via: 'return' } },
    // Invoked per message, not per HTTP request: the message is the request data.
    { id: 'vercel-queue-subscriber', label: 'Vercel Queues subscriber', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'celery-task', label: 'Celery task', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'python-lambda-handler', label: 'Lambda handler (Python)', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'python-http-handler', label: 'BaseHTTPRequestHandler method', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'python-app', label: 'ASGI/WSGI app', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'django-view', label: 'Django view', request: { params: 1 }, responds: { via: 'return' } },
    // One instance per process, shared by every request: its methods run per request.
    { id: 'django-middleware', label: 'Django middleware', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'python-vercel-api',
      route(rel) {
        const m = /^api\/(.*)$/.exec(rel);
        return m ? ('/api/' + m[1]).replace(/\/index$/, '').replace(/\/$/, '') : undefined;
      },
    },
    { id: 'python-vercel-app', route: () => '/*' },
    // A Django project's WSGI/ASGI module: one function serves every URL its URLconf routes.
    { id: 'python-vercel-django', route: () => '/*' },
    // The function's name from the configuration is the report's route (report/index.ts adds it).
    { id: 'python-lambda', route: () => 'Lambda' },
    // A module pyproject's `[[tool.vercel.subscribers]]` names: invoked per Vercel Queues message, not routed.
    { id: 'python-vercel-subscriber', route: () => 'queue' },
  ],
};

export default python;

/** The folders and file names Vercel tries for a Python entrypoint, in its order (the header's entrypoint.ts). */
export const VERCEL_ENTRY_DIRS = ['', 'src/', 'app/', 'api/'] as const;
export const VERCEL_ENTRY_NAMES = ['app', 'index', 'server', 'main', 'wsgi', 'asgi'] as const;
/** Every candidate, relative to the project root, in the order Vercel tries them: the first that defines an app wins. */
export const VERCEL_ENTRY_CANDIDATES: readonly string[] = VERCEL_ENTRY_DIRS.flatMap((d) => VERCEL_ENTRY_NAMES.map((n) => `${d}${n}.py`));
/** Vercel's zero-config Python entrypoint names, relative to the project root. */
export const PYTHON_ZERO_CONFIG = /^((src|app|api)\/)?(app|index|server|main|wsgi|asgi)\.py$/;
/** The top-level names Vercel serves: an `app` or `application` object, or a class `handler` (any case). */
const VERCEL_APP_NAMES = new Set(['app', 'application']);

/**
 * The name Vercel would serve from a module, as its entrypoint search decides (the header's entrypoint.rs): the first
 * top-level statement that assigns, defines or imports `app`/`application`, or defines a class `handler`.
 */
export function vercelAppName(facts: PyFacts): string | undefined {
  for (const st of facts.root.namedChildren) {
    const node = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (!node) continue;
    if (node.type === 'expression_statement') {
      const a = node.firstNamedChild;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      if (left?.type === 'identifier' && VERCEL_APP_NAMES.has(left.text)) return left.text;
      // Vercel's check reads plain names, but its own FastHTML template binds `app, rt = fast_app()` and deploys.
      if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern')
        for (const id of left.namedChildren) if (id?.type === 'identifier' && VERCEL_APP_NAMES.has(id.text)) return id.text;
    } else if (node.type === 'function_definition') {
      const name = node.childForFieldName('name')?.text ?? '';
      if (VERCEL_APP_NAMES.has(name)) return name;
    } else if (node.type === 'class_definition') {
      const name = node.childForFieldName('name')?.text ?? '';
      if (name.toLowerCase() === 'handler') return name;
    } else if (node.type === 'import_from_statement') {
      for (const child of node.childrenForFieldName('name')) {
        const name = child?.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child?.text;
        if (name && VERCEL_APP_NAMES.has(name)) return name;
      }
    }
  }
  return undefined;
}

/** Django's application factories: `application = get_wsgi_application()` is the object a Django entrypoint serves. */
const DJANGO_APPLICATIONS = new Set(['django.core.wsgi.get_wsgi_application', 'django.core.asgi.get_asgi_application']);

/**
 * Whether a module builds a web application Vercel can serve, beyond a bare name: an app of a framework the facts
 * know (`FastAPI()`, `Flask(__name__)`, `Starlette(…)`, FastHTML), Django's `get_wsgi_application()`, or a
 * `handler(BaseHTTPRequestHandler)` class. With no platform configuration, only such a module counts as Vercel's.
 */
export function definesWebApp(facts: PyFacts): boolean {
  if (facts.apps.size > 0) return true;
  for (const { value } of facts.moduleNames.values()) if (value?.type === 'call' && DJANGO_APPLICATIONS.has(facts.callee(value) ?? '')) return true;
  return facts
    .ofType(facts.root, 'class_definition')
    .some(
      (c) =>
        facts.isModuleLevel(c) &&
        c.childForFieldName('name')?.text === 'handler' &&
        /BaseHTTPRequestHandler/.test(c.childForFieldName('superclasses')?.text ?? ''),
    );
}

/** The Django conventions, as data: what settings say, which URLconf calls route, and which view methods serve requests. */
export const DJANGO = {
  /** `manage.py` names the settings module through this variable. */
  settingsVariable: 'DJANGO_SETTINGS_MODULE',
  /** The settings that name the served module, in the order Vercel reads them. */
  applicationSettings: ['ASGI_APPLICATION', 'WSGI_APPLICATION'],
  /** The settings whose dotted strings name modules Django imports at startup (Vercel's import seeds). */
  moduleSettings: ['ROOT_URLCONF', 'INSTALLED_APPS', 'MIDDLEWARE'],
  urlconfSetting: 'ROOT_URLCONF',
  middlewareSetting: 'MIDDLEWARE',
  /** The methods of a middleware class that run per request, each with the request as a parameter. */
  middlewareMethods: new Set([
    '__call__',
    '__acall__',
    'process_request',
    'process_view',
    'process_exception',
    'process_response',
    'process_template_response',
  ]),
  /** URL pattern functions: `path(route, view)`; an `include("app.urls")` view nests another URLconf. */
  routeCalls: new Set(['django.urls.path', 'django.urls.re_path', 'django.conf.urls.url', 'django.conf.urls.re_path']),
  includeCalls: new Set(['django.urls.include', 'django.conf.urls.include']),
  /** Django REST framework routers: `router.register(prefix, ViewSet)`. */
  routerClasses: new Set(['rest_framework.routers.DefaultRouter', 'rest_framework.routers.SimpleRouter']),
  /** Methods of a class-based view whose second parameter is the request (HTTP verbs, DRF viewset actions). */
  requestMethods: new Set<string>([...HTTP_VERBS, 'dispatch', 'setup', 'list', 'create', 'retrieve', 'update', 'partial_update', 'destroy']),
} as const;

/** A view a Django URLconf routes to, found in the module that defines it. */
export interface DjangoView {
  /** The function or class name in its module. */
  name: string;
  kind: 'function' | 'class';
  /** The URL as the URLconfs spell it (prefixes of including URLconfs joined), for display. */
  route: string;
}

/**
 * The handlers of a module Django dispatches to: each routed function, and every method of a routed class-based view
 * (the view is instantiated per request, so all of its methods run per request). The request parameter is `request`
 * (of a function, or of a method that takes it), else a verb method's second parameter.
 */
export function djangoViewHandlers(facts: PyFacts, views: readonly DjangoView[]): PyHandler[] {
  const out: PyHandler[] = [];
  const seen = new Set<number>();
  const byName = new Map<string, Node>();
  for (const st of facts.root.namedChildren) {
    const node = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    const name = node?.childForFieldName('name')?.text;
    if (name && (node!.type === 'function_definition' || node!.type === 'class_definition')) byName.set(name, node!);
  }
  const add = (fn: Node, name: string, requestParam: string | undefined) => {
    if (seen.has(fn.id)) return;
    seen.add(fn.id);
    out.push({
      name,
      shape: 'django-view',
      fn,
      nameNode: fn.childForFieldName('name')!,
      params: facts.params(fn),
      requestParams: new Set(requestParam ? [requestParam] : []),
    });
  };
  for (const view of views) {
    const node = byName.get(view.name);
    if (view.kind === 'function' && node?.type === 'function_definition') {
      const params = facts.params(node);
      add(node, `${view.name} (${view.route})`, params.includes('request') ? 'request' : params[0]);
    } else if (node?.type === 'class_definition') {
      for (const st of node.childForFieldName('body')?.namedChildren ?? []) {
        const fn = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
        const method = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
        if (!fn || !method || method.startsWith('__')) continue;
        const params = facts.params(fn);
        const request = params.includes('request') ? 'request' : DJANGO.requestMethods.has(method) ? params[1] : undefined;
        add(fn, `${view.name}.${method} (${view.route})`, request);
      }
    }
  }
  // In the module's order, as the other handlers are.
  return out.sort((a, b) => a.fn.startIndex - b.fn.startIndex);
}

/** The per-request methods of a module's Django middleware classes (`MIDDLEWARE`), as handlers with the request. */
export function djangoMiddlewareHandlers(facts: PyFacts, classes: readonly string[]): PyHandler[] {
  const out: PyHandler[] = [];
  for (const st of facts.root.namedChildren) {
    const cls = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
    const name = cls?.type === 'class_definition' ? cls.childForFieldName('name')?.text : undefined;
    if (!cls || !name || !classes.includes(name)) continue;
    for (const m of cls.childForFieldName('body')?.namedChildren ?? []) {
      const fn = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      const nameNode = fn?.type === 'function_definition' ? fn.childForFieldName('name') : undefined;
      if (!fn || !nameNode || !DJANGO.middlewareMethods.has(nameNode.text)) continue;
      const params = facts.params(fn);
      out.push({
        name: `${name}.${nameNode.text}`,
        shape: 'django-middleware',
        fn,
        nameNode,
        params,
        requestParams: new Set(params.includes('request') ? ['request'] : params.slice(1, 2)),
      });
    }
  }
  return out;
}

/** Vercel ignores files and folders under api/ whose name starts with `_` or `.` (helpers, not functions). */
export function isVercelPythonApiPath(rel: string): boolean {
  return /^api\/.+\.py$/.test(rel) && !rel.split('/').some((part) => part.startsWith('_') || part.startsWith('.'));
}

const SHAPE_OF: Record<PyWebFramework, ShapeId> = {
  fastapi: 'fastapi-route',
  flask: 'flask-view',
  starlette: 'starlette-route',
  sanic: 'sanic-route',
  bottle: 'bottle-route',
  litestar: 'litestar-route',
  falcon: 'falcon-responder',
};

/** Litestar's route decorators, by qualified name (`from litestar import get`, `litestar.handlers.post`). */
const LITESTAR_ROUTE = /^litestar(\.handlers(\.http_handlers)?)?\.(get|post|put|patch|delete|head|route|websocket)$/;
/** Falcon's responder methods: `on_<verb>`, with an optional suffix (`on_get_collection`). */
const FALCON_RESPONDER = new RegExp(`^on_(${HTTP_VERBS.join('|')}|websocket)(_\\w+)?$`);

/** The Litestar route decorator of a decorated function, as written (`get("/")`), or undefined. */
function litestarRoute(facts: PyFacts, decorated: Node): string | undefined {
  for (const { expr, callee, label } of decoratorsOf(decorated)) {
    const q = callee.type === 'identifier' ? facts.imports.get(callee.text) : callee.type === 'attribute' ? facts.callee(expr) : undefined;
    if (q && LITESTAR_ROUTE.test(q)) return label;
  }
  return undefined;
}

/** The decorators that make a function a message handler, by qualified name. */
const SUBSCRIBE_DECORATORS = new Set(['vercel.queue.subscribe']);
const CELERY_TASK_DECORATORS = new Set(['celery.shared_task']);

/**
 * A decorator of `decorated` that registers a queue message handler: `@subscribe(...)` of `vercel.queue`, Celery's
 * `@shared_task`, or `@app.task` on an app built with `Celery(...)` here or imported from a module of the project.
 */
function messageDecorator(facts: PyFacts, decorated: Node): { text: string; shape: ShapeId } | undefined {
  for (const { callee, label: text } of decoratorsOf(decorated)) {
    if (callee.type === 'identifier') {
      const q = facts.imports.get(callee.text);
      if (q && SUBSCRIBE_DECORATORS.has(q)) return { text, shape: 'vercel-queue-subscriber' };
      if (q && CELERY_TASK_DECORATORS.has(q)) return { text, shape: 'celery-task' };
    } else if (callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'task') {
      const app = callee.childForFieldName('object');
      if (app?.type !== 'identifier') continue;
      const value = facts.moduleNames.get(app.text)?.value;
      const built = value?.type === 'call' && facts.callee(value) === 'celery.Celery';
      const imported = !!facts.imports.get(app.text)?.includes('.') && !facts.imports.get(app.text)!.startsWith('celery');
      if (built || imported) return { text, shape: 'celery-task' };
    }
  }
  return undefined;
}

/** What the scan found in one Python file. */
export interface PythonScan {
  handlers: PyHandler[];
  /** A module-level ASGI/WSGI application object (`app = FastAPI()`, `app = Flask(__name__)`, `application = get_wsgi_application()`), by name. */
  app?: string;
  /** A `class handler(BaseHTTPRequestHandler)`. */
  handlerClass: boolean;
  /** `uvicorn.run(…)`, `app.run(…)` or another server start at module level under `if __name__ == "__main__":`. */
  mainGuardServer: boolean;
  /** A Mangum (or other ASGI-to-Lambda adapter) object at module level, by name. */
  lambdaAdapter?: string;
}

const ADAPTERS = new Set([
  'mangum.Mangum',
  'apig_wsgi.make_lambda_handler',
  'serverless_wsgi.handle_request',
  'aws_lambda_powertools.event_handler.APIGatewayRestResolver',
]);

/**
 * Finds the handlers of a Python file: route decorators on app or router objects, Starlette `Route(…)` endpoints and
 * `add_url_rule`/`add_api_route` views, the methods of a `handler(BaseHTTPRequestHandler)` class, and the Lambda
 * handler functions named in `lambdaNames` (configured) or, when `plainLambda`, a `handler`/`lambda_handler(event, context)`.
 */
export function scanPython(facts: PyFacts, opts: { lambdaNames: readonly string[]; plainLambda: boolean }): PythonScan {
  const handlers: PyHandler[] = [];
  const seen = new Set<number>();
  const add = (h: PyHandler) => {
    if (seen.has(h.fn.id)) return;
    seen.add(h.fn.id);
    handlers.push(h);
  };
  const moduleFns = new Map<string, Node>();
  for (const fn of facts.functions) {
    // Module level: a child of the module, or of a decorated definition that is one (class methods are not).
    const name = fn.childForFieldName('name');
    const holder = fn.parent?.type === 'decorated_definition' ? fn.parent.parent : fn.parent;
    if (name && holder?.type === 'module') moduleFns.set(name.text, fn);
  }
  // FastHTML's `app, rt = fast_app()`: the names bound beside the app are route decorators (`@rt("/")`, `@rt`).
  const routeFunctions = new Set<string>();
  for (const [name, framework] of facts.apps) {
    const left = framework === 'starlette' ? facts.moduleNames.get(name)?.assignment.childForFieldName('left') : undefined;
    if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern')
      for (const id of left.namedChildren) if (id?.type === 'identifier' && id.text !== name) routeFunctions.add(id.text);
  }
  // Decorated handlers, in the module's order: routes of an app or router (`@app.get("/")`, `@router.post(...)`,
  // `@bp.route(...)`, FastHTML's `@rt("/")`), Litestar's imported `@get("/")` (on a function or a Controller's method),
  // and message handlers (Vercel Queues' `@subscribe(topic=...)`, Celery's `@app.task` / `@shared_task`). Message
  // handlers count only where the module runs as a function (a subscriber or a module it imports); elsewhere a Celery
  // worker is a long-running process and the file's role stays `other`.
  const litestar = [...facts.imports.values()].some((q) => q.startsWith('litestar'));
  for (const decorated of facts.ofType(facts.root, 'decorated_definition')) {
    const fn = decorated.childForFieldName('definition');
    if (fn?.type !== 'function_definition') continue;
    const routes: Array<{ text: string; framework: PyWebFramework }> = facts.routeDecorators(decorated);
    if (routeFunctions.size) {
      for (const { callee, label } of decoratorsOf(decorated))
        if (callee.type === 'identifier' && routeFunctions.has(callee.text)) routes.push({ text: label, framework: 'starlette' });
    }
    const litestarText = !routes.length && litestar ? litestarRoute(facts, decorated) : undefined;
    const found = routes.length
      ? { text: routes[0].text, shape: SHAPE_OF[routes[0].framework] }
      : litestarText
        ? { text: litestarText, shape: 'litestar-route' as const }
        : messageDecorator(facts, decorated);
    if (!found) continue;
    const nameNode = fn.childForFieldName('name')!;
    const message = found.shape === 'vercel-queue-subscriber' || found.shape === 'celery-task';
    add({
      name: `${nameNode.text} (${found.text})`,
      shape: found.shape,
      fn,
      nameNode,
      params: facts.params(fn),
      // A message handler's parameters are the message; a route's, what the request carries (less injected ones).
      requestParams: message ? new Set(facts.params(fn)) : routeRequestParams(facts.paramInfo(fn)),
    });
  }
  // Falcon's responders: `on_get(self, req, resp)` (and `on_get_<suffix>`) of a resource class, in a module that imports falcon.
  if ([...facts.imports.values()].some((q) => q.startsWith('falcon'))) {
    for (const cls of facts.ofType(facts.root, 'class_definition')) {
      const className = cls.childForFieldName('name')?.text ?? '';
      for (const st of cls.childForFieldName('body')?.namedChildren ?? []) {
        const fn = st?.type === 'decorated_definition' ? st.childForFieldName('definition') : st;
        const nameNode = fn?.type === 'function_definition' ? fn.childForFieldName('name') : undefined;
        if (!fn || !nameNode || !FALCON_RESPONDER.test(nameNode.text)) continue;
        const params = facts.params(fn);
        add({ name: `${className}.${nameNode.text}`, shape: 'falcon-responder', fn, nameNode, params, requestParams: new Set(params.slice(1)) });
      }
    }
  }
  // Registration calls: Starlette `Route("/", endpoint)`, Flask `add_url_rule(…, view_func=f)`, FastAPI `add_api_route("/", f)`.
  for (const call of facts.calls) {
    // Most calls are none of these: the callee's name as written decides before the tree is read.
    if (!/(^|\.)(Route|WebSocketRoute|add_url_rule|add_api_route)$/.test(facts.calleeName(call) ?? '')) continue;
    const callee = call.childForFieldName('function');
    const q = facts.callee(call) ?? '';
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    let target: Node | null | undefined;
    let shape: ShapeId | undefined;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    const keyword = (name: string) =>
      args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value');
    if (/^starlette\.routing\.(Route|WebSocketRoute)$/.test(q)) {
      target = keyword('endpoint') ?? args.filter((a) => a?.type !== 'keyword_argument')[1];
      shape = 'starlette-route';
    } else if (method === 'add_url_rule' && facts.apps.get(callee!.childForFieldName('object')?.text ?? '') === 'flask') {
      target = keyword('view_func') ?? args.filter((a) => a?.type !== 'keyword_argument')[2];
      shape = 'flask-view';
    } else if (method === 'add_api_route' && facts.apps.get(callee!.childForFieldName('object')?.text ?? '') === 'fastapi') {
      target = keyword('endpoint') ?? args.filter((a) => a?.type !== 'keyword_argument')[1];
      shape = 'fastapi-route';
    }
    const fn = target?.type === 'identifier' ? moduleFns.get(target.text) : undefined;
    if (fn && shape) {
      const nameNode = fn.childForFieldName('name')!;
      add({
        name: `${nameNode.text} (${call.text.length > 60 ? `${callee?.text}(…)` : call.text})`,
        shape,
        fn,
        nameNode,
        params: facts.params(fn),
        requestParams: shape === 'starlette-route' ? new Set(facts.params(fn).slice(0, 1)) : routeRequestParams(facts.paramInfo(fn)),
      });
    }
  }
  // Vercel's `class handler(BaseHTTPRequestHandler)`: each do_* method serves a request; `self` carries it.
  let handlerClass = false;
  for (const cls of facts.ofType(facts.root, 'class_definition')) {
    if (!facts.isModuleLevel(cls) || cls.childForFieldName('name')?.text !== 'handler') continue;
    const supers = cls.childForFieldName('superclasses')?.text ?? '';
    if (!/BaseHTTPRequestHandler/.test(supers)) continue;
    handlerClass = true;
    for (const fn of facts.ofType(cls, 'function_definition')) {
      const nameNode = fn.childForFieldName('name');
      if (!nameNode || !/^do_[A-Z]+$/.test(nameNode.text) || fn.parent?.parent?.id !== cls.id) continue;
      add({ name: `handler.${nameNode.text}`, shape: 'python-http-handler', fn, nameNode, params: facts.params(fn), requestParams: new Set(['self']) });
    }
  }
  // Lambda handlers: the configured names, or the conventional `handler` / `lambda_handler(event, context)`.
  let lambdaAdapter: string | undefined;
  const lambdaName = (name: string) => {
    const fn = moduleFns.get(name);
    if (fn) {
      const params = facts.params(fn);
      add({ name, shape: 'python-lambda-handler', fn, nameNode: fn.childForFieldName('name')!, params, requestParams: new Set(params.slice(0, 1)) });
      return true;
    }
    const assigned = facts.moduleNames.get(name)?.value;
    if (assigned?.type === 'call' && ADAPTERS.has(facts.callee(assigned) ?? '')) {
      lambdaAdapter = name;
      return true;
    }
    return false;
  };
  for (const name of opts.lambdaNames) lambdaName(name);
  if (opts.plainLambda && !opts.lambdaNames.length) {
    for (const name of ['handler', 'lambda_handler']) {
      const fn = moduleFns.get(name);
      if (fn && facts.params(fn).length >= 2) lambdaName(name);
      else if (!fn) lambdaName(name);
    }
  }
  // The ASGI/WSGI application object Vercel serves.
  let app: string | undefined;
  for (const name of ['app', 'application', 'handler']) {
    const value = facts.moduleNames.get(name)?.value;
    if (value && (facts.apps.has(name) || value.type === 'call' || value.type === 'identifier')) {
      app = name;
      break;
    }
  }
  if (!app && [...facts.imports.keys()].includes('app') && /\.app$/.test(facts.imports.get('app')!)) app = 'app';
  let mainGuardServer = false;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? facts.calleeName(call) ?? '';
    if ((/^(uvicorn|hypercorn|waitress|gunicorn)\b.*\.(run|serve)$/.test(q) || /^\w+\.run$/.test(q)) && facts.isModuleLevel(call) && facts.underMainGuard(call))
      mainGuardServer = true;
  }
  return { handlers, app, handlerClass, mainGuardServer, lambdaAdapter };
}
