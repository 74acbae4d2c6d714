// Lexical name resolution for one file without a TypeScript program: one walk records every declaration in its
// scope (block, function, file), and identifiers in value positions are looked up through their enclosing scopes.
// It answers what the single-file type checker answered for local names, at the cost of one walk instead of a
// program, a binder and a checker (a third of the CLI's time in the profile). Positions it does not model
// (property names, types, JSX, exports) and files it does not model (namespaces, enums, `with`) return `undefined`
// from `resolve`, and the caller asks the checker instead.
import * as ts from 'typescript';
import { indexOfNode, indexTree, kindTable } from './tree';

/**
 * A resolved name: the parts of `ts.Symbol` that rules read (`declarations`, `valueDeclaration`, `name`), and an
 * identity that is the same object for every reference to the same declaration.
 */
export interface LocalSymbol {
  readonly name: string;
  readonly escapedName: string;
  declarations?: ts.Declaration[];
  valueDeclaration?: ts.Declaration;
  /**
   * Set where the checker's answer depends on binder details not modelled here: a value sharing its name with
   * an interface or type alias, or declarations TypeScript refuses to merge (it then makes a second symbol).
   * Every question about such a symbol goes to the checker, so identities stay consistent.
   */
  deferred?: boolean;
}

/** The answer of `resolve`: a symbol, `null` for "not declared in this file", or `undefined` for "ask the checker". */
export type Resolution = LocalSymbol | null | undefined;

function newSymbol(name: string, declarations: ts.Declaration[] | undefined): LocalSymbol {
  return { name, escapedName: name, declarations };
}

/** 1 for the kinds that open a function scope: the file, functions, methods, accessors, static blocks. */
const FUNCTION_SCOPE = kindTable((k) => {
  switch (k) {
    case ts.SyntaxKind.SourceFile:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.FunctionExpression:
    case ts.SyntaxKind.ArrowFunction:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.Constructor:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.ClassStaticBlockDeclaration:
      return 1;
    default:
      return 0;
  }
});

function isFunctionScope(node: ts.Node): boolean {
  return FUNCTION_SCOPE[node.kind] === 1;
}

/** Function-likes whose scope has its own `arguments` (arrow functions do not). */
function hasArguments(node: ts.Node): boolean {
  return (
    isFunctionScope(node) &&
    node.kind !== ts.SyntaxKind.SourceFile &&
    node.kind !== ts.SyntaxKind.ArrowFunction &&
    node.kind !== ts.SyntaxKind.ClassStaticBlockDeclaration
  );
}

function isBlockScope(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.Block:
      return !isFunctionScope(node.parent);
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.CaseBlock:
    case ts.SyntaxKind.CatchClause:
      return true;
    default:
      return isFunctionScope(node);
  }
}

const R_SKIP = 1;
const R_UNUSABLE = 2;
const R_TYPE_DECLARATION = 3;
const R_BINARY = 4;
const R_TYPE_NAME = 5;
/** Declarations and scopes: looked at by `declarationScope`, `isFunctionScope` and `isBlockScope`. */
const R_DECLARATION_OR_SCOPE = 6;

/** What the scope pass does with a node of each kind (0: nothing, go on to its children). */
const SCOPE_ROLE = kindTable((k) => {
  switch (k) {
    case ts.SyntaxKind.ModuleDeclaration:
    case ts.SyntaxKind.EnumDeclaration:
    case ts.SyntaxKind.WithStatement:
      return R_UNUSABLE;
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.TypeAliasDeclaration:
      return R_TYPE_DECLARATION;
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.CallSignature:
    case ts.SyntaxKind.ConstructSignature:
    case ts.SyntaxKind.IndexSignature:
    case ts.SyntaxKind.PropertySignature:
      return R_SKIP;
    case ts.SyntaxKind.BinaryExpression:
      return R_BINARY;
    case ts.SyntaxKind.TypeParameter:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.ClassExpression:
      return R_TYPE_NAME;
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration:
    case ts.SyntaxKind.Block:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.CaseBlock:
    case ts.SyntaxKind.CatchClause:
      return R_DECLARATION_OR_SCOPE;
    default:
      if (FUNCTION_SCOPE[k] === 1) return R_DECLARATION_OR_SCOPE;
      // Tokens (identifiers among them) and type nodes.
      return k <= ts.SyntaxKind.LastToken || (k >= ts.SyntaxKind.FirstTypeNode && k <= ts.SyntaxKind.LastTypeNode) ? R_SKIP : 0;
  }
});

/** Whether an identifier is read as a value where it stands (the checker resolves it with the Value meaning). */
function isValuePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case ts.SyntaxKind.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).expression === id;
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.Parameter:
    case ts.SyntaxKind.BindingElement:
    case ts.SyntaxKind.PropertyDeclaration:
      return (p as ts.HasExpressionInitializer).initializer === id;
    case ts.SyntaxKind.TypeQuery:
      return (p as ts.TypeQueryNode).exprName === id;
    case ts.SyntaxKind.ArrowFunction:
      return (p as ts.ArrowFunction).body === id;
    case ts.SyntaxKind.TaggedTemplateExpression:
      return (p as ts.TaggedTemplateExpression).tag === id;
    case ts.SyntaxKind.CallExpression:
    case ts.SyntaxKind.NewExpression:
    case ts.SyntaxKind.ElementAccessExpression:
    case ts.SyntaxKind.BinaryExpression:
    case ts.SyntaxKind.PrefixUnaryExpression:
    case ts.SyntaxKind.PostfixUnaryExpression:
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.AwaitExpression:
    case ts.SyntaxKind.VoidExpression:
    case ts.SyntaxKind.TypeOfExpression:
    case ts.SyntaxKind.DeleteExpression:
    case ts.SyntaxKind.ConditionalExpression:
    case ts.SyntaxKind.ArrayLiteralExpression:
    case ts.SyntaxKind.SpreadElement:
    case ts.SyntaxKind.SpreadAssignment:
    case ts.SyntaxKind.TemplateSpan:
    case ts.SyntaxKind.ReturnStatement:
    case ts.SyntaxKind.ExpressionStatement:
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.SwitchStatement:
    case ts.SyntaxKind.CaseClause:
    case ts.SyntaxKind.ThrowStatement:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.TypeAssertionExpression:
    case ts.SyntaxKind.JsxExpression:
    case ts.SyntaxKind.YieldExpression:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
      return true;
    default:
      return false;
  }
}

/** Declarations whose `name` this resolver binds, and whether they are block-scoped. */
function declarationScope(decl: ts.Node, isJs: boolean): 'block' | 'function' | undefined {
  switch (decl.kind) {
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.BindingElement: {
      // In JavaScript, `const x = require('m')` (or `require('m').y`, or one level of destructuring of either) is
      // bound as an import: in the function's scope, whatever the keyword.
      const possible = ts.isVariableDeclaration(decl) ? decl : decl.parent.parent;
      if (isJs && ts.isVariableDeclaration(possible) && isInitializedToRequire(possible) && !ts.getJSDocTypeTag(decl)) return 'function';
      let n: ts.Node = decl;
      while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
      if (ts.isParameter(n)) return 'function';
      if (ts.isVariableDeclaration(n) && ts.isCatchClause(n.parent)) return 'block';
      if (ts.isVariableDeclaration(n) && ts.isVariableDeclarationList(n.parent)) return n.parent.flags & ts.NodeFlags.BlockScoped ? 'block' : 'function';
      return undefined;
    }
    case ts.SyntaxKind.Parameter:
      return 'function';
    // TypeScript 6 binds every file in strict mode (alwaysStrict defaults to true), where a function declaration
    // is scoped to its block.
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
      return 'block';
    case ts.SyntaxKind.ImportClause:
    case ts.SyntaxKind.ImportSpecifier:
    case ts.SyntaxKind.NamespaceImport:
    case ts.SyntaxKind.ImportEqualsDeclaration:
      return 'function';
    default:
      return undefined;
  }
}

export class ScopeResolver {
  private readonly tables = new Map<ts.Node, Map<string, LocalSymbol>>();
  private readonly declared = new Map<ts.Node, LocalSymbol>();
  private readonly ownNames = new Map<ts.Node, LocalSymbol>();
  private readonly specials = new Map<string, LocalSymbol>();
  /** Names declared anywhere but the file's own scope, and names of named function and class expressions. */
  private readonly localNames = new Set<string>();
  /** Names of named function and class expressions (a module-level one's own name is a module-level declaration). */
  private readonly expressionNames = new Set<string>();
  /** Names of interfaces and type aliases anywhere in the file (their symbols may merge with values). */
  private readonly typeOnlyNames = new Set<string>();
  /** Every name that can denote a type here: interfaces, type aliases, classes, type parameters. */
  private readonly typeNames = new Set<string>();
  /**
   * The file narrows by `instanceof` or by a type predicate (`x is T`, `asserts x`): flow analysis can then give
   * even an `any` a class type, so `isUntyped` never answers for it.
   */
  private narrows = false;
  /**
   * The nodes a name lookup stops at (scopes with their tables, named class expressions), as indices into the
   * file's pre-order index, ascending; and for each, the position in this list of the one enclosing it (-1 for the
   * file). A lookup climbs this chain of scopes, not the identifier's chain of parents, which in a generated
   * `a + a + ... + a` of 40,000 terms is 40,000 long for every `a` (77 s for the file).
   */
  private readonly scopeNodes: number[] = [];
  private readonly scopeParents: number[] = [];
  /** False when the file has constructs the resolver does not model: every question then goes to the checker. */
  readonly usable: boolean;
  private readonly isJs: boolean;

  constructor(private readonly sourceFile: ts.SourceFile) {
    this.isJs = /\.[cm]?jsx?$/.test(sourceFile.fileName);
    this.usable = this.build();
  }

  /**
   * What `checker.getSymbolAtLocation(id)` (or the shorthand value symbol, with `shorthandValue`) answers for an
   * identifier, as a LocalSymbol; `null` when the name is not declared in the file; `undefined` when this
   * position or file is not modelled and only the checker can answer.
   */
  resolve(id: ts.Identifier, shorthandValue: boolean): Resolution {
    if (!this.usable) return undefined;
    const parent = id.parent;
    let r: Resolution;
    if (ts.isShorthandPropertyAssignment(parent) && parent.name === id) r = shorthandValue ? this.lookupValue(id) : undefined;
    else if ((parent as ts.NamedDeclaration).name === id && !ts.isPropertyAccessExpression(parent)) {
      r = ts.isFunctionExpression(parent) || ts.isClassExpression(parent) ? this.ownName(parent) : this.declared.get(parent);
    } else r = isValuePosition(id) ? this.lookupValue(id) : undefined;
    return r?.deferred ? undefined : r;
  }

  /**
   * Whether a value read of `id` certainly resolves to no declaration of the file's own scope: nothing there has its
   * name, nor does a named function or class expression. Answers without the lookup that `resolve` makes, for the
   * parameters and locals most questions are about (`res` of `res.json()`). False: not known, ask `resolve`.
   */
  notAtModuleScope(id: ts.Identifier): boolean {
    if (!this.usable || !isValuePosition(id)) return false;
    const name = id.text;
    if (this.isJs && (name === 'exports' || name === 'module')) return false;
    return !this.tables.get(this.sourceFile)?.has(name) && !this.expressionNames.has(name);
  }

  /**
   * Whether the checker can only give `any` (or an error type) to an expression, so that no member of it can
   * resolve to a declaration: a receiver chain (`a.b(...).c[i]`, `await`, `new`) rooted at a name that is not
   * declared in the file (there is no lib), at an import (never resolved), at a variable annotated with no local
   * type or initialized from such a chain, or at a parameter that is neither annotated with a local type nor
   * contextually typed. Lets callers skip building the checker for `x.method()` questions. (Only for
   * members that are read: in JavaScript, the target of `x.prototype.y = ...` is a declaration of its own.)
   */
  isUntyped(expr: ts.Expression, depth = 0, literals = true): boolean {
    if (!this.usable || this.narrows || depth > 8) return false;
    let e: ts.Expression = expr;
    // Literal shortcuts (below) hold only for members of the array, string or number itself: an element access
    // reaches the element's type (`items[0].id`), and in JavaScript a parenthesized expression may carry a JSDoc
    // type cast (`/** @type {T} */ ([])`).
    let shortcuts = literals;
    while (
      ts.isPropertyAccessExpression(e) ||
      ts.isElementAccessExpression(e) ||
      ts.isCallExpression(e) ||
      ts.isNewExpression(e) ||
      ts.isAwaitExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isParenthesizedExpression(e)
    ) {
      if (ts.isElementAccessExpression(e) || (this.isJs && ts.isParenthesizedExpression(e))) shortcuts = false;
      e = e.expression;
    }
    // Literals: with no lib, the global Array, String and Number types are empty, so no member of an array, a
    // string or a number resolves (unless the file itself declares that global).
    const literalGlobal = literalGlobalType(e);
    if (literalGlobal) return shortcuts && !this.typeNames.has(literalGlobal);
    if (!ts.isIdentifier(e) || !isValuePosition(e)) return false;
    const r = this.resolve(e, false);
    if (r === null) return true;
    if (r?.declarations?.length !== 1) return false;
    const d = r.declarations[0];
    if (ts.isImportClause(d) || ts.isImportSpecifier(d) || ts.isNamespaceImport(d)) return true;
    if (ts.isImportEqualsDeclaration(d)) return ts.isExternalModuleReference(d.moduleReference);
    if (ts.isVariableDeclaration(d) || ts.isBindingElement(d)) {
      const possible = ts.isBindingElement(d) ? d.parent.parent : d;
      if (this.isJs && ts.isVariableDeclaration(possible) && isInitializedToRequire(possible)) return !ts.getJSDocTypeTag(d);
      return this.variableIsUntyped(d, depth, shortcuts);
    }
    if (ts.isParameter(d)) return this.parameterIsUntyped(d, depth, shortcuts);
    return false;
  }

  /** A variable (or a name destructured from one) annotated with no local type, or initialized from an untyped expression. */
  private variableIsUntyped(d: ts.VariableDeclaration | ts.BindingElement, depth: number, literals: boolean): boolean {
    if (this.isJs && (ts.getJSDocType(d) || ts.getJSDocTags(d).length)) return false;
    let v: ts.Node = d;
    if (ts.isBindingElement(d)) {
      if (d.initializer || d.dotDotDotToken) return false;
      v = ts.walkUpBindingElementsAndPatterns(d);
      // A name destructured from an array is one of its elements, which has a type of its own.
      literals = false;
    }
    if (!ts.isVariableDeclaration(v) || !ts.isVariableDeclarationList(v.parent)) return false;
    if (v.type) return this.typeIsUntyped(v.type, literals);
    return !!v.initializer && this.isUntyped(v.initializer, depth + 1, literals);
  }

  private parameterIsUntyped(p: ts.ParameterDeclaration, depth: number, literals: boolean): boolean {
    if (p.initializer || p.dotDotDotToken || !ts.isIdentifier(p.name)) return false;
    const fn = p.parent;
    if (this.isJs && (ts.getJSDocType(p) || ts.getJSDocTags(fn).length || ts.getJSDocTags(fn.parent).length)) return false;
    if (p.type) return this.typeIsUntyped(p.type, literals);
    if (ts.isFunctionDeclaration(fn)) return true;
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
    // Contextual typing: a function is typed by where it stands.
    const at = fn.parent;
    if (ts.isVariableDeclaration(at) && at.initializer === fn) return !at.type || this.typeIsUntyped(at.type, false);
    if (ts.isExportAssignment(at)) return true;
    if (ts.isCallExpression(at) && at.arguments.includes(fn as ts.Expression)) return this.isUntyped(at.expression, depth + 1);
    return false;
  }

  /** A type annotation that names no type of this file: with no lib and no imports resolved, it is an error type. */
  private typeIsUntyped(t: ts.TypeNode, literals: boolean): boolean {
    if (t.kind === ts.SyntaxKind.AnyKeyword) return true;
    // `T[]`, `[A, B]`, `string`, `number`: their own members come from lib's global types, empty here.
    const global = ts.isArrayTypeNode(t) || ts.isTupleTypeNode(t) ? 'Array' : KEYWORD_GLOBALS.get(t.kind);
    if (global) return literals && !this.typeNames.has(global);
    if (!ts.isTypeReferenceNode(t)) return false;
    let n: ts.EntityName = t.typeName;
    while (ts.isQualifiedName(n)) n = n.left;
    return !this.typeNames.has(n.text);
  }

  private ownName(node: ts.FunctionExpression | ts.ClassExpression): LocalSymbol {
    let s = this.ownNames.get(node);
    if (!s) this.ownNames.set(node, (s = newSymbol(node.name!.text, [node])));
    return s;
  }

  private special(name: string, declarations: ts.Declaration[] | undefined): LocalSymbol {
    let s = this.specials.get(name);
    if (!s) this.specials.set(name, (s = newSymbol(name, declarations)));
    return s;
  }

  private lookupValue(id: ts.Identifier): Resolution {
    const name = id.text;
    // CommonJS: the binder makes symbols of `module.exports = …` and `exports.x = …` assignments, even where a
    // parameter of a wrapper has the name; those two names are left to the checker.
    if (this.isJs && (name === 'exports' || name === 'module')) return undefined;
    // A name no function, block or named function/class expression declares can only be the file's own: its table is
    // the one place to look (most references are to imports and module-level declarations).
    if (name !== 'arguments' && !this.localNames.has(name)) {
      const s = this.tables.get(this.sourceFile)?.get(name);
      if (s) return s;
      return this.unresolved(id, name);
    }
    const index = indexTree(this.sourceFile);
    const at = indexOfNode(index, id);
    if (at < 0) return this.lookupByParents(id, name);
    // The innermost scope around the identifier: the last one starting at or before it, or the scope around that
    // one, which the identifier is not in, whose own enclosing scopes are the identifier's.
    const { nodes, end } = index;
    let k = upperBound(this.scopeNodes, at) - 1;
    while (k > 0 && end[this.scopeNodes[k]] <= at) k = this.scopeParents[k];
    for (; k >= 0; k = this.scopeParents[k]) {
      const n = nodes[this.scopeNodes[k]];
      const s = this.tables.get(n)?.get(name);
      if (s) {
        // A parameter list sees the function's parameters, not the locals of its body.
        const body = n.kind !== ts.SyntaxKind.SourceFile && isFunctionScope(n) ? (n as ts.FunctionLikeDeclaration).body : undefined;
        const inParameters = n.kind !== ts.SyntaxKind.SourceFile && isFunctionScope(n) && !(body && id.pos >= body.pos && id.end <= body.end);
        if (!inParameters || s.declarations!.some(isParameterBinding)) return s;
      }
      if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name?.text === name) return this.ownName(n);
      if (name === 'arguments' && hasArguments(n)) return this.special('arguments', undefined);
    }
    return this.unresolved(id, name);
  }

  /** `lookupValue` for an identifier the file's index does not hold (in JSDoc): up its chain of parents. */
  private lookupByParents(id: ts.Identifier, name: string): Resolution {
    let last: ts.Node = id;
    for (let n: ts.Node | undefined = id.parent; n; last = n, n = n.parent) {
      const s = this.tables.get(n)?.get(name);
      if (s) {
        const inParameters = n.kind !== ts.SyntaxKind.SourceFile && isFunctionScope(n) && last !== (n as ts.FunctionLikeDeclaration).body;
        if (!inParameters || s.declarations!.some(isParameterBinding)) return s;
      }
      if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name?.text === name) return this.ownName(n);
      if (name === 'arguments' && hasArguments(n)) return this.special('arguments', undefined);
    }
    return this.unresolved(id, name);
  }

  /** A name no scope of the file declares. */
  private unresolved(id: ts.Identifier, name: string): Resolution {
    // Names the checker knows without a declaration in the file (noLib): it answers with declaration-less symbols.
    if (name === 'undefined' || name === 'globalThis') return this.special(name, []);
    if (this.isJs) {
      // Any unresolved name in a one-argument `require(…)` call resolves to the checker's declaration-less `require`.
      const p = id.parent;
      if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'require' && p.arguments.length === 1)
        return this.special('require', undefined);
    }
    return null;
  }

  private declare(scope: ts.Node, name: string, decl: ts.Declaration, scopeKind: 'block' | 'function'): void {
    if (scope !== this.sourceFile) this.localNames.add(name);
    let table = this.tables.get(scope);
    if (!table) this.tables.set(scope, (table = new Map()));
    let s = table.get(name);
    if (!s) table.set(name, (s = newSymbol(name, [])));
    const list = s.declarations!;
    // TypeScript merges `var` with `var` and function overloads; anything else is a duplicate: it reports it and
    // gives the newcomer a symbol of its own, leaving the first in the table. Function declarations are bound
    // before the other statements of their block, which changes who comes first: those cases go to the checker.
    // A parameter is a function-scoped variable a later `var` merges with; a parameter itself merges with nothing.
    const kind = isParameterBinding(decl) ? undefined : mergeKind(decl, scopeKind, this.isJs);
    // An earlier declaration's scope kind is what `declarationScope` gave it when it was declared.
    if (list.length && (kind === undefined || list.some((d) => mergeKind(d, declarationScope(d, this.isJs)!, this.isJs) !== kind))) {
      if (kind === 'function' || list.some((d) => ts.isFunctionDeclaration(d))) {
        s.deferred = true;
      } else {
        const own = newSymbol(name, [decl]);
        own.valueDeclaration = decl;
        this.declared.set(decl, own);
        return;
      }
    }
    // TypeScript binds a block's function declarations before its other statements (they are hoisted).
    if (ts.isFunctionDeclaration(decl)) {
      let i = 0;
      while (i < list.length && ts.isFunctionDeclaration(list[i])) i++;
      list.splice(i, 0, decl);
    } else {
      list.push(decl);
    }
    s.valueDeclaration = list[0];
    this.declared.set(decl, s);
  }

  /** One pass over the file's index: each declaration into its scope's table. Returns false on constructs that are not modelled. */
  private build(): boolean {
    const sf = this.sourceFile;
    if (TYPE_PREDICATE.test(sf.text)) this.narrows = true;
    const { nodes, kinds, end } = indexTree(sf);
    // The enclosing block and function scopes, as stacks of node indices; a scope is left once the pass is past
    // its subtree (checked when the stack is next used). Nodes of the kinds the table marks 0 (most expressions)
    // cost one load; tokens, identifiers and type nodes hold no declarations: their subtrees are jumped over.
    const blocks: number[] = [0];
    const fns: number[] = [0];
    // The lookup chain (`scopeNodes`): every scope and named class expression, with the one enclosing it.
    const scopeNodes = this.scopeNodes;
    const scopeParents = this.scopeParents;
    const open: number[] = [0];
    scopeNodes.push(0);
    scopeParents.push(-1);
    const record = (i: number) => {
      while (end[scopeNodes[open[open.length - 1]]] <= i) open.pop();
      scopeParents.push(open[open.length - 1]);
      open.push(scopeNodes.length);
      scopeNodes.push(i);
    };
    const count = nodes.length;
    const top = (stack: number[], i: number) => {
      while (end[stack[stack.length - 1]] <= i) stack.pop();
      return stack[stack.length - 1];
    };
    for (let i = 1; i < count; ) {
      const k = kinds[i];
      const role = SCOPE_ROLE[k];
      if (role === 0) {
        i++;
        continue;
      }
      if (role === R_SKIP) {
        i = end[i];
        continue;
      }
      const node = nodes[i];
      switch (role) {
        case R_UNUSABLE:
          return false;
        case R_TYPE_DECLARATION: {
          const name = (node as ts.InterfaceDeclaration | ts.TypeAliasDeclaration).name.text;
          this.typeOnlyNames.add(name);
          this.typeNames.add(name);
          i = end[i];
          continue;
        }
        case R_BINARY:
          if ((node as ts.BinaryExpression).operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword) this.narrows = true;
          i++;
          continue;
        case R_TYPE_NAME: {
          // Every name that can denote a type here (with interfaces and type aliases): a type annotation naming
          // anything else is an error type (see typeIsUntyped).
          const name = (node as ts.TypeParameterDeclaration | ts.ClassLikeDeclaration).name;
          if (name) this.typeNames.add(name.text);
          break;
        }
      }
      if ((k === ts.SyntaxKind.FunctionExpression || k === ts.SyntaxKind.ClassExpression) && (node as ts.FunctionExpression | ts.ClassExpression).name) {
        this.localNames.add((node as ts.FunctionExpression | ts.ClassExpression).name!.text);
        this.expressionNames.add((node as ts.FunctionExpression | ts.ClassExpression).name!.text);
      }
      const scope = declarationScope(node, this.isJs);
      if (scope) {
        const name = (node as ts.NamedDeclaration).name;
        if (name && ts.isIdentifier(name)) {
          const at = scope === 'function' ? top(fns, i) : top(blocks, i);
          this.declare(nodes[at], name.text, node as ts.Declaration, scope);
        }
      }
      // A function's parameters and body share its scope (TypeScript binds them into one table).
      if (isFunctionScope(node)) {
        top(fns, i);
        top(blocks, i);
        fns.push(i);
        blocks.push(i);
        record(i);
      } else if (isBlockScope(node)) {
        top(blocks, i);
        blocks.push(i);
        record(i);
      } else if (k === ts.SyntaxKind.ClassExpression && (node as ts.ClassExpression).name) {
        record(i);
      }
      i++;
    }
    if (this.typeOnlyNames.size) {
      for (const table of this.tables.values()) for (const [name, sym] of table) if (this.typeOnlyNames.has(name)) sym.deferred = true;
    }
    return true;
  }
}

/** The first position in ascending `values` whose value is greater than `value`. */
function upperBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keyword types whose members lib's global interfaces declare. */
const KEYWORD_GLOBALS = new Map<ts.SyntaxKind, string>([
  [ts.SyntaxKind.StringKeyword, 'String'],
  [ts.SyntaxKind.NumberKeyword, 'Number'],
  [ts.SyntaxKind.BooleanKeyword, 'Boolean'],
]);

/** The lib global that types a literal's members: `Array` for `[…]`, `String` for strings and templates, `Number`. */
function literalGlobalType(e: ts.Expression): string | undefined {
  switch (e.kind) {
    case ts.SyntaxKind.ArrayLiteralExpression:
      return 'Array';
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TemplateExpression:
      return 'String';
    case ts.SyntaxKind.NumericLiteral:
      return 'Number';
    default:
      return undefined;
  }
}

/** Which declarations TypeScript merges into one symbol: `var`s with `var`s, function overloads with each other. */
function mergeKind(decl: ts.Declaration, scopeKind: 'block' | 'function', isJs: boolean): 'var' | 'function' | undefined {
  if (ts.isFunctionDeclaration(decl)) return 'function';
  // JavaScript `require` bindings are imports (aliases), which never merge.
  const possible = ts.isBindingElement(decl) ? decl.parent.parent : decl;
  if (isJs && ts.isVariableDeclaration(possible) && isInitializedToRequire(possible)) return undefined;
  if (isParameterBinding(decl)) return 'var';
  if (scopeKind !== 'function' || !(ts.isVariableDeclaration(decl) || ts.isBindingElement(decl))) return undefined;
  const root = ts.isBindingElement(decl) ? ts.walkUpBindingElementsAndPatterns(decl) : decl;
  if (!ts.isVariableDeclaration(root) || !ts.isVariableDeclarationList(root.parent) || root.parent.flags & ts.NodeFlags.BlockScoped) return undefined;
  return 'var';
}

function isInitializedToRequire(decl: ts.VariableDeclaration): boolean {
  let e = decl.initializer;
  while (e && (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e))) e = e.expression;
  return (
    !!e &&
    ts.isCallExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'require' &&
    e.arguments.length === 1 &&
    ts.isStringLiteralLike(e.arguments[0])
  );
}

/**
 * Type predicates (`x is T`, `asserts x`) are return types of signatures anywhere, type nodes included, which the
 * scope walk does not enter; the text is searched for their shape instead (and JSDoc's, in JavaScript).
 */
const TYPE_PREDICATE = /(?:\)\s*:|=>)\s*(?:asserts\s+)?(?:[\w$]+\s+is\s|asserts\s)|@(?:returns?|type)\s*\{[^}]*\s(?:is|asserts)\s/;

function isParameterBinding(d: ts.Declaration): boolean {
  return ts.isParameter(d) || (ts.isBindingElement(d) && ts.isParameter(ts.walkUpBindingElementsAndPatterns(d)));
}
