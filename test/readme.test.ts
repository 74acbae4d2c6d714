// The README is the front page (and the Marketplace page): short, with install, the two commands and the rules;
// the benchmark lives in docs/performance.md, which keeps the latest table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

test('the README is a front page, and the benchmark table is in docs/performance.md', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.ok(readme.length < 20_000, `README.md is ${readme.length} characters; details belong in docs/`);
  for (const heading of ['## Install', '## The two commands', '## Rules', '## Configuration', '## CI']) assert.ok(readme.includes(`\n${heading}\n`), heading);
  for (const text of [
    'npx serverless-lint',
    'serverless-lint-language-server --stdio',
    '<!-- rules:start -->',
    'docs/performance.md',
    'docs/cli.md',
    'docs/ci.md',
  ])
    assert.ok(readme.includes(text), text);
  assert.doesNotMatch(readme, /Tried, not shipped|This round \(/, 'benchmark rounds belong in docs/performance-history.md');
  const performance = readFileSync(join(ROOT, 'docs/performance.md'), 'utf8');
  assert.match(performance, /^\| Section +\| Measure/m, 'the latest bench table');
  assert.match(readFileSync(join(ROOT, 'docs/performance-history.md'), 'utf8'), /Tried, not shipped/);
});
