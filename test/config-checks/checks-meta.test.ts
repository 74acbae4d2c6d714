// Each configuration check has an id of its own, documented (docs/config-checks, generated), with an example that
// reports exactly that id and one that reports nothing, and a level serverless-lint.json can set; the JSON Schema
// of serverless-lint.json is generated from the same settings and knows the same keys as the parser.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_CHECKS, CONFIG_CHECK_IDS, type ConfigExample } from '../../server/src/config-checks/meta';
import { checkConfigFile, withConfiguredLevels } from '../../server/src/config-checks';
import { parseConfigFile } from '../../server/src/analysis/config';
import { Resolver } from '../../server/src/graph/resolve';
import { MemoryHost } from '../../server/src/analysis/host';
import { RULE_IDS } from '../../server/src/rules';
import { configCheckDoc, configChecksIndex, lintConfigSchema, SCHEMA_PATH } from '../../scripts/gen-docs';
import { defaultSettings, mergeSettings, type Settings } from '../../shared/src/settings';
import type { ConfigProblem, RuleLevel } from '../../shared/src/types';

const ROOT = join(__dirname, '../..');

/** The problems a check's example file gives, read the way the CLI and the editor read that kind of file. */
function problemsOf(ex: ConfigExample, rules: Record<string, RuleLevel> = {}): ConfigProblem[] {
  const settings: Settings = mergeSettings(defaultSettings(), { plan: ex.plan, rules });
  const path = `/p/${ex.fileName}`;
  if (ex.fileName === 'serverless-lint.json') return parseConfigFile(path, ex.text, RULE_IDS).problems;
  if (ex.fileName === 'tsconfig.json') {
    const host = new MemoryHost({ [path]: ex.text, '/p/src/page.ts': "import { db } from '@/lib/db';\n", '/p/src/lib/db.ts': 'export const db = 1;\n' });
    const resolver = new Resolver(host, '/p');
    resolver.resolve('@/lib/db', '/p/src/page.ts', new Set(['import', 'node']));
    return withConfiguredLevels(resolver.configProblems(), () => settings);
  }
  return checkConfigFile(path, ex.text, settings);
}

test('check ids are unique, kebab-case, alphabetical, and no rule id', () => {
  const ids = CONFIG_CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, [...ids].sort());
  for (const id of ids) {
    assert.match(id, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(!RULE_IDS.has(id), `${id} is a rule id`);
  }
});

test('every id the checks report is a documented check (or the duration rule)', () => {
  const sources = ['server/src/config-checks/index.ts', 'server/src/graph/resolve.ts', 'server/src/analysis/config.ts', 'server/src/analysis/project.ts'];
  const used = new Set<string>();
  for (const file of sources) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // Whitespace-tolerant: the formatter puts the arguments of a long call on lines of their own.
    for (const m of text.matchAll(/'([a-z]+(?:-[a-z0-9]+)+)',\s*'(?:error|warning|info)',?\s*\)/g)) used.add(m[1]);
    for (const m of text.matchAll(/ruleId(?: = |: )'([a-z-]+)'/g)) used.add(m[1]);
  }
  assert.ok(used.size >= 10, [...used].join(', '));
  for (const id of used) assert.ok(CONFIG_CHECK_IDS.has(id) || id === 'max-duration-exceeds-limit', `${id} is used but not in CONFIG_CHECKS`);
});

test('the docs of the checks, their index and the serverless-lint.json schema are current (npm run docs)', () => {
  for (const c of CONFIG_CHECKS) {
    const path = join(ROOT, 'docs/config-checks', `${c.id}.md`);
    assert.ok(existsSync(path), `missing ${path}`);
    assert.equal(readFileSync(path, 'utf8'), configCheckDoc(c));
  }
  assert.equal(readFileSync(join(ROOT, 'docs/config-checks/README.md'), 'utf8'), configChecksIndex());
  assert.equal(readFileSync(join(ROOT, SCHEMA_PATH), 'utf8'), lintConfigSchema(readFileSync(join(ROOT, 'package.json'), 'utf8')));
});

test('the schema knows the keys and levels the parser knows, and VS Code validates serverless-lint.json with it', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, SCHEMA_PATH), 'utf8'));
  const keys = Object.keys(schema.properties).filter((k) => k !== '$schema');
  const [unknown] = parseConfigFile('/p/serverless-lint.json', '{ "nope": 1 }').problems;
  assert.match(unknown.message, new RegExp(`known: ${keys.join(', ')}\\)`));
  assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), [...RULE_IDS, ...CONFIG_CHECK_IDS].sort());
  for (const k of keys) {
    const sample = {
      platform: '"vercel"',
      plan: '"pro"',
      rules: '{ "no-process-exit": "warn", "workers-cpu-limit": "off" }',
      ignore: '["scripts/**"]',
      maxFileSize: '1000',
    }[k];
    assert.ok(sample, `a sample value for ${k}`);
    assert.deepEqual(parseConfigFile('/p/serverless-lint.json', `{ "${k}": ${sample} }`, RULE_IDS).problems, [], `${k} = ${sample}`);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: 'serverless-lint.json', url: `./${SCHEMA_PATH}` }]);
  assert.ok(pkg.files.includes(SCHEMA_PATH), 'the npm package ships the schema');
  assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), new RegExp(`^!${SCHEMA_PATH.replace(/\./g, '\\.')}$`, 'm'), 'the .vsix ships the schema');
});

for (const c of CONFIG_CHECKS) {
  describe(`config check: ${c.id}`, () => {
    test('has summary, why, action and an example of each side', () => {
      assert.ok(c.summary && c.why.length > 60 && c.action);
      if (c.id !== 'config-check-failed') assert.ok(c.bad && c.good, 'a bad and a good example (only an internal failure has none)');
    });
    if (!c.bad || !c.good) return;
    const { bad, good } = c;
    test('the bad example reports it, and nothing else', () => {
      const ids = problemsOf(bad).map((p) => p.ruleId);
      assert.ok(ids.length > 0 && ids.every((id) => id === c.id), `${bad.fileName}: got ${ids.join(', ') || 'nothing'}`);
    });
    test('the good example reports nothing', () => {
      assert.deepEqual(
        problemsOf(good).map((p) => `${p.ruleId}: ${p.message}`),
        [],
      );
    });
    if (bad.fileName === 'serverless-lint.json' || c.id === 'invalid-config') return;
    test('its level is set in rules: off silences it, warn makes it a warning', () => {
      assert.deepEqual(problemsOf(bad, { [c.id]: 'off' }), []);
      assert.ok(problemsOf(bad, { [c.id]: 'warn' }).every((p) => p.severity === 'warning'));
    });
  });
}
