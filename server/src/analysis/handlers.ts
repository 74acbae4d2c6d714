// Finds the functions a platform calls (handlers) in one file, by the conventions of spec §1.
// A handler's span lets rules tell "inside a handler" from "module scope".
import * as ts from 'typescript';
import type { HandlerInfo, Platform } from '../../../shared/src/types';
import type { ConfiguredHandler } from './project';
import { indexTree, kindTable } from './tree';

export const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use', 'on', 'route']);
const WORKER_METHODS = new Set(['fetch', 'scheduled', 'queue', 'email', 'tail', 'trace']);
const DURABLE_METHODS = new Set(['fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError']);
const PAGES_FUNCTIONS = /^onRequest(Get|Post|Put|Patch|Delete|Head|Options)?$/;
const NEST_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All', 'MessagePattern', 'EventPattern']);

/** Which file convention a path matches, relative to the project root. */
export type PathConvention =
  | 'next-app-route' | 'next-pages-api' | 'next-middleware' | 'next-proxy' | 'vercel-api' | 'root-server'
  | 'netlify-function' | 'netlify-edge-function' | 'cloudflare-pages-function' | 'supabase-function' | 'amplify-function' | 'none';

export function pathConvention(relPath: string): PathConvention {
  if (/(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/.test(relPath)) return 'next-app-route';
  if (/(^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/.test(relPath)) return 'next-pages-api';
  if (/^(src\/)?middleware\.[cm]?[jt]s$/.test(relPath)) return 'next-middleware';
  if (/^(src\/)?proxy\.[cm]?[jt]s$/.test(relPath)) return 'next-proxy';
  if (/(^|\/)netlify\/edge-functions\/.+\.[cm]?[jt]sx?$/.test(relPath)) return 'netlify-edge-function';
  if (/(^|\/)netlify\/functions\/.+\.[cm]?[jt]sx?$/.test(relPath)) return 'netlify-function';
  if (/(^|\/)supabase\/functions\/[^/]+\/index\.[jt]sx?$/.test(relPath)) return 'supabase-function';
  if (/(^|\/)amplify\/functions\/[^/]+\/handler\.[cm]?[jt]s$/.test(relPath)) return 'amplify-function';
  if (/^api\/.+\.[cm]?[jt]sx?$/.test(relPath)) return 'vercel-api';
  if (/^(src\/)?server\.[cm]?[jt]s$/.test(relPath)) return 'root-server';
  if (/^functions\/.+\.[cm]?[jt]sx?$/.test(relPath)) return 'cloudflare-pages-function';
  return 'none';
}

export interface HandlerScan {
  handlers: HandlerInfo[];
  /** The function nodes of `handlers`, same order. */
  nodes: ts.FunctionLikeDeclaration[];
  /** The conventions that made the file an entry, e.g. `next-app-route`, `lambda`, `workers`. */
  framework: string;
  /** A `'use server'` directive at the top of the file. */
  useServer: boolean;
  useClient: boolean;
  /** A `.listen(...)` call on a server or app. */
  listens: boolean;
  /** Route callbacks (Express, Hono, Fastify) were found; they count as handlers only in entries. */
  routeCallbacks: Array<{ name: string; node: ts.FunctionLikeDeclaration }>;
  /** Exports found, by name (`default` for the default export), with the expression or declaration. */
  exports: Map<string, ts.Node>;
  /** `Deno.serve(handler)` was called. */
  denoServe: boolean;
}

export type FunctionNode = ts.FunctionLikeDeclaration;

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return !!ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === kind);
}

function directives(sf: ts.SourceFile): Set<string> {
  const out = new Set<string>();
  for (const st of sf.statements) {
    if (ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) out.add(st.expression.text);
    else break;
  }
  return out;
}

/** Unwraps `withAuth(async (req) => …)`, `(… as X)`, parentheses: the function that actually handles the request. */
export function unwrapFunction(expr: ts.Node | undefined, sf: ts.SourceFile, locals: Map<string, ts.Node>, depth = 0): FunctionNode | undefined {
  if (!expr || depth > 5) return undefined;
  if (isFunctionNode(expr)) return expr;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isNonNullExpression(expr)) {
    return unwrapFunction(expr.expression, sf, locals, depth + 1);
  }
  if (ts.isIdentifier(expr)) {
    const decl = locals.get(expr.text);
    if (decl && decl !== expr) return unwrapFunction(decl, sf, locals, depth + 1);
    return undefined;
  }
  if (ts.isCallExpression(expr)) {
    // A wrapper such as withAuth(handler) or defineEventHandler(async (event) => ...): the last function argument.
    for (let i = expr.arguments.length - 1; i >= 0; i--) {
      const fn = unwrapFunction(expr.arguments[i], sf, locals, depth + 1);
      if (fn) return fn;
    }
  }
  return undefined;
}

function paramNames(fn: FunctionNode): string[] {
  return fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : p.name.getText()));
}

function nameSpanOf(node: ts.Node, sf: ts.SourceFile): { start: number; end: number } {
  return { start: node.getStart(sf), end: node.getEnd() };
}

/** Module-scope declarations by name: functions, classes and variable initializers. */
export function moduleDeclarations(sf: ts.SourceFile): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) out.set(st.name.text, st);
    else if (ts.isClassDeclaration(st) && st.name) out.set(st.name.text, st);
    else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) out.set(d.name.text, d.initializer);
    }
  }
  return out;
}

function collectExports(sf: ts.SourceFile, locals: Map<string, ts.Node>): Map<string, ts.Node> {
  const out = new Map<string, ts.Node>();
  const setCjs = (name: string, value: ts.Node) => out.set(name, value);
  for (const st of sf.statements) {
    const exported = hasModifier(st, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(st, ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(st) && exported) out.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
    else if (ts.isClassDeclaration(st) && exported) out.set(isDefault ? 'default' : st.name?.text ?? 'default', st);
    else if (ts.isVariableStatement(st) && exported) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.set(d.name.text, d.initializer ?? d);
    } else if (ts.isExportAssignment(st) && !st.isExportEquals) out.set('default', st.expression);
    else if (ts.isExportAssignment(st) && st.isExportEquals) out.set('module.exports', st.expression);
    else if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause) && !st.isTypeOnly) {
      for (const el of st.exportClause.elements) {
        const local = (el.propertyName ?? el.name).text;
        const decl = locals.get(local);
        if (decl) out.set(el.name.text, decl);
      }
    } else if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: exports.handler = …, module.exports.handler = …, module.exports = … .
      const left = st.expression.left;
      const right = st.expression.right;
      const text = left.getText(sf);
      const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(text);
      if (m) setCjs(m[1], right);
      else if (text === 'module.exports') {
        setCjs('module.exports', right);
        if (ts.isObjectLiteralExpression(right)) {
          for (const p of right.properties) {
            if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) setCjs(p.name.text, p.initializer);
            else if (ts.isShorthandPropertyAssignment(p)) setCjs(p.name.text, locals.get(p.name.text) ?? p);
            else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name)) setCjs(p.name.text, p);
          }
        }
      }
    }
  }
  return out;
}

function stringArg(node: ts.Expression | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

const CALL_OR_CLASS = kindTable((k) => (k === ts.SyntaxKind.CallExpression || k === ts.SyntaxKind.ClassDeclaration || k === ts.SyntaxKind.ClassExpression ? 1 : 0));

/** Route callbacks, `.listen()`, `Deno.serve()` and Durable Object / NestJS classes, from the calls and classes of the index. */
function scanCalls(sf: ts.SourceFile, locals: Map<string, ts.Node>, scan: HandlerScan): void {
  // A look at the calls and classes of the file's index, in source order: no walk of its own.
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < kinds.length; i++) {
    if (CALL_OR_CLASS[kinds[i]] === 0) continue;
    const node = nodes[i];
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        const method = callee.name.text;
        if (method === 'listen') scan.listens = true;
        if (method === 'serve' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Deno') {
          const fn = unwrapFunction(node.arguments[node.arguments.length - 1], sf, locals);
          scan.denoServe = true;
          if (fn) scan.routeCallbacks.push({ name: 'Deno.serve handler', node: fn });
        }
        if (ROUTE_METHODS.has(method) && node.arguments.length >= 1) {
          const path = stringArg(node.arguments[0]);
          if (method === 'route' && node.arguments.length === 1 && ts.isObjectLiteralExpression(node.arguments[0])) {
            // fastify.route({ method, url, handler })
            for (const p of node.arguments[0].properties) {
              if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
                const fn = unwrapFunction(p.initializer, sf, locals);
                if (fn) scan.routeCallbacks.push({ name: `${callee.getText(sf)}(…)`, node: fn });
              } else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === 'handler') {
                scan.routeCallbacks.push({ name: `${callee.getText(sf)}(…)`, node: p });
              }
            }
          } else if (path !== undefined || method === 'use' || method === 'on') {
            const label = path !== undefined ? `${callee.getText(sf)}('${path}')` : `${callee.getText(sf)}(…)`;
            for (const arg of node.arguments) {
              const fn = isFunctionNode(arg) ? arg : undefined;
              if (fn) scan.routeCallbacks.push({ name: label, node: fn });
            }
          }
        }
      }
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !member.body) continue;
        const decorators = ts.canHaveDecorators(member) ? ts.getDecorators(member) ?? [] : [];
        const nest = decorators.find((d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && NEST_DECORATORS.has(d.expression.expression.text));
        if (nest) scan.routeCallbacks.push({ name: `${node.name?.text ?? 'controller'}.${member.name.getText(sf)}`, node: member });
      }
    }
  }
}

function isDurableObjectClass(node: ts.Node): node is ts.ClassDeclaration {
  if (!ts.isClassDeclaration(node)) return false;
  const ext = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (ext && /(^|\.)DurableObject$/.test(ext.getText())) return true;
  // The classic shape: constructor(state, env) and a fetch method.
  const ctor = node.members.find(ts.isConstructorDeclaration);
  const hasFetch = node.members.some((m) => ts.isMethodDeclaration(m) && m.name.getText() === 'fetch');
  return !!ctor && ctor.parameters.length === 2 && hasFetch;
}

export interface ScanInput {
  sourceFile: ts.SourceFile;
  /** Path relative to the project root (folder of the platform config) or the workspace. */
  relPath: string;
  /** Absolute path without extension, to match serverless.yml / SAM handlers. */
  modulePath: string;
  platform: Platform;
  configuredHandlers: ConfiguredHandler[];
  /** The wrangler `main` is this file. */
  isWorkerMain: boolean;
}

/** Scans a file for handler shapes. `framework` is 'none' when the file is not an entry. */
export function scanHandlers(input: ScanInput): HandlerScan {
  const { sourceFile: sf, relPath, platform } = input;
  const dirs = directives(sf);
  const locals = moduleDeclarations(sf);
  const exports = collectExports(sf, locals);
  const scan: HandlerScan = {
    handlers: [], nodes: [], framework: 'none', useServer: dirs.has('use server'), useClient: dirs.has('use client'),
    listens: false, routeCallbacks: [], exports, denoServe: false,
  };
  scanCalls(sf, locals, scan);

  const add = (name: string, kind: string, fn: FunctionNode | undefined, nameNode?: ts.Node) => {
    if (!fn || scan.nodes.includes(fn)) return;
    scan.nodes.push(fn);
    scan.handlers.push({
      name, kind, span: { start: fn.getStart(sf), end: fn.getEnd() },
      nameSpan: nameSpanOf(nameNode ?? (fn as ts.FunctionDeclaration).name ?? fn, sf), params: paramNames(fn),
    });
  };
  const exportedFn = (name: string) => unwrapFunction(exports.get(name), sf, locals);
  const nameNodeOf = (name: string): ts.Node | undefined => {
    const node = exports.get(name);
    if (!node) return undefined;
    if (ts.isFunctionDeclaration(node) && node.name) return node.name;
    if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name;
    return node;
  };
  const setFramework = (f: string) => {
    if (scan.framework === 'none') scan.framework = f;
  };
  const objectMethods = (expr: ts.Node | undefined, allowed: Set<string>, kind: string, prefix: string) => {
    let obj = expr;
    if (obj && ts.isIdentifier(obj)) obj = locals.get(obj.text);
    while (obj && (ts.isAsExpression(obj) || ts.isSatisfiesExpression(obj) || ts.isParenthesizedExpression(obj))) obj = obj.expression;
    if (!obj || !ts.isObjectLiteralExpression(obj)) return false;
    let found = false;
    for (const p of obj.properties) {
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (!name || !allowed.has(name)) continue;
      const fn = ts.isMethodDeclaration(p) ? p : ts.isPropertyAssignment(p) ? unwrapFunction(p.initializer, sf, locals) : ts.isShorthandPropertyAssignment(p) ? unwrapFunction(p.name, sf, locals) : undefined;
      if (fn) {
        add(`${prefix}${name}`, kind, fn, p.name);
        found = true;
      }
    }
    return found;
  };

  const convention = pathConvention(relPath);
  switch (convention) {
    case 'next-app-route':
      for (const name of exports.keys()) if (HTTP_METHODS.has(name)) add(name, 'route handler', exportedFn(name), nameNodeOf(name));
      if (scan.handlers.length) setFramework('next-app-route');
      break;
    case 'next-pages-api':
      add('default', 'API route', exportedFn('default') ?? exportedFn('module.exports'), nameNodeOf('default'));
      if (scan.handlers.length) setFramework('next-pages-api');
      break;
    case 'next-middleware':
    case 'next-proxy': {
      const own = convention === 'next-middleware' ? 'middleware' : 'proxy';
      add(own, convention === 'next-middleware' ? 'middleware' : 'proxy', exportedFn(own) ?? exportedFn('default'), nameNodeOf(own) ?? nameNodeOf('default'));
      if (scan.handlers.length) setFramework(convention);
      break;
    }
    case 'vercel-api':
    case 'netlify-function':
    case 'netlify-edge-function': {
      const kind = convention === 'vercel-api' ? 'Vercel function' : convention === 'netlify-function' ? 'Netlify function' : 'Netlify edge function';
      const def = exports.get('default') ?? exports.get('module.exports');
      if (!objectMethods(def, WORKER_METHODS, kind, 'default.')) add('default', kind, unwrapFunction(def, sf, locals), nameNodeOf('default'));
      for (const name of exports.keys()) if (HTTP_METHODS.has(name)) add(name, kind, exportedFn(name), nameNodeOf(name));
      add('handler', 'Netlify function (legacy)', exportedFn('handler'), nameNodeOf('handler'));
      // `export default app` (Express, Hono): the app's route callbacks are the handlers.
      if (def || scan.handlers.length || scan.routeCallbacks.length) setFramework(convention);
      break;
    }
    case 'root-server':
      if (scan.listens && platform === 'vercel') setFramework('vercel-server');
      break;
    case 'cloudflare-pages-function':
      for (const name of exports.keys()) if (PAGES_FUNCTIONS.test(name)) add(name, 'Pages Function', exportedFn(name), nameNodeOf(name));
      if (scan.handlers.length) setFramework('cloudflare-pages-function');
      break;
    case 'supabase-function':
      if (scan.denoServe) setFramework('supabase-function');
      break;
    case 'amplify-function':
      add('handler', 'Lambda handler', exportedFn('handler'), nameNodeOf('handler'));
      if (scan.handlers.length) setFramework('amplify-function');
      break;
    default:
      break;
  }

  if (scan.useServer) {
    for (const [name, node] of exports) {
      const fn = unwrapFunction(node, sf, locals);
      if (fn && hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) add(name, 'Server Action', fn, nameNodeOf(name));
    }
    if (scan.handlers.length) setFramework('next-server-action');
  }

  // Lambda: handlers named in serverless.yml / template.yaml, or the conventional `handler` export.
  for (const h of input.configuredHandlers) {
    if (h.modulePath === input.modulePath) {
      add(h.exportName, 'Lambda handler', exportedFn(h.exportName), nameNodeOf(h.exportName));
      setFramework('lambda');
    }
  }
  if ((platform === 'aws-lambda' || platform === 'unknown') && scan.framework === 'none') {
    const fn = exportedFn('handler');
    if (fn) {
      add('handler', 'Lambda handler', fn, nameNodeOf('handler'));
      setFramework('lambda');
    }
  }

  // Cloudflare Workers: export default { fetch, scheduled, queue } and Durable Object classes.
  if ((platform === 'cloudflare-workers' || platform === 'unknown') && scan.framework === 'none') {
    if (objectMethods(exports.get('default'), WORKER_METHODS, 'Workers handler', '')) setFramework('workers');
    else if (input.isWorkerMain && exports.has('default')) {
      // `export default app` (Hono on Workers): route callbacks are the handlers.
      setFramework('workers');
    }
  }
  if (platform === 'cloudflare-workers' || scan.framework === 'workers') {
    for (const st of sf.statements) {
      if (isDurableObjectClass(st)) {
        for (const m of st.members) {
          if (ts.isMethodDeclaration(m) && m.body && DURABLE_METHODS.has(m.name.getText(sf))) add(`${st.name?.text}.${m.name.getText(sf)}`, 'Durable Object handler', m, m.name);
        }
        setFramework('workers');
      }
    }
  }
  if (scan.denoServe && scan.framework === 'none' && (platform === 'deno-deploy' || platform === 'unknown')) setFramework('deno-serve');

  // Route callbacks and Deno.serve handlers count in entries (and in Vercel root servers).
  if (scan.framework !== 'none') {
    for (const rc of scan.routeCallbacks) add(rc.name, rc.name === 'Deno.serve handler' ? 'Deno.serve handler' : 'route callback', rc.node);
  }
  return scan;
}
