// Checks the VS Code contribution parts of package.json against the code: every server and client command is
// contributed (category "Serverless"), and `serverlessLint.rules` lists exactly the rules and configuration checks.
// After adding a rule: `UPDATE_MANIFEST=1 node --import tsx --test test/client/manifest.test.ts` rewrites that list.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClientCommands, ServerCommands } from '../../shared/src/protocol';
import { RULES } from '../../server/src/rules';
import { CONFIG_CHECKS } from '../../server/src/config-checks/meta';
import { levelProperties } from '../../scripts/gen-docs';

const PACKAGE = join(__dirname, '../../package.json');

function ruleProperties(): Record<string, unknown> {
  return levelProperties();
}

test('every command is contributed with category "Serverless"', () => {
  const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8'));
  const contributed = new Map<string, { category: string }>(pkg.contributes.commands.map((c: { command: string; category: string }) => [c.command, c]));
  for (const id of [...Object.values(ServerCommands), ...Object.values(ClientCommands)]) {
    assert.equal(contributed.get(id)?.category, 'Serverless', `${id} is contributed`);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
});

test('serverlessLint.rules lists every rule of the registry', () => {
  const text = readFileSync(PACKAGE, 'utf8');
  const pkg = JSON.parse(text);
  const rules = pkg.contributes.configuration.properties['serverlessLint.rules'];
  if (process.env.UPDATE_MANIFEST) {
    // Re-read right before writing: other scripts may edit package.json too; only this one key changes.
    const fresh = JSON.parse(readFileSync(PACKAGE, 'utf8'));
    fresh.contributes.configuration.properties['serverlessLint.rules'].properties = ruleProperties();
    writeFileSync(PACKAGE, JSON.stringify(fresh, null, 2) + '\n');
    return;
  }
  assert.deepEqual(Object.keys(rules.properties).sort(), [...RULES.map((r) => r.meta.id), ...CONFIG_CHECKS.map((c) => c.id)].sort(),
    'run UPDATE_MANIFEST=1 node --import tsx --test test/client/manifest.test.ts');
});
