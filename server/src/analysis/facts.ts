// Per-file facts that several rules need, computed lazily and at most once per analysis:
// symbol resolution (own lexical scopes, with a single-file TypeScript program as the fallback), imports,
// handlers, request-derived values.
import * as ts from 'typescript';
import type { FileContext, HandlerInfo } from '../../../shared/src/types';
import { isFunctionNode, type FunctionNode, type HandlerScan } from './handlers';
import { shapeOf } from '../conventions';
import { decoratorName } from '../conventions/shared';

/** A parameter decorated with one of `names` (`@Body() body`). */
function hasDecorator(p: ts.ParameterDeclaration, names: readonly string[]): boolean {
  const decorators = ts.canHaveDecorators(p) ? ts.getDecorators(p) : undefined;
  return !!decorators?.some((d) => names.includes(decoratorName(d) ?? ''));
}
import { ScopeResolver } from './scopes';
import type { CrossFile } from './callees';
import type { BindingKind } from '../conventions/platform-apis';
import { indexOfNode, indexTree, someInSubtree } from './tree';

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
  'cookies',
  'headers',
  'auth',
  'getServerSession',
  'getSession',
  'currentUser',
  'getAuth',
  'draftMode',
  'getToken',
  'verifyToken',
  'getUser',
  'getCurrentUser',
  'requireUser',
  'validateRequest',
  'getUserFromRequest',
]);

/** Rounds of the request-taint fixpoint at most (each is one loop over the handler's body). */
const MAX_TAINT_ROUNDS = 8;

/** A handler's request-derived symbols, and which nodes of its body (index range [start, end)) use one. */
interface Taint {
  symbols: Set<ts.Symbol>;
  start: number;
  end: number;
  uses: Int32Array;
}

/**
 * Options of the single-file programs behind `FileFacts.checker`: no lib, no imports, nothing emitted. The tree of a
 * file with embedded code keeps the file's name (`page.astro`), which a program refuses as an unsupported extension
 * unless `allowNonTsExtensions` (an internal option TypeScript's language service sets for such hosts) is on: the
 * file's tree is then checked like any other.
 */
export const SINGLE_FILE_OPTIONS: ts.CompilerOptions = {
  noLib: true,
  noResolve: true,
  allowJs: true,
  checkJs: false,
  types: [],
  noEmit: true,
  allowNonTsExtensions: true,
} as ts.CompilerOptions;

/** A compiler host that knows one tree and nothing else. */
export function singleFileHost(sf: ts.SourceFile): ts.CompilerHost {
  return {
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
}

/**
 * What building a tree's checker threw, kept on the tree (like its index, see tree.ts) so that no later checker is
 * built over the half-bound tree; only trees whose checker failed carry it.
 */
const CHECKER_FAILURE = Symbol('serverless-lint.checkerFailure');
type WithCheckerFailure = ts.SourceFile & { [CHECKER_FAILURE]?: { error: unknown } };

/**
 * Clears the state TypeScript's binder keeps between binds. The binder is one object for the whole process, and the
 * state of the file it is binding (the current parent, container, block scope, flow, `inAssignmentPattern`) is
 * cleared only when a bind completes. A bind that throws (a stack overflow on a 3,000-term `&&` chain) leaves it set,
 * and the next bind, of any file in any service of the process, starts from it: its first step,
 * `setParent(file, parent)`, gives the new tree's SourceFile the failed tree's deepest node as its parent. Every walk
 * up that tree (the checker's search for a class's outer type parameters, behind `this.x`; the rules' ancestor loops)
 * then goes on into the other file, and the SourceFile keeps that file's whole tree alive. Binding an empty file
 * completes, and so clears all of it.
 */
function resetBinder(): void {
  const empty = ts.createSourceFile('/serverless-lint-reset.ts', '', ts.ScriptTarget.Latest);
  ts.createProgram({ rootNames: [empty.fileName], options: SINGLE_FILE_OPTIONS, host: singleFileHost(empty) }).getTypeChecker();
}

export class FileFacts {
  private program?: ts.Program;
  private typeChecker?: ts.TypeChecker;
  /** The checker overflowed the stack once (see `fromChecker`): it is not asked again. */
  private checkerBroken = false;
  private scopeResolver?: ScopeResolver;
  private importsCache?: ImportInfo[];
  private bindingsCache?: Map<string, { info: ImportInfo; imported: string }>;
  private readonly taintCache = new Map<ts.Node, Taint>();
  /** isAtModuleScope per declaration: rules ask about the same few imports and module bindings again and again. */
  private readonly moduleLevel = new Map<ts.Node, boolean>();
  readonly handlerNodes: ReadonlySet<ts.Node>;
  private readonly memos = new Map<string, unknown>();
  private identifierQuestions = 0;
  private identifiersByName?: Map<ts.__String, ts.Identifier[]>;
  /** Calls followed into the functions they call, when the caller has a module graph (set by the engine). */
  crossFile?: CrossFile;
  /** Cloudflare bindings by name from the project's wrangler config (set by the engine); the file's `Env` types add to them. */
  configBindings?: Readonly<Record<string, BindingKind>>;

  constructor(
    readonly sourceFile: ts.SourceFile,
    readonly context: FileContext,
    readonly scan: HandlerScan,
    private readonly compilerOptions: ts.CompilerOptions = {},
  ) {
    this.handlerNodes = new Set(context.role.value === 'function-entry' || context.role.value === 'function-module' ? scan.nodes : []);
  }

  /**
   * A type checker over this one file (no lib, no imports resolved). Building it (program, binder, checker) cost
   * more than parsing the file, so names are resolved by `scopes` first and this is created only for the
   * positions that need types (property names, e.g. `helpers.send()` resolving to a local method).
   */
  get checker(): ts.TypeChecker {
    if (!this.typeChecker) {
      const sf = this.sourceFile;
      // A tree whose checker could not be built is half bound: TypeScript's binder marks a file bound as it starts
      // (its `locals`), so another program over it would skip the binding and answer from half the file's symbols.
      const failed = (sf as WithCheckerFailure)[CHECKER_FAILURE];
      if (failed !== undefined) throw failed.error;
      try {
        this.program = ts.createProgram({ rootNames: [sf.fileName], options: { ...SINGLE_FILE_OPTIONS, ...this.compilerOptions }, host: singleFileHost(sf) });
        this.typeChecker = this.program.getTypeChecker();
      } catch (e) {
        Object.defineProperty(sf, CHECKER_FAILURE, { value: { error: e } });
        resetBinder();
        throw e;
      }
    }
    return this.typeChecker;
  }

  /**
   * A value of this file computed once per analysis under `key`, for helpers that several findings or rules ask the
   * same question of (the local name of a builtin module for a fix). Kept here rather than in a map keyed by the
   * tree, which would keep trees alive through young-generation collections.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /**
   * An answer of the single-file checker, or undefined once TypeScript's own recursion has overflowed the stack in it:
   * seen on malformed code (`this..ctx.acceptWebSocket(server)` in a Durable Object, from the seeded fuzz run), after
   * which the checker's state is broken and later questions throw too. The checker is only the fallback for names the
   * file's scopes do not model, so its failure means "not known" rather than a failed rule.
   */
  private fromChecker<T>(ask: (checker: ts.TypeChecker) => T): T | undefined {
    if (this.checkerBroken) return undefined;
    try {
      return ask(this.checker);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.checkerBroken = true;
      return undefined;
    }
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
    return this.fromChecker((checker) => checker.getSymbolAtLocation(node));
  }

  /** The symbol an identifier refers to (following shorthand properties), or undefined. */
  symbolOf(node: ts.Node): ts.Symbol | undefined {
    if (ts.isIdentifier(node)) {
      const r = this.scopes.resolve(node, true);
      if (r !== undefined) return (r ?? undefined) as ts.Symbol | undefined;
    }
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      const parent = node.parent;
      return this.fromChecker((checker) => checker.getShorthandAssignmentValueSymbol(parent));
    }
    return this.fromChecker((checker) => checker.getSymbolAtLocation(node));
  }

  /** The declaration of a symbol that lives at module scope, or undefined when it is local (or unknown). */
  moduleScopeDeclaration(identifier: ts.Node): ts.Declaration | undefined {
    if (ts.isIdentifier(identifier) && !ts.isShorthandPropertyAssignment(identifier.parent) && this.scopes.notAtModuleScope(identifier)) return undefined;
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

  /**
   * Every identifier of the file spelled `name`, in source order: a look at the file's index, not a walk. The first
   * name asked loops over the index for that name alone (most files ask one or none); a second files every
   * identifier by name in one loop, for it and the rest (the 1,008-line bench handler asks for ten, one loop each
   * was 0.5 ms of every keystroke).
   */
  identifiersNamed(name: string): readonly ts.Identifier[] {
    const { nodes, kinds } = indexTree(this.sourceFile);
    // Compared as TypeScript stores names: `text` is a getter that unescapes `escapedText` on every read.
    const escaped = ts.escapeLeadingUnderscores(name);
    if (this.identifiersByName) return this.identifiersByName.get(escaped) ?? [];
    if (this.identifierQuestions++ === 0) {
      const out: ts.Identifier[] = [];
      for (let i = 0; i < kinds.length; i++) {
        if (kinds[i] === ts.SyntaxKind.Identifier && (nodes[i] as ts.Identifier).escapedText === escaped) out.push(nodes[i] as ts.Identifier);
      }
      return out;
    }
    const byName = new Map<ts.__String, ts.Identifier[]>();
    for (let i = 0; i < kinds.length; i++) {
      if (kinds[i] !== ts.SyntaxKind.Identifier) continue;
      const id = nodes[i] as ts.Identifier;
      const list = byName.get(id.escapedText);
      if (list) list.push(id);
      else byName.set(id.escapedText, [id]);
    }
    this.identifiersByName = byName;
    return byName.get(escaped) ?? [];
  }

  /**
   * The other identifiers that name what `name` (a declaration's name, or a use) binds: spelled the same and resolved
   * to its symbol, inside `within` when given, in source order. A look at the identifiers of that name, not a walk.
   */
  referencesOf(name: ts.Identifier, within?: ts.Node): ts.Identifier[] {
    const symbol = this.symbolOf(name);
    if (!symbol) return [];
    return this.identifiersNamed(name.text).filter(
      (n) => n !== name && (!within || (within.pos <= n.pos && n.end <= within.end)) && this.symbolOf(n) === symbol,
    );
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
    return this.taintOf(fn).symbols;
  }

  /** Whether an expression inside a handler is derived from the request (params, headers, body, auth results). */
  isRequestDerived(expr: ts.Node): boolean {
    const handler = this.handlerOf(expr);
    if (!handler) return false;
    const taint = this.taintOf(handler.fn);
    const index = indexTree(this.sourceFile);
    const at = taint.start < 0 ? -1 : indexOfNode(index, expr);
    // Inside the body, a lookup in the body's counts; elsewhere (a parameter's default value) a walk.
    if (at >= taint.start && at < taint.end) return taint.uses[index.end[at] - taint.start] - taint.uses[at - taint.start] > 0;
    return this.isRequestDerivedWith(expr, taint.symbols);
  }

  /**
   * A handler's request taint. The parameters that carry the request, then every local whose initializer or
   * assignment uses a tainted value, to a fixpoint. Each round is one loop over the body's range of the file index:
   * `uses[k]` counts the nodes before body node `k` that use a tainted value or are request-scoped calls, so a
   * subtree [i, end[i]) uses one when `uses[end[i] - start] > uses[i - start]`. Identifiers are resolved only when
   * their name is one of the tainted names (a few per handler).
   */
  private taintOf(fn: FunctionNode): Taint {
    let taint = this.taintCache.get(fn);
    if (taint) return taint;
    const symbols = new Set<ts.Symbol>();
    const names = new Set<string>();
    const addBinding = (name: ts.BindingName) => {
      if (ts.isIdentifier(name)) {
        const s = this.symbolAt(name);
        if (s && !symbols.has(s)) {
          symbols.add(s);
          names.add(name.text);
        }
      } else {
        for (const el of name.elements) if (!ts.isOmittedExpression(el)) addBinding(el.name);
      }
    };
    const handler = this.handlerOf(fn);
    // Which parameters carry the request, as the handler's shape declares: the first `params` (whole or
    // destructured), and those with a request decorator (`@Body()`). Without a shape, the first two but in a Worker.
    const request = handler ? shapeOf(handler.info.shape).request : { params: this.context.framework.value === 'workers' ? 1 : 2 };
    fn.parameters.forEach((p, i) => {
      if (i < request.params || (request.decorators && hasDecorator(p, request.decorators))) addBinding(p.name);
    });
    const body = fn.body;
    const index = indexTree(this.sourceFile);
    const start = body ? indexOfNode(index, body) : -1;
    if (start < 0) {
      taint = { symbols, start: -1, end: -1, uses: new Int32Array(1) };
      this.taintCache.set(fn, taint);
      return taint;
    }
    const { nodes, kinds, end: ends } = index;
    const end = ends[start];
    const uses = new Int32Array(end - start + 1);
    // Request-scoped calls do not depend on the tainted set: found once.
    const scopedCall = new Uint8Array(end - start);
    for (let i = start; i < end; i++)
      if (kinds[i] === ts.SyntaxKind.CallExpression && this.isRequestScopedCall(nodes[i] as ts.CallExpression)) scopedCall[i - start] = 1;
    const count = () => {
      for (let i = start; i < end; i++) {
        let hit = scopedCall[i - start];
        if (
          hit === 0 &&
          kinds[i] === ts.SyntaxKind.Identifier &&
          names.has((nodes[i] as ts.Identifier).text) &&
          this.usesSymbolOf(nodes[i] as ts.Identifier, symbols)
        )
          hit = 1;
        uses[i - start + 1] = uses[i - start] + hit;
      }
    };
    const usesTaint = (node: ts.Node) => {
      const i = indexOfNode(index, node);
      return i >= start && i < end && uses[ends[i] - start] > uses[i - start];
    };
    // Rounds until nothing new is tainted (a chain of locals each computed from the previous one needs one round per link).
    for (let round = 0; round < MAX_TAINT_ROUNDS; round++) {
      count();
      const before = symbols.size;
      for (let i = start; i < end; i++) {
        const kind = kinds[i];
        if (kind === ts.SyntaxKind.VariableDeclaration) {
          const decl = nodes[i] as ts.VariableDeclaration;
          if (decl.initializer && usesTaint(decl.initializer)) addBinding(decl.name);
        } else if (kind === ts.SyntaxKind.BinaryExpression) {
          const node = nodes[i] as ts.BinaryExpression;
          if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && usesTaint(node.right)) {
            const decl = this.symbolOf(node.left)?.declarations?.[0];
            if (decl && !isAtModuleScope(decl)) addBinding(node.left);
          }
        }
      }
      if (symbols.size === before) break;
      if (round === MAX_TAINT_ROUNDS - 1) count();
    }
    taint = { symbols, start, end, uses };
    this.taintCache.set(fn, taint);
    return taint;
  }

  /**
   * `cookies()`, `auth()`, `session.getUser()` and the like, unless the callee is a parameterless function of this module:
   * request-derived wherever they are called, whatever the handler's taint.
   */
  isRequestScopedCall(node: ts.CallExpression): boolean {
    const callee = node.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name || !REQUEST_SCOPED_CALLS.has(name)) return false;
    if (!ts.isIdentifier(callee)) return true;
    const local = this.moduleScopeDeclaration(callee);
    return !(local && !this.importOf(callee.text) && isLocalFunctionWithoutParams(local));
  }

  /** Whether an identifier reads one of `symbols`: property names in `a.b` (only `a` counts) and object keys do not. */
  private usesSymbolOf(id: ts.Identifier, symbols: Set<ts.Symbol>): boolean {
    const parent = id.parent;
    if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === id) return false;
    const s = this.symbolOf(id);
    return !!s && symbols.has(s);
  }

  private isRequestDerivedWith(expr: ts.Node, symbols: Set<ts.Symbol>): boolean {
    return someInSubtree(
      expr,
      (node) => (ts.isIdentifier(node) ? this.usesSymbolOf(node, symbols) : ts.isCallExpression(node) && this.isRequestScopedCall(node)),
      undefined,
      this.sourceFile,
    );
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
      out.push({
        specifier: st.moduleReference.expression.text,
        specifierNode: st.moduleReference.expression,
        node: st,
        kind: 'require',
        typeOnly: st.isTypeOnly,
        bindings: [{ local: st.name.text, imported: '*', node: st.name }],
      });
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
            if (ts.isIdentifier(el.name))
              bindings.push({
                local: el.name.text,
                imported: el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text,
                node: el,
              });
          }
        }
      }
      out.push({ specifier: arg.text, specifierNode: arg, node, kind: isRequire ? 'require' : 'dynamic-import', typeOnly: false, bindings });
    }
  }
  return out;
}
