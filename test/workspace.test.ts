// The demo projects: `serverless-lint --format json test-workspace` reports exactly the findings listed in
// test-workspace/EXPECTED.md (file, line, rule, severity), and nothing at all in the long-running project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../server/src/cli';

const WS = join(__dirname, '..', 'test-workspace');
const SEV: Record<string, number> = { E: 2, W: 1, I: 1 };

function expected(): string[] {
  const rows: string[] = [];
  for (const line of readFileSync(join(WS, 'EXPECTED.md'), 'utf8').split('\n')) {
    const m = /^\| \d+ \| `([^`]+)` \| (\d+) \| `([\w-]+)` \| ([EWI]) \|/.exec(line);
    if (m) rows.push(`${m[1]}:${m[2]} ${m[3]} ${SEV[m[4]]}${m[4] === 'I' ? 'i' : ''}`);
  }
  return rows.sort();
}

test('CLI JSON over test-workspace matches EXPECTED.md exactly', async () => {
  const out: string[] = [];
  const code = await main([WS, '--format', 'json'], { out: (s) => out.push(s), err: () => undefined });
  assert.equal(code, 1, 'errors are found, so the exit code is 1');
  const files = JSON.parse(out.join('\n')) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; severity: number; level?: string }> }>;
  const actual = files
    .flatMap((f) => f.messages.map((m) => `${f.filePath.slice(WS.length + 1)}:${m.line} ${m.ruleId} ${m.severity}${m.level === 'info' ? 'i' : ''}`))
    .sort();
  const exp = expected();
  assert.ok(exp.length >= 40, 'EXPECTED.md has its findings table');
  const missing = exp.filter((e) => !actual.includes(e));
  const unexpected = actual.filter((a) => !exp.includes(a));
  assert.deepEqual({ missing, unexpected }, { missing: [], unexpected: [] });
  assert.ok(!actual.some((a) => a.startsWith('long-running-server/')), 'the long-running project stays silent');
});
