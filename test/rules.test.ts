// Runs every rule fixture under test/fixtures/<rule-id>/: bad-* files must fire (and only where annotated),
// good-* files must stay silent, and every fix has a snapshot of what it does (UPDATE_SNAPSHOTS=1 to write).
import { before, test, describe } from 'node:test';
import { ensurePythonParser } from '../server/src/python/parser';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/src/rules';
import { applyEdits } from '../server/src/analysis/fixes';
import { syntaxErrorCount } from '../server/src/analysis/service';
import { analyzeFixture, compare, lineDiff, loadFixture, parseFixture, serviceFor } from './harness';
import type { Finding } from '../shared/src/types';
import { SOURCE_FILE } from '../shared/src/source-files';

const FIXTURES = join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
// Python fixtures need the parser (WebAssembly), loaded once before any test runs.
before(async () => {
  assert.ok(await ensurePythonParser(), 'the Python parser loads');
});

const ONLY = process.env.RULE;

/** A title template as a pattern: each `{{name}}` placeholder matches any text. */
function templatePattern(template: string): RegExp {
  return new RegExp(
    `^${template
      .split(/\{\{\s*\w+\s*\}\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')}$`,
  );
}

for (const rule of RULES) {
  const id = rule.meta.id;
  if (ONLY && ONLY !== id) continue;
  describe(id, () => {
    const dir = join(FIXTURES, id);
    const files = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => SOURCE_FILE.test(f))
          .sort()
      : [];
    const bad = files.filter((f) => f.startsWith('bad-'));
    const good = files.filter((f) => f.startsWith('good-'));
    // The fix ids the fixtures produce, for the check after them that every declared fix is built somewhere.
    const built = new Set<string>();
    // The message ids the fixtures' findings of this rule carry.
    const said = new Set<string>();

    test('has at least 3 bad and 3 good fixtures', () => {
      assert.ok(bad.length >= 3, `${id}: ${bad.length} bad fixtures in test/fixtures/${id}/ (need 3)`);
      assert.ok(good.length >= 3, `${id}: ${good.length} good fixtures in test/fixtures/${id}/ (need 3)`);
    });

    for (const file of files) {
      test(file, () => {
        const fixture = loadFixture(join(dir, file));
        if (file.startsWith('bad-'))
          assert.ok(
            fixture.expectations.some((e) => e.ruleId === id),
            `${file}: a bad fixture must expect ${id}`,
          );
        if (file.startsWith('good-')) assert.ok(!fixture.expectations.some((e) => e.ruleId === id), `${file}: a good fixture must not expect ${id}`);
        const result = analyzeFixture(fixture);
        assert.deepEqual(result.failures, [], 'no rule may throw');
        assert.deepEqual(compare(fixture, result.findings), []);
        for (const f of result.findings) if (f.ruleId === id && f.messageId) said.add(f.messageId);

        // Fix snapshots: every fix of this rule, applied alone, shown as a diff; each result must parse.
        const fixes = result.findings.filter((f) => f.ruleId === id).flatMap((f) => (f.fixes ?? []).map((fix) => ({ f, fix })));
        // Every fix is one the rule declares, with the declared title and safety (built by ctx.fix, not by hand).
        for (const { fix } of fixes) {
          const declared = rule.meta.fixes.find((d) => d.id === fix.id);
          assert.ok(declared, `${file}: ${id} builds the fix "${fix.title}" (id ${fix.id}), which its meta.fixes does not declare`);
          assert.equal(fix.safety, declared.safety, `${file}: fix ${fix.id} is not built with its declared safety`);
          assert.match(fix.title, templatePattern(declared.title), `${file}: fix ${fix.id} is not titled as declared`);
          built.add(declared.id);
        }
        const snapPath = join(dir, `${file}.fixes.snap`);
        if (fixes.length === 0) {
          assert.ok(!existsSync(snapPath), `${file}: stale snapshot ${snapPath} (no fixes now)`);
          return;
        }
        const parts: string[] = [];
        for (const { f, fix } of fixes) {
          const after = applyEdits(
            fixture.text,
            fix.edits.filter((e) => !e.fileName || e.fileName === fixture.path),
          );
          assert.ok(
            syntaxErrorCount(fixture.path, after) <= syntaxErrorCount(fixture.path, fixture.text),
            `${file}: fix "${fix.title}" breaks the syntax:\n${after}`,
          );
          parts.push(
            `=== ${f.ruleId} at ${f.range.start.line + 1}:${f.range.start.character + 1} — ${fix.title} [${fix.safety}]\n${lineDiff(fixture.text, after)}`,
          );
        }
        const snapshot = parts.join('\n\n') + '\n';
        if (UPDATE || !existsSync(snapPath)) {
          if (!UPDATE) assert.fail(`${file}: missing fix snapshot; run UPDATE_SNAPSHOTS=1 npm run test:unit and review ${snapPath}`);
          writeFileSync(snapPath, snapshot);
        } else {
          assert.equal(snapshot, readFileSync(snapPath, 'utf8'), `${file}: fix snapshot differs (UPDATE_SNAPSHOTS=1 to accept)`);
        }

        // --fix (safe fixes, repeated until stable) never corrupts the file and reaches a fixed point.
        const service = serviceFor(fixture);
        const fixed = service.fix(fixture.path, fixture.text);
        assert.ok(syntaxErrorCount(fixture.path, fixed.text) <= syntaxErrorCount(fixture.path, fixture.text));
        assert.equal(service.fix(fixture.path, fixed.text).applied, 0, `${file}: --fix did not reach a fixed point`);
      });
    }

    test('every message in meta.messages is said by some fixture', () => {
      const never = Object.keys(rule.meta.messages).filter((mid) => !said.has(mid));
      assert.deepEqual(
        never,
        [],
        `${id} declares messages no fixture in test/fixtures/${id}/ reports: add a bad fixture for each (annotate it \`${id}/<messageId>\`), or remove the message`,
      );
    });

    test('every fix in meta.fixes is built by some fixture', () => {
      const never = rule.meta.fixes.map((d) => d.id).filter((fid) => !built.has(fid));
      assert.deepEqual(
        never,
        [],
        `${id} declares fixes no fixture in test/fixtures/${id}/ produces: add a bad fixture that gets each, or remove the declaration`,
      );
      assert.equal(new Set(rule.meta.fixes.map((d) => d.id)).size, rule.meta.fixes.length, `${id}: fix ids are unique`);
    });
  });
}

test('the harness holds a fixture to its @message headers', () => {
  const fixture = {
    ...parseFixture('m.ts', '// @path app/api/m/route.ts\n// @message no-process-exit ends the invocation\nprocess.exit(1); // expect: no-process-exit\n'),
  };
  const finding = (message: string) =>
    ({ ruleId: 'no-process-exit', message, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 15 } } }) as unknown as Finding;
  assert.deepEqual(compare(fixture, [finding('process.exit() ends the invocation early')]), []);
  const problems = compare(fixture, [finding('something else')]);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /no no-process-exit finding says "ends the invocation"/);
});

test("the harness matches a `rule-id/messageId` annotation on the finding's message id", () => {
  const fixture = parseFixture('m.ts', '// @path app/api/m/route.ts\nprocess.exit(1); // expect: no-process-exit/processExit\n');
  const finding = (messageId: string) =>
    ({
      ruleId: 'no-process-exit',
      messageId,
      message: 'm',
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 15 } },
    }) as unknown as Finding;
  assert.deepEqual(compare(fixture, [finding('processExit')]), []);
  assert.match(compare(fixture, [finding('other')]).join('\n'), /expected no-process-exit\/processExit on line 2/);
});
