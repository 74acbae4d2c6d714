// `npm run fuzz [-- --count N --seed S]`: mutates fixtures and test-workspace files, runs the engine and every fix.
// Prints its counts; saves each failing input under test/fuzz-regressions/ so the test suite keeps it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz, loadSeeds } from './fuzz-lib';
import { fuzzConfigs } from './fuzz-config';

const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, configs: { type: 'string', default: '0' }, seed: { type: 'string' }, 'slow-ms': { type: 'string', default: '2000' } } });
const root = join(__dirname, '..');
const seeds = loadSeeds(root);
const seed = values.seed ? Number(values.seed) : Date.now() % 2 ** 31;
const count = Number(values.count);
const started = Date.now();
console.log(`fuzz: seed ${seed}, ${count} inputs from ${seeds.length} seed files`);
const result = fuzz(seeds, {
  seed, count, slowMs: Number(values['slow-ms']),
  onProgress: (n) => {
    if (n % 10000 === 0) console.log(`  ${n} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },
});
const dir = join(root, 'test/fuzz-regressions');
for (const f of result.failures.slice(0, 50)) {
  mkdirSync(dir, { recursive: true });
  const name = `${f.kind}-${createHash('sha1').update(f.input).digest('hex').slice(0, 10)}.txt`;
  writeFileSync(join(dir, name), JSON.stringify({ seed: f.seed, path: f.path, files: f.files, platform: f.platform, index: f.index, source: f.source, mutation: f.mutation, kind: f.kind, detail: f.detail.split('\n').slice(0, 8).join('\n') }) + '\n' + f.input);
  console.log(`FAIL seed=${f.seed} index=${f.index} ${f.kind} ${f.source} (${f.mutation}): ${f.detail.split('\n')[0]} → ${name}`);
}
const byKind = (k: string) => result.failures.filter((f) => f.kind === k).length;
console.log(`fuzz: ${result.inputs} inputs, ${result.fixesChecked} fixes checked, ${(((Date.now() - started) / 1000)).toFixed(0)} s, slowest input ${result.maxMs.toFixed(0)} ms`);
console.log(`fuzz: ${byKind('exception')} uncaught exceptions, ${byKind('rule-failure')} rule failures, ${byKind('slow')} inputs over ${values['slow-ms']} ms, ${byKind('fix-breaks-syntax')} fixes that break syntax`);
process.exitCode = result.failures.length ? 1 : 0;

// Hostile workspaces (scripts/fuzz-config.ts): `--configs N` lints N generated ones with the CLI in-process.
const configCount = Number(values.configs);
if (configCount > 0) {
  const configStarted = Date.now();
  void fuzzConfigs({ seed, count: configCount, onProgress: (n) => n % 500 === 0 && console.log(`  ${n} workspaces, ${((Date.now() - configStarted) / 1000).toFixed(0)} s`) }).then((r) => {
    for (const f of r.failures.slice(0, 20)) console.log(`FAIL config #${f.index} ${f.kind} [${f.files.join(' ')}]: ${f.detail.split('\n')[0]}`);
    console.log(`fuzz: ${r.inputs} workspaces, ${r.failures.length} failures (exit 2 or leaks), ${((Date.now() - configStarted) / 1000).toFixed(0)} s`);
    if (r.failures.length) process.exitCode = 1;
  });
}
