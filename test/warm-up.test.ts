// The language server's warm-up (server/src/lsp/warm-up.ts): synthetic keystrokes in a copy of the first opened
// file, in a service of its own, that stop at the user's first keystroke.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { typingOffset, warmUp, WARM_UP_STATEMENT } from '../server/src/lsp/warm-up';

const PATH = '/project/app/api/items/route.ts';
const TEXT = [
  "import { db } from '../../../lib/db';",
  '',
  'export async function GET(request: Request) {',
  "  const limit = Number(new URL(request.url).searchParams.get('limit') ?? 20);",
  '  const items = await db.items.findMany({ take: limit });',
  '  return Response.json(items);',
  '}',
  '',
].join('\n');

function project() {
  const host = new MemoryHost({
    [PATH]: TEXT,
    '/project/package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }\n',
    '/project/lib/db.ts': 'export const db = { items: { findMany: async (q: { take: number }) => [q.take] } };\n',
  });
  const make = () => new LintService(host, { workspaceRoot: '/project', rules: RULES });
  return { host, make };
}

test('the warm-up types a statement into the first handler of a copy, then removes it, in a service of its own', async () => {
  const { make } = project();
  const mine = make();
  const opened = mine.lint(PATH, TEXT);
  const handler = opened.context.handlers[0]?.span;
  assert.ok(handler, 'the route has a handler');
  const at = typingOffset(TEXT, handler);
  assert.equal(TEXT.slice(at).split('\n')[0], TEXT.split('\n')[3], 'typing starts on the line after the signature');
  const variants: string[] = [];
  let services = 0;
  const report = await warmUp({
    service: () => (services++, make()),
    path: PATH,
    text: TEXT,
    handler,
    whenIdle: async () => undefined,
    activeSince: () => false,
    consume: (result, text) => {
      assert.equal(result.failures.length, 0);
      variants.push(text);
    },
  });
  const perRound = WARM_UP_STATEMENT.length + 1;
  assert.equal(report.stopped, undefined);
  assert.equal(report.edits, 2 * perRound);
  assert.equal(services, 1, 'one service, made once');
  assert.equal(variants[0], TEXT.slice(0, at) + WARM_UP_STATEMENT[0] + TEXT.slice(at));
  assert.equal(variants[perRound - 2], TEXT.slice(0, at) + WARM_UP_STATEMENT + TEXT.slice(at));
  assert.equal(variants[perRound - 1], TEXT, 'each round ends with the statement removed');
  assert.equal(variants.at(-1), TEXT);
  // The document's own service is untouched: its cached result for the text is still the one it gave.
  assert.equal(mine.lint(PATH, TEXT), opened);
});

test('the warm-up stops at the first keystroke, and at its time limit', async () => {
  const { make } = project();
  let edits = 0;
  const typed = await warmUp({
    service: make,
    path: PATH,
    text: TEXT,
    whenIdle: async () => undefined,
    activeSince: () => edits >= 5,
    consume: () => void edits++,
  });
  assert.deepEqual({ edits: typed.edits, stopped: typed.stopped }, { edits: 5, stopped: 'typing' });
  let made = 0;
  const late = await warmUp({ service: () => (made++, make()), path: PATH, text: TEXT, whenIdle: async () => undefined, activeSince: () => false, maxMs: -1 });
  assert.deepEqual({ edits: late.edits, stopped: late.stopped, made }, { edits: 0, stopped: 'time', made: 0 });
});

test('without a handler, typing goes to a line in the middle of the file', () => {
  const text = 'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\n';
  const at = typingOffset(text);
  assert.ok(at > 0 && at < text.length && text[at - 1] === '\n');
  assert.equal(typingOffset('no newline at all'), 'no newline at all'.length);
});
