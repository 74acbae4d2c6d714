// Reads Vercel project configuration written as code — `vercel.ts`, `vercel.mts` (and `vercel.js/.mjs/.cjs`), whose
// exported `config` object Vercel evaluates at build time — as data, from the TypeScript syntax tree. The file is
// never run: literal values are read, and anything computed (a call, a variable, a spread, a template with
// substitutions) is left out and named as unknown, so the checks say what they could not see.
import * as ts from 'typescript';
import { strip } from './ast';
import type { ConfigProblem, Span } from '../../../shared/src/types';
import { basename } from './host';

/**
 * Vercel's project configuration files, in the order this tool prefers them when a folder (wrongly) has several:
 * https://vercel.com/docs/project-configuration (vercel.json, vercel.toml, vercel.ts; one per project), verified 2026-12-07.
 */
export const VERCEL_CONFIG_FILES = ['vercel.json', 'vercel.toml', 'vercel.ts', 'vercel.mts', 'vercel.js', 'vercel.mjs', 'vercel.cjs'];

/** The innermost `key: value` of a vercel.ts around an offset, with its path as segments (for hovers). */
export function vercelScriptKeyAt(path: string, text: string, offset: number): { path: string[]; span: Span } | undefined {
  let best: { segments: string[]; span: Span } | undefined;
  for (const key of parseVercelScript(path, text).keys) {
    if (key.span.start <= offset && offset <= key.span.end && (!best || key.span.start >= best.span.start)) best = key;
  }
  return best && { path: best.segments, span: best.span };
}

/** Whether a path names a Vercel configuration written as code (read by `parseVercelScript`). */
export function isVercelScriptConfig(path: string): boolean {
  return /(^|\/)vercel\.(?:[cm]?js|m?ts)$/.test(path);
}

/** A key whose value the file computes: its dotted path (`functions.api/*.ts.maxDuration`) and where it is written. */
export interface UnknownValue {
  path: string;
  span: Span;
}

export interface VercelScriptConfig {
  path: string;
  text: string;
  /** The `config` object as vercel.json would hold it, computed values left out; undefined when no literal was found. */
  data: Record<string, unknown> | undefined;
  problems: ConfigProblem[];
  /** Where each key is written (the `key: value` pair), by dotted path; arrays index with `[i]` (`crons[0].schedule`). */
  spans: Map<string, Span>;
  /** Every `key: value` written, with its path as segments (array indices as numbers' text), for hovers. */
  keys: Array<{ segments: string[]; span: Span }>;
  unknowns: UnknownValue[];
}

const UNKNOWN = Symbol('unknown');

/**
 * `defineConfig({ … })` (from @vercel/config) hands its argument back for typing: the literal inside is the config.
 * Only this typing helper is looked through; any other call computes its value.
 */
function unwrapDefineConfig(e: ts.Expression): ts.Expression {
  const inner = strip(e);
  if (ts.isCallExpression(inner) && ts.isIdentifier(inner.expression) && inner.expression.text === 'defineConfig' && inner.arguments.length === 1)
    return strip(inner.arguments[0]);
  return inner;
}

/** A literal's value: strings, numbers (with a sign and `*`/`+`/`-` of numbers), booleans, null; UNKNOWN otherwise. */
function scalarOf(e: ts.Expression): unknown {
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  if (ts.isBinaryExpression(e)) {
    const l = scalarOf(strip(e.left));
    const r = scalarOf(strip(e.right));
    if (typeof l !== 'number' || typeof r !== 'number') return UNKNOWN;
    if (e.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return l * r;
    if (e.operatorToken.kind === ts.SyntaxKind.PlusToken) return l + r;
    if (e.operatorToken.kind === ts.SyntaxKind.MinusToken) return l - r;
  }
  return UNKNOWN;
}

function propertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/**
 * Converts an object or array literal to plain data with an explicit stack (no recursion over the tree): nested
 * literals become nested data, anything else is recorded as unknown and left out.
 */
function literalToData(
  root: ts.ObjectLiteralExpression,
  sf: ts.SourceFile,
  spans: Map<string, Span>,
  keys: VercelScriptConfig['keys'],
  unknowns: UnknownValue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  type Pending = {
    node: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression;
    target: Record<string, unknown> | unknown[];
    path: string;
    segments: string[];
  };
  const pending: Pending[] = [{ node: root, target: out, path: '', segments: [] }];
  const join = (base: string, key: string) => (base ? `${base}.${key}` : key);
  for (let item = pending.pop(); item; item = pending.pop()) {
    const { node, target, path, segments } = item;
    const put = (key: string | number, valueNode: ts.Expression, pairSpan: Span) => {
      const keyPath = typeof key === 'number' ? `${path}[${key}]` : join(path, key);
      const keySegments = [...segments, String(key)];
      spans.set(keyPath, pairSpan);
      keys.push({ segments: keySegments, span: pairSpan });
      const value = strip(valueNode);
      if (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value)) {
        const child: Record<string, unknown> | unknown[] = ts.isArrayLiteralExpression(value) ? [] : {};
        (target as Record<string | number, unknown>)[key] = child;
        pending.push({ node: value, target: child, path: keyPath, segments: keySegments });
        return;
      }
      const scalar = scalarOf(value);
      if (scalar === UNKNOWN) unknowns.push({ path: keyPath, span: pairSpan });
      else (target as Record<string | number, unknown>)[key] = scalar;
    };
    const spanOf = (n: ts.Node): Span => ({ start: n.getStart(sf), end: n.getEnd() });
    if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach((el, i) => {
        if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) unknowns.push({ path: `${path}[${i}]`, span: spanOf(el) });
        else put(i, el, spanOf(el));
      });
      continue;
    }
    for (const p of node.properties) {
      const name = ts.isPropertyAssignment(p) ? propertyName(p.name) : undefined;
      if (ts.isPropertyAssignment(p) && name !== undefined) put(name, p.initializer, spanOf(p));
      else {
        // A spread, a shorthand (`{ crons }`), a method or a computed key: its keys or value are not literal.
        const shown = ts.isShorthandPropertyAssignment(p) ? p.name.text : ts.isSpreadAssignment(p) ? '...' : p.name ? p.name.getText(sf) : '?';
        unknowns.push({ path: join(path, shown), span: spanOf(p) });
      }
    }
  }
  return out;
}

/** The object literal a top-level `const name = { … }` binds, for `export { name as config }` and `export const config = name`. */
function constObject(sf: ts.SourceFile, name: string): ts.ObjectLiteralExpression | undefined {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) {
        const init = unwrapDefineConfig(d.initializer);
        return ts.isObjectLiteralExpression(init) ? init : undefined;
      }
    }
  }
  return undefined;
}

/** The exported `config` (or a default export) of the file: its object literal, or the node that computes it. */
function exportedConfig(sf: ts.SourceFile): { literal?: ts.ObjectLiteralExpression; computed?: ts.Node } | undefined {
  let fallback: { literal?: ts.ObjectLiteralExpression; computed?: ts.Node } | undefined;
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.name.text !== 'config' || !d.initializer) continue;
        const init = unwrapDefineConfig(d.initializer);
        if (ts.isObjectLiteralExpression(init)) return { literal: init };
        if (ts.isIdentifier(init)) {
          const bound = constObject(sf, init.text);
          return bound ? { literal: bound } : { computed: d.initializer };
        }
        return { computed: d.initializer };
      }
    }
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        if (el.name.text !== 'config') continue;
        const bound = constObject(sf, (el.propertyName ?? el.name).text);
        return bound ? { literal: bound } : { computed: el };
      }
    }
    if (ts.isExportAssignment(st) && !st.isExportEquals) {
      const init = unwrapDefineConfig(st.expression);
      fallback = ts.isObjectLiteralExpression(init)
        ? { literal: init }
        : ts.isIdentifier(init) && constObject(sf, init.text)
          ? { literal: constObject(sf, init.text) }
          : { computed: st.expression };
    }
  }
  return fallback;
}

function problem(path: string, span: Span, message: string): ConfigProblem {
  return { fileName: path, span, message, severity: 'info', ruleId: 'invalid-config' };
}

/**
 * Reads `vercel.ts` / `vercel.mts` (and the JavaScript forms) as data: the exported `config` object literal, the same
 * properties as vercel.json. Computed values are left out of `data` and reported as information problems.
 */
export function parseVercelScript(path: string, text: string): VercelScriptConfig {
  const spans = new Map<string, Span>();
  const keys: VercelScriptConfig['keys'] = [];
  const unknowns: UnknownValue[] = [];
  const name = basename(path);
  const kind = /\.m?ts$/.test(path) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  let sf: ts.SourceFile;
  try {
    sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  } catch (e) {
    return {
      path,
      text,
      data: undefined,
      spans,
      keys,
      unknowns,
      problems: [problem(path, { start: 0, end: 0 }, `${name} could not be read: ${(e as Error).message}`)],
    };
  }
  const found = exportedConfig(sf);
  if (!found?.literal) {
    const span = found?.computed ? { start: found.computed.getStart(sf), end: found.computed.getEnd() } : { start: 0, end: 0 };
    const message = found?.computed
      ? `${name}: the exported config is computed, so its settings (functions, maxDuration, memory, crons) are not checked; the file is never run.`
      : `${name}: no \`export const config = { … }\` was found, so its settings are not checked.`;
    return { path, text, data: undefined, spans, keys, unknowns, problems: [problem(path, span, message)] };
  }
  const data = literalToData(found.literal, sf, spans, keys, unknowns);
  // Only the settings this tool checks are worth a word; computed rewrites and headers (the `routes` helpers Vercel
  // recommends) are none of its business.
  const problems = unknowns
    .filter((u) => /^(functions|crons)\b/.test(u.path))
    .map((u) => problem(path, u.span, `${name}: \`${u.path}\` is computed, so it is not checked (the file is never run).`));
  return { path, text, data, spans, keys, unknowns, problems };
}
