// Hovers: the runtime card on runtime declarations, handler names and `export default { fetch }`; the plan
// table on `maxDuration`; module-scope mutable bindings; imports judged by the edge rules; `waitUntil`/`after`; and the
// rationale of every diagnostic under the cursor. Reuses the service's cached result; re-parses only the hovered file.
import * as ts from 'typescript';
import type { AnalysisResult, FileContext } from '../../../shared/src/types';
import { declaredRuntime } from '../analysis/context';
import type { FileFacts } from '../analysis/facts';
import { scriptOf, toFileSpan, toScriptOffset } from '../analysis/embedded';
import type { LintService } from '../analysis/service';
import { docsUrl } from '../../../shared/src/docs-urls';
import { ruleById } from '../rules';
import { backgroundCard, durationTable, moduleStateCard, runtimeCard } from './cards';
import { configKindOf } from '../config-checks';
import { configHoverAt } from './config-hover';
import type { ServerContext } from './context';
import { documentUri, guardRequest, InvalidParams, isPosition } from './guard';
import { SOURCE_FILE, uriToPath } from './workspace';

/** The parsed file and its facts, cached per analysis result so several hovers on one version build them once. */
interface Parsed {
  result: AnalysisResult;
  sf: ts.SourceFile;
  facts: FileFacts;
}

const parsedCache = new Map<string, Parsed>();

/**
 * The tree and facts of the analysis the diagnostics came from: the service decides the context exactly as `lint`
 * does (reachability from an entry included), so a hover and the squiggles agree on the file's role.
 */
function parsedFor(service: LintService, fileName: string, text: string, result: AnalysisResult): Parsed | undefined {
  const hit = parsedCache.get(fileName);
  if (hit && hit.result === result) return hit;
  const own = service.factsOf(fileName, text);
  if (!own) return undefined;
  const parsed = { result, sf: own.sourceFile, facts: own.facts };
  parsedCache.set(fileName, parsed);
  // One entry per open file is plenty; drop the oldest beyond a few dozen so closed files do not pile up.
  if (parsedCache.size > 32) parsedCache.delete(parsedCache.keys().next().value!);
  return parsed;
}

/** Drops the parse of one file (closed), or of every file (config changed: contexts may differ). */
export function forgetParsed(fileName?: string): void {
  if (fileName === undefined) parsedCache.clear();
  else parsedCache.delete(fileName);
}

/** The innermost node whose own text (without leading trivia) contains the offset: down one path, no recursion. */
function nodeAt(sf: ts.SourceFile, offset: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  for (let node: ts.Node | undefined = sf; node; ) {
    // Siblings' own texts do not overlap: at most one child holds the offset.
    node = ts.forEachChild(node, (c) => (offset >= c.getStart(sf) && offset < c.getEnd() ? c : undefined));
    if (node) found = node;
  }
  return found;
}

const isFunctionCode = (ctx: FileContext) => ctx.role.value === 'function-entry' || ctx.role.value === 'function-module';

function isExported(st: ts.Node): boolean {
  return ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** `export const <name> = …` at the top level: the declaration whose name is this identifier. */
function exportedConstNamed(id: ts.Identifier): boolean {
  const decl = id.parent;
  return (
    ts.isVariableDeclaration(decl) &&
    decl.name === id &&
    ts.isVariableDeclarationList(decl.parent) &&
    ts.isVariableStatement(decl.parent.parent) &&
    ts.isSourceFile(decl.parent.parent.parent) &&
    isExported(decl.parent.parent)
  );
}

/** `export default { fetch … }` (Workers, Vercel): the export assignment when the offset is on `export default`. */
function workersDefaultExport(node: ts.Node, offset: number): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isExportAssignment(n) && !n.isExportEquals) {
      let e: ts.Expression = n.expression;
      while (ts.isSatisfiesExpression(e) || ts.isAsExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
      const hasFetch = ts.isObjectLiteralExpression(e) && e.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'fetch');
      return hasFetch && offset < n.expression.getStart();
    }
  }
  return false;
}

function importHover(result: AnalysisResult, ctx: FileContext, importNode: ts.Node, specifier: string, sf: ts.SourceFile): string | undefined {
  // Findings are in the file's offsets; the tree may be an embedded script's (an Astro frontmatter).
  const script = scriptOf(sf);
  const own = { start: importNode.getStart(sf), end: importNode.getEnd() };
  const { start, end } = script ? toFileSpan(script, own) : own;
  const flagged = result.findings.filter((f) => ruleById(f.ruleId)?.meta.category === 'edge' && f.span.start < end && f.span.end > start);
  if (flagged.length) {
    return [`**\`${specifier}\`** is not supported on this runtime`, '', ...flagged.map((f) => `- ${f.message} (\`${f.ruleId}\`)`)].join('\n');
  }
  if (ctx.runtime.value !== 'edge') return undefined;
  const compat = ctx.platform.value === 'cloudflare-workers' && ctx.nodejsCompat ? ' with `nodejs_compat`' : '';
  return `**\`${specifier}\`** — no edge rule flags this import: it is expected to run on the edge runtime${compat} (not a Node-only builtin, native addon or Node-only package as far as the analysis can see).`;
}

/** The hover's Markdown at an offset, or undefined when there is nothing to say. */
export function hoverAt(service: LintService, fileName: string, text: string, offset: number): string | undefined {
  const result = service.lint(fileName, text);
  const ctx = result.context;
  const parts: string[] = [];

  for (const f of result.findings) {
    if (offset < f.span.start || offset > f.span.end) continue;
    const rule = ruleById(f.ruleId);
    if (!rule) continue;
    parts.push(`**${rule.meta.id}** — ${rule.meta.summary}\n\n${rule.meta.why}\n\n${rule.meta.action}\n\n[Documentation](${docsUrl(rule.meta.id)})`);
  }

  const card = result.skipped ? undefined : nodeHover(service, fileName, text, offset, result, ctx);
  if (card) parts.push(card);
  return parts.length ? parts.join('\n\n---\n\n') : undefined;
}

function nodeHover(service: LintService, fileName: string, text: string, fileOffset: number, result: AnalysisResult, ctx: FileContext): string | undefined {
  const handler = ctx.handlers.find((h) => fileOffset >= h.nameSpan.start && fileOffset < h.nameSpan.end);
  if (handler) return runtimeCard(ctx, `${handler.name} (${handler.kind})`);

  const parsed = parsedFor(service, fileName, text, result);
  if (!parsed) return undefined;
  const { sf, facts } = parsed;
  // The tree of a file with embedded code is its script's: the offset is looked up there, and text outside the
  // code (an Astro template) has nothing to show.
  const script = scriptOf(sf);
  const offset = script ? toScriptOffset(script, fileOffset) : fileOffset;
  if (offset === undefined) return undefined;
  const node = nodeAt(sf, offset);
  if (!node) return undefined;

  const declared = declaredRuntime(sf);
  if (declared && offset >= declared.node.getStart(sf) && offset < declared.node.getEnd()) return runtimeCard(ctx);
  if (ts.isIdentifier(node) && (node.text === 'runtime' || node.text === 'config') && exportedConstNamed(node)) return runtimeCard(ctx);
  if (workersDefaultExport(node, offset)) return runtimeCard(ctx, 'export default');

  if (ts.isIdentifier(node) && node.text === 'maxDuration') {
    const p = node.parent;
    if (exportedConstNamed(node) || ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name === node)) return durationTable(ctx);
  }

  if (ts.isStringLiteralLike(node)) {
    const imp = facts.imports.find((i) => i.specifierNode === node);
    if (imp && !imp.typeOnly) return importHover(result, ctx, imp.node, imp.specifier, sf);
  }

  if (ts.isIdentifier(node)) {
    const bg = backgroundCall(node, facts);
    if (bg) return backgroundCard(ctx, bg);
    if (isFunctionCode(ctx)) {
      const state = mutableModuleBinding(node, facts);
      if (state) return moduleStateCard(ctx, node.text, state);
    }
  }
  return undefined;
}

/** `waitUntil(…)` from @vercel/functions, `after(…)` from next/server, or `<x>.waitUntil(…)` (Workers, Netlify, Supabase). */
function backgroundCall(id: ts.Identifier, facts: FileFacts): string | undefined {
  const p = id.parent;
  if (id.text === 'waitUntil' && ts.isPropertyAccessExpression(p) && p.name === id) return `${p.expression.getText()}.waitUntil`;
  if (id.text !== 'waitUntil' && id.text !== 'after') return undefined;
  const imported = facts.importOf(id.text);
  if (!imported) return undefined;
  if (id.text === 'after' && imported.info.specifier === 'next/server' && imported.imported === 'after') return 'after';
  if (id.text === 'waitUntil' && imported.info.specifier.startsWith('@vercel/functions') && imported.imported === 'waitUntil') return 'waitUntil';
  return undefined;
}

/** What kind of mutable module-scope binding an identifier refers to, if it is one. */
function mutableModuleBinding(id: ts.Identifier, facts: FileFacts): string | undefined {
  const decl = facts.moduleScopeDeclaration(id);
  if (!decl || !ts.isVariableDeclaration(decl) || !ts.isVariableDeclarationList(decl.parent)) return undefined;
  const list = decl.parent;
  if (!(list.flags & ts.NodeFlags.Const)) return list.flags & ts.NodeFlags.Let ? '`let` binding' : '`var` binding';
  let init = decl.initializer;
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (!init) return undefined;
  if (ts.isArrayLiteralExpression(init)) return 'array';
  if (ts.isNewExpression(init) && ts.isIdentifier(init.expression) && ['Map', 'Set', 'WeakMap', 'Array'].includes(init.expression.text))
    return init.expression.text;
  return undefined;
}

/** Answers `textDocument/hover` for open source files and platform configs (config-hover.ts). */
export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover(
    guardRequest(ctx.log, 'textDocument/hover', async (params: unknown) => {
      ctx.requireInitialized();
      const uri = documentUri(params);
      const position = (params as Record<string, unknown>).position;
      if (!isPosition(position)) throw new InvalidParams('position must be a position');
      const doc = ctx.documents.get(uri);
      const path = doc && uriToPath(doc.uri);
      if (!doc || !path) return null;
      if (configKindOf(path)) return configHoverAt((await ctx.serviceForUri(doc.uri, path)).service, path, doc, position);
      if (!SOURCE_FILE.test(path)) return null;
      const { service } = await ctx.serviceForUri(doc.uri, path);
      if (service.isIgnored(path)) return null;
      const value = hoverAt(service, path, doc.getText(), doc.offsetAt(position));
      return value ? { contents: { kind: 'markdown' as const, value } } : null;
    }),
  );
}
