// A short seeded LSP fuzz run against the built server (scripts/lsp-fuzz.ts): random valid and invalid message
// sequences must leave it alive, answering, and without an internal error. The long run is `npm run fuzz -- --lsp N`;
// SERVERLESS_LINT_LSP_FUZZ=<sessions> enlarges this one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzLsp } from '../../scripts/lsp-fuzz';

const SESSIONS = Number(process.env.SERVERLESS_LINT_LSP_FUZZ ?? 2);

test(`${SESSIONS} seeded LSP fuzz sessions: the server survives, answers every request and a final well-formed one`, { timeout: 600_000 }, async () => {
  const result = await fuzzLsp({ seed: 20261207, sessions: SESSIONS, messages: 100 });
  const report = result.failures
    .slice(0, 5)
    .map((f) => `session ${f.session} ${f.kind}: ${f.detail.split('\n').slice(0, 3).join(' | ')}\n  after: ${f.lastSent.join(' | ')}`);
  assert.deepEqual(report, []);
  assert.equal(result.sessions, SESSIONS);
  assert.ok(result.requests > 0);
});
