// The editor reparses a file incrementally from its previous tree (TypeScript's updateSourceFile): after any chain
// of edits, typed character by character or as random token edits, it must report exactly what a full parse of
// the same text reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { loadSeeds, mutate, prng } from '../scripts/fuzz-lib';

const TYPED = [
  "await fetch(url, { method: 'POST' });\n",
  'if (process.env.NEXT_RUNTIME === "edge") {\n  return;\n}\n',
  '/** @type {number} */\nlet count = 0;\n',
  'process.exit(1);',
];

test('incremental reparses give the findings and contexts of full parses, over chains of edits', () => {
  const seeds = loadSeeds(join(__dirname, '..'));
  assert.ok(seeds.length > 50, `seeds: ${seeds.length}`);
  const rand = prng(4242);
  let lints = 0;
  let reparsed = 0;
  for (const seed of seeds.filter((_, i) => i % 3 === 0)) {
    const host = new MemoryHost({ [seed.path]: seed.text });
    for (const [rel, content] of Object.entries(seed.files)) host.write(`/project/${rel}`, content);
    const overrides = seed.platform ? { platform: seed.platform as 'vercel' } : {};
    const editor = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides });
    // A batch service parses every text from scratch (the editor service's overlay wins over the host's copy).
    const batch = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides, textsFromHost: true });
    let text = seed.text;
    editor.lint(seed.path, text);
    for (let step = 0; step < 10; step++) {
      if (rand() < 0.6) {
        // Typing: one to a few characters of a statement inserted where the cursor is.
        const snippet = TYPED[Math.floor(rand() * TYPED.length)];
        const at = Math.floor(rand() * (text.length + 1));
        const n = 1 + Math.floor(rand() * 3);
        text = text.slice(0, at) + snippet.slice(0, n) + text.slice(at);
      } else {
        text = mutate(text, rand).text;
      }
      const mine = editor.lint(seed.path, text);
      // A batch service is given what its host reads.
      host.write(seed.path, text);
      const full = batch.lint(seed.path, text);
      lints++;
      // Whether a text nested near the parser's stack limit still fits depends on how deep the call stack already
      // is (and on which frames the JIT has optimized), so a "too deeply nested" skip on either side is not compared.
      if (/deeply nested/.test(`${mine.skipped ?? ''}${full.skipped ?? ''}`)) continue;
      if (!mine.skipped) reparsed++;
      assert.deepEqual(mine.findings, full.findings, `${seed.name}, edit ${step}`);
      assert.deepEqual(mine.context, full.context, `${seed.name}, edit ${step}`);
    }
  }
  assert.ok(reparsed > 200, `reparsed ${reparsed} of ${lints}`);
});

test('contextOf decides the context lint decides, and records function entries for the modules they import', () => {
  const seeds = loadSeeds(join(__dirname, '..'));
  let entries = 0;
  for (const seed of seeds) {
    const host = new MemoryHost({ [seed.path]: seed.text });
    for (const [rel, content] of Object.entries(seed.files)) host.write(`/project/${rel}`, content);
    const overrides = seed.platform ? { platform: seed.platform as 'vercel' } : {};
    const linted = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides }).lint(seed.path, seed.text);
    const service = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides });
    const context = service.contextOf(seed.path, seed.text);
    assert.deepEqual(context, linted.context, seed.name);
    if (context.role.value === 'function-entry') {
      entries++;
      assert.equal(service.graph.entryReaching(seed.path), undefined, `${seed.name}: an entry is not reached from another`);
    }
  }
  assert.ok(entries > 20, `entries: ${entries}`);
});

test('contextOf records an entry: a module it imports is then linted as function code', () => {
  const host = new MemoryHost({
    '/project/vercel.json': '{}',
    '/project/api/orders.ts':
      "import { store } from '../lib/store';\nexport default function handler(req: any, res: any) { res.json(store.get(req.query.id)); }\n",
    '/project/lib/store.ts': 'export const store = new Map<string, unknown>();\nexport function remember(id: string, v: unknown) { store.set(id, v); }\n',
  });
  const service = new LintService(host, { workspaceRoot: '/project', rules: RULES });
  assert.equal(service.lint('/project/lib/store.ts', host.readFile('/project/lib/store.ts')!).context.role.value, 'other');
  assert.equal(service.contextOf('/project/api/orders.ts', host.readFile('/project/api/orders.ts')!).role.value, 'function-entry');
  assert.equal(service.lint('/project/lib/store.ts', host.readFile('/project/lib/store.ts')!).context.role.value, 'function-module');
});
