// A module's import summary: what it loads at run time, with each import's position and the runtime
// guards around it. The module graph keeps one summary per file, cached by content.
import * as ts from 'typescript';
import type { Runtime, Span } from '../../../shared/src/types';
import { parseSource } from '../analysis/parse';
import { SCRIPT_FILE } from '../../../shared/src/source-files';
import { GUARD_KINDS, isFallbackLoad, unreachableChildren } from '../analysis/guards';
import { detached } from '../analysis/detach';
import { indexTree, isTypeNodeKind, kindTable } from '../analysis/tree';
import { summarizeFunctions, type ModuleFunctions } from './functions';

export interface ModuleImport {
  specifier: string;
  /** The span of the specifier string literal (quotes included). */
  span: Span;
  kind: 'import' | 'require' | 'dynamic-import' | 're-export' | 'side-effect';
  /**
   * `import type`, all-type named imports, or imports whose bindings are used only as types (TypeScript
   * elides those): they do not exist at run time and are never edges.
   */
  typeOnly: boolean;
  /** Set when the import sits in code guarded to one runtime (the guards of `analysis/guards.ts`), e.g. `'node'` inside `NEXT_RUNTIME === 'nodejs'`. */
  onlyIn?: Runtime;
  /** A `require`/`import()` inside `try { } catch` or with `.catch()`: a fallback that may fail safely. */
  fallback: boolean;
}

/** Whether the graph parses a file as JavaScript or TypeScript (by its extension; an `.astro` file's frontmatter too). */
export function isScriptFile(fileName: string): boolean {
  return SCRIPT_FILE.test(fileName);
}

/** What a module's functions do, made from its tree; undefined for a tree the graph cannot summarize. */
export function functionsOfTree(sf: ts.SourceFile): ModuleFunctions {
  return detached(summarizeFunctions(sf));
}

export interface ModuleSummary {
  fileName: string;
  imports: ModuleImport[];
  /** `'use client'` modules run in the browser; reachability for function roles stops there. */
  useClient: boolean;
  /** Text length, for bundle estimates. */
  size: number;
  /** What its functions do, for rules that follow a call into this module (functions.ts). */
  functions?: ModuleFunctions;
  /** The functions' facts without positions: when only this changes, importers' results change but no edge does. */
  functionsKey?: string;
}

/**
 * Whether two summaries give the same graph: everything edges depend on is equal (the spans may differ). Compared
 * where a file is updated rather than kept as a key in each summary, which repeated every specifier.
 */
export function sameEdges(a: ModuleSummary, b: ModuleSummary): boolean {
  if (a.useClient !== b.useClient || a.imports.length !== b.imports.length) return false;
  for (let i = 0; i < a.imports.length; i++) {
    const x = a.imports[i];
    const y = b.imports[i];
    if (x.specifier !== y.specifier || x.kind !== y.kind || x.typeOnly !== y.typeOnly || x.onlyIn !== y.onlyIn || x.fallback !== y.fallback) return false;
  }
  return true;
}

function stripParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

const V_IDENTIFIER = 1;
const V_SKIP = 2;
const V_TYPE = 3;
/** What `valueNames` does with a node of each kind (0: go on to its children). */
const VALUE_ROLE = kindTable((k) => {
  if (k === ts.SyntaxKind.Identifier) return V_IDENTIFIER;
  if (k === ts.SyntaxKind.ImportDeclaration || k === ts.SyntaxKind.InterfaceDeclaration || k === ts.SyntaxKind.TypeAliasDeclaration) return V_SKIP;
  return isTypeNodeKind(k) ? V_TYPE : 0;
});

/**
 * Which of `candidates` (the names imports bind) are used in value positions anywhere in the file (not in types,
 * not as declared names or property keys).
 */
function valueNames(sf: ts.SourceFile, candidates: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  const { nodes, kinds, end } = indexTree(sf);
  for (let i = 0; i < nodes.length; ) {
    const role = VALUE_ROLE[kinds[i]];
    if (role === 0) {
      i++;
    } else if (role === V_IDENTIFIER) {
      const node = nodes[i] as ts.Identifier;
      if (!candidates.has(node.escapedText as string)) {
        i++;
        continue;
      }
      const p = node.parent;
      const isPropertyName = (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node);
      if (!isPropertyName) {
        names.add(node.escapedText as string);
        // Every candidate is used: the rest of the file cannot change the answer.
        if (names.size === candidates.size) break;
      }
      i++;
    } else if (role === V_SKIP) {
      i = end[i];
    } else {
      // `class A extends B` is parsed as a type node, but B is a run-time value. A `typeof x` type query still
      // needs no run-time value, so type nodes are skipped whole.
      const node = nodes[i];
      const classExtends =
        ts.isExpressionWithTypeArguments(node) &&
        ts.isHeritageClause(node.parent) &&
        node.parent.token === ts.SyntaxKind.ExtendsKeyword &&
        ts.isClassLike(node.parent.parent);
      i = classExtends ? i + 1 : end[i];
    }
  }
  return names;
}

/** The run-time names an import clause binds: its default, its namespace, and named imports not marked `type`. */
function clauseLocals(clause: ts.ImportClause): string[] {
  const locals: string[] = [];
  // Names as TypeScript stores them (`escapedText`): `text` is a getter that unescapes, and `valueNames` compares
  // every identifier of the file with these.
  if (clause.name) locals.push(clause.name.escapedText as string);
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) locals.push(nb.name.escapedText as string);
  if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (!el.isTypeOnly) locals.push(el.name.escapedText as string);
  return locals;
}

/** The run-time names the file's import declarations bind: the only names `valueNames` is asked about. */
function importedNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== ts.SyntaxKind.ImportDeclaration) continue;
    const clause = (nodes[i] as ts.ImportDeclaration).importClause;
    if (clause) for (const local of clauseLocals(clause)) names.add(local);
  }
  return names;
}

function isTypeOnlyImport(st: ts.ImportDeclaration, used: () => Set<string>): boolean {
  const clause = st.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const locals = clauseLocals(clause);
  const nb = clause.namedBindings;
  // `import { type A, type B } from 'm'`: every binding is a type.
  if (!clause.name && nb && ts.isNamedImports(nb) && nb.elements.length > 0 && locals.length === 0) return true;
  if (locals.length === 0) return false;
  // TypeScript (and every bundler that strips types) drops an import none of whose bindings is used as a value.
  const names = used();
  return !locals.some((l) => names.has(l));
}

/**
 * Whether the text may load a module by a call: `require(…)`, `require?.(…)`, `require<T>(…)` or `import(…)`,
 * comments allowed before the parenthesis (`/` also matches a division: harmless, it only costs a look at calls).
 * A false negative would miss an import, so the test errs on the side of looking.
 */
function mayLoadByCall(text: string): boolean {
  return /\b(?:require|import)\s*(?:\?\.\s*)?[(</]/.test(text);
}

/**
 * The runtime a node is confined to by the guards around it (`analysis/guards.ts`): what cannot run on the edge runs only on
 * Node, and vice versa. The innermost guard that decides wins.
 */
function confinement(node: ts.Node, cache: Map<ts.Node, [readonly ts.Node[], readonly ts.Node[]]>): Runtime | undefined {
  for (let child = node, a = node.parent; a; child = a, a = a.parent) {
    if (!GUARD_KINDS.has(a.kind)) continue;
    let hit = cache.get(a);
    if (!hit) cache.set(a, (hit = [unreachableChildren(a, 'edge'), unreachableChildren(a, 'node')]));
    if (hit[0].includes(child)) return 'node';
    if (hit[1].includes(child)) return 'edge';
  }
  return undefined;
}

/** The kinds that can load a module: import and export declarations, `import x = require()`, calls. */
const LOADS = kindTable((k) =>
  k === ts.SyntaxKind.ImportDeclaration ||
  k === ts.SyntaxKind.ExportDeclaration ||
  k === ts.SyntaxKind.ImportEqualsDeclaration ||
  k === ts.SyntaxKind.CallExpression
    ? 1
    : 0,
);

/**
 * Summarizes a module's imports, and with `withFunctions` what its functions do (functions.ts). Never throws: an
 * unparseable file has no imports. Without `withFunctions` the summary's `functions` is left for the graph to make
 * on demand (a batch run, where most modules are never called into from function code).
 */
export function summarizeModule(fileName: string, text: string, parse = () => parseSource(fileName, text), withFunctions = true): ModuleSummary {
  const imports: ModuleImport[] = [];
  const parsed = isScriptFile(fileName) ? parse() : { error: 'not a script' };
  let useClient = false;
  let functions: ModuleFunctions | undefined;
  if (!('error' in parsed)) {
    const sf = parsed;
    if (withFunctions) functions = detached(summarizeFunctions(sf));
    let used: Set<string> | undefined;
    const usedNames = () => (used ??= valueNames(sf, importedNames(sf)));
    for (const st of sf.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) break;
      if (st.expression.text === 'use client') useClient = true;
    }
    const spanOf = (lit: ts.Node): Span => ({ start: lit.getStart(sf), end: lit.getEnd() });
    // Import and export declarations, and (when the text has the shape of one) require/import() calls: a look at
    // the kinds of the file's index, not another walk.
    const calls = mayLoadByCall(text);
    const { nodes, kinds } = indexTree(sf);
    const guards = new Map<ts.Node, [readonly ts.Node[], readonly ts.Node[]]>();
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i];
      if (LOADS[kind] === 0) continue;
      if (kind === ts.SyntaxKind.ImportDeclaration) {
        const node = nodes[i] as ts.ImportDeclaration;
        if (!ts.isStringLiteralLike(node.moduleSpecifier)) continue;
        imports.push({
          specifier: node.moduleSpecifier.text,
          span: spanOf(node.moduleSpecifier),
          kind: node.importClause ? 'import' : 'side-effect',
          typeOnly: isTypeOnlyImport(node, usedNames),
          onlyIn: confinement(node, guards),
          fallback: false,
        });
      } else if (kind === ts.SyntaxKind.ExportDeclaration) {
        const node = nodes[i] as ts.ExportDeclaration;
        if (!node.moduleSpecifier || !ts.isStringLiteralLike(node.moduleSpecifier)) continue;
        const allTypes =
          node.isTypeOnly ||
          (!!node.exportClause &&
            ts.isNamedExports(node.exportClause) &&
            node.exportClause.elements.length > 0 &&
            node.exportClause.elements.every((e) => e.isTypeOnly));
        imports.push({
          specifier: node.moduleSpecifier.text,
          span: spanOf(node.moduleSpecifier),
          kind: 're-export',
          typeOnly: allTypes,
          onlyIn: confinement(node, guards),
          fallback: false,
        });
      } else if (kind === ts.SyntaxKind.ImportEqualsDeclaration) {
        const node = nodes[i] as ts.ImportEqualsDeclaration;
        if (!ts.isExternalModuleReference(node.moduleReference) || !ts.isStringLiteralLike(node.moduleReference.expression)) continue;
        imports.push({
          specifier: node.moduleReference.expression.text,
          span: spanOf(node.moduleReference.expression),
          kind: 'require',
          typeOnly: node.isTypeOnly,
          onlyIn: confinement(node, guards),
          fallback: false,
        });
      } else if (kind === ts.SyntaxKind.CallExpression && calls) {
        const node = nodes[i] as ts.CallExpression;
        if (node.arguments.length < 1) continue;
        const arg = stripParens(node.arguments[0]);
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1;
        const isDynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        if ((isRequire || isDynamic) && ts.isStringLiteralLike(arg)) {
          imports.push({
            specifier: arg.text,
            span: spanOf(arg),
            kind: isRequire ? 'require' : 'dynamic-import',
            typeOnly: false,
            onlyIn: confinement(node, guards),
            fallback: isFallbackLoad(node),
          });
        }
      }
    }
  }
  imports.sort((a, b) => a.span.start - b.span.start);
  // The graph keeps summaries of every module it has seen: specifiers are slices of the file's text, so copied.
  const functionsKey = functions && JSON.stringify(functions, (key, value) => (key === 'at' ? undefined : value));
  return { fileName, imports: detached(imports), useClient, size: text.length, functions, functionsKey };
}
