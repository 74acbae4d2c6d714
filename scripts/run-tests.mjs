// Runs every `*.test.ts` under test/ (except the end-to-end suites) with Node's test runner and tsx.
// Node 20's runner takes no glob patterns, so this script lists the files.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

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
const files = (roots.length ? roots : ['test']).flatMap((r) => (statSync(r).isDirectory() ? find(r, []) : [r]));
const reporter = process.env.CI ? 'spec' : 'spec';
// The built launchers the tests start keep their V8 code cache in a folder of this run, not the user's cache folder.
const codeCache = process.env.SERVERLESS_LINT_CODE_CACHE ? undefined : mkdtempSync(join(tmpdir(), 'sl-test-code-cache-'));
const env = codeCache ? { ...process.env, SERVERLESS_LINT_CODE_CACHE: codeCache } : process.env;
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files], { stdio: 'inherit', env });
if (codeCache) rmSync(codeCache, { recursive: true, force: true });
process.exit(result.status ?? 1);
