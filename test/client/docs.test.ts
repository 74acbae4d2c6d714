// "Show documentation" opens the rule page packaged with the extension: the lookup finds it by rule id, and an
// argument that is no rule id never leads outside docs/rules.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { bundledRulePage } from '../../client/src/docs';
import { RULES } from '../../server/src/rules';

const ROOT = join(__dirname, '../..');

test('every rule has a bundled page; other arguments have none', () => {
  for (const r of RULES) assert.equal(bundledRulePage(ROOT, r.meta.id), join(ROOT, 'docs/rules', `${r.meta.id}.md`));
  for (const bad of ['no-such-rule', '../README', '../../package', 'no-process-exit/../x', '', undefined, 42])
    assert.equal(bundledRulePage(ROOT, bad), undefined, String(bad));
});
