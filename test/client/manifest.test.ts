// Checks the VS Code contribution parts of package.json against the code: every server and client command is
// contributed (category "Serverless"), and `serverlessLint.rules` lists exactly the rules and configuration checks.
// The list is written by `npm run docs` (scripts/gen-docs.ts, the one generator of the schema); this test only checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ClientCommands, ServerCommands } from '../../shared/src/protocol';
import { RULES } from '../../server/src/rules';
import { CONFIG_CHECKS } from '../../server/src/config-checks/meta';
import { levelProperties } from '../../scripts/gen-docs';

const PACKAGE = join(__dirname, '../../package.json');

test('every command is contributed with category "Serverless"', () => {
  const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8'));
  const contributed = new Map<string, { category: string }>(pkg.contributes.commands.map((c: { command: string; category: string }) => [c.command, c]));
  for (const id of [...Object.values(ServerCommands), ...Object.values(ClientCommands)]) {
    assert.equal(contributed.get(id)?.category, 'Serverless', `${id} is contributed`);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
});

test('serverlessLint.rules lists every rule of the registry', () => {
  const pkg = JSON.parse(readFileSync(PACKAGE, 'utf8'));
  const rules = pkg.contributes.configuration.properties['serverlessLint.rules'];
  assert.deepEqual(Object.keys(rules.properties).sort(), [...RULES.map((r) => r.meta.id), ...CONFIG_CHECKS.map((c) => c.id)].sort(), 'run npm run docs');
  assert.deepEqual(rules.properties, levelProperties(), 'the level schema is the one npm run docs writes: run npm run docs');
});
