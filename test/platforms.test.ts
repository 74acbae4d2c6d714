// The platform registry against the places a new platform must also reach (CONTRIBUTING.md, "How to add a
// platform"): the ids of shared/src/types.ts, the `serverlessLint.platform` setting in package.json (from which
// `npm run docs` makes the serverless-lint.json schema), the configuration markers of analysis/project.ts, and limits
// with a source for every runtime a serverless platform runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_MODULES } from '../server/src/conventions';
import { MARKER_PLATFORM } from '../server/src/analysis/project';
import { PLATFORMS } from '../shared/src/types';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const setting = manifest.contributes.configuration.properties['serverlessLint.platform'];

test('every platform id has one module in the registry, and every module one id', () => {
  assert.deepEqual(PLATFORM_MODULES.map((p) => p.id).sort(), [...PLATFORMS].sort());
});

test('the platform setting offers every platform but `unknown`, each with a description', () => {
  assert.deepEqual(setting.enum, ['auto', ...PLATFORMS.filter((p) => p !== 'unknown')]);
  assert.equal(setting.enumDescriptions.length, setting.enum.length);
});

test("a platform's markers are the marker kinds project.ts maps to it", () => {
  for (const p of PLATFORM_MODULES) {
    const mapped = Object.entries(MARKER_PLATFORM)
      .filter(([, platform]) => platform === p.id)
      .map(([kind]) => kind);
    assert.deepEqual([...p.markers].sort(), mapped.sort(), `${p.id}: markers`);
  }
});

test('a serverless platform has limits, with their sources, for every runtime it runs', () => {
  for (const p of PLATFORM_MODULES.filter((m) => m.serverless)) {
    for (const runtime of p.runtimes) {
      const limits = p.limits(runtime);
      assert.ok(limits, `${p.id} (${runtime}): no limits in shared/src/limits.ts`);
      assert.ok(limits.docs.length > 0, `${p.id} (${runtime}): limits without a source`);
    }
  }
});
