// The platform limits as data: every value has its source and the date it was checked, the values last brought up
// to date, and the places that read them (the report's defaults, Netlify background functions).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIMITS, isNetlifyBackgroundFunction, limitsFor, planLimits, type LimitValue } from '../shared/src/limits';
import { checkDuration } from '../server/src/analysis/durations';
import { LintService } from '../server/src/analysis/service';
import { NodeHost, normalizePath } from '../server/src/host/node-host';
import { RULES } from '../server/src/rules';
import { checkWorkspace } from '../server/src/report';

test('every limit names an https source and the date it was verified', () => {
  for (const [key, entry] of Object.entries(LIMITS)) {
    for (const [plan, limits] of Object.entries(entry.plans)) {
      for (const [name, value] of Object.entries(limits) as Array<[string, LimitValue]>) {
        assert.match(value.source, /^https:\/\//, `${key}.${plan}.${name}`);
        assert.match(value.verified, /^\d{4}-\d{2}-\d{2}$/, `${key}.${plan}.${name}`);
      }
    }
  }
});

test('the values checked on 2026-12-07', () => {
  assert.equal(planLimits('vercel', 'node', 'pro')?.limits.maxDuration?.value, 1800);
  assert.equal(planLimits('vercel', 'node', 'enterprise')?.limits.maxDuration?.value, 1800);
  assert.equal(planLimits('vercel', 'node', 'hobby')?.limits.maxDuration?.value, 300);
  // Above 800 s is a beta that deploys: no finding, but the check says so for hovers.
  assert.deepEqual([checkDuration('vercel', 'node', 'pro', 1200).ok, checkDuration('vercel', 'node', 'pro', 1200).beta], [true, true]);
  assert.equal(checkDuration('vercel', 'node', 'pro', 1801).ok, false);
  assert.equal(planLimits('aws-lambda', 'node', undefined)?.limits.defaultMemory?.value, 128);
  assert.equal(planLimits('aws-lambda', 'node', undefined)?.limits.memory?.value, 10240);
  assert.equal(planLimits('netlify', 'node', undefined)?.limits.maxDuration?.value, 60);
  assert.equal(planLimits('netlify', 'node', undefined)?.limits.backgroundMaxDuration?.value, 900);
  assert.equal(planLimits('netlify', 'edge', undefined)?.limits.cpuTime?.value, 50);
  // deno-deploy: Supabase Edge Functions on the edge runtime, the current Deno Deploy on the Node.js-like runtime.
  const supabase = limitsFor('deno-deploy', 'edge')!;
  assert.match(supabase.displayName, /Supabase/);
  assert.deepEqual(
    [supabase.plans.free.maxDuration?.value, supabase.plans.pro.maxDuration?.value, supabase.plans.pro.cpuTime?.value, supabase.plans.pro.memory?.value],
    [150, 400, 2000, 256],
  );
  assert.match(limitsFor('deno-deploy', 'node')!.displayName, /Deno Deploy/);
});

test('Netlify background functions are told by the -background suffix of the function name', () => {
  assert.equal(isNetlifyBackgroundFunction('/site/netlify/functions/report-background.mts'), true);
  assert.equal(isNetlifyBackgroundFunction('/site/netlify/functions/report-background/index.ts'), true);
  assert.equal(isNetlifyBackgroundFunction('/site/netlify/functions/report.mts'), false);
  assert.equal(isNetlifyBackgroundFunction('/site/netlify/functions/background-jobs.mts'), false);
});

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function makeProject(files: Record<string, string>): string {
  const root = normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-limits-')));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('the report gives a Netlify background function (-background suffix) its 15 minutes, a synchronous one 60 s', async () => {
  const root = makeProject({
    'netlify.toml': '[build]\ncommand = "npm run build"\n',
    'netlify/functions/report-background.mts': 'export default async (req: Request) => { await fetch("https://example.com/build"); };\n',
    'netlify/functions/hello.mts': 'export default async (req: Request) => new Response("hi");\n',
  });
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const report = await checkWorkspace(service, [root]);
  const durationOf = (name: string) => report.functions.find((f) => f.fileName.endsWith(name))?.defaultDuration;
  assert.equal(durationOf('report-background.mts'), 900);
  assert.equal(durationOf('hello.mts'), 60);
});
