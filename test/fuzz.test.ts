// A short seeded fuzz run (the long one is `npm run fuzz`), plus every saved regression input.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz, generatedShape, loadSeeds, prng } from '../scripts/fuzz-lib';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { ensurePythonParser } from '../server/src/python/parser';

const ROOT = join(__dirname, '..');

// Python seeds (fixtures and test-workspace files) need the parser, loaded once before any test runs.
before(async () => {
  assert.ok(await ensurePythonParser());
});

test('2,000 seeded mutations: no exception, no rule failure, no fix that breaks a parsing file', () => {
  const seeds = loadSeeds(ROOT);
  assert.ok(seeds.length > 10, 'fixtures and test-workspace files are the seeds');
  // Generous time limit: this runs on a loaded 2-core machine; `npm run fuzz` enforces 2 s.
  const result = fuzz(seeds, { seed: 20261122, count: 2000, slowMs: 10000 });
  const report = result.failures
    .slice(0, 5)
    .map((f) => `seed=${f.seed} index=${f.index} ${f.kind} ${f.source} (${f.mutation}): ${f.detail.split('\n').slice(0, 3).join(' | ')}`);
  assert.deepEqual(report, []);
});

test('40 generated long chains and long handlers: analyzed, no failure', () => {
  const rand = prng(20261207);
  const path = '/project/api/shape.js';
  const service = new LintService(new MemoryHost({ '/project/vercel.json': '{}' }), {
    workspaceRoot: '/project',
    rules: RULES,
    overrides: { maxFileSize: 8 * 1024 * 1024 },
  });
  const problems: string[] = [];
  for (let i = 0; i < 40; i++) {
    const shape = generatedShape(rand);
    const text = `export default async function handler(req, res) {\n  res.json({ ok: true });\n}\n${shape.text}`;
    const result = service.lint(path, text);
    if (result.skipped !== undefined || result.failures.length)
      problems.push(`${i} ${shape.mutation}: ${result.skipped ?? result.failures.map((f) => f.error).join('; ')}`);
    service.forget(path);
  }
  assert.deepEqual(problems, []);
});

test('saved fuzz regressions stay fixed', () => {
  const dir = join(ROOT, 'test/fuzz-regressions');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const raw = readFileSync(join(dir, name), 'utf8');
    const newline = raw.indexOf('\n');
    const meta = JSON.parse(raw.slice(0, newline)) as { source: string; path: string; files: Record<string, string>; platform?: string };
    const input = raw.slice(newline + 1);
    const host = new MemoryHost({ [meta.path]: input });
    for (const [rel, content] of Object.entries(meta.files)) host.write(`/project/${rel}`, content);
    const service = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides: meta.platform ? { platform: meta.platform as 'vercel' } : {} });
    const result = service.lint(meta.path, input);
    assert.deepEqual(
      result.failures.map((f) => f.ruleId),
      [],
      `${name} (from ${meta.source})`,
    );
  }
});
