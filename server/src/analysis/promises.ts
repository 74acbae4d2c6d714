// Shared knowledge about asynchronous work in handlers: which expressions create promises, where a handler
// sends its response, and how to hand work to the platform's `waitUntil` (the fix several rules offer).
import * as ts from 'typescript';
import type { Fix, TextEdit, WaitUntilForm } from '../../../shared/src/types';
import { entryOf, shapeOf } from '../conventions';
import type { WaitUntilVia } from '../conventions/types';
import type { RuleContext } from './rule';
import type { FileFacts } from './facts';
import type { FunctionNode } from './handlers';
import type { HandlerInfo } from '../../../shared/src/types';
import { importSource, isAsync, packageName, strip, THEN_METHODS } from './ast';
import { enclosingFunction } from './facts';
import { ensureNamedImport, insertAt, replaceNode } from './edits';
import { someInSubtree } from './tree';
import { BINDING_TYPES, bindingCallIsAsync, packageApiPromise, type BindingKind } from '../conventions/platform-apis';

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any', 'resolve', 'reject']);

/**
 * Helpers imported from the project's own modules (not resolvable by the single-file checker) whose names say
 * they send something over the network. Kept short on purpose: a wrong guess here is a false positive.
 */
const ASYNC_HELPER_NAMES = set('sendEmail', 'sendMail', 'sendWelcomeEmail', 'sendNotification', 'sendWebhook', 'sendSlackMessage', 'notifySlack');

function isPromiseType(type: ts.TypeNode | undefined): boolean {
  if (!type) return false;
  if (ts.isTypeReferenceNode(type)) {
    const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
    return name === 'Promise' || name === 'PromiseLike' || name === 'PrismaPromise';
  }
  return false;
}

/**
 * What the callee of a call resolves to in this file: a function-like declaration (`known`), something
 * imported or unresolvable (`unknown`), or a non-function.
 */
function resolveCallee(call: ts.CallExpression, facts: FileFacts): { kind: 'function'; decl: ts.SignatureDeclaration } | { kind: 'unknown' } {
  const callee = strip(call.expression);
  const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : undefined;
  if (!nameNode) return { kind: 'unknown' };
  // A member of something the checker can only type as `any` resolves to nothing: no checker needed to know.
  if (ts.isPropertyAccessExpression(callee) && facts.scopes.isUntyped(callee.expression)) return { kind: 'unknown' };
  const symbol = facts.symbolAt(nameNode);
  const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (!decl) return { kind: 'unknown' };
  if (
    ts.isFunctionDeclaration(decl) ||
    ts.isMethodDeclaration(decl) ||
    ts.isFunctionExpression(decl) ||
    ts.isArrowFunction(decl) ||
    ts.isMethodSignature(decl)
  ) {
    return { kind: 'function', decl };
  }
  if ((ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
    const init = strip(decl.initializer);
    if (ts.isFunctionExpression(init) || ts.isArrowFunction(init)) return { kind: 'function', decl: init };
  }
  if ((ts.isVariableDeclaration(decl) || ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) && decl.type && ts.isFunctionTypeNode(decl.type)) {
    return { kind: 'function', decl: decl.type };
  }
  return { kind: 'unknown' };
}

/** The member names along a call chain, outermost last: `db.insert(t).values(v)` → ['insert', 'values']. */
function chainNames(expr: ts.Expression): { root: ts.Identifier | undefined; names: string[] } {
  const names: string[] = [];
  let e = strip(expr);
  for (;;) {
    if (ts.isCallExpression(e)) e = strip(e.expression);
    else if (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = strip(e.expression);
    } else if (ts.isElementAccessExpression(e)) e = strip(e.expression);
    else break;
  }
  return { root: ts.isIdentifier(e) ? e : undefined, names };
}

/**
 * The package a receiver comes from: imported directly (`import sgMail from '@sendgrid/mail'`), or a client created
 * from an import at module scope (`const resend = new Resend(key)`, `const db = drizzle(pool)`) or in a `const` of
 * the function that uses it.
 */
export function clientPackage(root: ts.Identifier, facts: FileFacts): string | undefined {
  const direct = importSource(facts, root);
  if (direct) return normalizePackage(direct.specifier);
  const decl = facts.moduleScopeDeclaration(root) ?? localConst(root, facts);
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
  let init = strip(decl.initializer);
  if (ts.isAwaitExpression(init)) init = strip(init.expression);
  if (!ts.isNewExpression(init) && !ts.isCallExpression(init)) return undefined;
  const creator = chainNames(init.expression).root ?? (ts.isIdentifier(init.expression) ? init.expression : undefined);
  if (!creator || creator === root) return undefined;
  const source = importSource(facts, creator);
  return source ? normalizePackage(source.specifier) : undefined;
}

/** The `const` declaration a name of a function refers to (never reassigned, so its initializer is what it holds). */
function localConst(root: ts.Identifier, facts: FileFacts): ts.VariableDeclaration | undefined {
  const decl = facts.symbolOf(root)?.declarations?.[0];
  return decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && decl.parent.flags & ts.NodeFlags.Const ? decl : undefined;
}

function normalizePackage(specifier: string): string {
  const pkg = packageName(specifier);
  // `drizzle-orm/neon-http`, `@vercel/analytics/server` and similar subpaths share their package's entry.
  return pkg;
}

/** Whether a name is declared in the file (so a global such as `fetch` is shadowed). */
function isDeclaredLocally(id: ts.Identifier, facts: FileFacts): boolean {
  const symbol = facts.symbolAt(id);
  return !!symbol?.declarations?.length;
}

/**
 * Why an expression evaluates to a promise, as a short description for messages (`fetch()`, "`sendReceipt()`,
 * declared async"), or undefined when it is not known to be one. Resolution is single-file: local functions
 * and methods through the file's scopes (and the checker for members), imported APIs through the curated table above.
 */
export function promiseOrigin(expr: ts.Expression, facts: FileFacts): string | undefined {
  const e = strip(expr);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && !isDeclaredLocally(e.expression, facts))
    return '`new Promise(…)`';
  if (ts.isTaggedTemplateExpression(e)) {
    const root = chainNames(e.tag).root;
    const pkg = root && clientPackage(root, facts);
    if (pkg === '@vercel/postgres' || pkg === '@neondatabase/serverless' || pkg === 'postgres') return `the \`${root!.text}\` query`;
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = strip(e.expression);
  if (ts.isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    if (THEN_METHODS.has(method)) {
      // `body.allReady.then(() => clearTimeout(t))` (React's streaming render, every Remix/React Router entry.server):
      // allReady settles as the streamed response body finishes, which the platform waits for anyway.
      const target = strip(callee.expression);
      if (ts.isPropertyAccessExpression(target) && target.name.text === 'allReady') return undefined;
      return `the \`.${method}()\` chain`;
    }
    const obj = strip(callee.expression);
    if (ts.isIdentifier(obj) && obj.text === 'Promise' && PROMISE_COMBINATORS.has(method) && !isDeclaredLocally(obj, facts)) return `\`Promise.${method}()\``;
  }
  if (ts.isIdentifier(callee) && callee.text === 'fetch' && !isDeclaredLocally(callee, facts)) return '`fetch()`';

  // The label is only built for a call that is reported.
  const label = () => (ts.isPropertyAccessExpression(callee) ? `${chainLabel(callee)}()` : ts.isIdentifier(callee) ? `${callee.text}()` : 'this call');
  const binding = ts.isPropertyAccessExpression(callee) ? bindingCall(callee, facts) : undefined;
  if (binding) return `\`${label()}\` (a ${BINDING_LABELS[binding]} binding call)`;

  const resolved = resolveCallee(e, facts);
  if (resolved.kind === 'function') {
    const decl = resolved.decl;
    if (isAsync(decl)) return `\`${label()}\` (declared async)`;
    if (isPromiseType(decl.type)) return `\`${label()}\` (returns a Promise)`;
    // A local function that is neither async nor declared to return a promise is taken at its word, unless it
    // returns what another function returns (its summary in the module graph follows that call).
    const followed = facts.crossFile?.promise(e);
    return followed ? `\`${label()}\` (${followed.why})` : undefined;
  }
  // A function or method of the project's modules, by its summary: async, or returning fetch(), a package call ...
  const followed = facts.crossFile?.promise(e);
  if (followed) return `\`${label()}\` (${followed.why})`;

  const { root, names } = chainNames(callee);
  if (root) {
    const pkg = clientPackage(root, facts);
    if (pkg) {
      // A package of the platform-APIs table decides (a known package's synchronous member is not a promise).
      const why = packageApiPromise(pkg, names, root.text);
      if (why === 'aws') return `\`${label()}\` (AWS SDK v3)`;
      if (why === 'query') return `\`${label()}\` (${pkg} query)`;
      if (why === 'call') return `\`${label()}\` (${pkg})`;
      if (why === 'sync') return undefined;
    }
    // A helper from the project's own modules whose name says it sends something.
    if (names.length === 0 && ASYNC_HELPER_NAMES.has(root.text)) {
      const source = importSource(facts, root);
      if (source && /^(\.|@\/|~\/|#)/.test(source.specifier)) return `\`${label()}\` (sends over the network)`;
    }
  }
  return undefined;
}

/** How messages name each kind of Cloudflare binding. */
// biome-ignore format: a packed list of labels reads better than one label per line.
const BINDING_LABELS: Record<BindingKind, string> = {
  kv: 'KV', r2: 'R2', d1: 'D1', queue: 'Queues', 'durable-object': 'Durable Object', service: 'service', 'analytics-engine': 'Analytics Engine',
  workflow: 'Workflows', ai: 'Workers AI', vectorize: 'Vectorize', 'rate-limit': 'rate limiting', 'send-email': 'Email', hyperdrive: 'Hyperdrive',
  assets: 'static assets', browser: 'Browser Rendering',
};

/**
 * The Cloudflare bindings of this file's project by name: the wrangler config's, and members of the file's own types
 * whose type is a binding type (`interface Env { CACHE: KVNamespace }`, Hono's `type Bindings = { ... }`).
 */
function bindingsOf(facts: FileFacts): ReadonlyMap<string, BindingKind> {
  return facts.memo('promises.bindings', () => {
    const out = new Map<string, BindingKind>(Object.entries(facts.configBindings ?? {}));
    for (const st of facts.sourceFile.statements) {
      const members = ts.isInterfaceDeclaration(st) ? st.members : ts.isTypeAliasDeclaration(st) && ts.isTypeLiteralNode(st.type) ? st.type.members : undefined;
      for (const m of members ?? []) {
        if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeReferenceNode(m.type) || !ts.isIdentifier(m.type.typeName)) continue;
        const kind = Object.hasOwn(BINDING_TYPES, m.type.typeName.text) ? BINDING_TYPES[m.type.typeName.text] : undefined;
        if (kind && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && !out.has(m.name.text)) out.set(m.name.text, kind);
      }
    }
    return out;
  });
}

/** Whether `env.<name>.<names...>()` returns a promise with this file's bindings (Workers only). */
export function isAsyncBindingCall(facts: FileFacts, name: string, names: readonly string[]): boolean {
  if (facts.context.platform.value !== 'cloudflare-workers') return false;
  const kind = bindingsOf(facts).get(name);
  return !!kind && bindingCallIsAsync(kind, names);
}

/**
 * The kind of binding a call goes to when it returns a promise: `env.CACHE.put(...)`, `c.env.DB.prepare(q).bind(x).run()`,
 * `this.env.ORDERS.get(id).fetch(req)`, or through a local holding a binding's handle (`const stub = env.ROOM.get(id)`).
 */
function bindingCall(callee: ts.PropertyAccessExpression, facts: FileFacts): BindingKind | undefined {
  if (facts.context.platform.value !== 'cloudflare-workers') return undefined;
  const bindings = bindingsOf(facts);
  if (bindings.size === 0) return undefined;
  let names: string[] = [];
  let e: ts.Expression = callee;
  // Two rounds at most: the chain itself, then the initializer of the local it starts from.
  for (let round = 0; round < 2; round++) {
    const part: string[] = [];
    for (;;) {
      e = strip(e);
      if (ts.isCallExpression(e)) e = e.expression;
      else if (ts.isPropertyAccessExpression(e)) {
        part.unshift(e.name.text);
        e = e.expression;
      } else break;
    }
    names = [...part, ...names];
    const rootIsEnv = ts.isIdentifier(e) && e.text === 'env';
    const at = rootIsEnv ? 0 : names.indexOf('env') + 1;
    if (at > 0 || rootIsEnv) {
      const kind = bindings.get(names[at]);
      return kind && bindingCallIsAsync(kind, names.slice(at + 1)) ? kind : undefined;
    }
    if (!ts.isIdentifier(e)) return undefined;
    const decl = facts.symbolAt(e)?.declarations?.[0];
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return undefined;
    e = decl.initializer;
    if (ts.isAwaitExpression(strip(e))) return undefined;
  }
  return undefined;
}

function chainLabel(e: ts.PropertyAccessExpression): string {
  const { root, names } = chainNames(e);
  return [root?.text ?? '…', ...names].join('.');
}

// ---------------------------------------------------------------------------------------------------------
// Responses: where a Node-style handler (Express, Vercel, Next.js pages API, Lambda callback) sends its response.

/** Methods of Express / Node / Fastify response objects that finish the response. */
const SEND_METHODS = set('send', 'json', 'end', 'redirect', 'sendStatus', 'sendFile', 'render', 'jsonp', 'download');

/** The parameter symbols through which a handler responds, as its shape declares: a `res` object, or a Lambda `callback`. */
function responders(handler: { info: HandlerInfo; fn: FunctionNode }, facts: FileFacts): { res?: ts.Symbol; callback?: ts.Symbol } {
  const params = handler.fn.parameters;
  const sym = (i: number) => (params[i] && ts.isIdentifier(params[i].name) ? facts.symbolAt(params[i].name) : undefined);
  const responds = shapeOf(handler.info.shape).responds;
  if (responds.via === 'callback') return { callback: sym(responds.param) };
  if (responds.via === 'res' && params.length > responds.param) return { res: sym(responds.param) };
  return {};
}

const maySendCache = new WeakMap<ts.Node, boolean>();

/**
 * A cheap syntactic pre-check for `responseSentBefore`: whether the handler's body contains any call shaped like
 * a send on its responder parameters, by name (`res.….json(…)`, `callback(…)`). No symbol is resolved; when this
 * is false no statement of the handler can follow a send, so rules skip the resolving work entirely.
 */
export function handlerMaySend(handler: { info: HandlerInfo; fn: FunctionNode }): boolean {
  const cached = maySendCache.get(handler.fn);
  if (cached !== undefined) return cached;
  const params = handler.fn.parameters;
  const name = (i: number) => (params[i] && ts.isIdentifier(params[i].name) ? params[i].name.text : undefined);
  const responds = shapeOf(handler.info.shape).responds;
  const res = responds.via === 'res' && params.length > responds.param ? name(responds.param) : undefined;
  const callback = responds.via === 'callback' ? name(responds.param) : undefined;
  const sends = (node: ts.Node) => {
    if (!ts.isCallExpression(node)) return false;
    const callee = strip(node.expression);
    if (callback && ts.isIdentifier(callee) && callee.text === callback) return true;
    // A helper given the response object may send it (its summary decides, in `sendCallOf`).
    if (res && node.arguments.some((a) => ts.isIdentifier(a) && a.text === res)) return true;
    return !!res && ts.isPropertyAccessExpression(callee) && SEND_METHODS.has(callee.name.text) && chainNames(callee).root?.text === res;
  };
  const found = !!(res || callback) && !!handler.fn.body && someInSubtree(handler.fn.body, sends);
  maySendCache.set(handler.fn, found);
  return found;
}

/** The call that sends the response when `stmt` is `res.json(…)`, `res.status(…).send(…)`, `callback(null, …)`. */
function sendCallOf(stmt: ts.Statement, who: { res?: ts.Symbol; callback?: ts.Symbol }, facts: FileFacts): ts.CallExpression | undefined {
  if (!ts.isExpressionStatement(stmt)) return undefined;
  let e = strip(stmt.expression);
  if (ts.isAwaitExpression(e) || ts.isVoidExpression(e)) e = strip(e.expression);
  if (!ts.isCallExpression(e)) return undefined;
  const callee = strip(e.expression);
  if (who.callback && ts.isIdentifier(callee) && facts.symbolAt(callee) === who.callback) return e;
  if (who.res && ts.isPropertyAccessExpression(callee) && SEND_METHODS.has(callee.name.text)) {
    const { root } = chainNames(callee);
    if (root && facts.symbolAt(root) === who.res) return e;
  }
  if (who.res && helperSend(e, who.res, facts)) return e;
  return undefined;
}

/**
 * What a helper the handler calls with its response object does with it, when its summary says it always sends it
 * (`sendResult(res, data)` where the helper ends in `res.json(...)`): the send in the helper, for messages and chains.
 */
export function helperSend(
  call: ts.CallExpression,
  res: ts.Symbol,
  facts: FileFacts,
): { what: string; fileName: string; at: import('../../../shared/src/types').Span } | undefined {
  const cross = facts.crossFile;
  if (!cross || !call.arguments.some((a) => ts.isIdentifier(a))) return undefined;
  const sends = cross.sends(call);
  if (!sends) return undefined;
  const arg = call.arguments[sends.param];
  if (!arg || !ts.isIdentifier(arg) || facts.symbolAt(arg) !== res) return undefined;
  return { what: sends.what, fileName: sends.fileName, at: sends.at };
}

function exits(stmt: ts.Statement): boolean {
  return ts.isReturnStatement(stmt) || ts.isThrowStatement(stmt);
}

/**
 * The send call a statement performs on some path that then falls through (does not return or throw):
 * the statement itself, or a send inside an `if`/block/`try` that is not followed by a `return` in its block.
 */
function fallthroughSend(stmt: ts.Statement, who: { res?: ts.Symbol; callback?: ts.Symbol }, facts: FileFacts, depth = 0): ts.CallExpression | undefined {
  const direct = sendCallOf(stmt, who, facts);
  if (direct || depth > 4) return direct;
  if (ts.isBlock(stmt)) {
    let sent: ts.CallExpression | undefined;
    for (const s of stmt.statements) {
      if (exits(s)) return undefined;
      sent ??= fallthroughSend(s, who, facts, depth + 1);
    }
    return sent;
  }
  if (ts.isIfStatement(stmt))
    return fallthroughSend(stmt.thenStatement, who, facts, depth + 1) ?? (stmt.elseStatement && fallthroughSend(stmt.elseStatement, who, facts, depth + 1));
  if (ts.isTryStatement(stmt))
    return fallthroughSend(stmt.tryBlock, who, facts, depth + 1) ?? (stmt.finallyBlock && fallthroughSend(stmt.finallyBlock, who, facts, depth + 1));
  return undefined;
}

/**
 * The call that sent the response before `stmt` runs, on the same path through the handler, or undefined.
 * Walks back over earlier statements of each enclosing block, climbing through `if`, blocks and `try` up to
 * the handler's body; loops, `switch` and nested functions end the walk (their control flow is not modelled).
 */
export function responseSentBefore(stmt: ts.Statement, facts: FileFacts): ts.CallExpression | undefined {
  const handler = facts.handlerOf(stmt);
  if (!handler || enclosingFunction(stmt) !== handler.fn) return undefined;
  const who = responders(handler, facts);
  if (!who.res && !who.callback) return undefined;
  // Each block's answers are computed once, for all its statements: asking each statement's earlier statements
  // again made a 100,000-statement handler quadratic (348 s).
  const before = facts.memo('promises.sentBefore', () => new Map<ts.Node, ts.CallExpression | null>());
  let cur: ts.Node = stmt;
  while (cur !== handler.fn.body) {
    const parent: ts.Node = cur.parent;
    if (ts.isBlock(parent)) {
      if (!before.has(cur)) sendsBeforeEach(parent, who, facts, before);
      const send = before.get(cur);
      if (send) return send;
      if (parent === handler.fn.body) return undefined;
      cur = parent;
    } else if (ts.isIfStatement(parent) || ts.isTryStatement(parent) || ts.isLabeledStatement(parent)) {
      cur = parent;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** For every statement of `block`: the send of the nearest earlier statement that sends and falls through, or null. */
function sendsBeforeEach(block: ts.Block, who: { res?: ts.Symbol; callback?: ts.Symbol }, facts: FileFacts, out: Map<ts.Node, ts.CallExpression | null>): void {
  let last: ts.CallExpression | null = null;
  for (const s of block.statements) {
    out.set(s, last);
    last = fallthroughSend(s, who, facts) ?? last;
  }
}

// ---------------------------------------------------------------------------------------------------------
// waitUntil: the platform's way to keep work alive after the response, as text and edits.

export interface WaitUntilPlan {
  /** The wrapper's name in the fix's title ("Wrap in waitUntil()", "Wrap in after()"): the `waitUntil` of its template. */
  wrapper: string;
  /** The wrapped expression, e.g. `waitUntil(x)`, `after(() => x)`, `ctx.waitUntil(x)`. */
  wrapExpression(expr: string): string;
  /**
   * Wrapped statements (an async body), e.g. `waitUntil((async () => {…})())` or `after(async () => {…})`.
   * `body` is already indented; `indent` is the indentation of the line the wrapper starts on.
   */
  wrapStatements(body: string, indent: string): string;
  /** Edits that make the wrapper available: an import, or the handler parameter that carries `waitUntil`. */
  edits: TextEdit[];
}

/**
 * How to hand work to the platform in this handler, following `ctx.context.waitUntilForm`, or undefined when
 * the platform offers no such API to this handler (Lambda, Deno Deploy, Netlify legacy functions, Durable Objects).
 */
export function waitUntilPlan(ctx: RuleContext, at: ts.Node): WaitUntilPlan | undefined {
  const sf = ctx.sourceFile;
  const handler = ctx.facts.handlerOf(at);
  if (!handler) return undefined;
  const { info, fn } = handler;
  const isTs = /\.[cm]?tsx?$/.test(sf.fileName);
  const simple = (callee: string, edits: TextEdit[]): WaitUntilPlan => ({
    wrapper: 'waitUntil',
    edits,
    wrapExpression: (x) => `${callee}(${x})`,
    wrapStatements: (body, indent) => `${callee}((async () => {\n${body}\n${indent}})())`,
  });

  // The entry's own form (Supabase: EdgeRuntime.waitUntil), else the shape's for the platform's form, else the form's default.
  const form = ctx.context.waitUntilForm;
  const entry = entryOf(ctx.context.framework.value)?.waitUntil;
  const via = entry?.any ?? entry?.[form] ?? shapeOf(info.shape).waitUntil?.[form] ?? FORM_DEFAULTS[form];
  switch (via.via) {
    case 'global':
      return simple(via.callee, []);
    case 'import': {
      if (via.style === 'after') {
        const imp = ensureNamedImport(sf, via.from, via.name);
        if (!imp) return undefined;
        return {
          wrapper: via.name,
          edits: imp,
          wrapExpression: (x) => `${via.name}(() => ${x})`,
          wrapStatements: (body, indent) => `${via.name}(async () => {\n${body}\n${indent}})`,
        };
      }
      const imp = ensureNamedImport(sf, via.from, via.name);
      return imp ? simple(via.name, imp) : undefined;
    }
    case 'param': {
      if (via.whenImports && !ctx.facts.imports.some((i) => via.whenImports!.test(i.specifier))) return undefined;
      if (via.property) {
        const holder = propertyHolder(fn, via.param, via.property);
        return holder ? simple(`${holder}.${via.member}`, []) : undefined;
      }
      const name = paramName(fn, via.param);
      if (name) return simple(`${name}.${via.member}`, []);
      // A destructured context (`({ request, waitUntil }) => …`, Pages Functions): call the bound member itself.
      const bound = destructuredMember(fn, via.param, via.member);
      if (bound) return simple(bound, []);
      if (!via.add) return undefined;
      const extra = isTs ? via.add.ts : via.add.js;
      const typeImport = isTs && via.add.typeImport ? ensureNamedImport(sf, via.add.typeImport.from, via.add.typeImport.name, { typeOnly: true }) : [];
      if (!typeImport) return undefined;
      const added = addParameters(sf, fn, via.param, [...extra]);
      const own = extra[extra.length - 1].split(':')[0].trim();
      return added ? simple(`${own}.${via.member}`, [...typeImport, ...added]) : undefined;
    }
    default:
      return undefined;
  }
}

/** What each platform form means for a handler whose shape says nothing about it. */
const FORM_DEFAULTS: Record<WaitUntilForm, WaitUntilVia> = {
  'next-after': { via: 'import', from: 'next/server', name: 'after', style: 'after' },
  'vercel-waitUntil': { via: 'import', from: '@vercel/functions', name: 'waitUntil', style: 'call' },
  'workers-ctx': { via: 'none' },
  'netlify-context': { via: 'none' },
  none: { via: 'none' },
};

/** The local name a destructured parameter binds `member` to (`{ waitUntil }`, `{ waitUntil: defer }`), if any. */
function destructuredMember(fn: FunctionNode, i: number, member: string): string | undefined {
  const p = fn.parameters[i];
  if (!p || !ts.isObjectBindingPattern(p.name)) return undefined;
  for (const el of p.name.elements) {
    const key = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : ts.isIdentifier(el.name) ? el.name.text : undefined;
    if (key === member && ts.isIdentifier(el.name) && !el.dotDotDotToken) return el.name.text;
  }
  return undefined;
}

function paramName(fn: FunctionNode, i: number): string | undefined {
  const p = fn.parameters[i];
  return p && ts.isIdentifier(p.name) ? p.name.text : undefined;
}

/** How the handler names a property of one parameter: `args.context`, or the local a `{ context }` pattern binds. */
function propertyHolder(fn: FunctionNode, i: number, property: string): string | undefined {
  const p = fn.parameters[i];
  if (!p) return undefined;
  if (ts.isIdentifier(p.name)) return `${p.name.text}.${property}`;
  if (!ts.isObjectBindingPattern(p.name)) return undefined;
  for (const el of p.name.elements) {
    const key = el.propertyName ?? el.name;
    if (ts.isIdentifier(key) && key.text === property && ts.isIdentifier(el.name) && !el.dotDotDotToken) return el.name.text;
  }
  return undefined;
}

/**
 * Edits that extend a function's parameter list to `index + 1` parameters, adding the given ones after the
 * last existing parameter (adding parentheses around a lone arrow parameter). `extra` lists the parameters
 * for positions 1..index; only those beyond the current count are used.
 */
function addParameters(sf: ts.SourceFile, fn: FunctionNode, index: number, extra: string[]): TextEdit[] | undefined {
  const params = fn.parameters;
  if (params.length === 0 || params.length > index) return undefined;
  if (params.some((p) => p.dotDotDotToken)) return undefined;
  const missing = extra.slice(extra.length - (index + 1 - params.length));
  const last = params[params.length - 1];
  const text = `, ${missing.join(', ')}`;
  const before = sf.text.slice(0, params[0].getStart(sf)).trimEnd();
  if (ts.isArrowFunction(fn) && !before.endsWith('(')) {
    return [replaceNode(sf, last, `(${last.getText(sf)}${text})`)];
  }
  return [insertAt(last.getEnd(), text)];
}

/** The fix id of "Wrap in waitUntil()" (title `Wrap in {{waitUntil}}()`) in the meta.fixes of the rules that offer it. */
export const WRAP_IN_WAIT_UNTIL = 'wrap-in-wait-until';

/** Builds the "Wrap in waitUntil()" fix for one expression, or undefined when the platform offers no form. */
export function wrapExpressionFix(ctx: RuleContext, expr: ts.Expression, opts: { preferred?: boolean } = {}): Fix | undefined {
  const plan = waitUntilPlan(ctx, expr);
  if (!plan) return undefined;
  const edits = [replaceNode(ctx.sourceFile, expr, plan.wrapExpression(expr.getText(ctx.sourceFile))), ...plan.edits];
  return ctx.fix(WRAP_IN_WAIT_UNTIL, edits, { data: { waitUntil: plan.wrapper }, preferred: opts.preferred });
}
