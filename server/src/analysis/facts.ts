// Per-file facts that several rules need, computed lazily and at most once per analysis:
// symbol resolution (own lexical scopes, with a single-file TypeScript program as the fallback), imports,
// handlers, request-derived values.
import * as ts from 'typescript';
import type { FileContext, HandlerInfo } from '../../../shared/src/types';
import { isFunctionNode, type FunctionNode, type HandlerScan } from './handlers';
import { ScopeResolver } from './scopes';
import { indexTree } from './tree';

export interface ImportInfo {
  /** The module specifier, e.g. `pg`, `node:fs`, `./lib/db`. */
  specifier: string;
  /** The string literal node of the specifier. */
  specifierNode: ts.StringLiteralLike;
  /** The whole import statement or call. */
  node: ts.Node;
  kind: 'import' | 'require' | 'dynamic-import' | 're-export';
  /** `import type`, or every named binding is `type`. Type-only imports do not exist at run time. */
  typeOnly: boolean;
  /** Local names bound by the import and the imported name (`default`, `*`, or the export name). */
  bindings: Array<{ local: string; imported: string; node: ts.Node }>;
}

/** Calls whose results are per-request (auth and request-scoped APIs): values derived from them are request state. */
const REQUEST_SCOPED_CALLS = new Set([
  'cookies', 'headers', 'auth', 'getServerSession', 'getSession', 'currentUser', 'getAuth', 'draftMode',
  'getToken', 'verifyToken', 'getUser', 'getCurrentUser', 'requireUser', 'validateRequest', 'getUserFromRequest',
]);

export class FileFacts {
  private program?: ts.Program;
  private typeChecker?: ts.TypeChecker;
  private scopeResolver?: ScopeResolver;
  private importsCache?: ImportInfo[];
  private bindingsCache?: Map<string, { info: ImportInfo; imported: string }>;
  private readonly taintCache = new Map<ts.Node, Set<ts.Symbol>>();
  /** isAtModuleScope per declaration: rules ask about the same few imports and module bindings again and again. */
  private readonly moduleLevel = new Map<ts.Node, boolean>();
  readonly handlerNodes: ReadonlySet<ts.Node>;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly context: FileContext,
    readonly scan: HandlerScan,
    private readonly compilerOptions: ts.CompilerOptions = {},
  ) {
    this.handlerNodes = new Set(context.role.value === 'function-entry' ? scan.nodes : []);
  }

  /**
   * A type checker over this one file (no lib, no imports resolved). Building it (program, binder, checker) cost
   * more than parsing the file, so names are resolved by `scopes` first and this is created only for the
   * positions that need types (property names, e.g. `helpers.send()` resolving to a local method).
   */
  get checker(): ts.TypeChecker {
    if (!this.typeChecker) {
      const sf = this.sourceFile;
      const options: ts.CompilerOptions = { noLib: true, noResolve: true, allowJs: true, checkJs: false, types: [], noEmit: true, ...this.compilerOptions };
      const host: ts.CompilerHost = {
        getSourceFile: (name) => (name === sf.fileName ? sf : undefined),
        getDefaultLibFileName: () => 'lib.d.ts',
        writeFile: () => undefined,
        getCurrentDirectory: () => '/',
        getCanonicalFileName: (f) => f,
        useCaseSensitiveFileNames: () => true,
        getNewLine: () => '\n',
        fileExists: (f) => f === sf.fileName,
        readFile: () => undefined,
        // noResolve still runs module resolution for every import (only the results go unused), and that was a
        // sizeable part of creating this checker; nothing outside this file can resolve here anyway.
        resolveModuleNameLiterals: (literals) => literals.map(() => ({ resolvedModule: undefined })),
        resolveTypeReferenceDirectiveReferences: (refs) => refs.map(() => ({ resolvedTypeReferenceDirective: undefined })),
      };
      this.program = ts.createProgram({ rootNames: [sf.fileName], options, host });
      this.typeChecker = this.program.getTypeChecker();
    }
    return this.typeChecker;
  }

  /** Lexical scopes of this file, built on first use by one walk. */
  get scopes(): ScopeResolver {
    return (this.scopeResolver ??= new ScopeResolver(this.sourceFile));
  }

  /**
   * What `checker.getSymbolAtLocation(node)` answers: from the file's own scopes where they model the position,
   * from the checker otherwise. Symbols from scopes carry `name`, `declarations` and `valueDeclaration`.
   */
  symbolAt(node: ts.Node): ts.Symbol | undefined {
    if (ts.isIdentifier(node)) {
      const r = this.scopes.resolve(node, false);
      if (r !== undefined) return (r ?? undefined) as ts.Symbol | undefined;
    }
    return this.checker.getSymbolAtLocation(node);
  }

  /** The symbol an identifier refers to (following shorthand properties), or undefined. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    if (ts.isIdentifier(node)) {
      const r = this.scopes.resolve(node, true);
      if (r !== undefined) return (r ?? undefined) as ts.Symbol | undefined;
    }
    const checker = this.checker;
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      return checker.getShorthandAssignmentValueSymbol(node.parent);
    }
    return checker.getSymbolAtLocation(node);
  }

  /** The declaration of a symbol that lives at module scope, or undefined when it is local (or unknown). */
  moduleScopeDeclaration(identifier: ts.Node): ts.Declaration | undefined {
    const symbol = this.symbolOf(identifier);
    const decl = symbol?.declarations?.[0];
    if (!decl) return undefined;
    let atModule = this.moduleLevel.get(decl);
    if (atModule === undefined) this.moduleLevel.set(decl, (atModule = isAtModuleScope(decl)));
    return atModule ? decl : undefined;
  }

  /** All import declarations, `require()` calls and dynamic `import()`s of the file. */
  get imports(): ImportInfo[] {
    if (!this.importsCache) this.importsCache = collectImports(this.sourceFile);
    return this.importsCache;
  }

  /** Every identifier of the file spelled `name`, in source order: a look at the file's index, not a walk. */
  identifiersNamed(name: string): ts.Identifier[] {
    const { nodes, kinds } = indexTree(this.sourceFile);
    const out: ts.Identifier[] = [];
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] === ts.SyntaxKind.Identifier && (nodes[i] as ts.Identifier).text === name) out.push(nodes[i] as ts.Identifier);
    }
    return out;
  }

  /** The import that bound a local name, with the imported name (the first, as imports are listed). */
  importOf(localName: string): { info: ImportInfo; imported: string } | undefined {
    if (!this.bindingsCache) {
      this.bindingsCache = new Map();
      for (const info of this.imports) {
        for (const b of info.bindings) if (!this.bindingsCache.has(b.local)) this.bindingsCache.set(b.local, { info, imported: b.imported });
      }
    }
    return this.bindingsCache.get(localName);
  }

  /** The innermost handler whose function contains the node (the node may be the function itself). */
  handlerOf(node: ts.Node): { info: HandlerInfo; fn: FunctionNode } | undefined {
    if (this.handlerNodes.size === 0) return undefined;
    // Subtrees nest, so a node strictly inside a function's range is in it: the few handlers are compared by
    // position instead of walking up from the node. A node touching a handler's bounds (a zero-width node at its
    // end, a parent with the same range) is decided by its parents.
    const fns = this.scan.nodes;
    let best = -1;
    for (let i = 0; i < fns.length; i++) {
      const fn = fns[i];
      if (node.pos < fn.pos || node.end > fn.end) continue;
      if (node !== fn && (node.pos === fn.pos || node.end === fn.end) && !isWithin(node, fn)) continue;
      if (best < 0 || fn.pos > fns[best].pos || (fn.pos === fns[best].pos && fn.end < fns[best].end)) best = i;
    }
    return best < 0 ? undefined : { info: this.scan.handlers[best], fn: fns[best] };
  }

  isInHandler(node: ts.Node): boolean {
    return this.handlerOf(node) !== undefined;
  }

  /**
   * Whether the file's code runs per request: a function entry, or a module reachable from one.
   * State, connection and background rules only speak in such files.
   */
  get isFunctionCode(): boolean {
    const role = this.context.role.value;
    return role === 'function-entry' || role === 'function-module';
  }

  /** Symbols holding request-derived values inside a handler: its request parameters and locals computed from them. */
  requestSymbols(fn: FunctionNode): Set<ts.Symbol> {
    let set = this.taintCache.get(fn);
    if (set) return set;
    set = new Set<ts.Symbol>();
    const addBinding = (name: ts.BindingName) => {
      if (ts.isIdentifier(name)) {
        const s = this.symbolAt(name);
        if (s) set!.add(s);
      } else {
        for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
      }
    };
    const handler = this.handlerOf(fn);
    const framework = this.context.framework.value;
    // Which parameters carry the request: the first always; the second for Next.js (params), Lambda and Netlify (context).
    const requestParams = framework === 'workers' || /route callback/.test(handler?.info.kind ?? '') ? 1 : 2;
    fn.parameters.slice(0, requestParams).forEach((p) => addBinding(p.name));
    // Locals whose initializer or assignment uses a request-derived value, to a fixpoint (two passes suffice in practice).
    const body = fn.body;
    if (body) {
      for (let pass = 0; pass < 2; pass++) {
        const before = set.size;
        forEachDescendant(body, (node) => {
          if (ts.isVariableDeclaration(node) && node.initializer && this.isRequestDerivedWith(node.initializer, set!)) addBinding(node.name);
          else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && this.isRequestDerivedWith(node.right, set!)) {
            const decl = this.symbolOf(node.left)?.declarations?.[0];
            if (decl && !isAtModuleScope(decl)) addBinding(node.left);
          }
          return true;
        });
        if (set.size === before) break;
      }
    }
    this.taintCache.set(fn, set);
    return set;
  }

  /** Whether an expression inside a handler is derived from the request (params, headers, body, auth results). */
  isRequestDerived(expr: ts.Node): boolean {
    const handler = this.handlerOf(expr);
    if (!handler) return false;
    return this.isRequestDerivedWith(expr, this.requestSymbols(handler.fn));
  }

  private isRequestDerivedWith(expr: ts.Node, symbols: Set<ts.Symbol>): boolean {
    let found = false;
    forEachDescendant(expr, (node) => {
      if (found) return false;
      if (ts.isIdentifier(node)) {
        const parent = node.parent;
        // Skip property names in `a.b` (only `a` matters) and keys in object literals.
        if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
        if (ts.isPropertyAssignment(parent) && parent.name === node) return true;
        const s = this.symbolOf(node);
        if (s && symbols.has(s)) found = true;
      } else if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name && REQUEST_SCOPED_CALLS.has(name) && !(ts.isIdentifier(callee) && this.moduleScopeDeclaration(callee) && !this.importOf(callee.text) && isLocalFunctionWithoutParams(this.moduleScopeDeclaration(callee)!))) found = true;
      }
      return !found;
    });
    return found;
  }
}

/** Whether `ancestor` is `node` or one of its parents. */
function isWithin(node: ts.Node, ancestor: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

function isLocalFunctionWithoutParams(decl: ts.Declaration): boolean {
  return ts.isFunctionDeclaration(decl) && decl.parameters.length === 0;
}

/** True when a declaration's nearest enclosing scope is the source file itself. */
export function isAtModuleScope(decl: ts.Node): boolean {
  for (let n = decl.parent; n; n = n.parent) {
    if (ts.isSourceFile(n)) return true;
    if (isFunctionNode(n) || ts.isClassStaticBlockDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) return false;
    if (ts.isBlock(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCatchClause(n)) {
      // Block-scoped let/const/class in a nested block are not module scope; `var` hoists to the module.
      if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && !(decl.parent.flags & ts.NodeFlags.BlockScoped)) continue;
      if (ts.isImportClause(decl) || ts.isImportSpecifier(decl) || ts.isNamespaceImport(decl)) continue;
      return false;
    }
  }
  return false;
}

/** The nearest enclosing function of a node, or undefined at module scope. */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionNode(n)) return n;
  return undefined;
}

/** Iterative pre-order walk; `visit` returns false to skip a node's children. Never recursive, so deep trees are safe. */
export function forEachDescendant(root: ts.Node, visit: (node: ts.Node) => boolean): void {
  const stack: ts.Node[] = [root];
  const children: ts.Node[] = [];
  while (stack.length) {
    const node = stack.pop()!;
    if (!visit(node)) continue;
    children.length = 0;
    ts.forEachChild(node, (c) => {
      children.push(c);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

const REQUIRE_CALL = /\brequire\s*(?:\?\.\s*)?[(</]/;

function collectImports(sf: ts.SourceFile): ImportInfo[] {
  const out: ImportInfo[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteralLike(st.moduleSpecifier)) {
      const clause = st.importClause;
      const bindings: ImportInfo['bindings'] = [];
      let allTypes = !!clause?.isTypeOnly;
      if (clause) {
        if (clause.name) bindings.push({ local: clause.name.text, imported: 'default', node: clause.name });
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) bindings.push({ local: nb.name.text, imported: '*', node: nb.name });
        if (nb && ts.isNamedImports(nb)) {
          for (const el of nb.elements) bindings.push({ local: el.name.text, imported: (el.propertyName ?? el.name).text, node: el });
          if (!clause.isTypeOnly && !clause.name && nb.elements.length > 0 && nb.elements.every((e) => e.isTypeOnly)) allTypes = true;
        }
      }
      out.push({ specifier: st.moduleSpecifier.text, specifierNode: st.moduleSpecifier, node: st, kind: 'import', typeOnly: allTypes, bindings });
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteralLike(st.moduleReference.expression)) {
      out.push({ specifier: st.moduleReference.expression.text, specifierNode: st.moduleReference.expression, node: st, kind: 'require', typeOnly: st.isTypeOnly, bindings: [{ local: st.name.text, imported: '*', node: st.name }] });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteralLike(st.moduleSpecifier)) {
      out.push({ specifier: st.moduleSpecifier.text, specifierNode: st.moduleSpecifier, node: st, kind: 're-export', typeOnly: st.isTypeOnly, bindings: [] });
    }
  }
  // require() and import() anywhere in the file, from the calls of the file's index, looked at only when the text
  // has a call of that shape: `require` followed by `(`, `?.(`, `<T>(` or a comment.
  if (REQUIRE_CALL.test(sf.text) || sf.text.includes('import(')) {
    const { nodes, kinds } = indexTree(sf);
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] !== ts.SyntaxKind.CallExpression) continue;
      const node = nodes[i] as ts.CallExpression;
      const arg = node.arguments[0];
      if (!arg || !ts.isStringLiteralLike(arg)) continue;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
      const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (!isRequire && !isDynamic) continue;
      const bindings: ImportInfo['bindings'] = [];
      const parent = node.parent;
      if (isRequire && ts.isVariableDeclaration(parent)) {
        if (ts.isIdentifier(parent.name)) bindings.push({ local: parent.name.text, imported: '*', node: parent.name });
        else if (ts.isObjectBindingPattern(parent.name)) {
          for (const el of parent.name.elements) {
            if (ts.isIdentifier(el.name)) bindings.push({ local: el.name.text, imported: el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text, node: el });
          }
        }
      }
      out.push({ specifier: arg.text, specifierNode: arg, node, kind: isRequire ? 'require' : 'dynamic-import', typeOnly: false, bindings });
    }
  }
  return out;
}
