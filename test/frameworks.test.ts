// Runs every framework fixture under test/fixtures/frameworks/<framework-id>/ through the rules' harness: positive-*
// files must be recognised as the framework says (role, entry, handlers, shapes …, from `// @expect-*` headers) and
// negative-* files must not; findings are annotated as in rule fixtures. Every registered framework needs both.
import { before, test, describe } from 'node:test';
import { ensurePythonParser } from '../server/src/python/parser';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FRAMEWORKS } from '../server/src/conventions';
import { analyzeFixture, compare, compareContext, loadFixture } from './harness';
import { SOURCE_FILE } from '../shared/src/source-files';

const DIR = join(__dirname, 'fixtures', 'frameworks');
// Python fixtures need the parser (WebAssembly), loaded once before any test runs.
before(async () => {
  assert.ok(await ensurePythonParser(), 'the Python parser loads');
});

const ONLY = process.env.FRAMEWORK;

test('every fixture folder belongs to a registered framework', () => {
  const ids = new Set(FRAMEWORKS.map((f) => f.id));
  const folders = existsSync(DIR) ? readdirSync(DIR) : [];
  assert.deepEqual(
    folders.filter((f) => !ids.has(f)),
    [],
  );
});

for (const framework of FRAMEWORKS) {
  if (ONLY && ONLY !== framework.id) continue;
  describe(framework.id, () => {
    const dir = join(DIR, framework.id);
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => SOURCE_FILE.test(f))
          .sort()
      : [];
    const positive = files.filter((f) => f.startsWith('positive-'));
    const negative = files.filter((f) => f.startsWith('negative-'));
    const own = new Set<string>([...framework.entries.map((e) => e.id), ...framework.shapes.map((s) => s.id)]);

    test('has positive and negative fixtures', () => {
      assert.ok(positive.length >= 1, `${framework.id}: no positive-* fixture in test/fixtures/frameworks/${framework.id}/`);
      assert.ok(negative.length >= 1, `${framework.id}: no negative-* fixture in test/fixtures/frameworks/${framework.id}/`);
    });

    for (const file of files) {
      test(file, () => {
        const fixture = loadFixture(join(dir, file));
        const expected = fixture.context ?? {};
        if (file.startsWith('positive-')) {
          // A positive fixture names this framework's entry or one of its handler shapes.
          const named = [expected.framework, ...(expected.shapes ?? '').split(/,\s*/)].filter(Boolean);
          assert.ok(
            named.some((id) => own.has(id!)),
            `${file}: a positive fixture must expect an entry (@expect-framework) or shape (@expect-shapes) of ${framework.id}`,
          );
        } else if (file.startsWith('negative-')) {
          assert.ok(expected.role || expected.framework, `${file}: a negative fixture must say what the file is instead (@expect-role or @expect-framework)`);
        }
        const result = analyzeFixture(fixture);
        assert.deepEqual(result.failures, [], 'no rule may throw');
        assert.deepEqual([...compareContext(fixture, result), ...compare(fixture, result.findings)], []);
        if (file.startsWith('negative-')) {
          const claimed = [result.context.framework.value, ...result.context.handlers.map((h) => h.shape)].filter((id) => own.has(id));
          assert.deepEqual(claimed, [], `${file}: a negative fixture must not be recognised as ${framework.id}`);
        }
      });
    }
  });
}
