// Hovers in platform config files, so that a duration setting shows the plan table where it is written: the
// timeouts, memory, Workers CPU limits and compatibility settings, each with the same tables as the code hovers.
// Keys are found with the real parsers' positions: jsonc-parser's tree, yaml's document ranges, and for TOML
// (smol-toml gives no positions) the key locator the config checks already use.
import * as jsonc from 'jsonc-parser';
import * as YAML from 'yaml';
import type { Hover, Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Platform, Runtime, Span } from '../../../shared/src/types';
import { planLimits } from '../../../shared/src/limits';
import { NODEJS_COMPAT_DEFAULT_ON_DATE, resolveNodejsCompat } from '../analysis/cloudflare-compat';
import { parseJsonc, parseToml, parseYaml } from '../analysis/project';
import type { LintService } from '../analysis/service';
import { configKindOf, type ConfigKind } from '../config-checks';
import { isVercelScriptConfig, vercelScriptKeyAt } from '../analysis/vercel-config';
import { locateTomlKeys } from '../config-checks/toml-keys';
import { durationTableFor, limitTableFor, md } from './cards';

/** The key under the cursor: its path from the document root and the span of `key: value`. */
interface KeyAt {
  path: string[];
  span: Span;
}

/** The innermost JSON property whose key or value holds the offset. */
function jsonKeyAt(text: string, offset: number): KeyAt | undefined {
  const tree = jsonc.parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  let node = tree && jsonc.findNodeAtOffset(tree, offset, true);
  while (node && node.type !== 'property') node = node.parent;
  if (!node?.children?.[0]) return undefined;
  return { path: jsonc.getNodePath(node.children[0]).map(String), span: { start: node.offset, end: node.offset + node.length } };
}

/** The innermost YAML map entry whose key or scalar value holds the offset, walking the parsed document's ranges. */
function yamlKeyAt(path: string, text: string, offset: number): KeyAt | undefined {
  const doc = parseYaml(path, text).doc;
  const inside = (r: YAML.Range | null | undefined) => !!r && offset >= r[0] && offset <= r[1];
  const visit = (node: unknown, at: string[]): KeyAt | undefined => {
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        if (!YAML.isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const value = pair.value as YAML.Node | null;
        const span = { start: pair.key.range?.[0] ?? 0, end: value?.range?.[1] ?? pair.key.range?.[1] ?? 0 };
        if (inside(pair.key.range) || (YAML.isScalar(value) && inside(value.range))) return { path: [...at, key], span };
        if (YAML.isCollection(value) && inside(value.range)) return visit(value, [...at, key]);
      }
    } else if (YAML.isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        if (YAML.isCollection(item) && inside(item.range)) return visit(item, [...at, String(i)]);
      }
    }
    return undefined;
  };
  return doc ? visit(doc.contents, []) : undefined;
}

/** The most specific TOML key (or table header) whose line holds the offset. */
function tomlKeyAt(text: string, offset: number): KeyAt | undefined {
  let best: KeyAt | undefined;
  for (const [dotted, at] of locateTomlKeys(text)) {
    if (offset < at.start || offset > at.end) continue;
    if (!best || at.end - at.start < best.span.end - best.span.start) best = { path: dotted.split('.'), span: { start: at.start, end: at.end } };
  }
  return best;
}

function keyAt(kind: ConfigKind, path: string, text: string, offset: number): KeyAt | undefined {
  if (kind === 'serverless' || kind === 'sam') return yamlKeyAt(path, text, offset);
  if (path.endsWith('.toml')) return tomlKeyAt(text, offset);
  if (isVercelScriptConfig(path)) return vercelScriptKeyAt(path, text, offset);
  return jsonKeyAt(text, offset);
}

/** `a.b["c/*"].d` for a heading. */
function dotted(path: string[]): string {
  return path.map((p, i) => (/^[A-Za-z_][\w-]*$/.test(p) ? `${i ? '.' : ''}${p}` : `[${JSON.stringify(p)}]`)).join('');
}

/** The plan this file's settings select for a platform, for marking "(this project)" in the tables. */
function planOf(service: LintService, fileName: string, platform: Platform, runtime: Runtime): string {
  return planLimits(platform, runtime, service.settingsFor(fileName).plan)?.plan ?? '';
}

const match = (path: string[], pattern: Array<string | null>) => path.length === pattern.length && pattern.every((p, i) => p === null || p === path[i]);

/** The Markdown for a key of a platform config, or undefined when the key has no limits to show. */
function configCard(service: LintService, fileName: string, kind: ConfigKind, text: string, path: string[]): string | undefined {
  // A code span shows backslashes literally, so the key is not Markdown-escaped; only a backtick would end it early.
  const heading = `\`${dotted(path).replace(/`/g, "'")}\``;
  const table = (platform: Platform, runtime: Runtime, limit: 'duration' | 'memory' | 'cpuTime', note?: string) => {
    const plan = planOf(service, fileName, platform, runtime);
    const body = limit === 'duration' ? durationTableFor(platform, runtime, plan) : limitTableFor(platform, runtime, plan, limit);
    return [`${heading}${note ? ` — ${note}` : ''}`, '', body].join('\n');
  };
  switch (kind) {
    case 'vercel':
      if (match(path, ['functions', null, 'maxDuration'])) return table('vercel', 'node', 'duration');
      if (match(path, ['functions', null, 'memory'])) return table('vercel', 'node', 'memory', 'memory in MB');
      return undefined;
    case 'serverless':
      if (match(path, ['provider', 'timeout']) || match(path, ['functions', null, 'timeout']))
        return table('aws-lambda', 'node', 'duration', 'Lambda timeout in seconds');
      if (match(path, ['provider', 'memorySize']) || match(path, ['functions', null, 'memorySize']))
        return table('aws-lambda', 'node', 'memory', 'memory in MB');
      return undefined;
    case 'sam':
      if (match(path, ['Globals', 'Function', 'Timeout']) || match(path, ['Resources', null, 'Properties', 'Timeout']))
        return table('aws-lambda', 'node', 'duration', 'Lambda timeout in seconds');
      if (match(path, ['Globals', 'Function', 'MemorySize']) || match(path, ['Resources', null, 'Properties', 'MemorySize']))
        return table('aws-lambda', 'node', 'memory', 'memory in MB');
      return undefined;
    case 'netlify':
      // netlify.toml has no timeout key: synchronous functions get the plan's limit, background functions 15 minutes.
      if (path[0] === 'functions')
        return table(
          'netlify',
          'node',
          'duration',
          'Netlify sets function timeouts per plan (and per site on request), not in netlify.toml; background functions (`-background` suffix) run up to 15 minutes',
        );
      if (/^edge_functions(\[\d+\])?$/.test(path[0])) return table('netlify', 'edge', 'cpuTime', 'Netlify Edge Functions');
      return undefined;
    case 'wrangler':
      if (path[0] === 'limits')
        return table('cloudflare-workers', 'edge', 'cpuTime', '`limits.cpu_ms` sets the CPU time per request in milliseconds; only the Paid plan can raise it');
      if (path[0] === 'compatibility_flags' || path[0] === 'compatibility_date' || path[0] === 'node_compat') return compatCard(fileName, text);
      return undefined;
  }
}

/** Whether Node.js compatibility is on for this Worker, and why, from the document's own date and flags. */
function compatCard(fileName: string, text: string): string | undefined {
  const parsed = fileName.endsWith('.toml') ? parseToml<Record<string, unknown>>(fileName, text) : parseJsonc<Record<string, unknown>>(fileName, text);
  const data = parsed.data;
  if (!data || typeof data !== 'object') return undefined;
  const flags = Array.isArray(data.compatibility_flags) ? data.compatibility_flags.map(String) : [];
  // TOML gives a bare date as a date object (smol-toml's TomlDate); JSON as a string.
  const raw = data.compatibility_date;
  const date = typeof raw === 'string' ? raw : raw instanceof Date ? raw.toISOString().slice(0, 10) : undefined;
  const compat = resolveNodejsCompat(date, flags);
  return [
    `**Node.js compatibility: ${compat.on ? 'on' : 'off'}** — ${md(compat.reason)}.`,
    '',
    compat.on
      ? 'Imports of `node:` builtins that nodejs_compat provides are allowed in this Worker; the edge rules still flag the ones it does not.'
      : `Imports of \`node:\` builtins are flagged by the edge rules: add \`"nodejs_compat"\` to compatibility_flags (or use a compatibility date from ${NODEJS_COMPAT_DEFAULT_ON_DATE}) to allow the ones it provides.`,
    '',
    'Docs: [Node.js compatibility](https://developers.cloudflare.com/workers/runtime-apis/nodejs/)',
  ].join('\n');
}

/** The hover at a position of an open platform config document, or null when the key there has nothing to show. */
export function configHoverAt(service: LintService, fileName: string, doc: TextDocument, position: Position): Hover | null {
  const kind = configKindOf(fileName);
  if (!kind) return null;
  const text = doc.getText();
  const key = keyAt(kind, fileName, text, doc.offsetAt(position));
  if (!key) return null;
  const value = configCard(service, fileName, kind, text, key.path);
  if (!value) return null;
  return { contents: { kind: 'markdown', value }, range: { start: doc.positionAt(key.span.start), end: doc.positionAt(key.span.end) } };
}
