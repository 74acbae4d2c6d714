// The workspace architecture check on a temporary project on disk: inventory, configuration and dependency
// problems, bundle estimates, Markdown escaping, JSON shape, cancellation and the CLI's --report.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LintService } from '../../server/src/analysis/service';
import { NodeHost, normalizePath } from '../../server/src/host/node-host';
import { RULES } from '../../server/src/rules';
import { checkWorkspace, escapeMarkdown, isPooledUrl, renderReportMarkdown, reportJson } from '../../server/src/report';
import { main } from '../../server/src/cli';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function makeProject(files: Record<string, string>): string {
  const root = normalizePath(fs.mkdtempSync(path.join(os.tmpdir(), 'sl-report-')));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const PROJECT = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { next: '15.0.0', ws: '8.0.0', 'big-lib': '1.0.0' } }),
  'next.config.ts': 'export default {};',
  'vercel.json': '{ "functions": { "app/api/export/route.ts": { "maxDuration": 2000, "memory": 2048 } } }',
  '.env.example':
    'DATABASE_URL=postgres://user:pw@db.example.com:5432/shop\nDIRECT_URL=postgres://user:pw@db.example.com:5432/shop\nPOOLED_DATABASE_URL=postgres://u:p@ep-x-pooler.neon.tech/db\n',
  'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
  'node_modules/big-lib/package.json': '{"name":"big-lib","version":"1.0.0","main":"index.js"}',
  'node_modules/big-lib/index.js': "const fs = require('fs');\nmodule.exports = { data: () => fs.readFileSync(__dirname + '/data.bin') };",
  'node_modules/big-lib/data.bin': 'x'.repeat(300_000),
  'app/api/export/route.ts': "import { data } from '@/lib/data';\nexport async function GET() {\n  return new Response(data());\n}",
  'app/api/[id]/route.ts':
    "import { data } from '@/lib/data';\nexport const runtime = 'edge';\nexport async function GET() {\n  return new Response(String(data().length));\n}",
  'tsconfig.json': '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
  'lib/data.ts': "import big from 'big-lib';\nexport const data = () => big.data();",
  'lib/unused.ts': 'export let counter = 0;',
};

test('checkWorkspace: inventory, config problems, dependency problems and bundle estimates', async () => {
  const root = makeProject(PROJECT);
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const seen: number[] = [];
  const report = await checkWorkspace(service, [root], { progress: (done) => seen.push(done), batchSize: 2 });
  assert.equal(report.cancelled, false);
  assert.deepEqual(seen.at(-1), report.filesAnalyzed);
  assert.deepEqual(
    report.platforms.map((p) => [p.platform, p.plan, p.functions]),
    [['vercel', 'pro', 2]],
  );
  const exportFn = report.functions.find((f) => f.route === '/api/export')!;
  assert.deepEqual(exportFn.maxDuration, { seconds: 2000, source: 'vercel.json' });
  assert.deepEqual(exportFn.memory, { mb: 2048, source: 'vercel.json' });
  assert.equal(report.functions.find((f) => f.route === '/api/[id]')?.runtime, 'edge');
  // The module reached from the entries became a function module; the unused one did not.
  assert.equal(report.results.find((r) => r.fileName.endsWith('lib/data.ts'))?.context.role.value, 'function-module');
  assert.equal(report.results.find((r) => r.fileName.endsWith('lib/unused.ts'))?.context.role.value, 'other');
  assert.deepEqual(
    report.configProblems.map((p) => [p.ruleId, p.range?.start.line]),
    [['max-duration-exceeds-limit', 0]],
  );
  const kinds = report.dependencyProblems.map((d) => d.kind).sort();
  assert.deepEqual(kinds, ['edge-node-only-package', 'unpooled-database-url', 'unpooled-database-url', 'websocket-library']);
  const edge = report.dependencyProblems.find((d) => d.kind === 'edge-node-only-package')!;
  assert.match(edge.message, /big-lib/);
  assert.deepEqual(edge.functions, [`${root}/app/api/[id]/route.ts`]);
  const bundle = report.bundles.find((b) => b.route === '/api/export')!;
  assert.ok(bundle.bytes > 300_000);
  assert.equal(bundle.biggest[0].name, 'big-lib');
  assert.equal(bundle.limitMb, 250);
  assert.equal(bundle.exceeds, false);

  const md = renderReportMarkdown(report);
  assert.match(md, /## Functions/);
  assert.match(md, /\/api\/\\\[id\\\]/);
  const json = JSON.parse(reportJson(report));
  assert.equal(json.functions.length, 2);
  assert.ok(Array.isArray(json.files));
});

test('checkWorkspace stops when cancelled and says the report is partial', async () => {
  const root = makeProject(PROJECT);
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  let calls = 0;
  const report = await checkWorkspace(service, [root], { cancelled: () => ++calls > 3, batchSize: 1 });
  assert.equal(report.cancelled, true);
  assert.ok(report.filesAnalyzed < 5);
  assert.match(renderReportMarkdown(report), /cancelled/);
});

test('Markdown escaping neutralizes workspace-derived text; pooled URL detection', () => {
  assert.equal(escapeMarkdown('<img src=x onerror=alert(1)> | [a](b)\n# h'), '&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\[a\\]\\(b\\) # h');
  assert.equal(isPooledUrl('postgres://u:p@ep-cool-123-pooler.us-east-2.aws.neon.tech/db'), true);
  assert.equal(isPooledUrl('postgresql://u:p@aws-0-eu.pooler.supabase.com:6543/postgres'), true);
  assert.equal(isPooledUrl('postgres://u:p@db.internal:5432/app'), false);
});

test('CLI --report prints Markdown or JSON and rejects other formats', async () => {
  const root = makeProject(PROJECT);
  let out = '';
  const io = { out: (s: string) => void (out += s + '\n'), err: () => undefined };
  const code = await main(['--report', root], io);
  assert.equal(code, 1);
  assert.match(out, /# Serverless architecture report/);
  out = '';
  await main(['--report', '--format', 'json', root], io);
  assert.equal(JSON.parse(out).platforms[0].platform, 'vercel');
  assert.equal(await main(['--report', '--format', 'sarif', root], io), 2);
});

test('a workspace larger than the file limit is checked up to the limit, and the report says so', async () => {
  const files: Record<string, string> = { 'package.json': '{"name":"many"}' };
  for (let i = 0; i < 6; i++) files[`src/m${i}.ts`] = `export const n${i} = ${i};\n`;
  const root = makeProject(files);
  const service = new LintService(new NodeHost(), { workspaceRoot: root, rules: RULES });
  const limited = await checkWorkspace(service, [root], { maxFiles: 4 });
  assert.equal(limited.filesAnalyzed, 4);
  assert.equal(limited.fileLimit, 4);
  assert.match(renderReportMarkdown(limited), /more than 4 source files: only the first 4/);
  const whole = await checkWorkspace(service, [root], { maxFiles: 6 });
  assert.equal(whole.filesAnalyzed, 6);
  assert.equal(whole.fileLimit, undefined);
  assert.doesNotMatch(renderReportMarkdown(whole), /source files: only the first/);
});

test('a native package imported directly by an edge entry is a dependency problem of the report (installed or not)', async () => {
  const root = makeProject({
    'package.json': JSON.stringify({ name: 'auth', dependencies: { next: '15.0.0', bcrypt: '5.1.1', bcryptjs: '2.4.3' } }),
    'vercel.json': '{}',
    'app/api/login/route.ts':
      "import bcrypt from 'bcrypt';\nexport const runtime = 'edge';\nexport async function POST(req: Request) {\n  return Response.json({ ok: await bcrypt.compare('a', 'b') });\n}\n",
    'app/api/hash/route.ts':
      "import bcrypt from 'bcryptjs';\nexport const runtime = 'edge';\nexport async function POST(req: Request) {\n  return Response.json({ ok: await bcrypt.compare('a', 'b') });\n}\n",
    'app/api/node/route.ts':
      "import bcrypt from 'bcrypt';\nexport async function POST(req: Request) {\n  return Response.json({ ok: await bcrypt.compare('a', 'b') });\n}\n",
  });
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const report = await checkWorkspace(service, [root]);
  const edge = report.dependencyProblems.filter((d) => d.kind === 'edge-node-only-package');
  assert.deepEqual(
    edge.map((d) => [d.fileName.slice(root.length + 1), d.functions?.map((f) => f.slice(root.length + 1))]),
    [['app/api/login/route.ts', ['app/api/login/route.ts']]],
  );
  assert.match(edge[0].message, /bcrypt is a C\+\+ addon/);
});
