// Decides whether a local module's import of a Node builtin matters to the module that imports it: whether a binding
// of the builtin is used at the module's top level, or in a function that the importer's uses can reach. An edge
// entry that imports a helper module only for a function that never touches the builtin does not run the builtin.
import * as ts from 'typescript';
import type { Span } from '../../../shared/src/types';
import { parseSource } from '../analysis/parse';
import { indexTree, SKIP, walkSubtree } from '../analysis/tree';

function isFunctionNode(n: ts.Node): boolean {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n) ||
    ts.isConstructorDeclaration(n)
  );
}

/** One side of the question: a file, its text, and the import in it (by the span of its specifier literal). */
export interface ImportSite {
  fileName: string;
  text: string;
  span: Span;
}

function parse(site: ImportSite): ts.SourceFile | undefined {
  const parsed = parseSource(site.fileName, site.text);
  if ('error' in parsed) return undefined;
  indexTree(parsed);
  return parsed;
}

/** The statement that holds the import or require whose specifier literal starts at `start`. */
function importStatementAt(sf: ts.SourceFile, start: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  walkSubtree(
    sf,
    (n) => {
      if (n.end <= start || n.pos > start) return SKIP;
      if (ts.isStringLiteralLike(n) && n.getStart(sf) === start) {
        found = n;
        return 2;
      }
    },
    sf,
  );
  for (let p = found; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isVariableDeclaration(p) || ts.isImportEqualsDeclaration(p)) return p;
    if (ts.isSourceFile(p) || ts.isExpressionStatement(p)) return undefined;
  }
  return undefined;
}

/** The names a binding pattern or identifier declares. */
function boundNames(name: ts.BindingName, out: Set<string>): void {
  const pending: ts.BindingName[] = [name];
  for (let n = pending.pop(); n; n = pending.pop()) {
    if (ts.isIdentifier(n)) out.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) pending.push(el.name);
  }
}

/** The local names an import statement binds, or undefined when they cannot be told (a bare side-effect import). */
function localsOf(statement: ts.Node): Set<string> | undefined {
  const names = new Set<string>();
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return undefined;
    if (clause.name) names.add(clause.name.text);
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) names.add(el.name.text);
  } else if (ts.isVariableDeclaration(statement)) {
    boundNames(statement.name, names);
  } else if (ts.isImportEqualsDeclaration(statement)) {
    names.add(statement.name.text);
  } else return undefined;
  return names.size ? names : undefined;
}

/** Whether an identifier is a reference in value position (not a property name, a declared name or a type). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id)
    return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return false;
  for (let q: ts.Node = p; q && !ts.isSourceFile(q); q = q.parent) if (ts.isTypeNode(q) && !ts.isExpressionWithTypeArguments(q)) return false;
  return true;
}

/** The name of the nearest named function, method or accessor around a node; `constructor` for class field initializers. */
function unitOf(node: ts.Node): string | undefined {
  for (let p = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (ts.isConstructorDeclaration(p) || ts.isClassStaticBlockDeclaration(p)) return 'constructor';
    if (ts.isPropertyDeclaration(p) && ts.isClassLike(p.parent)) return 'constructor';
    if (!isFunctionNode(p)) continue;
    const named = (p as ts.FunctionLikeDeclaration).name;
    if (named && (ts.isIdentifier(named) || ts.isStringLiteral(named) || ts.isPrivateIdentifier(named))) return named.text;
    const holder = p.parent;
    if ((ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) && ts.isIdentifier(holder.name))
      return holder.name.text;
    // An anonymous callback: the function that passes it on is the unit (a top-level `app.get(…, () => …)` has none).
  }
  return undefined;
}

/**
 * The names (exports, members) the importer uses from the module, or undefined when it uses the module in a way
 * that could reach anything (the namespace or default passed on, called, spread; a require; a re-export).
 */
function namesUsedByImporter(importer: ImportSite): Set<string> | undefined {
  const sf = parse(importer);
  if (!sf) return undefined;
  const statement = importStatementAt(sf, importer.span.start);
  if (!statement || !ts.isImportDeclaration(statement) || !statement.importClause) return undefined;
  const roots = new Set<string>();
  const objects = new Set<string>();
  const clause = statement.importClause;
  if (clause.name) {
    roots.add('default');
    objects.add(clause.name.text);
  }
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) objects.add(nb.name.text);
  if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) roots.add((el.propertyName ?? el.name).text);
  if (!objects.size) return roots;
  // A default or namespace import: the members read from it are what the importer can reach.
  let escapes = false;
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < nodes.length && !escapes; i++) {
    if (kinds[i] !== ts.SyntaxKind.Identifier) continue;
    const id = nodes[i] as ts.Identifier;
    if (!objects.has(id.text) || !isReference(id)) continue;
    const p = id.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === id) roots.add(p.name.text);
    else escapes = true;
  }
  return escapes ? undefined : roots;
}

/** Top-level declarations by name, the units a name can stand for; methods of classes and object literals too. */
function declarationsByName(sf: ts.SourceFile): Map<string, ts.Node[]> {
  const out = new Map<string, ts.Node[]>();
  const add = (name: string, node: ts.Node) => {
    const list = out.get(name);
    if (list) list.push(node);
    else out.set(name, [node]);
  };
  const { nodes } = indexTree(sf);
  for (const n of nodes) {
    if ((ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n)) && n.name) add(n.name.text, n);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) add(n.name.text, n.initializer);
    else if (
      (ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) &&
      (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name) || ts.isPrivateIdentifier(n.name))
    )
      add(n.name.text, n);
    else if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name)) add(n.name.text, n.initializer);
    else if (ts.isExportAssignment(n)) add('default', n.expression);
    else if (ts.isExportSpecifier(n) && !n.parent.parent.moduleSpecifier) add(n.name.text, n.propertyName ?? n.name);
  }
  for (const st of sf.statements) {
    const exported = (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported) add('default', st);
  }
  return out;
}

/** The names a unit refers to: identifiers and member names in it. A class contributes only what construction runs. */
function namesIn(node: ts.Node, sf: ts.SourceFile, out: string[]): void {
  const roots: ts.Node[] = [];
  if (ts.isClassLike(node)) {
    for (const m of node.members) if (ts.isConstructorDeclaration(m) || ts.isPropertyDeclaration(m) || ts.isClassStaticBlockDeclaration(m)) roots.push(m);
    for (const h of node.heritageClauses ?? []) roots.push(h);
  } else roots.push(node);
  for (const root of roots) {
    walkSubtree(
      root,
      (n) => {
        if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) out.push(n.text);
      },
      sf,
    );
  }
}

/**
 * Whether a local module's import of a builtin (`culprit`, the import's specifier span in that module) matters to
 * `importer` (the module that imports the culprit, at its specifier span): a binding of the builtin is used at the
 * culprit's top level, or in a function or method the importer's uses reach by name. Errs towards `true` whenever
 * the code does something this name-based reading cannot follow.
 */
export function builtinBindingReached(culprit: ImportSite, importer: ImportSite): boolean {
  const sf = parse(culprit);
  if (!sf) return true;
  const statement = importStatementAt(sf, culprit.span.start);
  if (!statement) return true;
  const locals = localsOf(statement);
  if (!locals) return true;
  // Where the builtin's bindings are used: the units holding the uses (top level answers at once).
  const units = new Set<string>();
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < nodes.length; i++) {
    if (kinds[i] !== ts.SyntaxKind.Identifier) continue;
    const id = nodes[i] as ts.Identifier;
    if (!locals.has(id.text) || !isReference(id)) continue;
    const unit = unitOf(id);
    if (unit === undefined) return true;
    units.add(unit);
  }
  if (!units.size) return false;
  const used = namesUsedByImporter(importer);
  if (!used) return true;
  // What the module runs when it loads (top-level statements, function bodies aside), and what the importer uses.
  const pending: string[] = [...used];
  for (const st of sf.statements) {
    if (
      ts.isFunctionDeclaration(st) ||
      ts.isClassDeclaration(st) ||
      ts.isImportDeclaration(st) ||
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st)
    )
      continue;
    walkSubtree(
      st,
      (n) => {
        if (isFunctionNode(n)) return SKIP;
        if (ts.isIdentifier(n)) pending.push(n.text);
      },
      sf,
    );
  }
  const declarations = declarationsByName(sf);
  const seen = new Set<string>();
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    if (units.has(name)) return true;
    for (const decl of declarations.get(name) ?? []) {
      // Referring to a class constructs it: its constructor and field initializers run.
      if (ts.isClassLike(decl)) pending.push('constructor');
      namesIn(decl, sf, pending);
    }
  }
  return false;
}
