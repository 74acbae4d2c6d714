// Generates docs/rules/<id>.md, docs/config-checks/ (a page per configuration check and their index), the README
// rule table, the rule-level settings schema in package.json and the JSON Schema of serverless-lint.json
// (schemas/serverless-lint.schema.json, made from the same package.json settings) from metadata: one source of truth.
// `npm run docs` writes them; test/docs.test.ts fails when they are stale.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/rules';
import { CONFIG_CHECKS, type ConfigCheckMeta, type ConfigExample } from '../server/src/config-checks/meta';
import type { Rule, RuleExample } from '../server/src/analysis/rule';
import type { Severity } from '../shared/src/types';
import { levelOfSeverity, RULE_LEVELS } from '../shared/src/severity';
import { conventionsSource, GENERATED_CONVENTIONS_PATH } from '../server/src/conventions/generate';
import { FRAMEWORKS } from '../server/src/conventions';

const ROOT = join(__dirname, '..');

/** A title or message template as the docs show it: each `{{name}}` placeholder as its bare name. */
export function docTemplate(template: string): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, '$1');
}

function fence(ex: RuleExample): string {
  const lang = ex.fileName.endsWith('.py') ? 'python' : /\.[cm]?tsx?$/.test(ex.fileName) ? (ex.fileName.endsWith('x') ? 'tsx' : 'ts') : 'js';
  const ctx = [
    `\`${ex.fileName}\``,
    ex.platform ? `platform \`${ex.platform}\`` : '',
    ex.plan ? `plan \`${ex.plan}\`` : '',
    ...Object.entries(ex.files ?? {}).map(([f, c]) => `with \`${f}\`: \`${c.replace(/\n/g, ' ')}\``),
  ]
    .filter(Boolean)
    .join(', ');
  return `${ctx}\n\n\`\`\`${lang}\n${ex.code}\n\`\`\``;
}

export function ruleDoc(rule: Rule): string {
  const m = rule.meta;
  const fixes = m.fixes.length
    ? m.fixes.map((f) => `- **${docTemplate(f.title)}** (${f.safety}): ${f.description}`).join('\n')
    : 'No automatic fix: the right change depends on the application.';
  return [
    `<!-- Generated from server/src/rules/${m.id}.ts by \`npm run docs\`. Do not edit. -->`,
    `# ${m.id}`,
    '',
    `${m.summary}`,
    '',
    `Default severity: **${m.severity}** · Category: ${m.category}`,
    '',
    '## What it does',
    '',
    m.summary,
    '',
    '## Why is this bad',
    '',
    m.why,
    '',
    '## Example',
    '',
    ...m.bad.map(fence).flatMap((s) => [s, '']),
    '## Use instead',
    '',
    m.action,
    '',
    ...m.good.map(fence).flatMap((s) => [s, '']),
    '## Fix safety',
    '',
    fixes,
    '',
    '## Messages',
    '',
    // The ids are contracts like the rule id: a test, a JSON consumer or a suppression tool may name them.
    'Each finding carries one of these message ids (`messageId` in the JSON output); `‹name›` stands for a part of the text that comes from the code.',
    '',
    ...Object.entries(m.messages).map(([mid, template]) => `- \`${mid}\`: ${template.replace(/\{\{\s*(\w+)\s*\}\}/g, '‹$1›')}`),
    '',
    '## Limits of the analysis',
    '',
    ...(m.limits.length ? m.limits.map((l) => `- ${l}`) : ['- None known.']),
    '',
    '## References',
    '',
    ...m.references.map((r) => `- ${r}`),
    '',
  ].join('\n');
}

export function ruleTable(): string {
  const rows = RULES.map(
    (r) =>
      `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.severity} | ${r.meta.summary} | ${r.meta.fixes.length ? r.meta.fixes.map((f) => `${docTemplate(f.title)} (${f.safety})`).join('; ') : '—'} |`,
  );
  return ['| rule | default | what it finds | quick fixes |', '|---|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

export const FRAMEWORKS_START = '<!-- frameworks:start -->';
export const FRAMEWORKS_END = '<!-- frameworks:end -->';

/** The frameworks and handler families of the conventions registry: how each is recognised and what it finds. */
export function frameworkTable(): string {
  const code = (xs: readonly string[] | undefined) => (xs ?? []).map((x) => `\`${x}\``).join(', ');
  const rows = FRAMEWORKS.map((f) => {
    const by = [code(f.detect.dependencies), code(f.detect.configFiles?.slice(0, 2)), code(f.detect.paths?.slice(0, 4))].filter(Boolean).join('; ');
    // A module without shapes of its own (Amplify's functions are Lambda handlers) names its entry conventions.
    const finds = f.shapes.length ? [...new Set(f.shapes.map((s) => s.label))].join(', ') : code(f.entries.map((e) => e.id));
    return `| ${f.label} | ${by || '—'} | ${finds || '—'} |`;
  });
  return ['| framework | recognised by | function code it finds |', '|---|---|---|', ...rows].join('\n');
}

function between(text: string, startMark: string, endMark: string, body: string): string {
  const start = text.indexOf(startMark);
  const end = text.indexOf(endMark);
  if (start < 0 || end < 0) return text;
  return text.slice(0, start + startMark.length) + '\n' + body + '\n' + text.slice(end);
}

/** The README with its generated tables (rules, frameworks) current. */
export function readmeWithTable(readme: string): string {
  return between(between(readme, TABLE_START, TABLE_END, ruleTable()), FRAMEWORKS_START, FRAMEWORKS_END, frameworkTable());
}

/** One level setting per rule, then per configuration check: the properties of `rules` in both settings schemas. */
export function levelProperties(): Record<string, { type: 'string'; enum: string[]; markdownDescription: string }> {
  const level = (summary: string, severity: Severity) => ({
    type: 'string' as const,
    enum: [...RULE_LEVELS],
    markdownDescription: `${summary} (default: \`${levelOfSeverity(severity)}\`)`,
  });
  return Object.fromEntries([
    ...RULES.map((r) => [r.meta.id, level(r.meta.summary, r.meta.severity)] as const),
    ...CONFIG_CHECKS.map((c) => [c.id, level(`Configuration check: ${c.summary}`, c.severity)] as const),
  ]);
}

/** package.json with `serverlessLint.rules` listing every rule and check: the settings editor's completions and hovers. */
export function packageJsonWithRules(text: string): string {
  const pkg = JSON.parse(text);
  const setting = pkg.contributes?.configuration?.properties?.['serverlessLint.rules'];
  if (!setting) return text;
  setting.properties = levelProperties();
  return JSON.stringify(pkg, null, 2) + '\n';
}

export const SCHEMA_PATH = 'schemas/serverless-lint.schema.json';

/**
 * The JSON Schema of serverless-lint.json, made from the VS Code settings the file mirrors (`serverlessLint.platform`,
 * `plan`, `rules`, `ignore`, `maxFileSize` of package.json), less what only the editor has: `scope`, and the
 * platform `auto` (the file sets a platform or leaves the key out).
 */
export function lintConfigSchema(packageJsonText: string): string {
  const settings = JSON.parse(packageJsonText).contributes.configuration.properties;
  const from = (key: string) => {
    const { scope: _scope, default: _default, ...rest } = settings[`serverlessLint.${key}`];
    return rest;
  };
  const platform = from('platform');
  const keep = platform.enum.map((_: string, i: number) => i).filter((i: number) => platform.enum[i] !== 'auto');
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/serverless-lint/serverless-lint/blob/main/schemas/serverless-lint.schema.json',
    title: 'serverless-lint.json',
    description: 'Serverless Lint settings for this workspace (JSON with comments). VS Code settings serverlessLint.* override them.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      platform: {
        ...platform,
        enum: keep.map((i: number) => platform.enum[i]),
        enumDescriptions: keep.map((i: number) => platform.enumDescriptions[i]),
        markdownDescription: 'The platform these functions deploy to; leave it out to detect it per file from the nearest platform configuration.',
      },
      // The types, values and rule lists are the settings'; the descriptions say what the key means in this file.
      plan: {
        ...from('plan'),
        minLength: 1,
        markdownDescription:
          "The plan or tier whose limits apply: `hobby`, `pro`, `enterprise` (Vercel), `starter`, `pro` (Netlify), `free`, `paid` (Cloudflare), `standard` (Lambda). Left out, the platform's most common paid tier.",
      },
      rules: {
        ...from('rules'),
        markdownDescription: 'Levels (`off`, `info`, `warn`, `error`) of rules and configuration checks; those not named keep their default severity.',
      },
      ignore: {
        ...from('ignore'),
        markdownDescription: "Globs, relative to this file's folder, of files never analyzed. `.gitignore`d files and `node_modules` are always skipped.",
      },
      maxFileSize: from('maxFileSize'),
    },
  };
  return JSON.stringify(schema, null, 2) + '\n';
}

function configFence(ex: ConfigExample): string {
  const lang = ex.fileName.endsWith('.toml') ? 'toml' : /\.ya?ml$/.test(ex.fileName) ? 'yaml' : 'jsonc';
  return `\`${ex.fileName}\`${ex.plan ? `, plan \`${ex.plan}\`` : ''}\n\n\`\`\`${lang}\n${ex.text.replace(/\n$/, '')}\n\`\`\``;
}

export function configCheckDoc(c: ConfigCheckMeta): string {
  return [
    `<!-- Generated from server/src/config-checks/meta.ts by \`npm run docs\`. Do not edit. -->`,
    `# ${c.id}`,
    '',
    c.summary,
    '',
    `Default severity: **${c.severity}** · Configuration check · Reads: ${c.files}`,
    '',
    '## Why is this bad',
    '',
    c.why,
    '',
    ...(c.bad ? ['## Example', '', configFence(c.bad), ''] : []),
    '## Use instead',
    '',
    c.action,
    '',
    ...(c.good ? [configFence(c.good), ''] : []),
    '## Level',
    '',
    `Set it like a rule's, in \`serverless-lint.json\` (\`"rules": { "${c.id}": "warn" }\`), the \`serverlessLint.rules\` setting, or \`--rule ${c.id}=off\`.`,
    '',
    ...(c.references.length ? ['## References', '', ...c.references.map((r) => `- ${r}`), ''] : []),
  ].join('\n');
}

export function configChecksIndex(): string {
  const rows = CONFIG_CHECKS.map((c) => `| [\`${c.id}\`](${c.id}.md) | ${c.severity} | ${c.files} | ${c.summary} |`);
  return [
    '<!-- Generated from server/src/config-checks/meta.ts by `npm run docs`. Do not edit. -->',
    '# Configuration checks',
    '',
    'Besides the rules, which read code, Serverless Lint checks the configuration files that decide how functions run.',
    'Each check has an id of its own, shown with its findings, and takes a level like a rule (`off`, `info`, `warn`,',
    '`error`) in `rules` of `serverless-lint.json`, the `serverlessLint.rules` setting, or `--rule ID=LEVEL`.',
    'Durations above the plan in these files are the rule [`max-duration-exceeds-limit`](../rules/max-duration-exceeds-limit.md).',
    '',
    '| check | default | reads | what it finds |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  mkdirSync(join(ROOT, 'docs/rules'), { recursive: true });
  for (const rule of RULES) writeFileSync(join(ROOT, 'docs/rules', `${rule.meta.id}.md`), ruleDoc(rule));
  const readmePath = join(ROOT, 'README.md');
  if (existsSync(readmePath)) writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, 'utf8')));
  mkdirSync(join(ROOT, 'docs/config-checks'), { recursive: true });
  for (const c of CONFIG_CHECKS) writeFileSync(join(ROOT, 'docs/config-checks', `${c.id}.md`), configCheckDoc(c));
  writeFileSync(join(ROOT, 'docs/config-checks/README.md'), configChecksIndex());
  const pkgPath = join(ROOT, 'package.json');
  writeFileSync(pkgPath, packageJsonWithRules(readFileSync(pkgPath, 'utf8')));
  mkdirSync(join(ROOT, 'schemas'), { recursive: true });
  writeFileSync(join(ROOT, SCHEMA_PATH), lintConfigSchema(readFileSync(pkgPath, 'utf8')));
  writeFileSync(join(ROOT, GENERATED_CONVENTIONS_PATH), conventionsSource());
  console.log(`wrote ${RULES.length} rule docs, ${CONFIG_CHECKS.length} configuration check docs, ${SCHEMA_PATH} and ${GENERATED_CONVENTIONS_PATH}`);
}
