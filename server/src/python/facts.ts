// The Python facts every Python rule shares, computed once per file from the tree-sitter tree: imports and their
// aliases, module-level names, enclosing functions, the `__main__` guard, handlers and the functions a request runs,
// and which values carry request data. No recursion: the tree is read through `descendantsOfType` (a loop inside
// tree-sitter) and parent links.
import type { Node, Tree } from '@vscode/tree-sitter-wasm';
import type { ShapeId } from '../../../shared/src/types';

/** A function the platform calls per request or event, found in the file. */
export interface PyHandler {
  /** `handler`, `get_user` or `@app.get("/users")` style description. */
  name: string;
  shape: ShapeId;
  /** The `function_definition` node (a class's method for a `BaseHTTPRequestHandler`). */
  fn: Node;
  nameNode: Node;
  /** Parameter names in order. */
  params: string[];
  /** Parameters that carry request data (the Lambda event, FastAPI path/query/body parameters, `self` of a handler class). */
  requestParams: Set<string>;
}

/** The Python web frameworks whose app objects register handlers with decorators (`@app.get("/")`). */
export type PyWebFramework = 'fastapi' | 'flask' | 'starlette' | 'sanic' | 'bottle' | 'litestar' | 'falcon';

/** Constructors of web application objects whose decorated functions are request handlers, by qualified name. */
// biome-ignore format: a packed list of constructors reads better than one constructor per line.
export const APP_CONSTRUCTORS: ReadonlyMap<string, PyWebFramework> = new Map([
  ['fastapi.FastAPI', 'fastapi'], ['fastapi.APIRouter', 'fastapi'], ['fastapi.routing.APIRouter', 'fastapi'],
  ['flask.Flask', 'flask'], ['flask.Blueprint', 'flask'], ['quart.Quart', 'flask'], ['quart.Blueprint', 'flask'],
  ['starlette.applications.Starlette', 'starlette'], ['starlette.routing.Router', 'starlette'],
  ['fasthtml.common.fast_app', 'starlette'], ['fasthtml.fast_app', 'starlette'], ['fasthtml.common.FastHTML', 'starlette'],
  // Sanic (ASGI): `@app.get("/")`, handlers take the request first. Bottle (WSGI): `@app.route("/")`, `bottle.request`.
  ['sanic.Sanic', 'sanic'], ['sanic.Blueprint', 'sanic'], ['sanic.app.Sanic', 'sanic'], ['sanic.blueprints.Blueprint', 'sanic'],
  ['bottle.Bottle', 'bottle'], ['bottle.default_app', 'bottle'],
  // Litestar (ASGI): module-level `@get("/")` handlers listed in `Litestar(route_handlers=[...])`. Falcon (WSGI or
  // ASGI): resource classes whose `on_get(self, req, resp)` responders `app.add_route` mounts.
  ['litestar.Litestar', 'litestar'], ['litestar.app.Litestar', 'litestar'],
  ['falcon.App', 'falcon'], ['falcon.API', 'falcon'], ['falcon.asgi.App', 'falcon'],
]);

/** The HTTP methods, as Python frameworks name their route decorators and class-based view methods. */
export const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'] as const;

/** Decorator methods that register a request handler on an app or router. */
const ROUTE_METHODS = new Set<string>([
  ...HTTP_VERBS,
  'route',
  'api_route',
  'websocket',
  'websocket_route',
  'middleware',
  'exception_handler',
  'errorhandler',
  'before_request',
  'after_request',
  'teardown_request',
  // Sanic: `@app.exception(NotFound)`, `@app.on_request`, `@app.on_response`.
  'exception',
  'on_request',
  'on_response',
]);

/** Names the request-scoped proxies of Flask-style frameworks are imported as. */
// biome-ignore format: a packed list of names reads better than one name per line.
const REQUEST_PROXIES = new Set([
  'flask.request', 'flask.g', 'flask.session', 'quart.request', 'quart.g', 'quart.session', 'bottle.request', 'bottle.response',
]);

/**
 * The node kinds the facts index once, in one traversal inside tree-sitter: `ofType` answers for them from the index
 * (plain numbers, no call into the WebAssembly module), and scope questions (which function holds a node, is it
 * under the `__main__` guard) compare offsets instead of walking parents.
 */
const INDEXED = new Set([
  'call',
  'function_definition',
  'lambda',
  'decorated_definition',
  'class_definition',
  'import_statement',
  'import_from_statement',
  'assignment',
  'augmented_assignment',
  'global_statement',
  'if_statement',
  'comment',
  'raise_statement',
]);

/** A callee written as a plain name or attribute chain, up to its opening parenthesis. */
const CALLEE_TEXT = /^([A-Za-z_]\w*(?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]*\(/;

/** Parameter annotations whose value is not request data (dependencies a framework injects). */
const INJECTED_TYPES = /^(BackgroundTasks|Session|AsyncSession|Depends|Response|HTTPConnection)\b/;

export class PyFacts {
  readonly root: Node;
  /** Local name -> qualified name: `import psycopg2 as pg` -> pg: psycopg2; `from redis import Redis` -> Redis: redis.Redis. */
  readonly imports = new Map<string, string>();
  /** Every call of the file, in text order. */
  readonly calls: Node[];
  readonly functions: Node[];
  /** Module-level assignments by target name (the last one wins), with the assigned value. */
  readonly moduleNames = new Map<string, { assignment: Node; value: Node | null }>();
  /** Web application objects created at module level: name -> framework. */
  readonly apps = new Map<string, PyWebFramework>();
  handlers: PyHandler[] = [];
  private perRequestIds: Set<number> | undefined;
  private readonly taint = new Map<number, Set<string>>();
  /** The index: nodes of the INDEXED kinds in text order, with their kinds and offsets. */
  private readonly indexed: Node[];
  private readonly kinds: string[];
  private readonly starts: number[];
  private readonly ends: number[];
  /** Functions and lambdas with their offsets, in text order: the scopes. */
  private readonly scopes: Array<{ node: Node; start: number; end: number }> = [];
  /** Offsets of every `if __name__ == "__main__":` body. */
  private readonly mainGuards: Array<[number, number]> = [];
  private readonly spans = new Map<number, [number, number]>();
  private readonly callees = new Map<number, string | undefined>();
  private readonly paramCache = new Map<number, ReturnType<typeof paramNodes>>();

  constructor(
    readonly tree: Tree,
    readonly text: string,
  ) {
    this.root = tree.rootNode;
    this.indexed = this.root.descendantsOfType([...INDEXED]).filter((n): n is Node => n !== null);
    const count = this.indexed.length;
    this.kinds = new Array<string>(count);
    this.starts = new Array<number>(count);
    this.ends = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const n = this.indexed[i];
      const start = n.startIndex;
      const end = n.endIndex;
      this.kinds[i] = n.type;
      this.starts[i] = start;
      this.ends[i] = end;
      this.spans.set(n.id, [start, end]);
      if (n.type === 'function_definition' || n.type === 'lambda') this.scopes.push({ node: n, start, end });
      else if (n.type === 'if_statement' && isMainGuard(n.childForFieldName('condition'))) this.mainGuards.push([start, end]);
    }
    this.calls = this.ofType(this.root, 'call');
    this.functions = this.ofType(this.root, 'function_definition');
    for (const st of this.ofType(this.root, ['import_statement', 'import_from_statement'])) this.readImport(st);
    for (const st of this.root.namedChildren) {
      const assignment = st?.type === 'expression_statement' ? st.firstNamedChild : undefined;
      if (assignment?.type !== 'assignment') continue;
      const left = assignment.childForFieldName('left');
      if (left?.type === 'identifier') this.moduleNames.set(left.text, { assignment, value: assignment.childForFieldName('right') });
      // `app, rt = fast_app()`: each name is bound at module level, to the call as a whole.
      else if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') {
        for (const id of left.namedChildren)
          if (id?.type === 'identifier') this.moduleNames.set(id.text, { assignment, value: assignment.childForFieldName('right') });
      }
    }
    // `from fasthtml.common import *` binds names the file never spells: app constructors are looked up there too.
    const wildcards = this.ofType(this.root, 'import_from_statement')
      .filter((st) => st.namedChildren.some((c) => c?.type === 'wildcard_import'))
      .map((st) => st.childForFieldName('module_name')?.text);
    for (const [name, { value }] of this.moduleNames) {
      if (value?.type !== 'call') continue;
      const callee = value.childForFieldName('function');
      const candidates = [this.qualified(callee), ...wildcards.map((w) => (w && this.dotted(callee) ? `${w}.${this.dotted(callee)}` : undefined))];
      const framework = candidates.map((q) => APP_CONSTRUCTORS.get(q ?? '')).find(Boolean);
      if (framework) this.apps.set(name, framework);
    }
  }

  /** A node's offsets, read from the WebAssembly module once per node. */
  span(node: Node): [number, number] {
    let s = this.spans.get(node.id);
    if (!s) this.spans.set(node.id, (s = [node.startIndex, node.endIndex]));
    return s;
  }

  /** Descendants of `node` of the given types, in text order (from the index for its kinds, else tree-sitter's own loop). */
  ofType(node: Node, types: string | string[]): Node[] {
    const list = typeof types === 'string' ? [types] : types;
    if (!list.every((t) => INDEXED.has(t))) return node.descendantsOfType(types).filter((n): n is Node => n !== null);
    const [start, end] = this.span(node);
    const wanted = new Set(list);
    // The first indexed node starting at or after `start` (binary search), then every one inside the node.
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const out: Node[] = [];
    for (let i = lo; i < this.starts.length && this.starts[i] < end; i++) {
      if (this.ends[i] <= end && wanted.has(this.kinds[i]) && this.indexed[i].id !== node.id) out.push(this.indexed[i]);
    }
    return out;
  }

  private readImport(st: Node): void {
    if (st.type === 'import_statement') {
      for (const child of st.namedChildren) {
        if (!child) continue;
        if (child.type === 'dotted_name') this.imports.set(child.text.split('.')[0], child.text.split('.')[0]);
        else if (child.type === 'aliased_import') {
          const name = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (name && alias) this.imports.set(alias, name);
        }
      }
      return;
    }
    // A relative import keeps its dots (`.routers.router`): it names a module of the project, never a package.
    const from = st.childForFieldName('module_name')?.text;
    if (!from) return;
    for (const child of st.childrenForFieldName('name')) {
      if (!child) continue;
      if (child.type === 'dotted_name') this.imports.set(child.text, `${from}${from.endsWith('.') ? '' : '.'}${child.text}`);
      else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name')?.text;
        const alias = child.childForFieldName('alias')?.text;
        if (name && alias) this.imports.set(alias, `${from}${from.endsWith('.') ? '' : '.'}${name}`);
      }
    }
  }

  /** The dotted text of an identifier or attribute chain (`boto3.client`), or undefined for anything else. */
  dotted(expr: Node | null | undefined): string | undefined {
    const parts: string[] = [];
    let e = expr;
    while (e?.type === 'attribute') {
      parts.push(e.childForFieldName('attribute')?.text ?? '');
      e = e.childForFieldName('object');
    }
    if (e?.type !== 'identifier') return undefined;
    parts.push(e.text);
    return parts.reverse().join('.');
  }

  /** The qualified name of an identifier or attribute chain through the file's imports (`pg.connect` -> `psycopg2.connect`). */
  qualified(expr: Node | null | undefined): string | undefined {
    return this.resolveDotted(this.dotted(expr));
  }

  /** A dotted name with its head resolved through the imports, or undefined when the head is no import. */
  private resolveDotted(dotted: string | undefined): string | undefined {
    if (!dotted) return undefined;
    const dot = dotted.indexOf('.');
    const head = dot < 0 ? dotted : dotted.slice(0, dot);
    const resolved = this.imports.get(head);
    return resolved === undefined ? undefined : resolved + (dot < 0 ? '' : dotted.slice(dot));
  }

  /** The qualified name of what a call calls, when its callee comes from an import (once per call). */
  callee(call: Node): string | undefined {
    if (this.callees.has(call.id)) return this.callees.get(call.id);
    const q = this.resolveDotted(this.calleeName(call));
    this.callees.set(call.id, q);
    return q;
  }

  /**
   * The dotted name a call calls as written (`boto3.client`, `router.get`), or undefined when the callee is no plain
   * name or attribute chain. Read from the source text of the call (its offsets come from the index), so the common
   * case costs no call into the WebAssembly module; anything unusual falls back to the tree.
   */
  calleeName(call: Node): string | undefined {
    const [start, end] = this.span(call);
    const m = CALLEE_TEXT.exec(this.text.slice(start, Math.min(end, start + 200)));
    return m ? m[1].replace(/\s+/g, '') : this.dotted(call.childForFieldName('function'));
  }

  /** A node's source text, sliced from the file's text by its offsets. */
  source(node: Node): string {
    const [start, end] = this.span(node);
    return this.text.slice(start, end);
  }

  /** The functions and lambdas around a node, innermost first (offsets compared, no parent walk). */
  private scopesAround(node: Node): Node[] {
    const [start, end] = this.span(node);
    const out: Node[] = [];
    for (const s of this.scopes) {
      if (s.start > start) break;
      if (s.end >= end && s.node.id !== node.id && !(s.start === start && s.end === end && s.node.type === node.type)) out.push(s.node);
    }
    return out.reverse();
  }

  /** The nearest function (or lambda) around a node, or undefined at module level (class bodies included). */
  enclosingFunction(node: Node): Node | undefined {
    return this.scopesAround(node)[0];
  }

  /** Whether a node runs when the module is imported: not inside a function or lambda. */
  isModuleLevel(node: Node): boolean {
    return this.enclosingFunction(node) === undefined;
  }

  /** Whether a node sits under `if __name__ == "__main__":`, which never runs when a platform imports the module. */
  underMainGuard(node: Node): boolean {
    const [start, end] = this.span(node);
    return this.mainGuards.some(([s, e]) => s <= start && end <= e);
  }

  /** Parameter names of a function definition, in order. */
  params(fn: Node): string[] {
    return this.paramInfo(fn).map((p) => p.name);
  }

  /** A function's parameters (`paramNodes`), read from the tree once per function. */
  paramInfo(fn: Node): ReturnType<typeof paramNodes> {
    let hit = this.paramCache.get(fn.id);
    if (!hit) this.paramCache.set(fn.id, (hit = paramNodes(fn)));
    return hit;
  }

  /** The function definitions a request runs: the handlers, and the module's functions they call (by name, transitively) or inject (`Depends(f)`). */
  perRequestFunctions(): Set<number> {
    if (this.perRequestIds) return this.perRequestIds;
    const byName = new Map<string, Node>();
    for (const fn of this.functions) {
      // Module-level functions and methods of module-level classes are what a plain name or `self.x` can call.
      const name = fn.childForFieldName('name')?.text;
      if (name && !this.enclosingFunction(fn)) byName.set(name, fn);
    }
    const ids = new Set<number>();
    const work = this.handlers.map((h) => h.fn);
    while (work.length) {
      const fn = work.pop()!;
      if (ids.has(fn.id)) continue;
      ids.add(fn.id);
      // Calls inside the function, and dependencies named in its parameters' defaults (`db = Depends(get_db)`).
      for (const call of this.ofType(fn, 'call')) {
        // The callee's name as written (read from the source): a local function, `self.method`, or `Depends(f)`.
        const name = this.calleeName(call) ?? '';
        const target = byName.get(name.startsWith('self.') ? name.slice(5) : name);
        if (target && !ids.has(target.id)) work.push(target);
        if (name === 'Depends' || name === 'Security') {
          const arg = call.childForFieldName('arguments')?.firstNamedChild;
          const dep = arg?.type === 'identifier' ? byName.get(arg.text) : undefined;
          if (dep && !ids.has(dep.id)) work.push(dep);
        }
      }
    }
    return (this.perRequestIds = ids);
  }

  /** Whether a node runs per request: inside a handler or a function one calls (nested functions included). */
  runsPerRequest(node: Node): boolean {
    const ids = this.perRequestFunctions();
    return this.scopesAround(node).some((f) => ids.has(f.id));
  }

  /** The handler whose body holds a node, if any (the innermost). */
  handlerOf(node: Node): PyHandler | undefined {
    for (const f of this.scopesAround(node)) {
      const h = this.handlers.find((x) => x.fn.id === f.id);
      if (h) return h;
    }
    return undefined;
  }

  /**
   * Whether an expression carries request data: a request parameter of the handler it is in, a request proxy
   * (`flask.request`), or a local variable assigned from one earlier in the function.
   */
  requestDerived(expr: Node): boolean {
    const fn = this.enclosingFunction(expr);
    const tainted = fn ? this.taintedIn(fn) : undefined;
    const ids = expr.type === 'identifier' ? [expr] : this.ofType(expr, 'identifier');
    for (const id of ids) {
      // `x.request` is an attribute name, not the variable `request`.
      if (id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id) continue;
      if (id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id) continue;
      if (tainted?.has(id.text)) return true;
      if (REQUEST_PROXIES.has(this.imports.get(id.text) ?? '')) return true;
    }
    return false;
  }

  /** Local names holding request data in a function: its handler's request parameters, and what is assigned from them (two passes, for loops). */
  private taintedIn(fn: Node): Set<string> {
    const hit = this.taint.get(fn.id);
    if (hit) return hit;
    const set = new Set<string>();
    this.taint.set(fn.id, set);
    const handler = this.handlers.find((h) => h.fn.id === fn.id);
    if (handler) for (const p of handler.requestParams) set.add(p);
    else {
      // A nested function (a closure in a handler) sees the handler's request data.
      const outer = this.enclosingFunction(fn);
      if (outer) for (const n of this.taintedIn(outer)) set.add(n);
    }
    const assignments = this.ofType(fn, ['assignment', 'augmented_assignment']).filter((a) => this.enclosingFunction(a)?.id === fn.id);
    for (let pass = 0; pass < 2; pass++) {
      for (const a of assignments) {
        const right = a.childForFieldName('right');
        const left = a.childForFieldName('left');
        if (!right || !left || !this.requestDerivedWith(right, set)) continue;
        for (const id of left.type === 'identifier'
          ? [left]
          : left.type === 'pattern_list' || left.type === 'tuple_pattern'
            ? this.ofType(left, 'identifier')
            : [])
          set.add(id.text);
      }
    }
    return set;
  }

  private requestDerivedWith(expr: Node, names: Set<string>): boolean {
    const ids = expr.type === 'identifier' ? [expr] : this.ofType(expr, 'identifier');
    return ids.some((id) => {
      if (id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id) return false;
      if (id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id) return false;
      return names.has(id.text) || REQUEST_PROXIES.has(this.imports.get(id.text) ?? '');
    });
  }

  /** Names a function declares `global`. */
  globalsOf(fn: Node): Set<string> {
    const out = new Set<string>();
    for (const g of this.ofType(fn, 'global_statement')) {
      if (this.enclosingFunction(g)?.id !== fn.id) continue;
      for (const id of g.namedChildren) if (id?.type === 'identifier') out.add(id.text);
    }
    return out;
  }

  /** The route-registering decorators of a decorated function, as `app.get("/x")` text, with the app's framework. */
  routeDecorators(decorated: Node): Array<{ text: string; framework: PyWebFramework; method: string }> {
    const out: Array<{ text: string; framework: PyWebFramework; method: string }> = [];
    // No decorator of the form `@name.method` with a route method: nothing to read from the tree.
    const methods = [...this.source(decorated).matchAll(/^\s*@\s*\w+\s*\.\s*(\w+)/gm)].map((m) => m[1]);
    if (!methods.some((m) => ROUTE_METHODS.has(m))) return out;
    for (const { callee, label } of decoratorsOf(decorated)) {
      if (callee.type !== 'attribute') continue;
      const method = callee.childForFieldName('attribute')?.text ?? '';
      const object = callee.childForFieldName('object');
      if (!ROUTE_METHODS.has(method) || object?.type !== 'identifier') continue;
      const framework = this.apps.get(object.text) ?? this.appFromImport(object.text);
      if (framework) out.push({ text: label, framework, method });
    }
    return out;
  }

  /** An app or router imported from another module of the project (`from .routers import router`), judged by the file's framework imports. */
  private appFromImport(name: string): PyWebFramework | undefined {
    if (!this.imports.has(name) || this.imports.get(name)!.includes('.') === false) return undefined;
    const frameworks = [...this.imports.values()];
    if (frameworks.some((q) => q.startsWith('fastapi'))) return 'fastapi';
    if (frameworks.some((q) => q.startsWith('flask') || q.startsWith('quart'))) return 'flask';
    if (frameworks.some((q) => q.startsWith('starlette'))) return 'starlette';
    if (frameworks.some((q) => q.startsWith('sanic'))) return 'sanic';
    if (frameworks.some((q) => q.startsWith('bottle'))) return 'bottle';
    return undefined;
  }
}

/** `__name__ == "__main__"` (either side). */
export function isMainGuard(cond: Node | null): boolean {
  if (cond?.type !== 'comparison_operator') return false;
  const text = cond.text.replace(/\s+/g, '');
  return /^__name__==(['"])__main__\1$/.test(text) || /^(['"])__main__\1==__name__$/.test(text);
}

/** A function definition's parameters: name, annotation text and default value node. */
export function paramNodes(fn: Node): Array<{ name: string; node: Node; type?: string; value?: Node }> {
  const out: Array<{ name: string; node: Node; type?: string; value?: Node }> = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') out.push({ name: p.text, node: p });
    else if (p.type === 'typed_parameter') {
      const id = p.namedChildren.find((c) => c?.type === 'identifier');
      if (id) out.push({ name: id.text, node: p, type: p.childForFieldName('type')?.text });
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const name = p.childForFieldName('name');
      if (name) out.push({ name: name.text, node: p, type: p.childForFieldName('type')?.text, value: p.childForFieldName('value') ?? undefined });
    }
  }
  return out;
}

/** The request-carrying parameters of a web route function: all but `self`, injected dependencies and framework objects. */
export function routeRequestParams(params: ReturnType<typeof paramNodes>): Set<string> {
  const out = new Set<string>();
  for (const p of params) {
    if (p.name === 'self' || p.name === 'cls') continue;
    if (p.value && /^(Depends|Security)\(/.test(p.value.text)) continue;
    if (p.type && INJECTED_TYPES.test(p.type)) continue;
    out.add(p.name);
  }
  return out;
}

/**
 * The decorators of a decorated definition: each one's expression (`app.get("/")`), what it calls or is (`app.get`),
 * and how handler names show it (a long one shortened to `app.get(...)`).
 */
export function decoratorsOf(decorated: Node): Array<{ expr: Node; callee: Node; label: string }> {
  const out: Array<{ expr: Node; callee: Node; label: string }> = [];
  for (const d of decorated.namedChildren) {
    const expr = d?.type === 'decorator' ? d.firstNamedChild : undefined;
    const callee = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    if (expr && callee) out.push({ expr, callee, label: expr.text.length > 60 ? `${callee.text}(…)` : expr.text });
  }
  return out;
}

/** The statement holding a node: the ancestor whose parent is a block or the module. */
export function statementOf(node: Node): Node | undefined {
  for (let n: Node | null = node; n; n = n.parent) {
    if (n.parent?.type === 'block' || n.parent?.type === 'module') return n;
  }
  return undefined;
}

/** The text of a plain string literal (no interpolation), or undefined. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return node.namedChildren
    .filter((c) => c?.type === 'string_content')
    .map((c) => c!.text)
    .join('');
}

/** The positional arguments and keyword arguments of a call. */
export function callArgs(call: Node): { positional: Node[]; keyword: Map<string, Node> } {
  const positional: Node[] = [];
  const keyword = new Map<string, Node>();
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) keyword.set(name, value);
    } else positional.push(a);
  }
  return { positional, keyword };
}

/** Whether a node is the callee object of a `.method()` call, and that call: `Thread(…)` in `Thread(…).start()`. */
export function chainedCall(node: Node, method: string): Node | undefined {
  const attr = node.parent;
  if (attr?.type !== 'attribute' || attr.childForFieldName('object')?.id !== node.id || attr.childForFieldName('attribute')?.text !== method) return undefined;
  return attr.parent?.type === 'call' ? attr.parent : undefined;
}

/** The name a call's result is assigned to in a plain `name = call(…)` statement. */
export function assignedName(call: Node): string | undefined {
  const p = call.parent;
  if (p?.type !== 'assignment' || p.childForFieldName('right')?.id !== call.id) return undefined;
  const left = p.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

/** Identifiers named `name` in a subtree (uses, not attribute names or keyword names). */
export function usesOf(facts: PyFacts, scope: Node, name: string): Node[] {
  return facts
    .ofType(scope, 'identifier')
    .filter(
      (id) =>
        id.text === name &&
        !(id.parent?.type === 'attribute' && id.parent.childForFieldName('attribute')?.id === id.id) &&
        !(id.parent?.type === 'keyword_argument' && id.parent.childForFieldName('name')?.id === id.id),
    );
}
