// `npm run bench:instructions`: the CLI's work against the parse floor's, counted in instructions by valgrind's
// callgrind instead of timed. On the shared 2-core bench machines wall time moves 10% or more between runs of the
// same code (other tenants' load, V8's helper threads); an instruction count moves far less.
// Both run with `node --single-threaded` (V8's compiler and collector then work on the main thread, in the same
// order every run) and without the code cache, over the same 1,000 generated files, and over an empty input to
// separate start-up from the per-file work. Runs of one build on an otherwise idle machine repeat within 0.5%;
// with a whole CI run beside it the CLI's count read 2.6% higher (likely V8's collector heuristics, which read the
// clock). It takes several minutes (valgrind runs the code some 50 times slower).
// `npm run bench:instructions -- --baseline <dist>` also counts another build's CLI (an older commit's production
// dist/) on the same input, right after this one's, and prints the ratio: the way to hold a change to a bound such
// as "within 10% of that commit" on a machine whose wall time cannot resolve it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSourceFiles } from '../server/src/host/files';
import { CODE_CACHE_ENV } from '../shared/src/env';
import { ensureGeneratedCorpus, GENERATED_FILES } from './lib/generate';
import { baselineDist, BENCH, CLI, GENERATED, SCRATCH } from './lib/paths';
import { markdownTable } from './lib/table';

/** The generated corpus's projects counted here: 1,000 files of all five platforms. */
const PROJECTS = ['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5', 'nextjs-0', 'express-vercel-0', 'lambda-0', 'netlify-0'];

const log = (s: string) => process.stderr.write(`bench:instructions: ${s}\n`);

/** Instructions `node --single-threaded <args>` executes under callgrind. */
function instructions(args: string[]): number {
  const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', ...args], {
    env: { ...process.env, [CODE_CACHE_ENV]: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
    encoding: 'utf8',
  });
  const collected = /Collected : (\d+)/.exec(run.stderr ?? '');
  if (!collected) throw new Error(`callgrind reported no count for node ${args.join(' ')} (exit ${run.status}):\n${(run.stderr ?? '').slice(-2000)}`);
  return Number(collected[1]);
}

function main(): void {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (Debian: apt-get install valgrind)');
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs --production\` first`);
  ensureGeneratedCorpus(GENERATED, GENERATED_FILES);
  const dir = join(SCRATCH, 'instructions');
  const empty = join(SCRATCH, 'instructions-empty');
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
  mkdirSync(empty, { recursive: true });
  for (const p of PROJECTS) cpSync(join(GENERATED, p), join(dir, p), { recursive: true });
  const files = collectSourceFiles([dir]);
  const list = join(SCRATCH, 'instructions.files');
  const emptyList = join(SCRATCH, 'instructions-empty.files');
  writeFileSync(list, files.join('\n') + '\n');
  writeFileSync(emptyList, '');

  const floor = join(BENCH, 'workers/floor.mjs');
  const count = (what: string, args: string[]) => {
    log(`${what} …`);
    return instructions(args);
  };
  const floorStart = count('floor, empty input', [floor, emptyList]);
  const cliStart = count('CLI, empty folder', [CLI, empty, '--format', 'json']);
  const floorAll = count(`floor, ${files.length.toLocaleString('en-US')} files`, [floor, list]);
  const cliAll = count(`CLI, ${files.length.toLocaleString('en-US')} files`, [CLI, dir, '--format', 'json']);
  const baseline = baselineDist();
  const baseCli = baseline && join(baseline, 'cli.js');
  const baseStart = baseCli ? count(`the baseline's CLI (${baseline}), empty folder`, [baseCli, empty, '--format', 'json']) : 0;
  const baseAll = baseCli ? count(`the baseline's CLI, ${files.length.toLocaleString('en-US')} files`, [baseCli, dir, '--format', 'json']) : 0;

  const g = (n: number) => `${(n / 1e9).toFixed(2)} G`;
  const m = (n: number) => `${(n / 1e6).toFixed(1)} M`;
  const perFloor = (floorAll - floorStart) / files.length;
  const perCli = (cliAll - cliStart) / files.length;
  const perBase = (baseAll - baseStart) / files.length;
  const ratio = (a: number, b: number) => (a / b).toFixed(2) + '×';
  // With a baseline: its CLI's count and this CLI's over it, on each row.
  const vsBase = (cli: number, base: number, fmt: (n: number) => string) => (baseCli ? [fmt(base), ratio(cli, base)] : []);
  const rows = [
    ['start-up (empty input)', g(floorStart), g(cliStart), ratio(cliStart, floorStart), ...vsBase(cliStart, baseStart, g)],
    [`whole run, ${files.length.toLocaleString('en-US')} generated files`, g(floorAll), g(cliAll), ratio(cliAll, floorAll), ...vsBase(cliAll, baseAll, g)],
    ['per file (whole run − start-up)', m(perFloor), m(perCli), ratio(perCli, perFloor), ...vsBase(perCli, perBase, m)],
  ];
  const head = ['', 'floor (TS parse + walk)', 'serverless-lint CLI', 'CLI ÷ floor', ...(baseCli ? ['baseline CLI', 'CLI ÷ baseline'] : [])];
  const out = [`Instructions (callgrind, node --single-threaded, no code cache; ${PROJECTS.join(', ')})`, '', ...markdownTable(head, rows)];
  process.stdout.write(out.join('\n') + '\n');
}

main();
