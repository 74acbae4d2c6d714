// Generates docs/rules/<id>.md, the README rule table and the rule settings schema in package.json from rule
// metadata (one source of truth).
// `npm run docs` writes them; test/docs.test.ts fails when they are stale.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/rules';
import type { Rule, RuleExample } from '../server/src/analysis/rule';
import { conventionsSource, GENERATED_CONVENTIONS_PATH } from '../server/src/conventions/generate';

const ROOT = join(__dirname, '..');
const SEV: Record<string, string> = { error: 'error', warning: 'warning', info: 'info' };

function fence(ex: RuleExample): string {
  const lang = /\.[cm]?tsx?$/.test(ex.fileName) ? (ex.fileName.endsWith('x') ? 'tsx' : 'ts') : 'js';
  const ctx = [`\`${ex.fileName}\``, ex.platform ? `platform \`${ex.platform}\`` : '', ex.plan ? `plan \`${ex.plan}\`` : '',
    ...Object.entries(ex.files ?? {}).map(([f, c]) => `with \`${f}\`: \`${c.replace(/\n/g, ' ')}\``)].filter(Boolean).join(', ');
  return `${ctx}\n\n\`\`\`${lang}\n${ex.code}\n\`\`\``;
}

export function ruleDoc(rule: Rule): string {
  const m = rule.meta;
  const fixes = m.fixes.length
    ? m.fixes.map((f) => `- **${f.title}** (${f.safety}): ${f.description}`).join('\n')
    : 'No automatic fix: the right change depends on the application.';
  return [
    `<!-- Generated from server/src/rules/${m.id}.ts by \`npm run docs\`. Do not edit. -->`,
    `# ${m.id}`,
    '',
    `${m.summary}`,
    '',
    `Default severity: **${SEV[m.severity]}** · Category: ${m.category}`,
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
  const rows = RULES.map((r) => `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${SEV[r.meta.severity]} | ${r.meta.summary} | ${r.meta.fixes.length ? r.meta.fixes.map((f) => `${f.title} (${f.safety})`).join('; ') : '—'} |`);
  return ['| rule | default | what it finds | quick fixes |', '|---|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

export function readmeWithTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < 0) return readme;
  return readme.slice(0, start + TABLE_START.length) + '\n' + ruleTable() + '\n' + readme.slice(end);
}

const LEVEL: Record<string, string> = { error: 'error', warning: 'warn', info: 'info' };

/** package.json with `serverlessLint.rules` listing every rule: the settings editor's completions and hovers. */
export function packageJsonWithRules(text: string): string {
  const pkg = JSON.parse(text);
  const setting = pkg.contributes?.configuration?.properties?.['serverlessLint.rules'];
  if (!setting) return text;
  setting.properties = Object.fromEntries(RULES.map((r) => [r.meta.id, {
    type: 'string',
    enum: ['off', 'info', 'warn', 'error'],
    markdownDescription: `${r.meta.summary} (default: \`${LEVEL[r.meta.severity]}\`)`,
  }]));
  return JSON.stringify(pkg, null, 2) + '\n';
}

if (require.main === module) {
  mkdirSync(join(ROOT, 'docs/rules'), { recursive: true });
  for (const rule of RULES) writeFileSync(join(ROOT, 'docs/rules', `${rule.meta.id}.md`), ruleDoc(rule));
  const readmePath = join(ROOT, 'README.md');
  if (existsSync(readmePath)) writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, 'utf8')));
  const pkgPath = join(ROOT, 'package.json');
  writeFileSync(pkgPath, packageJsonWithRules(readFileSync(pkgPath, 'utf8')));
  writeFileSync(join(ROOT, GENERATED_CONVENTIONS_PATH), conventionsSource());
  console.log(`wrote ${RULES.length} rule docs and ${GENERATED_CONVENTIONS_PATH}`);
}
