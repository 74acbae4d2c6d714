// Generated docs are current, every rule is registered, and every doc example behaves as it says.
import { before, test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/rules';
import { packageJsonWithRules, readmeWithTable, ruleDoc } from '../scripts/gen-docs';
import { conventionsSource, GENERATED_CONVENTIONS_PATH } from '../server/src/conventions/generate';
import { analyzeFixture, PROJECT_ROOT } from './harness';
import type { RuleExample } from '../server/src/analysis/rule';
import { ensurePythonParser } from '../server/src/python/parser';

const ROOT = join(__dirname, '..');

// The Python examples need the parser (WebAssembly), loaded once before any test runs.
before(async () => {
  assert.ok(await ensurePythonParser());
});

test('every rule file is in the registry, with id = file name, alphabetically', () => {
  const files = readdirSync(join(ROOT, 'server/src/rules'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''));
  const ids = RULES.map((r) => r.meta.id);
  assert.deepEqual([...ids].sort(), [...files].sort());
  assert.deepEqual(ids, [...ids].sort(), 'the registry is alphabetical');
});

test('no rule is a placeholder', () => {
  const placeholders = RULES.filter((r) => r.meta.summary === 'PLACEHOLDER').map((r) => r.meta.id);
  assert.deepEqual(placeholders, []);
});

test('package.json lists every rule in the serverlessLint.rules settings schema (npm run docs)', () => {
  const text = readFileSync(join(ROOT, 'package.json'), 'utf8');
  assert.equal(text, packageJsonWithRules(text));
  assert.doesNotMatch(text, /PLACEHOLDER/);
});

test('the conventions ids and platform labels in shared/ are current (npm run docs)', () => {
  assert.equal(readFileSync(join(ROOT, GENERATED_CONVENTIONS_PATH), 'utf8'), conventionsSource());
});

test('README rule and framework tables are current (npm run docs)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.equal(readme, readmeWithTable(readme));
});

function run(ex: RuleExample) {
  return analyzeFixture({
    name: ex.fileName,
    path: `${PROJECT_ROOT}/${ex.fileName}`,
    text: ex.code,
    files: ex.files ?? {},
    overrides: { ...(ex.platform ? { platform: ex.platform as 'vercel' } : {}), ...(ex.plan ? { plan: ex.plan } : {}) },
    expectations: [],
    messages: [],
  });
}

for (const rule of RULES) {
  describe(`docs: ${rule.meta.id}`, () => {
    test('doc is current (npm run docs)', () => {
      const path = join(ROOT, 'docs/rules', `${rule.meta.id}.md`);
      assert.ok(existsSync(path), `missing ${path}`);
      assert.equal(readFileSync(path, 'utf8'), ruleDoc(rule));
    });
    test('has summary, why, action, examples and references', () => {
      const m = rule.meta;
      assert.ok(m.summary && m.why.length > 80 && m.action, 'summary, why (a paragraph) and action are required');
      assert.ok(m.bad.length >= 1 && m.good.length >= 1, 'at least one bad and one good example');
      assert.ok(m.references.length >= 1, 'at least one reference');
    });
    for (const [i, ex] of rule.meta.bad.entries())
      test(`bad example ${i + 1} fires`, () => {
        const ids = run(ex).findings.map((f) => f.ruleId);
        assert.ok(ids.includes(rule.meta.id), `bad example ${i + 1} (${ex.fileName}) did not report ${rule.meta.id}; got ${ids.join(', ') || 'nothing'}`);
      });
    for (const [i, ex] of rule.meta.good.entries())
      test(`good example ${i + 1} stays silent`, () => {
        const ids = run(ex).findings.map((f) => f.ruleId);
        assert.ok(!ids.includes(rule.meta.id), `good example ${i + 1} (${ex.fileName}) reported ${rule.meta.id}`);
      });
  });
}

test('an editor diagnostic of a configuration check links its page, as a rule diagnostic does', async () => {
  const { configProblemDiagnostic } = await import('../server/src/lsp/diagnostics');
  const { CONFIG_CHECKS } = await import('../server/src/config-checks/meta');
  for (const check of CONFIG_CHECKS) {
    const d = configProblemDiagnostic({ fileName: '/p/vercel.json', ruleId: check.id, severity: 'warning', message: 'm', span: { start: 0, end: 1 } });
    const href = d.codeDescription?.href ?? '';
    assert.match(href, new RegExp(`/docs/config-checks/${check.id}\\.md$`));
    assert.ok(existsSync(join(ROOT, 'docs/config-checks', `${check.id}.md`)), `${check.id} has its page`);
  }
});
