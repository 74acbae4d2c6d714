// Function summaries of a module: for each module-level function, class method and method of a module-level object,
// the facts a rule needs about a call into it from another module (does it return a promise, which module-scope
// bindings does it write from which parameter, does it create a client on every call, does it send the response,
// does it start a timer), plus the module's exports, imports, classes and singletons by name so that the graph can
// follow a call through imports, re-exports and `this.x.m()`. Computed once per module text in one loop over the
// tree's index (no recursion), kept by the module graph with the import summary, as plain detached data.
import * as ts from 'typescript';
import { isAsync, strip, THEN_METHODS } from '../analysis/ast';
import type { Span } from '../../../shared/src/types';
import { indexOfNode, indexTree, kindTable } from '../analysis/tree';
import { CLIENT_SPECS, findSpec } from '../analysis/clients';
import { packageApiPromise } from '../conventions/platform-apis';
import { own } from '../../../shared/src/records';

/** A call as the caller writes it: `root.m1.m2()` (root a module-scope name of its file), or `this.field.m()` in class `cls`. */
export interface CallRef {
  root: string;
  members: string[];
  /** For chains on `this`: the class whose method makes the call. */
  cls?: string;
}

/**
 * A call on a platform binding reached through `env` (`env.DB.prepare(q).run()` -> `DB`, ['prepare', 'run']): a promise
 * when the caller's project declares `DB` as a binding whose method that is asynchronous (the graph does not read
 * wrangler configs; the rules decide with the caller's bindings).
 */
export interface BindingUse {
  name: string;
  names: string[];
}

/** What a summarized function does, with where (spans in its own module). */
export interface FnFacts {
  /** The function's name (or the `export default` / member it is), where it is declared. */
  at: Span;
  /** Why it returns a promise, when its own text says so: `declared async`, `returns fetch()` ... */
  promise?: { why: string; at: Span; binding?: BindingUse };
  /** Calls whose result it returns: a promise when their callee's summary says so (resolved by the graph). */
  returns?: Array<{ ref: CallRef; at: Span }>;
  /** Module-scope bindings (`activeOrg`, `store.user`, `this.user` on an instance) it assigns from its parameter `param`. */
  writes?: Array<{ target: string; param: number; at: Span }>;
  /** A database or SDK client it creates on every call (no module-scope cache in the function). */
  client?: { display: string; at: Span };
  /** It assigns to long-lived state (a module binding, `globalThis`, `this`): taken to cache what it creates or returns. */
  caches?: true;
  /** It always sends the response through its parameter `param` (`res.json(...)` in its body, not in a branch). */
  sends?: { param: number; what: string; at: Span };
  /** A timer it starts. */
  timer?: { what: string; at: Span };
  /** Parameters it hands on to other functions: argument `arg` of the call `ref` is its parameter `param`. */
  passes?: Array<{ ref: CallRef; arg: number; param: number; at: Span; always?: true }>;
  /** A promise it starts and neither awaits nor returns (`fetch(url);` as a statement): no caller can keep it alive. */
  floats?: { what: string; at: Span; binding?: BindingUse };
}

export interface ModuleFunctions {
  /** Module-level functions by local name (`function f`, `const f = () => ...`, `exports.f = function ...`). */
  fns: Record<string, FnFacts>;
  /** Classes by local name: methods, and fields whose class is known (constructor parameter types, initializers). */
  classes: Record<string, { methods: Record<string, FnFacts>; fields: Record<string, string>; perRequest?: boolean }>;
  /** Module-level objects: object literals (`const store = { ... }`) and instances (`const mailer = new Mailer()`). */
  objects: Record<string, { kind: 'object' | 'instance'; cls?: string; members: Record<string, FnFacts>; at: Span }>;
  /** Export name -> local name (`default` included; CommonJS `module.exports = x` is `default`). */
  exports: Record<string, string>;
  /** `export * from` (no names) and `export { a as b } from` (exported -> imported). */
  reexports: Array<{ specifier: string; names?: Record<string, string> }>;
  /** Local name -> the import that binds it (`*` for namespaces and CommonJS `require`). */
  imports: Record<string, { specifier: string; imported: string }>;
}

// Own properties only: the records are plain objects, and `constructor` must not find Object.prototype's.
export { own };

/** Functions summarized per module at most: a generated file with thousands of functions is summarized in part. */
const MAX_FUNCTIONS = 2_000;
/** Writes kept per function at most. */
const MAX_WRITES = 8;
/** Calls that pass a parameter on, kept per function at most. */
const MAX_PASSES = 4;

const SEND_METHODS = new Set(['send', 'json', 'end', 'redirect', 'sendStatus', 'sendFile', 'render', 'jsonp', 'download']);
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any', 'resolve', 'reject']);
const TIMERS = new Set(['setInterval', 'setTimeout']);
const ASSIGN = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** What the body loop does with a node of each kind: 0 nothing, 1 a function (pushed), 2 a node it looks at. */
const FUNCTION_KINDS = new Set([
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.MethodDeclaration,
]);
const LOOKED_AT = new Set([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.Parameter,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.BinaryExpression,
  ts.SyntaxKind.NewExpression,
  ts.SyntaxKind.CallExpression,
]);
const ROLE = kindTable((k) => (FUNCTION_KINDS.has(k) ? 1 : LOOKED_AT.has(k) ? 2 : 0));

function isExported(node: ts.Node): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function isDefault(node: ts.Node): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function isPromiseType(type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isTypeReferenceNode(type)) return false;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  return name === 'Promise' || name === 'PromiseLike' || name === 'PrismaPromise';
}

type FunctionLike = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

function isFunctionLike(e: ts.Node): e is ts.FunctionExpression | ts.ArrowFunction {
  return ts.isFunctionExpression(e) || ts.isArrowFunction(e);
}

/** The member names of `a.b.c(...)` after the root, and the root (an identifier or `this`); calls and computed keys end it. */
function memberChain(e: ts.Expression): { root?: ts.Identifier | ts.ThisExpression; names: string[] } {
  const names: string[] = [];
  let cur = strip(e);
  while (ts.isPropertyAccessExpression(cur)) {
    names.unshift(cur.name.text);
    cur = strip(cur.expression);
  }
  return { root: ts.isIdentifier(cur) || cur.kind === ts.SyntaxKind.ThisKeyword ? (cur as ts.Identifier | ts.ThisExpression) : undefined, names };
}

/** Like `memberChain`, but through calls (`db.insert(t).values(v)` -> root `db`, ['insert', 'values']). */
function callChain(e: ts.Expression): { root?: ts.Identifier; names: string[] } {
  const names: string[] = [];
  let cur = strip(e);
  for (;;) {
    if (ts.isCallExpression(cur)) cur = strip(cur.expression);
    else if (ts.isPropertyAccessExpression(cur)) {
      names.unshift(cur.name.text);
      cur = strip(cur.expression);
    } else break;
  }
  return { root: ts.isIdentifier(cur) ? cur : undefined, names };
}

function typeName(type: ts.TypeNode | undefined): string | undefined {
  return type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) ? type.typeName.text : undefined;
}

interface Target {
  fn: FunctionLike;
  facts: FnFacts;
  params: string[];
  /** The class whose method this is (for calls on `this`). */
  cls?: string;
  /** Locals declared in the function so far (a write to one of these names is not a module write). */
  locals: Set<string>;
  /** Client creations seen, decided at the end: per call unless the function also caches into long-lived state. */
  creations: Array<{ display: string; at: Span }>;
  caches: boolean;
}

/**
 * Summarizes a module's functions from its tree. Never throws on odd code: what it does not understand it leaves
 * out (an absent fact is "not known", never "known not to").
 */
export function summarizeFunctions(sf: ts.SourceFile): ModuleFunctions {
  const { out, bodies } = summarizeDeclarations(sf);
  bodies?.scanAll();
  return out;
}

/**
 * The initializers a module-level const is summarized as an object from (`ModuleFunctions.objects`), whose members a
 * call can then reach: an object literal, or an instance of a named class (`new Mailer()`). A member call on anything
 * else (`app.get()` on `const app = express()`) leads to no summarized function.
 */
export function isSummarizedObject(init: ts.Expression): init is ts.ObjectLiteralExpression | (ts.NewExpression & { expression: ts.Identifier }) {
  return ts.isObjectLiteralExpression(init) || (ts.isNewExpression(init) && ts.isIdentifier(init.expression));
}

/**
 * The module's declarations (imports, exports, classes, objects, the functions and what their declarations say), and
 * the scan of their bodies still to do: whole (`scanAll`, as `summarizeFunctions` does) or one function at a time
 * (`scan`). A rule that follows a call into the linted module asks for one helper, and its handlers' bodies, the
 * bulk of the file, need not be summarized for that.
 */
export function summarizeDeclarations(sf: ts.SourceFile): { out: ModuleFunctions; bodies?: FunctionBodies } {
  const out: ModuleFunctions = { fns: {}, classes: {}, objects: {}, exports: {}, reexports: [], imports: {} };
  const targets = new Map<ts.Node, Target>();
  /** Module-level variables (writes to them, or to their properties, are module state). */
  const moduleVars = new Set<string>();
  /** Module-level names declared as functions, classes, imports or variables (shadow globals such as `fetch`). */
  const declared = new Set<string>();
  /** Module-level consts holding a client of a package, with the package (`const resend = new Resend(key)`: resend, from resend). */
  const clientOf = new Map<string, string>();
  const span = (n: ts.Node): Span => ({ start: n.getStart(sf), end: n.getEnd() });

  const addTarget = (fn: FunctionLike, at: ts.Node, cls?: string): FnFacts | undefined => {
    if (targets.size >= MAX_FUNCTIONS) return undefined;
    const facts: FnFacts = { at: span(at) };
    const params = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
    if (isAsync(fn)) facts.promise = { why: 'declared async', at: span(at) };
    else if (isPromiseType(fn.type)) facts.promise = { why: 'returns a Promise', at: span(fn.type!) };
    targets.set(fn, { fn, facts, params, cls, locals: new Set(), creations: [], caches: false });
    return facts;
  };

  const addClass = (cls: ts.ClassLikeDeclaration, name: string) => {
    const entry: ModuleFunctions['classes'][string] = { methods: {}, fields: {} };
    // `@Injectable({ scope: Scope.REQUEST })` (or TRANSIENT): NestJS creates the instance per request, not once.
    const decorators = ts.canHaveDecorators(cls) ? ts.getDecorators(cls) : undefined;
    if (decorators?.some((d) => /\bScope\.(REQUEST|TRANSIENT)\b/.test(d.expression.getText(sf)))) entry.perRequest = true;
    out.classes[name] = entry;
    for (const m of cls.members) {
      if (ts.isMethodDeclaration(m) && m.body && ts.isIdentifier(m.name)) {
        const f = addTarget(m, m.name, name);
        if (f) entry.methods[m.name.text] = f;
      } else if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name)) {
        const init = m.initializer && strip(m.initializer);
        if (init && isFunctionLike(init)) {
          const f = addTarget(init, m.name, name);
          if (f) entry.methods[m.name.text] = f;
        } else if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression)) entry.fields[m.name.text] = init.expression.text;
        else {
          const t = typeName(m.type);
          if (t) entry.fields[m.name.text] = t;
        }
      } else if (ts.isConstructorDeclaration(m)) {
        // NestJS and Angular-style injection: `constructor(private readonly mailer: MailerService)`.
        for (const p of m.parameters) {
          const t = typeName(p.type);
          if (t && ts.isIdentifier(p.name) && ts.getModifiers(p)?.length) entry.fields[p.name.text] = t;
        }
      }
    }
  };

  const addObject = (name: string, init: ts.Expression, at: ts.Node) => {
    if (!isSummarizedObject(init)) return;
    if (ts.isObjectLiteralExpression(init)) {
      const members: Record<string, FnFacts> = {};
      for (const p of init.properties) {
        if (ts.isMethodDeclaration(p) && p.body && ts.isIdentifier(p.name)) {
          const f = addTarget(p, p.name);
          if (f) members[p.name.text] = f;
        } else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && isFunctionLike(strip(p.initializer))) {
          const f = addTarget(strip(p.initializer) as FunctionLike, p.name);
          if (f) members[p.name.text] = f;
        }
      }
      out.objects[name] = { kind: 'object', members, at: span(at) };
    } else {
      out.objects[name] = { kind: 'instance', cls: init.expression.text, members: {}, at: span(at) };
    }
  };

  const addImport = (local: string, specifier: string, imported: string) => {
    out.imports[local] = { specifier, imported };
    declared.add(local);
  };

  // Module-level declarations: one loop over the top-level statements.
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteralLike(st.moduleSpecifier) && st.importClause && !st.importClause.isTypeOnly) {
      const spec = st.moduleSpecifier.text;
      const c = st.importClause;
      if (c.name) addImport(c.name.text, spec, 'default');
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) addImport(nb.name.text, spec, '*');
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) addImport(el.name.text, spec, (el.propertyName ?? el.name).text);
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteralLike(st.moduleReference.expression)) {
      addImport(st.name.text, st.moduleReference.expression.text, '*');
    } else if (ts.isFunctionDeclaration(st) && st.body) {
      const name = st.name?.text ?? 'default';
      declared.add(name);
      const f = addTarget(st, st.name ?? st);
      if (f) out.fns[name] = f;
      if (isExported(st)) out.exports[isDefault(st) ? 'default' : name] = name;
    } else if (ts.isClassDeclaration(st)) {
      const name = st.name?.text ?? 'default';
      declared.add(name);
      addClass(st, name);
      if (isExported(st)) out.exports[isDefault(st) ? 'default' : name] = name;
    } else if (ts.isVariableStatement(st)) {
      const exported = isExported(st);
      const mutable = !(st.declarationList.flags & ts.NodeFlags.Const);
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const name = d.name.text;
        declared.add(name);
        moduleVars.add(name);
        if (exported) out.exports[name] = name;
        if (!d.initializer) continue;
        const init = strip(d.initializer);
        if (isFunctionLike(init)) {
          const f = addTarget(init, d.name);
          if (f) out.fns[name] = f;
          continue;
        }
        // `const x = require('m')`, `const { a, b: c } = require('m')` are imports.
        if (
          ts.isCallExpression(init) &&
          ts.isIdentifier(init.expression) &&
          init.expression.text === 'require' &&
          init.arguments.length === 1 &&
          ts.isStringLiteralLike(init.arguments[0])
        ) {
          addImport(name, init.arguments[0].text, '*');
          continue;
        }
        if (!mutable) addObject(name, init, d.name);
        if (ts.isNewExpression(init) || ts.isCallExpression(init)) {
          const { root } = callChain(init.expression);
          if (root) clientOf.set(name, root.text);
        }
      }
      for (const d of st.declarationList.declarations) {
        if (ts.isObjectBindingPattern(d.name) && d.initializer) {
          const init = strip(d.initializer);
          const req =
            ts.isCallExpression(init) &&
            ts.isIdentifier(init.expression) &&
            init.expression.text === 'require' &&
            init.arguments.length === 1 &&
            ts.isStringLiteralLike(init.arguments[0])
              ? init.arguments[0].text
              : undefined;
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name)) continue;
            declared.add(el.name.text);
            if (req) addImport(el.name.text, req, el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text);
          }
        }
      }
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const e = strip(st.expression);
      if (ts.isIdentifier(e)) out.exports.default = e.text;
      else if (isFunctionLike(e)) {
        const f = addTarget(e, st);
        if (f) out.fns.default = f;
        out.exports.default = 'default';
      } else {
        addObject('default', e, st);
        out.exports.default = 'default';
      }
    } else if (ts.isExportDeclaration(st) && !st.isTypeOnly) {
      const spec = st.moduleSpecifier && ts.isStringLiteralLike(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      const clause = st.exportClause;
      if (spec && !clause) out.reexports.push({ specifier: spec });
      else if (clause && ts.isNamedExports(clause)) {
        const names: Record<string, string> = {};
        for (const el of clause.elements) if (!el.isTypeOnly) names[el.name.text] = (el.propertyName ?? el.name).text;
        if (spec) out.reexports.push({ specifier: spec, names });
        else Object.assign(out.exports, names);
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: `module.exports = fn | { a, b }`, `exports.f = function ...`, `module.exports.f = ...`.
      const { left } = st.expression;
      const right = strip(st.expression.right);
      const { root, names } = memberChain(left);
      const isModuleExports = root && ts.isIdentifier(root) && ((root.text === 'module' && names[0] === 'exports') || root.text === 'exports');
      if (!isModuleExports) continue;
      const rest = root.text === 'module' ? names.slice(1) : names;
      if (rest.length === 0) {
        if (ts.isIdentifier(right)) out.exports.default = right.text;
        else if (isFunctionLike(right)) {
          const f = addTarget(right, left);
          if (f) out.fns.default = f;
          out.exports.default = 'default';
        } else if (ts.isObjectLiteralExpression(right)) {
          for (const p of right.properties) {
            if (ts.isShorthandPropertyAssignment(p)) out.exports[p.name.text] = p.name.text;
            else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isIdentifier(strip(p.initializer)))
              out.exports[p.name.text] = (strip(p.initializer) as ts.Identifier).text;
          }
          addObject('default', right, left);
          out.exports.default = 'default';
        }
      } else if (rest.length === 1) {
        if (ts.isIdentifier(right)) out.exports[rest[0]] = right.text;
        else if (isFunctionLike(right)) {
          const f = addTarget(right, left);
          if (f) out.fns[`exports.${rest[0]}`] = f;
          out.exports[rest[0]] = `exports.${rest[0]}`;
        }
      }
    }
  }
  for (const [name, creator] of clientOf) {
    const imp = own(out.imports, creator);
    const pkg = imp && packageOf(imp.specifier);
    if (pkg) clientOf.set(name, pkg);
    else clientOf.delete(name);
  }

  // Imports that may create clients of the connection table, found once: most calls are tested against this set only.
  const clientLocals = new Set<string>();
  for (const local of Object.keys(out.imports)) if (mayCreateClients(out.imports[local].specifier)) clientLocals.add(local);
  if (targets.size === 0) return { out };
  const names: ModuleNames = { moduleVars, declared, clientOf, clientLocals, mentionsEnv: sf.text.includes('env'), imports: out.imports, span };
  return { out, bodies: new FunctionBodies(sf, targets, names) };
}

/** The bodies of a module's summarized functions, scanned all at once or one function at a time. */
export class FunctionBodies {
  /** Targets not scanned yet, by their facts (what the graph hands out). */
  private readonly pending = new Map<FnFacts, Target>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly targets: Map<ts.Node, Target>,
    private readonly names: ModuleNames,
  ) {
    for (const t of targets.values()) this.pending.set(t.facts, t);
  }

  /** Scans every body in one loop over the tree's index. */
  scanAll(): void {
    this.pending.clear();
    scanBodies(this.sf, this.targets, this.names);
  }

  /**
   * Scans the body of the function whose facts these are (nothing when it is scanned already, or not one of this
   * module's): the loop over its own subtree of the index. Summarized functions never nest (all are declared at
   * module level, in a class or in a module-level object), so its facts come out as the whole-module scan makes them.
   */
  scan(facts: FnFacts): void {
    const t = this.pending.get(facts);
    if (!t) return;
    this.pending.delete(facts);
    scanBodies(this.sf, new Map([[t.fn as ts.Node, t]]), this.names, t.fn);
  }

  /** Where the functions not scanned yet are declared (their `at.start`). */
  unscanned(): number[] {
    return [...this.pending.keys()].map((f) => f.at.start);
  }
}

interface ModuleNames {
  moduleVars: Set<string>;
  declared: Set<string>;
  clientOf: Map<string, string>;
  /** Local names of imports that may create clients (`Pool` from pg, `PrismaClient`). */
  clientLocals: Set<string>;
  /** The text says `env` somewhere: only then can a call reach a platform binding through it. */
  mentionsEnv: boolean;
  imports: ModuleFunctions['imports'];
  span: (n: ts.Node) => Span;
}

/** The package an import specifier names, or undefined for the project's own modules. */
function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|@\/|~\/|#)/.test(specifier)) return undefined;
  const s = specifier.replace(/^node:/, '');
  return s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
}

/**
 * One loop over the tree's index: each node is attributed to the innermost summarized function around it (a stack
 * of the functions the loop is inside, popped by their subtree ends), and nested functions that are not summarized
 * (callbacks) are told apart, so a `return` in a callback is not the function's own.
 */
function scanBodies(sf: ts.SourceFile, targets: Map<ts.Node, Target>, names: ModuleNames, only?: ts.Node): void {
  const index = indexTree(sf);
  const { nodes, kinds, end } = index;
  const { span } = names;
  /** Enclosing functions: summarized targets and, above them, nested callbacks (`target` undefined). */
  const stack: Array<{ end: number; target?: Target; fn: ts.Node }> = [];
  let first = 0;
  let stop = nodes.length;
  if (only) {
    first = indexOfNode(index, only);
    if (first < 0) return;
    stop = end[first];
  } else {
    while (first < nodes.length && (ROLE[kinds[first]] !== 1 || !targets.has(nodes[first]))) first++;
  }
  const paramIndex = (t: Target, value: ts.Node): number => {
    // The first use of a parameter inside the value (property names excepted): `orgId`, `input.org`, `{ user }`.
    for (let j = indexOfNode(index, value), stop = j < 0 ? -1 : end[j]; j >= 0 && j < stop; j++) {
      if (kinds[j] !== ts.SyntaxKind.Identifier) continue;
      const id = nodes[j] as ts.Identifier;
      const p = id.parent;
      if (ts.isPropertyAccessExpression(p) && p.name === id) continue;
      const k = t.params.indexOf(id.text);
      if (k >= 0 && !t.locals.has(id.text)) return k;
    }
    return -1;
  };
  const isModuleName = (t: Target, name: string) => !t.params.includes(name) && !t.locals.has(name);
  // The summarized function the loop is in (`t`), and whether directly or inside a callback of it (`direct`): kept
  // up to date as functions are entered and left, not looked up per node.
  let t: Target | undefined;
  let direct = false;
  const settle = () => {
    t = undefined;
    direct = true;
    for (let s = stack.length - 1; s >= 0; s--) {
      if (stack[s].target) {
        t = stack[s].target;
        return;
      }
      direct = false;
    }
  };

  for (let i = first; i < stop; i++) {
    if (stack.length && i >= stack[stack.length - 1].end) {
      while (stack.length && i >= stack[stack.length - 1].end) stack.pop();
      settle();
    }
    const role = ROLE[kinds[i]];
    if (role === 0) continue;
    const node = nodes[i];
    const kind = kinds[i];
    if (role === 1) {
      const summarized = targets.get(node);
      if (summarized) {
        stack.push({ end: end[i], target: summarized, fn: node });
        t = summarized;
        direct = true;
        // An expression-bodied arrow returns its body.
        const body = (node as ts.ArrowFunction).body;
        if (ts.isArrowFunction(node) && body && !ts.isBlock(body)) returned(summarized, body as ts.Expression, names);
      } else if (stack.length) {
        stack.push({ end: end[i], fn: node });
        direct = false;
      }
      continue;
    }
    if (!t) continue;
    const facts = t.facts;
    if (kind === ts.SyntaxKind.VariableDeclaration) {
      const d = node as ts.VariableDeclaration;
      if (ts.isIdentifier(d.name)) t.locals.add(d.name.text);
    } else if (kind === ts.SyntaxKind.Parameter && !direct) {
      const p = node as ts.ParameterDeclaration;
      if (ts.isIdentifier(p.name)) t.locals.add(p.name.text);
    } else if (kind === ts.SyntaxKind.ExpressionStatement) {
      if (direct) dropped(t, node as ts.ExpressionStatement, names);
    } else if (kind === ts.SyntaxKind.ReturnStatement && direct) {
      const e = (node as ts.ReturnStatement).expression;
      if (e) returned(t, e, names);
    } else if (kind === ts.SyntaxKind.BinaryExpression) {
      const b = node as ts.BinaryExpression;
      if (!ASSIGN.has(b.operatorToken.kind)) continue;
      const target = writeTarget(b.left, t, names, isModuleName);
      if (!target) continue;
      t.caches = true;
      if (!facts.writes || facts.writes.length < MAX_WRITES) {
        const param = paramIndex(t, b.right);
        if (param >= 0) (facts.writes ??= []).push({ target, param, at: span(b) });
      }
    } else if (kind === ts.SyntaxKind.NewExpression || kind === ts.SyntaxKind.CallExpression) {
      const call = node as ts.CallExpression | ts.NewExpression;
      const callee = strip(call.expression);
      // A client the function creates (from the connection rules' table).
      const created = creation(call, names, isModuleName.bind(null, t));
      if (created) t.creations.push({ display: created, at: span(call) });
      if (kind !== ts.SyntaxKind.CallExpression) continue;
      if (ts.isIdentifier(callee) && TIMERS.has(callee.text) && !names.declared.has(callee.text) && isModuleName(t, callee.text)) {
        facts.timer ??= { what: `${callee.text}()`, at: span(call) };
      }
      // Sends the response: `res.json(...)` / `res.status(...).send(...)` on a parameter, as a statement of the body itself.
      if (direct && !facts.sends && ts.isPropertyAccessExpression(callee) && SEND_METHODS.has(callee.name.text)) {
        const { root } = callChain(callee);
        const param = root ? t.params.indexOf(root.text) : -1;
        if (param >= 0 && alwaysRuns(call, t.fn)) facts.sends = { param, what: `${root!.text}.${callee.name.text}()`, at: span(call) };
      }
      // A parameter handed on to another function (`setOrg(orgId)`): that function's writes are this one's too.
      if (t.params.length > 0 && (call as ts.CallExpression).arguments.length > 0 && (facts.passes?.length ?? 0) < MAX_PASSES)
        passOn(t, call as ts.CallExpression, names);
    }
  }
  for (const t of targets.values()) {
    if (t.caches) t.facts.caches = true;
    else if (t.creations.length) t.facts.client = t.creations[0];
  }
}

/** Records a call of a module-scope function (or a method on `this`) that receives one of the function's parameters as is. */
function passOn(t: Target, call: ts.CallExpression, names: ModuleNames): void {
  // Most calls hand on no parameter: that is tested before the callee is looked at.
  let any = false;
  for (const a of call.arguments) {
    if (ts.isIdentifier(a) && t.params.includes(a.text)) {
      any = true;
      break;
    }
  }
  if (!any) return;
  const { root, names: members } = memberChain(call.expression);
  if (!root) return;
  const isThis = root.kind === ts.SyntaxKind.ThisKeyword;
  if (isThis ? !t.cls : t.params.includes((root as ts.Identifier).text) || t.locals.has((root as ts.Identifier).text)) return;
  const ref: CallRef = isThis ? { root: 'this', members, cls: t.cls } : { root: (root as ts.Identifier).text, members };
  if (!isThis && !names.declared.has(ref.root)) return;
  // A package's functions are never summarized: a parameter handed to one leads nowhere the graph can follow.
  const imp = isThis ? undefined : own(names.imports, ref.root);
  if (imp && packageOf(imp.specifier)) return;
  if (!isThis && !imp && names.clientOf.has(ref.root)) return;
  call.arguments.forEach((a, arg) => {
    const e = strip(a);
    const param = ts.isIdentifier(e) && !t.locals.has(e.text) ? t.params.indexOf(e.text) : -1;
    if (param >= 0 && (t.facts.passes?.length ?? 0) < MAX_PASSES) {
      // `always`: the call is a statement of the body itself, so what its callee always does, this function does too.
      (t.facts.passes ??= []).push({ ref, arg, param, at: names.span(call), ...(alwaysRuns(call, t.fn) ? { always: true as const } : {}) });
    }
  });
}

/** Whether a call is a statement (or the returned value) directly in the function's body, so it runs on every call. */
function alwaysRuns(call: ts.Node, fn: FunctionLike): boolean {
  let n: ts.Node = call;
  // `res.status(400).json(...)`: the outermost call of the chain is the statement.
  while (
    n.parent &&
    (ts.isPropertyAccessExpression(n.parent) ||
      (ts.isCallExpression(n.parent) && n.parent.expression === n) ||
      ts.isAwaitExpression(n.parent) ||
      ts.isParenthesizedExpression(n.parent))
  )
    n = n.parent;
  if (n.parent === fn) return true;
  const st = n.parent;
  return !!st && (ts.isExpressionStatement(st) || ts.isReturnStatement(st)) && st.parent === fn.body;
}

/** What an assignment writes when it is long-lived state: a module variable, a property of one, `globalThis.x`, `this.x`. */
function writeTarget(left: ts.Expression, t: Target, names: ModuleNames, isModuleName: (t: Target, n: string) => boolean): string | undefined {
  const l = strip(left);
  if (ts.isIdentifier(l)) return names.moduleVars.has(l.text) && isModuleName(t, l.text) ? l.text : undefined;
  const { root, names: members } = memberChain(l);
  if (!root || members.length === 0) return undefined;
  if (root.kind === ts.SyntaxKind.ThisKeyword) return t.cls ? `this.${members[0]}` : undefined;
  const id = root as ts.Identifier;
  if ((id.text === 'globalThis' || id.text === 'global') && !names.declared.has(id.text)) return `globalThis.${members[0]}`;
  return names.moduleVars.has(id.text) && isModuleName(t, id.text) ? `${id.text}.${members[0]}` : undefined;
}

/** Package names (and prefixes, for `@aws-sdk/client-*`) of the connection table, for a cheap first test. */
const CLIENT_PACKAGES = CLIENT_SPECS.flatMap((s) => s.packages);

/** Whether an import may create clients of the table (a table package, or a generated Prisma client in the project). */
function mayCreateClients(specifier: string): boolean {
  if (/(^|\/)prisma(\/|$)/.test(specifier)) return true;
  const pkg = packageOf(specifier);
  return !!pkg && CLIENT_PACKAGES.some((p) => (p.endsWith('*') ? pkg.startsWith(p.slice(0, -1)) : p === pkg));
}

/** The display name of a client a `new`/call creates (`new Pool() from pg`), when the connection table knows it. */
function creation(call: ts.CallExpression | ts.NewExpression, names: ModuleNames, isModuleName: (n: string) => boolean): string | undefined {
  const callee = strip(call.expression);
  const form = ts.isNewExpression(call) ? 'new' : 'call';
  let local: string | undefined;
  let path: string | undefined;
  if (ts.isIdentifier(callee)) local = callee.text;
  else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) local = callee.expression.text;
  if (!local || !names.clientLocals.has(local) || !isModuleName(local)) return undefined;
  const imp = own(names.imports, local);
  if (!imp) return undefined;
  const asModule = imp.imported === '*' ? 'default' : imp.imported;
  if (ts.isIdentifier(callee)) path = asModule;
  else {
    const member = (callee as ts.PropertyAccessExpression).name.text;
    path = asModule === 'default' ? member : `${asModule}.${member}`;
  }
  const spec = findSpec(imp.specifier, path, form);
  // HTTP drivers are made for per-request use: only clients that hold connections or SDK clients count.
  if (!spec || (spec.kind !== 'sdk' && spec.transport !== 'tcp' && spec.transport !== 'websocket')) return undefined;
  return spec.display;
}

/**
 * What an expression says about a promise, from its own text: why it is one (`fetch()`, `a .then() chain`, a package
 * API of the table), or the call whose callee decides (the module's own functions, imports of the project, methods on `this`).
 */
function promiseIn(t: Target, value: ts.Expression, names: ModuleNames, whyOnly = false): { why: string; binding?: BindingUse } | { ref: CallRef } | undefined {
  const e = strip(value);
  const moduleName = (n: string) => !t.params.includes(n) && !t.locals.has(n);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && !names.declared.has('Promise'))
    return { why: 'new Promise(...)' };
  if (!ts.isCallExpression(e)) return undefined;
  const callee = strip(e.expression);
  if (ts.isIdentifier(callee) && callee.text === 'fetch' && !names.declared.has('fetch') && moduleName('fetch')) return { why: 'fetch()' };
  if (ts.isPropertyAccessExpression(callee)) {
    if (THEN_METHODS.has(callee.name.text)) {
      // React's `allReady.then(...)` settles with the streamed body, which the platform waits for anyway.
      const target = strip(callee.expression);
      if (ts.isPropertyAccessExpression(target) && target.name.text === 'allReady') return undefined;
      return { why: `a .${callee.name.text}() chain` };
    }
    const obj = strip(callee.expression);
    if (ts.isIdentifier(obj) && obj.text === 'Promise' && PROMISE_COMBINATORS.has(callee.name.text) && !names.declared.has('Promise'))
      return { why: `Promise.${callee.name.text}()` };
  }
  // One walk down the callee: the member names, the root, and whether a call sits between them
  // (`db.insert(t).values(v)`: root `db`, ['insert', 'values'], through a call).
  const chain: string[] = [];
  let r: ts.Expression = callee;
  let throughCall = false;
  for (;;) {
    if (ts.isCallExpression(r)) {
      throughCall = true;
      r = strip(r.expression);
    } else if (ts.isPropertyAccessExpression(r)) {
      chain.unshift(r.name.text);
      r = strip(r.expression);
    } else break;
  }
  const rootName = ts.isIdentifier(r) ? r.text : undefined;
  // A platform binding reached through `env` (a parameter, `c.env`, `this.env`): decided by the caller's bindings.
  if (names.mentionsEnv) {
    const at = rootName === 'env' ? 0 : chain.indexOf('env') + 1;
    if ((rootName === 'env' || at > 0) && at < chain.length - 1) {
      const binding = { name: chain[at], names: chain.slice(at + 1) };
      return { why: `env.${binding.name}.${binding.names.join('.')}()`, binding };
    }
  }
  // A package API (Resend, Stripe, Prisma ...), called on an import or a module-scope client of it.
  if (rootName !== undefined && moduleName(rootName)) {
    const imp = own(names.imports, rootName);
    const pkg = imp ? packageOf(imp.specifier) : names.clientOf.get(rootName);
    if (pkg) {
      const why = packageApiPromise(
        pkg,
        imp && imp.imported !== '*' && imp.imported !== 'default' && chain.length === 0 ? [] : chain,
        imp && chain.length === 0 ? imp.imported : rootName,
      );
      return why === 'aws' || why === 'query' || why === 'call' ? { why: `${[rootName, ...chain].join('.')}() (${pkg})` } : undefined;
    }
  }
  // A call of the module's own functions, of an import from the project, or a method on `this`: resolved by the graph.
  if (whyOnly || throughCall) return undefined;
  const ref: CallRef | undefined =
    r.kind === ts.SyntaxKind.ThisKeyword
      ? t.cls && chain.length >= 1
        ? { root: 'this', members: chain, cls: t.cls }
        : undefined
      : rootName !== undefined && moduleName(rootName)
        ? { root: rootName, members: chain }
        : undefined;
  return ref && { ref };
}

/** Records what a returned expression says about the function's promise. */
function returned(t: Target, value: ts.Expression, names: ModuleNames): void {
  const facts = t.facts;
  let e = strip(value);
  // `return await helper()` returns what the helper's promise holds: a client it creates is still this call's.
  if (ts.isAwaitExpression(e)) e = strip(e.expression);
  const found = promiseIn(t, e, names);
  if (!found) return;
  const at = names.span(e);
  if ('why' in found) {
    if (!facts.promise && !ts.isAwaitExpression(strip(value)))
      facts.promise = { why: `returns ${found.why}`, at, ...(found.binding ? { binding: found.binding } : {}) };
  } else if ((facts.returns?.length ?? 0) < 4) (facts.returns ??= []).push({ ref: found.ref, at });
}

/**
 * A statement of the function that starts a promise and drops it (`fetch(url);`, `void track(e);`, `p.catch(log);`):
 * the caller cannot await what the function never returns, so the work is cut off with the caller's response.
 */
function dropped(t: Target, stmt: ts.ExpressionStatement, names: ModuleNames): void {
  if (t.facts.floats) return;
  let e = strip(stmt.expression);
  if (ts.isVoidExpression(e)) e = strip(e.expression);
  const found = ts.isCallExpression(e) || ts.isNewExpression(e) ? promiseIn(t, e, names, true) : undefined;
  if (found && 'why' in found) t.facts.floats = { what: found.why, at: names.span(e), ...(found.binding ? { binding: found.binding } : {}) };
}
