// Python functions as the conventions registry knows them: Vercel's `api/**/*.py` and zero-config entrypoints (an ASGI
// or WSGI `app`, a `handler` class), Lambda handlers named in serverless.yml or a SAM template, and the handlers inside
// them (FastAPI/Starlette routes, Flask views, Lambda handler functions, Mangum-wrapped apps). The TypeScript scanner
// never sees a .py file; `server/src/python/context.ts` calls `scanPython` with the file's Python facts.
// https://vercel.com/docs/functions/runtimes/python and https://vercel.com/docs/frameworks/backend/fastapi (checked 2026-12-07).
import type { Node } from '@vscode/tree-sitter-wasm';
import type { FrameworkModule } from '../types';
import type { ShapeId } from '../../../../shared/src/types';
import { routeRequestParams, type PyFacts, type PyHandler } from '../../python/facts';

const python: FrameworkModule = {
  id: 'python',
  label: 'Python functions (FastAPI, Flask, Starlette, Lambda)',
  detect: {
    configFiles: ['vercel.json', 'serverless.yml', 'template.yaml'],
    paths: ['api/**/*.py', '{,src/,app/}{app,index,server,main}.py'],
  },
  shapes: [
    { id: 'fastapi-route', label: 'FastAPI route', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'flask-view', label: 'Flask view', request: { params: 0 }, responds: { via: 'return' } },
    { id: 'starlette-route', label: 'Starlette route', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'python-lambda-handler', label: 'Lambda handler (Python)', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'python-http-handler', label: 'BaseHTTPRequestHandler method', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'python-app', label: 'ASGI/WSGI app', request: { params: 0 }, responds: { via: 'return' } },
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
    // The function's name from the configuration is the report's route (report/index.ts adds it).
    { id: 'python-lambda', route: () => 'Lambda' },
  ],
};

export default python;

/** Vercel's zero-config Python entrypoints, relative to the project root (FastAPI and Flask docs; `main.py` as in vercel/examples). */
export const PYTHON_ZERO_CONFIG = /^((src|app)\/)?(app|index|server|main)\.py$/;

/** Vercel ignores files and folders under api/ whose name starts with `_` or `.` (helpers, not functions). */
export function isVercelPythonApiPath(rel: string): boolean {
  return /^api\/.+\.py$/.test(rel) && !rel.split('/').some((part) => part.startsWith('_') || part.startsWith('.'));
}

const SHAPE_OF: Record<'fastapi' | 'flask' | 'starlette', ShapeId> = { fastapi: 'fastapi-route', flask: 'flask-view', starlette: 'starlette-route' };

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
  // Decorated routes: `@app.get("/")`, `@router.post(…)`, `@bp.route(…)`.
  for (const decorated of facts.ofType(facts.root, 'decorated_definition')) {
    const fn = decorated.childForFieldName('definition');
    if (fn?.type !== 'function_definition') continue;
    const routes = facts.routeDecorators(decorated);
    if (!routes.length) continue;
    const nameNode = fn.childForFieldName('name')!;
    add({
      name: `${nameNode.text} (${routes[0].text})`,
      shape: SHAPE_OF[routes[0].framework],
      fn,
      nameNode,
      params: facts.params(fn),
      requestParams: routeRequestParams(facts.paramInfo(fn)),
    });
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
