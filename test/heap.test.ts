// The CLI's young generation (server/src/host/heap.ts): held at its cap between files, V8's own growth when
// released, and a code cache written while it is held still matching the flags the process started with. Each case
// runs in a process of its own: V8's flags are the process's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BATCH_SEMI_SPACE_MB } from '../server/src/host/heap';

const HEAP = resolve(__dirname, '../server/src/host/heap.ts');
const CODE_CACHE = resolve(__dirname, '../server/src/boot/code-cache.ts');

function inChild(code: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { encoding: 'utf8' }).trim();
}

/**
 * The largest semi-space (MB) over 400 "files" that each keep the objects of the three before them alive, so that
 * scavenges find much alive and V8 grows its young generation; `between` runs after each file. With `fromStart`,
 * the growth over the semi-space right after `setup` instead (tsx's own start may already have grown it, more so
 * on a loaded machine, where V8's heuristics see a lower throughput).
 */
function largestSemiSpace(setup: string, between: string, fromStart = false): number {
  return Number(
    inChild(`
    const heap = require(${JSON.stringify(HEAP)});
    const { getHeapSpaceStatistics } = require('node:v8');
    ${setup}
    const semi = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 / 1048576;
    const first = semi();
    let largest = first;
    const kept = [];
    for (let file = 0; file < 400; file++) {
      const objects = [];
      for (let i = 0; i < 4000; i++) objects.push({ i, pair: [i, file], name: 'n' + i });
      kept.push(objects);
      if (kept.length > 3) kept.shift();
      ${between}
      largest = Math.max(largest, semi());
    }
    console.log(${fromStart ? 'largest - first' : 'largest'});
  `),
  );
}

test('held between files, the young generation grows to the cap and no further; released, V8 grows it past the cap', () => {
  const held = largestSemiSpace('heap.pinYoungGeneration();', 'heap.holdYoungGeneration();');
  assert.ok(held <= BATCH_SEMI_SPACE_MB, `held: a semi-space of ${held} MB`);
  assert.ok(held >= BATCH_SEMI_SPACE_MB / 2, `held: a semi-space of ${held} MB, it did grow`);
  const released = largestSemiSpace('heap.pinYoungGeneration(); heap.releaseYoungGeneration();', 'heap.holdYoungGeneration();');
  assert.ok(released > BATCH_SEMI_SPACE_MB, `released: a semi-space of ${released} MB`);
  const pinnedGrowth = largestSemiSpace('heap.pinYoungGeneration();', '', true);
  assert.equal(pinnedGrowth, 0, `pinned and never held: the semi-space grew by ${pinnedGrowth} MB`);
});

test('a code cache written while the young generation is held is used by the next start, which pins it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-heap-cc-'));
  const bundle = join(dir, 'app.js');
  writeFileSync(bundle, Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n') + '\nmodule.exports = f7(1);\n');
  const cache = join(dir, 'cache');
  const start = (pin: boolean, then: string) =>
    inChild(`
    const heap = require(${JSON.stringify(HEAP)});
    ${pin ? 'heap.pinYoungGeneration();' : ''}
    const start = require(${JSON.stringify(CODE_CACHE)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
    ${then}
    console.log(start.state);
  `);
  // The growth factor is not the start's when the cache is written (released: V8's own).
  assert.equal(start(true, 'heap.releaseYoungGeneration(); start.save("checkpoint");'), 'none');
  assert.equal(start(true, ''), 'used');
  // A start with V8's own flags cannot use it: the test sees the flags.
  assert.equal(start(false, ''), 'rejected');
});
