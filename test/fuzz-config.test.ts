// A short seeded run of the config fuzzer (the long one is `npm run fuzz -- --configs N`): deep JSON/YAML/TOML config
// files, symlinked and special files, tsconfig `extends` graphs. No run may fail (exit 2) or print text from outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzConfigs } from '../scripts/fuzz-config';

test('60 generated hostile workspaces: every run ends with findings, none leaks text from outside', async () => {
  const result = await fuzzConfigs({ seed: 20261207, count: 60 });
  assert.deepEqual(
    result.failures.slice(0, 3).map((f) => `#${f.index} ${f.kind} [${f.files.join(' ')}]: ${f.detail.split('\n').slice(0, 4).join(' | ')}`),
    [],
  );
});
