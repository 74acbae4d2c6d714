import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageName } from '../server/src/analysis/ast';

test('packageName strips node: and subpaths, keeping scopes', () => {
  // biome-ignore format: a packed list of cases reads better than one case per line.
  const cases: Array<[string, string]> = [
    ['fs', 'fs'], ['node:fs', 'fs'], ['node:fs/promises', 'fs'], ['fs/promises', 'fs'], ['lodash/get', 'lodash'],
    ['@aws-sdk/client-s3', '@aws-sdk/client-s3'], ['@aws-sdk/client-s3/dist/x', '@aws-sdk/client-s3'], ['@scope', '@scope'],
    ['@scope/', '@scope/'], ['', ''], ['node:', ''], ['./local/file', '.'], ['a/node:b', 'a'],
  ];
  for (const [specifier, name] of cases) assert.equal(packageName(specifier), name, specifier);
});
