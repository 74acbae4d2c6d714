// Finds the functions a platform calls (handlers) in one file, by the conventions of the registry
// (`server/src/conventions/`): this is the scanner that runs the framework modules over the file's tree index.
// A handler's span lets rules tell "inside a handler" from "module scope".
import * as ts from 'typescript';
import type { HandlerInfo, Platform } from '../../../shared/src/types';
import type { ConfiguredHandler } from './project';
import { indexTree, kindTable } from './tree';
import { FRAMEWORKS, PATH_ENTRIES, entryOf, shapeOf } from '../conventions';
import type { Candidate, EntryConvention, EntryId, ScanEnv, ScanFlag, ScanProject, ShapeId } from '../conventions/types';

export { HTTP_METHODS } from '../conventions/shared';
import { hasModifier, isFunctionNode, type FunctionNode } from '../conventions/shared';

/** The path convention a file matches, relative to its project root (the first in registry order), if any. */
export function pathEntry(relPath: string): EntryConvention | undefined {
  for (const e of PATH_ENTRIES) if (e.path!.test(relPath)) return e;
  return undefined;
}

export interface HandlerScan {
  handlers: HandlerInfo[];
  /** The function nodes of `handlers`, same order. */
  nodes: ts.FunctionLikeDeclaration[];
  /** The entry convention that made the file an entry (`next-app-route`, `lambda`, `workers` …), or 'none'. */
  framework: EntryId | 'none';
  /** A `'use server'` directive at the top of the file. */
  useServer: boolean;
  useClient: boolean;
  /** A `.listen(...)` call on a server or app. */
  listens: boolean;
  /** Registration-call and class handlers (Express, Hono, Fastify, NestJS, Deno.serve); they count only in entries. */
  routeCallbacks: Candidate[];
  /** Exports found, by name (`default` for the default export), with the expression or declaration. */
  exports: Map<string, ts.Node>;
  /** `Deno.serve(handler)` was called. */
  denoServe: boolean;
  /** Code of the entry's browser exports (`browserExports`: a route module's component), which no rule looks at. */
  browserCode: ts.Node[];
}

export { isFunctionNode, type FunctionNode } from '../conventions/shared';
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
    if (ts.isFunctionDeclaration(st) && exported) out.set(isDefault ? 'default' : (st.name?.text ?? 'default'), st);
    else if (ts.isClassDeclaration(st) && exported) out.set(isDefault ? 'default' : (st.name?.text ?? 'default'), st);
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
    } else if (
      ts.isExpressionStatement(st) &&
      ts.isBinaryExpression(st.expression) &&
      st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(st.expression.left)
    ) {
      // CommonJS: exports.handler = …, module.exports.handler = …, module.exports = … (all property accesses: the
      // text of other assignments, common at the top of bundled code, is never sliced).
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

const CALL_OR_CLASS = kindTable((k) =>
  k === ts.SyntaxKind.CallExpression || k === ts.SyntaxKind.ClassDeclaration || k === ts.SyntaxKind.ClassExpression ? 1 : 0,
);
const CALL_VISITORS = FRAMEWORKS.flatMap((f) => (f.visitCall ? [f.visitCall] : []));
const CLASS_VISITORS = FRAMEWORKS.flatMap((f) => (f.visitClass ? [f.visitClass] : []));
// The hooks themselves, not the modules: reading `scanFile` off modules of as many shapes was a megamorphic load per file.
const FILE_SCANS = FRAMEWORKS.flatMap((f) => (f.scanFile ? [f.scanFile] : []));

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
  project?: ScanProject;
  /** A function entry reaches the module (role `function-module`): unmistakable route registrations are its handlers. */
  reachedFromEntry?: boolean;
}

const NO_PROJECT: ScanProject = { dependencies: new Set(), frameworkConfigs: [], frameworkSettings: [] };

/**
 * What the framework modules see of the scan of one file. A class, so that its accessors and methods live once on
 * the prototype. As an object literal with getters (which V8 builds as a dictionary-mode object through its
 * runtime), each file's parse tree, which the getters close over, survived V8's young-generation collections until
 * the next full one: promoted bytes on the real-code bench corpus were 360 MB instead of 90 MB, and the collector's
 * time a quarter of a CLI run. Keep per-file objects free of getters and setters.
 */
class FileScanEnv implements ScanEnv {
  readonly sf: ts.SourceFile;
  readonly relPath: string;
  readonly modulePath: string;
  readonly platform: Platform;
  readonly project: ScanProject;
  readonly configuredHandlers: ConfiguredHandler[];
  readonly isWorkerMain: boolean;
  readonly useServer: boolean;
  readonly pathMatch: EntryId | undefined;
  readonly candidates: Candidate[];
  /** Flags of single framework modules (a Next.js page's request-time API calls), for their own path conventions. */
  private readonly flags = new Set<string>();

  constructor(
    input: ScanInput,
    private readonly scan: HandlerScan,
    readonly locals: Map<string, ts.Node>,
    readonly exports: Map<string, ts.Node>,
  ) {
    this.sf = input.sourceFile;
    this.relPath = input.relPath;
    this.modulePath = input.modulePath;
    this.platform = input.platform;
    this.project = input.project ?? NO_PROJECT;
    this.configuredHandlers = input.configuredHandlers;
    this.isWorkerMain = input.isWorkerMain;
    this.useServer = scan.useServer;
    this.pathMatch = pathEntry(input.relPath)?.id;
    this.candidates = scan.routeCallbacks;
  }

  get entry(): EntryId | 'none' {
    return this.scan.framework;
  }

  get handlerCount(): number {
    return this.scan.handlers.length;
  }

  add(shape: ShapeId, name: string, fn: FunctionNode | undefined, nameNode?: ts.Node): boolean {
    const { scan, sf } = this;
    if (!fn || scan.nodes.includes(fn)) return false;
    scan.nodes.push(fn);
    scan.handlers.push({
      name,
      shape,
      kind: shapeOf(shape).label,
      span: { start: fn.getStart(sf), end: fn.getEnd() },
      nameSpan: nameSpanOf(nameNode ?? (fn as ts.FunctionDeclaration).name ?? fn, sf),
      params: paramNames(fn),
    });
    return true;
  }

  setEntry(entry: EntryId): void {
    if (this.scan.framework === 'none') this.scan.framework = entry;
  }

  candidate(c: Candidate): void {
    this.scan.routeCallbacks.push(c);
  }

  mark(flag: ScanFlag): void {
    if (flag === 'listens') this.scan.listens = true;
    else if (flag === 'deno-serve') this.scan.denoServe = true;
    else this.flags.add(flag);
  }

  marked(flag: ScanFlag): boolean {
    return flag === 'listens' ? this.scan.listens : flag === 'deno-serve' ? this.scan.denoServe : this.flags.has(flag);
  }

  exportedFn(name: string): FunctionNode | undefined {
    return this.unwrap(this.exports.get(name));
  }

  nameNodeOf(name: string): ts.Node | undefined {
    const node = this.exports.get(name);
    if (!node) return undefined;
    if (ts.isFunctionDeclaration(node) && node.name) return node.name;
    if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) return node.parent.name;
    return node;
  }

  unwrap(node: ts.Node | undefined): FunctionNode | undefined {
    return unwrapFunction(node, this.sf, this.locals);
  }

  objectMethods(expr: ts.Node | undefined, allowed: ReadonlySet<string>, shape: ShapeId, prefix: string): boolean {
    let obj = expr;
    if (obj && ts.isIdentifier(obj)) obj = this.locals.get(obj.text);
    while (obj && (ts.isAsExpression(obj) || ts.isSatisfiesExpression(obj) || ts.isParenthesizedExpression(obj))) obj = obj.expression;
    if (!obj || !ts.isObjectLiteralExpression(obj)) return false;
    let found = false;
    for (const p of obj.properties) {
      const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (!name || !allowed.has(name)) continue;
      const fn = ts.isMethodDeclaration(p)
        ? p
        : ts.isPropertyAssignment(p)
          ? this.unwrap(p.initializer)
          : ts.isShorthandPropertyAssignment(p)
            ? this.unwrap(p.name)
            : undefined;
      if (fn) {
        this.add(shape, `${prefix}${name}`, fn, p.name);
        found = true;
      }
    }
    return found;
  }
}

/** Scans a file for handler shapes. `framework` is 'none' when the file is not an entry. */
export function scanHandlers(input: ScanInput): HandlerScan {
  const { sourceFile: sf, relPath } = input;
  const dirs = directives(sf);
  const locals = moduleDeclarations(sf);
  const exports = collectExports(sf, locals);
  const scan: HandlerScan = {
    handlers: [],
    nodes: [],
    framework: 'none',
    useServer: dirs.has('use server'),
    useClient: dirs.has('use client'),
    listens: false,
    routeCallbacks: [],
    exports,
    denoServe: false,
    browserCode: [],
  };
  const env = new FileScanEnv(input, scan, locals, exports);
  const unwrap = (node: ts.Node | undefined) => env.unwrap(node);

  // Registration calls and classes: one look at the calls and classes of the file's index, no walk of its own.
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < kinds.length; i++) {
    if (CALL_OR_CLASS[kinds[i]] === 0) continue;
    const node = nodes[i];
    // Indexed loops: this runs for every call of every file, and a for-of allocates an iterator in unoptimized code.
    if (ts.isCallExpression(node)) {
      for (let v = 0; v < CALL_VISITORS.length; v++) CALL_VISITORS[v](node, env);
    } else {
      for (let v = 0; v < CLASS_VISITORS.length; v++) CLASS_VISITORS[v](node as ts.ClassLikeDeclaration, env);
    }
  }

  // Path conventions in registry order: the first whose path matches and whose handlers are there makes the entry
  // (a Nitro project's api/ folder is Nitro's; another api/ folder is Vercel's).
  for (const e of PATH_ENTRIES) {
    if (e.handlers && e.path!.test(relPath) && e.handlers(env)) {
      env.setEntry(e.id);
      break;
    }
  }

  // File-level conventions, in registry order: Server Actions, Lambda, Workers, Deno.serve …
  for (let f = 0; f < FILE_SCANS.length; f++) FILE_SCANS[f](env);

  // Registration-call handlers count in entries, and the unmistakable ones in modules an entry reaches (routers,
  // sub-apps, controllers); a plain library's `emitter.on('x', fn)` stays a plain callback.
  if (scan.framework !== 'none') for (const rc of scan.routeCallbacks) env.add(rc.shape, rc.name, rc.node);
  else if (input.reachedFromEntry) for (const rc of scan.routeCallbacks) if (rc.inModule) env.add(rc.shape, rc.name, rc.node);
  const browser = scan.framework !== 'none' ? entryOf(scan.framework)?.browserExports : undefined;
  if (browser) {
    for (const name of browser) {
      const node = exports.get(name);
      if (!node) continue;
      scan.browserCode.push(node);
      const fn = unwrap(node);
      if (fn && fn !== node) scan.browserCode.push(fn);
    }
  }
  return scan;
}
