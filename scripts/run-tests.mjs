// Runs every `*.test.ts` under test/ (except the end-to-end suites) with Node's test runner and tsx, each file in its
// own process (`npm run test:unit`). Node 20's runner takes no glob patterns, so this script lists the files.
// `--fast` (`npm run test:fast`) leaves out the files of SLOW below and runs the rest in one process
// (scripts/test-in-one-process.ts), which pays the start-up of Node, tsx and TypeScript once instead of once per file.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The files the fast tier leaves out, each with why: whole workspaces or huge inputs, fuzzing, child processes
 * (the built CLI, server or launchers, npm, vsce) and the protocol suites that drive the built server over stdio.
 * A new test file joins the fast tier unless it is listed here: list it when it starts processes, needs `dist/`, or
 * takes more than a second or two.
 */
const SLOW = new Map([
  ['test/scale.test.ts', 'a 50,000-file workspace'],
  ['test/heap.test.ts', 'heap measurements in child processes'],
  ['test/robustness.test.ts', 'a 200,000-line file analyzed completely'],
  ['test/hostile-input.test.ts', '100,000-statement and 40,000-term inputs, linear-time checks'],
  ['test/hostile.test.ts', 'the built server and CLI on hostile workspaces'],
  ['test/fuzz.test.ts', 'mutation fuzzing of every fixture'],
  ['test/fuzz-config.test.ts', 'generated hostile workspaces (FIFOs, devices, deep nesting)'],
  ['test/incremental.test.ts', 'fuzzed incremental reparses'],
  ['test/tree.test.ts', 'incremental reparses of every fuzz seed'],
  ['test/cli.test.ts', 'the built CLI in child processes'],
  ['test/ci.test.ts', 'the GitHub Action step and the pre-commit hook in child processes'],
  ['test/sarif.test.ts', 'the SARIF multitool in a child process'],
  ['test/security.test.ts', 'the built CLI and server in child processes'],
  ['test/python.test.ts', 'the built CLI and bundle'],
  ['test/code-cache.test.ts', 'the launchers and their V8 code cache in child processes'],
  ['test/npm-package.test.ts', 'npm pack and an install of the package'],
  ['test/package.test.ts', 'the .vsix built with vsce'],
  ['test/config-checks/broken-configs.test.ts', 'the built server over stdio'],
  ['test/protocol', 'the built server over stdio'],
]);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A renamed or deleted file must leave this list too, or the fast tier would quietly take in its successor.
for (const name of SLOW.keys()) if (!existsSync(join(ROOT, name))) throw new Error(`scripts/run-tests.mjs: SLOW names ${name}, which does not exist`);
const isSlow = (file) => [...SLOW.keys()].some((s) => file === s || file.startsWith(`${s}/`));

const fast = process.argv.includes('--fast');
const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const skip = new Set(['fixtures', 'e2e', 'electron', 'fuzz-regressions']);
function find(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!skip.has(name)) find(full, out);
    } else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}
const all = (roots.length ? roots : ['test']).flatMap((r) => (statSync(r).isDirectory() ? find(r, []) : [r]));
const files = fast ? all.filter((f) => !isSlow(f.split(sep).join('/'))) : all;
const reporter = process.env.CI ? 'spec' : 'spec';
// The built launchers the tests start keep their V8 code cache in a folder of this run, not the user's cache folder.
const codeCache = process.env.SERVERLESS_LINT_CODE_CACHE ? undefined : mkdtempSync(join(tmpdir(), 'sl-test-code-cache-'));
const env = codeCache ? { ...process.env, SERVERLESS_LINT_CODE_CACHE: codeCache } : process.env;
const args = fast
  ? ['--import', 'tsx', `--test-reporter=${reporter}`, join(ROOT, 'scripts', 'test-in-one-process.ts'), ...files]
  : ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (codeCache) rmSync(codeCache, { recursive: true, force: true });
process.exit(result.status ?? 1);
