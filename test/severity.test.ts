// The one severity vocabulary: configured levels, finding severities and the output boundaries convert in one module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eslintSeverity, isRuleLevel, levelOfSeverity, RULE_LEVELS, sarifLevel, severityOfLevel } from '../shared/src/severity';

test('a configured level maps to a severity and back; `warn` is the level, `warning` the severity', () => {
  assert.deepEqual(RULE_LEVELS, ['off', 'info', 'warn', 'error']);
  assert.equal(severityOfLevel('warn', 'error'), 'warning');
  assert.equal(severityOfLevel('off', 'error'), 'off');
  assert.equal(severityOfLevel(undefined, 'info'), 'info');
  assert.equal(severityOfLevel('warning', 'error'), 'error', 'the severity spelling is not a level');
  for (const s of ['error', 'warning', 'info'] as const) assert.equal(severityOfLevel(levelOfSeverity(s), 'error'), s);
  assert.ok(isRuleLevel('warn') && !isRuleLevel('warning') && !isRuleLevel(1));
});

test('each output boundary has one conversion', () => {
  assert.deepEqual((['error', 'warning', 'info'] as const).map(sarifLevel), ['error', 'warning', 'note']);
  assert.deepEqual((['error', 'warning', 'info'] as const).map(eslintSeverity), [2, 1, 1]);
});
