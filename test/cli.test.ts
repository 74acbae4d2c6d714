// The CLI contract (docs/cli.md): formats, exit codes, --fix, --explain, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../server/src/cli';
import { sourceLines } from '../server/src/cli/format';

async function run(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    // No colors whatever the environment (Node's test runner sets FORCE_COLOR in a terminal).
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, isTTY: false });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  mkdirSync(join(dir, 'app/api/import'), { recursive: true });
  writeFileSync(
    join(dir, 'app/api/import/route.ts'),
    'export async function POST(req: Request) {\n  if (!req.body) process.exit(1);\n  return Response.json({ ok: true });\n}\n',
  );
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib/util.ts'), 'export const add = (a: number, b: number) => a + b;\n');
  mkdirSync(join(dir, 'node_modules/pkg'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/pkg/index.js'), 'process.exit(1)');
  writeFileSync(join(dir, '.gitignore'), 'generated/\n');
  mkdirSync(join(dir, 'generated'));
  writeFileSync(join(dir, 'generated/route.ts'), 'export async function GET() { process.exit(1); }\n');
  return dir;
}

test('--version prints the version of package.json (one VERSION for the CLI, the server and SARIF)', async () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const r = await run(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), pkg.version);
});

test('text output has a code frame and exit code 1 when errors are found', async () => {
  const dir = project();
  const r = await run([dir]);
  assert.equal(r.code, 1);
  assert.match(r.out, /route\.ts:2:\d+ {2}error {2}process\.exit\(\) kills the instance/);
  assert.match(r.out, /\| {3}if \(!req\.body\) process\.exit\(1\);/);
  assert.match(r.out, /\^{15}/);
  assert.doesNotMatch(r.out, /node_modules|generated/, 'node_modules and .gitignore-d folders are skipped');
});

test('json output is ESLint-shaped with 1-based positions', async () => {
  const dir = project();
  const r = await run([dir, '--format', 'json']);
  const files = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<Record<string, unknown>>; errorCount: number; warningCount: number }>;
  assert.equal(files.length, 2);
  const route = files.find((f) => f.filePath.endsWith('route.ts'))!;
  assert.equal(route.errorCount, 1);
  assert.deepEqual(Object.keys(route.messages[0]).slice(0, 8), ['ruleId', 'severity', 'message', 'messageId', 'line', 'column', 'endLine', 'endColumn']);
  assert.equal(route.messages[0].ruleId, 'no-process-exit');
  assert.equal(route.messages[0].messageId, 'processExit', 'the message id of meta.messages, as ESLint reports it');
  assert.equal(route.messages[0].severity, 2);
  assert.equal(route.messages[0].line, 2);
  assert.equal(route.messages[0].column, 18);
});

test('the json and text reports are written in pieces that make the same output as one string', async () => {
  // Enough files for several 64 KB pieces; the capture joins the pieces with the newline each write ends with.
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-pieces-'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  for (let i = 0; i < 300; i++) {
    mkdirSync(join(dir, `app/api/r${i}`), { recursive: true });
    writeFileSync(
      join(dir, `app/api/r${i}/route.ts`),
      `export async function GET() {\n  if (Date.now() < ${i}) process.exit(1);\n  return Response.json({ ok: ${i} });\n}\n`,
    );
  }
  const pieces: string[] = [];
  const code = await main([dir, '--format', 'json'], { out: (s) => pieces.push(s), err: () => {} });
  assert.equal(code, 1);
  assert.ok(pieces.length > 1, `${pieces.length} piece(s)`);
  const out = pieces.join('\n');
  const files = JSON.parse(out) as Array<{ messages: unknown[] }>;
  assert.equal(files.length, 300);
  assert.equal(out, JSON.stringify(files, null, 2), 'the pretty-printed JSON of the whole report');
  const text = await run([dir]);
  assert.equal(text.out.split('\n').filter((l) => /no-process-exit$/.test(l)).length, 300);
  assert.match(text.out, /300 problem\(s\) \(300 error\(s\), 0 warning\(s\), 0 info\) in 300 of 300 file\(s\)\.$/);
  rmSync(dir, { recursive: true, force: true });
});

test('a folder without sources is an error (exit 2), not an empty report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-empty-'));
  const r = await run([dir, '--format', 'json']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /no JavaScript, TypeScript or Python files were found in/);
  rmSync(dir, { recursive: true, force: true });
});

test('sarif output is SARIF 2.1.0 with rules and results', async () => {
  const r = await run([project(), '--format', 'sarif']);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'serverless-lint');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'no-process-exit'));
  assert.equal(run0.results[0].ruleId, 'no-process-exit');
  assert.equal(run0.results[0].level, 'error');
  assert.equal(run0.results[0].locations[0].physicalLocation.region.startLine, 2);
});

test('exit code 0 for a clean project, 2 for usage errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-clean-'));
  writeFileSync(join(dir, 'index.ts'), 'export const x = 1;\n');
  assert.equal((await run([dir])).code, 0);
  assert.equal((await run([dir, '--format', 'xml'])).code, 2);
  assert.equal((await run([dir, '--platform', 'heroku'])).code, 2);
  assert.equal((await run([join(dir, 'missing')])).code, 2);
  assert.equal((await run(['--bogus'])).code, 2);
  assert.equal((await run([dir, '--rule', 'no-such-rule=off'])).code, 2);
});

test('--explain prints each context field with its reason', async () => {
  const dir = project();
  const r = await run(['--explain', join(dir, 'app/api/import/route.ts')]);
  assert.equal(r.code, 0);
  assert.match(r.out, /Platform: vercel — vercel\.json was found/);
  assert.match(r.out, /Role: function-entry/);
  assert.match(r.out, /POST \(route handler/);
});

test('--rule and --platform override detection and levels', async () => {
  const dir = project();
  assert.equal((await run([dir, '--rule', 'no-process-exit=warn'])).code, 0);
  const r = await run([dir, '--platform', 'long-running', '--format', 'json']);
  assert.equal(
    JSON.parse(r.out).every((f: { messages: unknown[] }) => f.messages.length === 0),
    true,
  );
});

test('--fix writes only safe fixes and leaves unsafe ones reported', async () => {
  const dir = project();
  const file = join(dir, 'app/api/import/route.ts');
  writeFileSync(file, '// serverless-lint-disable-next-line no-process-exit\nexport const x = 1;\n' + readFileSync(file, 'utf8'));
  const r = await run([dir, '--fix']);
  assert.equal(r.code, 1, 'the unsafe process.exit fix is not applied');
  const after = readFileSync(file, 'utf8');
  assert.ok(!after.includes('serverless-lint-disable-next-line'), 'the unused suppression (safe fix) is removed');
  assert.ok(after.includes('process.exit(1)'));
});

test('a helper file linted alone (as a pre-commit hook passes staged files) gets its role from the routes importing it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cli-alone-'));
  try {
    const files: Record<string, string> = {
      'vercel.json': '{}',
      'package.json': '{ "name": "shop", "dependencies": { "next": "15.0.0" } }',
      'app/api/count/route.ts':
        "import { countRequest } from '../../../lib/store';\n\nexport async function GET() {\n  return Response.json({ n: countRequest() });\n}\n",
      'lib/store.ts': 'let requests = 0;\n\nexport function countRequest(): number {\n  requests++;\n  return requests;\n}\n',
      'lib/unused.ts': 'let requests = 0;\n\nexport function countRequest(): number {\n  requests++;\n  return requests;\n}\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const alone = await run(['lib/store.ts', 'lib/unused.ts', '--format', 'json'], dir);
    const byFile = Object.fromEntries(
      (JSON.parse(alone.out) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>).map((r) => [
        r.filePath.slice(r.filePath.lastIndexOf('lib/')),
        r.messages.map((m) => m.ruleId),
      ]),
    );
    assert.deepEqual(byFile['lib/store.ts'], ['no-module-state-persistence']);
    assert.deepEqual(byFile['lib/unused.ts'] ?? [], [], 'a module no function imports stays silent');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--jobs 2 splits the files over a worker thread and reports exactly what one thread does, roles across the split included', async () => {
  const { spawnSync } = await import('node:child_process');
  const cli = join(__dirname, '../dist/cli.js');
  assert.ok(readFileSync(cli, 'utf8').length > 0, 'dist/cli.js is built by npm test before the unit tests');
  const dir = mkdtempSync(join(tmpdir(), 'sl-jobs-'));
  // Sorted, the helper comes first and the route that imports it last: the two land in different partitions, so the
  // helper's role (and its finding) comes from an entry of the other thread.
  mkdirSync(join(dir, 'a-lib'));
  writeFileSync(join(dir, 'a-lib/exit.ts'), 'export function bail(): never {\n  process.exit(1);\n}\n');
  writeFileSync(join(dir, 'a-lib/format.ts'), 'export const money = (n: number) => `$${n.toFixed(2)}`;\n');
  mkdirSync(join(dir, 'z-app/app/api/orders'), { recursive: true });
  writeFileSync(join(dir, 'z-app/vercel.json'), '{}');
  writeFileSync(
    join(dir, 'z-app/app/api/orders/route.ts'),
    "import { bail } from '../../../../a-lib/exit';\n\nexport async function GET(request: Request) {\n  if (!request.headers.get('authorization')) bail();\n  return Response.json({ ok: true });\n}\n",
  );
  writeFileSync(join(dir, 'z-app/app/api/orders/schema.ts'), 'export interface Order { id: string }\n');
  const lint = (jobs: string) => spawnSync(process.execPath, [cli, dir, '--format', 'json', '--jobs', jobs], { encoding: 'utf8' });
  const one = lint('1');
  const two = lint('2');
  assert.equal(two.status, one.status, two.stderr);
  assert.equal(two.stdout, one.stdout);
  const reports = JSON.parse(two.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>;
  const helper = reports.find((r) => r.filePath.endsWith('a-lib/exit.ts'));
  assert.deepEqual(
    helper?.messages.map((m) => m.ruleId),
    ['no-process-exit'],
  );
  assert.equal(lint('0').status, 2);
  // The text format's code frame of the helper, whose finding came from the relint in the main thread.
  const text = (jobs: string) => spawnSync(process.execPath, [cli, dir, '--jobs', jobs, '--no-color'], { encoding: 'utf8' }).stdout;
  assert.match(text('2'), /exit\.ts:2:3 {2}error[^\n]*\n {4}2 \| {3}process\.exit\(1\);/);
  assert.equal(text('2'), text('1'));
  rmSync(dir, { recursive: true, force: true });
});

test("the text format keeps the lines its findings start on, exactly as splitting the text at TypeScript's line breaks gives them", () => {
  const texts = ['', 'one', 'a\nb\r\nc\rd\n', '\r\n\r\n', 'x\r', 'last line\r\nwith CR at the end\r', '\n\nthird\n', 'a\u2028b\u2029c', '\r\r\n\n'];
  for (const text of texts) {
    const split = text.split(/\r\n|[\r\n\u2028\u2029]/);
    const all = [...split.keys()];
    assert.deepEqual(
      [...sourceLines(text, all)],
      split.map((l, i) => [i, l]),
      JSON.stringify(text),
    );
    // Only the lines asked for, in any order and repeated; lines past the end are absent.
    const some = [split.length + 2, split.length - 1, 0, 0];
    assert.deepEqual(
      [...sourceLines(text, some)],
      [[0, split[0]], ...(split.length > 1 ? [[split.length - 1, split[split.length - 1]]] : [])],
      JSON.stringify(text),
    );
  }
});

test("a reader that closes the pipe early (`| head`) ends the output quietly, with the findings' exit code", async () => {
  const { spawn } = await import('node:child_process');
  const cli = join(__dirname, '../dist/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'sl-epipe-'));
  try {
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'vercel.json'), '{}');
    // Enough findings that the report is far larger than a pipe's buffer.
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `api/route-${i}.ts`), `export default function handler() {\n${'  process.exit(1);\n'.repeat(50)}}\n`);
    const child = spawn(process.execPath, [cli, dir, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
