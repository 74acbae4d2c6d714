import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detached, flatString } from '../server/src/analysis/detach';

test('detached copies JSON-like data deeply: equal, and sharing no object with the source', () => {
  const text = 'export async function handler(event) { return sendEmail(event.body); }';
  const source = {
    fileName: '/w/app/api/route.ts',
    findings: [
      {
        ruleId: 'r',
        message: `Call ${text.slice(39, 48)} later`,
        span: { start: 1, end: 2 },
        fixes: [{ title: 't', edits: [{ span: { start: 0, end: 0 }, newText: text.slice(7) }] }],
      },
      { ruleId: 'q', message: 'm', related: undefined, severity: 'error' },
    ],
    context: { handlers: [], nodejsCompat: false, count: 0, nothing: null },
    nested: [[1, [2, ['three']]]],
  };
  const copy = detached(source);
  assert.deepStrictEqual(copy, source);
  assert.notEqual(copy.findings, source.findings);
  assert.notEqual(copy.findings[0], source.findings[0]);
  assert.notEqual(copy.findings[0].fixes![0].edits[0].span, source.findings[0].fixes![0].edits[0].span);
  assert.notEqual(copy.nested[0][1], source.nested[0][1]);
  assert.ok(Array.isArray(copy.nested[0][1]));
  assert.equal(detached('a string'), 'a string');
  assert.equal(detached(7), 7);
  assert.equal(detached(null), null);
});

test('detached handles any depth without recursion', () => {
  let deep: unknown[] = ['leaf'];
  for (let i = 0; i < 200_000; i++) deep = [deep, { i }];
  let copy = detached(deep) as unknown[];
  let depth = 0;
  while (copy.length === 2) {
    copy = copy[0] as unknown[];
    depth++;
  }
  assert.equal(depth, 200_000);
  assert.deepStrictEqual(copy, ['leaf']);
});

test('flatString returns an equal string', () => {
  const long = 'x'.repeat(40) + 'y';
  assert.equal(flatString(long.slice(1)), long.slice(1));
  assert.equal(flatString('short'), 'short');
});
