// Runs every `*.test.ts` under test/ (except the end-to-end suites) with Node's test runner and tsx.
// Node 20's runner takes no glob patterns, so this script lists the files.
import { readdirSync, statSync } from 'node:fs';
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
