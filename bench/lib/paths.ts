// Where the benchmark keeps its inputs and tools: everything under bench/.corpus and bench/.tools is git-ignored
// and rebuilt on demand, so a fresh clone only needs the npm registry to reproduce the table.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const BENCH = resolve(REPO, 'bench');
export const CORPUS = resolve(BENCH, '.corpus');
/** The npm install the real-code corpus is copied from (the CLI skips node_modules, so it is never linted in place). */
export const NPM_DIR = resolve(CORPUS, 'npm');
/** The folder the workspace check runs on: `real/` and `generated/` below it. */
export const WORKSPACE = resolve(CORPUS, 'workspace');
export const REAL = resolve(WORKSPACE, 'real');
export const GENERATED = resolve(WORKSPACE, 'generated');
/** The 1,000- and 5,000-line handler files of the per-file and editor sections, in a Next.js project of their own. */
export const PER_FILE = resolve(CORPUS, 'per-file');
/** Lists of files, outputs of the child processes. */
export const SCRATCH = resolve(CORPUS, 'scratch');
/** The launchers' V8 code cache during a bench run. */
export const CODE_CACHE = resolve(SCRATCH, 'code-cache');
export const TOOLS = resolve(BENCH, '.tools');
export const CLI = resolve(REPO, 'dist/cli.js');
export const SERVER = resolve(REPO, 'dist/server.js');

/**
 * `--baseline <dist>`: another build's dist/ (an older commit's production build) that the bench runs beside this one,
 * so that a bound such as "within 10% of that commit's figures" is read on one machine in one hour (figures from
 * another machine do not compare: docs/performance.md). Undefined without the option.
 */
export function baselineDist(argv: readonly string[] = process.argv): string | undefined {
  const i = argv.indexOf('--baseline');
  if (i < 0) return undefined;
  const dir = argv[i + 1];
  if (!dir || !existsSync(join(dir, 'cli.js'))) throw new Error('--baseline takes the dist/ folder of another build (with its cli.js)');
  return resolve(dir);
}
