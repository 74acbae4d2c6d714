// Vercel configuration written as vercel.ts / vercel.mts (read from the syntax tree, never run) and vercel.toml:
// the same settings as vercel.json for platform detection, config checks and the report; computed values are named.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseVercelScript } from '../server/src/analysis/vercel-config';
import { checkConfigFile } from '../server/src/config-checks';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { NodeHost, normalizePath } from '../server/src/host/node-host';
import { RULES } from '../server/src/rules';
import { checkWorkspace } from '../server/src/report';
import { defaultSettings, mergeSettings } from '../shared/src/settings';

const settings = (plan?: string) => mergeSettings(defaultSettings(), { plan });
const at = (text: string, p: { span: { start: number; end: number } }) => text.slice(p.span.start, p.span.end);

const VERCEL_TS = [
  "import { routes, type VercelConfig } from '@vercel/config/v1';",
  '',
  'export const config: VercelConfig = {',
  "  buildCommand: 'pnpm build',",
  '  functions: {',
  "    'api/report.ts': { maxDuration: 60 * 60, memory: 3009 },",
  "    'api/ok.ts': { maxDuration: 120 },",
  "    'api/env.ts': { maxDuration: Number(process.env.MAX_DURATION) },",
  '  },',
  "  crons: [{ path: '/api/cron', schedule: '0 5 * * *' }, { path: 'api/bad', schedule: '0 3 * *' }],",
  "  rewrites: [routes.rewrite('/(.*)', '/api/$1')],",
  '};',
].join('\n');

test('vercel.ts: the exported config literal is read as data; computed values are left out and named', () => {
  const parsed = parseVercelScript('/p/vercel.ts', VERCEL_TS);
  const fns = parsed.data?.functions as Record<string, Record<string, unknown>>;
  assert.deepEqual(fns['api/report.ts'], { maxDuration: 3600, memory: 3009 });
  assert.deepEqual(fns['api/env.ts'], {}, 'a value computed at build time is never guessed');
  assert.deepEqual(parsed.data?.crons, [
    { path: '/api/cron', schedule: '0 5 * * *' },
    { path: 'api/bad', schedule: '0 3 * *' },
  ]);
  assert.deepEqual(parsed.unknowns.map((u) => u.path).sort(), ['functions.api/env.ts.maxDuration', 'rewrites[0]']);
  // Only the settings this tool checks are reported as unread; the routes helpers are Vercel's recommended style.
  assert.deepEqual(
    parsed.problems.map((p) => [p.severity, at(VERCEL_TS, p)]),
    [['info', 'maxDuration: Number(process.env.MAX_DURATION)']],
  );
});

test('vercel.ts and vercel.mts: `satisfies`, a const bound then exported, default exports and computed configs', () => {
  const viaConst = parseVercelScript(
    '/p/vercel.mts',
    "const base = { functions: { 'api/*.ts': { maxDuration: 30 } } } satisfies VercelConfig;\nexport const config = base;\n",
  );
  assert.deepEqual(viaConst.data, { functions: { 'api/*.ts': { maxDuration: 30 } } });
  const named = parseVercelScript('/p/vercel.ts', 'const config = { cleanUrls: true };\nexport { config };\n');
  assert.deepEqual(named.data, { cleanUrls: true });
  // The shape in vercel/examples (aws-message-queue-elasticache): a default export through the typing helper.
  const defined = parseVercelScript(
    '/p/vercel.ts',
    "import { defineConfig } from '@vercel/config';\n\nexport default defineConfig({\n  buildCommand: 'pnpm turbo build',\n});\n",
  );
  assert.deepEqual([defined.data, defined.problems], [{ buildCommand: 'pnpm turbo build' }, []]);
  const computed = parseVercelScript('/p/vercel.ts', "import { build } from './cfg';\nexport const config = build(process.env);\n");
  assert.equal(computed.data, undefined);
  assert.match(computed.problems[0].message, /computed, so its settings .* are not checked; the file is never run/);
  const none = parseVercelScript('/p/vercel.ts', 'export const other = 1;\n');
  assert.match(none.problems[0].message, /no `export const config/);
});

test('config checks read vercel.ts like vercel.json, at the exact key', () => {
  const problems = checkConfigFile('/p/vercel.ts', VERCEL_TS, settings('pro'));
  assert.deepEqual(
    problems.map((p) => [p.ruleId, p.severity, at(VERCEL_TS, p)]),
    [
      ['invalid-config', 'info', 'maxDuration: Number(process.env.MAX_DURATION)'],
      ['max-duration-exceeds-limit', 'error', 'maxDuration: 60 * 60'],
      ['vercel-cron-path', 'error', "path: 'api/bad'"],
      ['vercel-cron-schedule', 'error', "schedule: '0 3 * *'"],
    ],
  );
  assert.match(problems[1].message, /3600 s exceeds the .* maximum of 1800 s/);
});

test('config checks read vercel.toml like vercel.json', () => {
  const text = [
    '"$schema" = "https://openapi.vercel.sh/vercel.json"',
    '',
    '[functions."api/report.ts"]',
    'maxDuration = 400',
    'memory = 3009',
    '',
    '[[crons]]',
    'path = "/api/cron"',
    'schedule = "*/10 * * * *"',
  ].join('\n');
  const problems = checkConfigFile('/p/vercel.toml', text, settings('hobby'));
  assert.deepEqual(
    problems.map((p) => [p.ruleId, at(text, p)]),
    [
      ['max-duration-exceeds-limit', 'maxDuration = 400'],
      ['function-memory-limit', 'memory = 3009'],
      ['vercel-hobby-cron-frequency', 'schedule = "*/10 * * * *"'],
    ],
  );
});

test('a vercel.ts or vercel.toml decides the platform like vercel.json', () => {
  for (const name of ['vercel.ts', 'vercel.mts', 'vercel.toml']) {
    const host = new MemoryHost({
      [`/repo/${name}`]: name.endsWith('.toml') ? 'cleanUrls = true\n' : 'export const config = { cleanUrls: true };\n',
      '/repo/api/hello.ts': 'export default function handler(req: Request) { return new Response("hi"); }\n',
    });
    const service = new LintService(host, { workspaceRoot: '/repo', rules: [] });
    const ctx = service.lint('/repo/api/hello.ts', host.readFile('/repo/api/hello.ts')!).context;
    assert.equal(ctx.platform.value, 'vercel', name);
    assert.match(ctx.platform.reason, new RegExp(name.replace('.', '\\.')));
  }
});

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function makeProject(files: Record<string, string>): string {
  const root = normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-vercel-ts-')));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test("the report takes maxDuration and memory from vercel.ts, and shows Lambda's default memory (128 MB), not its maximum", async () => {
  const root = makeProject({
    'vercel.ts': "export const config = { functions: { 'api/export.ts': { maxDuration: 900, memory: 3009 } } };\n",
    'api/export.ts': 'export default async function handler(req: Request) { return new Response("ok"); }\n',
    'lambda/serverless.yml': 'service: jobs\nprovider:\n  name: aws\nfunctions:\n  run:\n    handler: src/run.handler\n',
    'lambda/src/run.ts': 'export const handler = async () => ({ statusCode: 200 });\n',
  });
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const report = await checkWorkspace(service, [root]);
  const vercelFn = report.functions.find((f) => f.fileName.endsWith('api/export.ts'))!;
  assert.deepEqual(vercelFn.maxDuration, { seconds: 900, source: 'vercel.ts' });
  assert.deepEqual(vercelFn.memory, { mb: 3009, source: 'vercel.ts' });
  const lambdaFn = report.functions.find((f) => f.fileName.endsWith('src/run.ts'))!;
  assert.deepEqual(lambdaFn.memory, { mb: 128, source: 'platform default' });
});
