// The module graph depends on parsing and small analysis helpers only: no runtime import path leads from
// server/src/graph back to the engine or the service (which imports the graph), so there is no import loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SRC = join(__dirname, '../../server/src');

/** Runtime imports (not `import type`, not `export type`) of a source file, resolved to .ts files. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) {
    const base = join(dirname(file), m[1]);
    const candidates = [`${base}.ts`, join(base, 'index.ts')];
    const hit = candidates.find((c) => existsSync(c));
    if (hit) out.push(hit);
  }
  return out;
}

test('nothing the graph imports at run time imports the engine, the service or the graph itself', () => {
  const graphFiles = readdirSync(join(SRC, 'graph')).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, 'graph', f));
  const seen = new Set<string>();
  const stack = graphFiles.flatMap((f) => runtimeImports(f).filter((i) => !i.startsWith(join(SRC, 'graph'))).map((i) => [i, relative(SRC, f)] as const));
  const bad: string[] = [];
  while (stack.length) {
    const [file, via] = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = relative(SRC, file);
    if (rel === 'analysis/engine.ts' || rel === 'analysis/service.ts' || rel.startsWith('graph/')) bad.push(`${rel} (via ${via})`);
    for (const next of runtimeImports(file)) stack.push([next, rel]);
  }
  assert.deepEqual(bad, []);
});
