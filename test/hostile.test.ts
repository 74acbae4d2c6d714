// Hostile and messy workspaces (docs/reliability.md): configuration that is not a regular file, `extends` cycles, configuration
// nested thousands of levels deep, configuration outside the workspace, huge generated files, `--fix` through symlinks,
// a symlink to `/`, unreadable sources, broken and "billion laughs" YAML, merge keys and a parent .gitignore. Every
// input is generated in a temporary folder; each test failed before the guarded door (server/src/host/guarded-read.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../server/src/cli';
import { normalizePath, NodeHost } from '../server/src/host/node-host';
import { Boundary, guardedRead } from '../server/src/host/guarded-read';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { discoverEntries } from '../server/src/host/entry-discovery';
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { TestClient } from './protocol/lsp-client';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = normalizePath(mkdtempSync(join(tmpdir(), 'sl-hostile-io-')));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

type Message = { ruleId: string; message: string };
async function lintJson(dir: string, extra: string[] = []): Promise<{ code: number; byFile: Map<string, Message[]>; err: string }> {
  const r = await run(['--format', 'json', ...extra, '.'], dir);
  const byFile = new Map<string, Message[]>();
  for (const f of JSON.parse(r.out || '[]') as Array<{ filePath: string; messages: Message[] }>) byFile.set(f.filePath.slice(dir.length + 1), f.messages);
  return { code: r.code, byFile, err: r.err };
}

const ROUTE = 'export default function handler(req, res) { process.exit(1); }\n';

test('1: a config that is a symlink to /dev/zero, a FIFO or a folder is refused with a finding on it, never read', async (t) => {
  if (process.platform === 'win32') return t.skip('no /dev/zero or FIFOs');
  for (const name of ['serverless.yml', 'vercel.json', 'netlify.toml', 'wrangler.toml', 'package.json', 'serverless-lint.json', 'template.yaml']) {
    const dir = workspace({ 'api/a.js': ROUTE, 'vercel.json': '{}' });
    rmSync(join(dir, 'vercel.json'));
    if (name !== 'vercel.json') writeFileSync(join(dir, 'vercel.json'), '{}');
    symlinkSync('/dev/zero', join(dir, name));
    const r = await lintJson(dir);
    const msgs = r.byFile.get(name) ?? [];
    assert.ok(
      msgs.some((m) => /was not read: it is a symbolic link to \/dev\/zero/.test(m.message)),
      `${name}: ${JSON.stringify([...r.byFile])}`,
    );
    assert.ok(
      r.byFile.get('api/a.js')?.some((m) => m.ruleId === 'no-process-exit'),
      `${name}: the run goes on`,
    );
  }
  // A FIFO: opening it for reading would block forever; it is refused on its type.
  const dir = workspace({ 'api/a.js': ROUTE });
  execFileSync('mkfifo', [join(dir, 'vercel.json')]);
  execFileSync('mkfifo', [join(dir, 'tsconfig.json')]);
  const r = await lintJson(dir);
  assert.match(r.byFile.get('vercel.json')?.[0]?.message ?? '', /named pipe \(FIFO\), not a regular file/);
  const fifo = guardedRead(`${dir}/tsconfig.json`, 1024);
  assert.equal(fifo.refused, 'not-regular');
  // A device read directly (no boundary) is refused on its type, not read until memory runs out.
  assert.equal(guardedRead('/dev/zero', 1024).refused, 'not-regular');
});

test('1, 5: a listed source is opened at once but never through a link, out of the workspace, or past its type', async (t) => {
  if (process.platform === 'win32') return t.skip('no FIFOs');
  const outside = workspace({ 'secret.ts': 'export const TOKEN = "hunter2";\n' });
  const dir = workspace({ 'api/a.ts': ROUTE, 'api/big.ts': 'x'.repeat(2048) });
  const boundary = new Boundary([dir]);
  const why = (r: ReturnType<typeof guardedRead>) => (r.refused ? r.reason : '');
  symlinkSync(`${outside}/secret.ts`, `${dir}/api/link.ts`);
  symlinkSync(outside, `${dir}/linked`);
  execFileSync('mkfifo', [`${dir}/api/pipe.ts`]);
  assert.equal(guardedRead(`${dir}/api/a.ts`, 1024, boundary, true).text, ROUTE);
  assert.equal(guardedRead(`${dir}/api/big.ts`, 1024, boundary, true).refused, 'too-large');
  assert.match(why(guardedRead(`${dir}/api/link.ts`, 1024, boundary, true)), /symbolic link to .*outside the workspace/);
  assert.match(why(guardedRead(`${dir}/linked/secret.ts`, 1024, boundary, true)), /outside the workspace/);
  assert.equal(guardedRead(`${dir}/api/pipe.ts`, 1024, boundary, true).refused, 'not-regular');
  assert.equal(guardedRead(`${dir}/api/gone.ts`, 1024, boundary, true).refused, 'missing');
  // The folder's real path is its parent's and its name, a link's is resolved: the same answers as realpath.
  assert.equal(boundary.realDir(`${dir}/linked`), realpathSync(outside));
  assert.equal(boundary.realDir(`${dir}/api`), realpathSync(`${dir}/api`));
});

test('3: tsconfig `extends` naming itself (×10) or forming a cycle ends with one finding, never hangs', async () => {
  const files = {
    'vercel.json': '{}',
    'lib/x.ts': 'export const x = 1;\n',
    'api/a.ts': 'import { x } from "@/lib/x";\nexport default function h(req, res) { res.end(String(x)); }\n',
  };
  const self = workspace({
    ...files,
    'tsconfig.json': JSON.stringify({ extends: Array(10).fill('./tsconfig.json'), compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
  });
  const r = await lintJson(self);
  const msgs = r.byFile.get('tsconfig.json') ?? [];
  assert.equal(msgs.length, 1, JSON.stringify(msgs));
  assert.match(msgs[0].message, /'\.\/tsconfig\.json' was not read \(it is this file itself\)/);
  const cycle = workspace({
    ...files,
    'tsconfig.json': '{ "extends": ["./a.json", "./b.json"] }',
    'a.json': '{ "extends": "./b.json" }',
    'b.json': '{ "extends": ["./a.json", "./tsconfig.json"], "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }',
  });
  const c = await lintJson(cycle);
  assert.ok(
    [...c.byFile.values()].flat().some((m) => /a cycle/.test(m.message)),
    JSON.stringify([...c.byFile]),
  );
});

test('4: JSON nested 6,000 levels deep in every JSON config gives a finding on that file, never a crash', async () => {
  const deep = '['.repeat(6000) + ']'.repeat(6000);
  for (const name of ['package.json', 'tsconfig.json', 'jsconfig.json', 'wrangler.jsonc', 'serverless-lint.json', 'vercel.json']) {
    const dir = workspace({
      [name]: deep,
      'lib/x.ts': 'export const x = 1;\n',
      'api/a.ts': 'import { x } from "@/lib/x";\nexport default function h(req, res) { res.end(String(x)); process.exit(1); }\n',
      ...(name === 'vercel.json' ? {} : { 'vercel.json': '{}' }),
    });
    const r = await lintJson(dir);
    assert.notEqual(r.code, 2, `${name}: ${r.err}`);
    assert.ok(
      (r.byFile.get(name) ?? []).some((m) => /nested more than 200 levels deep/.test(m.message)),
      `${name}: ${JSON.stringify([...r.byFile])}`,
    );
  }
  // YAML and TOML: flow brackets, compact sequences, dotted keys.
  for (const [name, text] of [
    ['serverless.yml', `functions: ${'['.repeat(3000)}${']'.repeat(3000)}\n`],
    ['template.yaml', `AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  ${'- '.repeat(3000)}a\n`],
    ['netlify.toml', `a = ${'['.repeat(3000)}${']'.repeat(3000)}\n`],
    ['wrangler.toml', `${Array(5000).fill('a').join('.')} = 1\n`],
  ]) {
    const dir = workspace({ [name]: text, 'api/a.js': ROUTE, 'src/a.js': ROUTE });
    const r = await lintJson(dir);
    assert.notEqual(r.code, 2, `${name}: ${r.err}`);
    assert.ok(
      (r.byFile.get(name) ?? []).some((m) => /nested/.test(m.message)),
      `${name}: ${JSON.stringify([...r.byFile])}`,
    );
  }
});

test('5: configuration outside the workspace is never read into the output', async () => {
  const secret = workspace({ 'secret.json': '{ "TOKEN=hunter2": 1, oops' });
  for (const base of ['/proc/self/environ', `${secret}/secret.json`, '../../../../../../../../etc/passwd']) {
    const dir = workspace({
      'tsconfig.json': JSON.stringify({ extends: base, compilerOptions: { paths: { '@/*': ['../../../../../../../../etc/*'] } } }),
      'vercel.json': '{}',
      'api/a.ts':
        'import { x } from "@/lib/x";\nimport { y } from "../../../../../../../../etc/passwd";\nexport default function h(req, res) { res.end(String(x) + y); }\n',
      'api/b.ts': 'import { x } from "@/lib/x";\nexport default function h(req, res) { res.end(String(x)); }\n',
    });
    const text = await run(['.'], dir);
    assert.doesNotMatch(text.out, /PATH=|hunter2|root:x:0/, `${base} leaked`);
    // The same in worker threads (their services are bounded by the same workspace).
    assert.doesNotMatch((await run(['--jobs', '2', '.'], dir)).out, /PATH=|hunter2|root:x:0/, `${base} leaked from a worker`);
    assert.match(text.out, /was not read \(it is outside the workspace and its installed packages\)/, base);
    assert.doesNotMatch(text.out, /^\/proc|environ:|secret\.json:/m);
  }
});

test('6: a 50 MB generated file is neither read nor parsed: reported as skipped (too large) with the reason', async () => {
  const big = `// generated\n${'export const v = 1;\n'.repeat(2_700_000)}`;
  const dir = workspace({
    'vercel.json': '{}',
    'api/a.ts': 'import { v } from "./big";\nexport default function h(req, res) { res.end(String(v)); }\n',
    'api/big.ts': big,
  });
  const before = process.memoryUsage().rss;
  const r = await lintJson(dir);
  const skipped = r.byFile.get('api/big.ts') ?? [];
  assert.ok(
    skipped.some((m) => m.ruleId === 'analysis-skipped' && /larger than serverlessLint\.maxFileSize \(\d+\.\d MB > 2\.0 MB\)/.test(m.message)),
    JSON.stringify(skipped),
  );
  // The module graph and entry discovery go through the same door.
  const host = new NodeHost(new Boundary([dir]));
  const service = new LintService(host, { rules: RULES, workspaceRoot: dir, textsFromHost: true });
  assert.equal(service.graph.summaryOf(`${dir}/api/big.ts`), undefined);
  assert.equal(service.graph.refusal(`${dir}/api/big.ts`)?.refused, 'too-large');
  assert.equal(service.readSource(`${dir}/api/big.ts`).refused, 'too-large');
  // A text given directly (an editor buffer) over the limit is summarized without a parse.
  assert.deepEqual(service.graph.update(`${dir}/api/big2.ts`, big).changed, true);
  assert.ok(process.memoryUsage().rss - before < 1.5e9, 'memory stays bounded');
});

test('7: --fix never writes through a symlink out of the workspace, writes atomically; a symlink to / is not walked', async (t) => {
  if (process.platform === 'win32') return t.skip('symlinks need privileges on Windows');
  const outside = workspace({ 'h.ts': '// serverless-lint-disable-next-line no-process-exit\nexport const x = 1;\n' });
  const inside = '// serverless-lint-disable-next-line no-process-exit\nexport const y = 1;\n';
  const dir = workspace({ 'vercel.json': '{}', 'api/own.ts': inside, 'lib/real.ts': inside });
  symlinkSync(`${outside}/h.ts`, join(dir, 'api/h.ts'));
  symlinkSync(`${dir}/lib/real.ts`, join(dir, 'api/linked.ts'));
  symlinkSync('/', join(dir, 'root'));
  const r = await lintJson(dir, ['--fix']);
  assert.equal(
    readFileSync(`${outside}/h.ts`, 'utf8'),
    '// serverless-lint-disable-next-line no-process-exit\nexport const x = 1;\n',
    'the file outside is untouched',
  );
  assert.ok(!readFileSync(join(dir, 'api/own.ts'), 'utf8').includes('disable'), 'a regular file inside is fixed');
  assert.ok(!readFileSync(join(dir, 'lib/real.ts'), 'utf8').includes('disable'), 'a symlink inside is fixed at its target');
  assert.equal((await import('node:fs')).lstatSync(join(dir, 'api/linked.ts')).isSymbolicLink(), true, 'the link stays a link');
  assert.match(r.byFile.get('api/h.ts')?.[0]?.message ?? '', /symbolic link to .*outside the workspace/);
  assert.match(r.byFile.get('root')?.[0]?.message ?? '', /symbolic link to \/, outside the workspace/);
  assert.ok(r.byFile.size < 10, `the file system was not walked: ${[...r.byFile.keys()].slice(0, 10)}`);
  assert.deepEqual(
    (await import('node:fs')).readdirSync(join(dir, 'api')).filter((n) => n.endsWith('.tmp')),
    [],
    'no temporary file is left',
  );
});

test('9: unreadable sources are reported; broken and "billion laughs" SAM templates get a diagnostic; merge keys are honoured', async (t) => {
  const dir = workspace({ 'vercel.json': '{}', 'api/a.js': ROUTE });
  symlinkSync(join(dir, 'api/missing.ts'), join(dir, 'api/dangling.ts'));
  if (process.platform !== 'win32') execFileSync('mkfifo', [join(dir, 'api/pipe.ts')]);
  const r = await lintJson(dir);
  assert.match(r.byFile.get('api/dangling.ts')?.[0]?.message ?? '', /skipped this file: it is a broken symbolic link/);
  if (process.platform !== 'win32') assert.match(r.byFile.get('api/pipe.ts')?.[0]?.message ?? '', /skipped this file: it is not a regular file/);
  if (process.getuid?.() !== 0) {
    writeFileSync(join(dir, 'api/secret.ts'), ROUTE, { mode: 0 });
    const u = await lintJson(dir);
    assert.match(u.byFile.get('api/secret.ts')?.[0]?.message ?? '', /cannot be read \(EACCES\)/);
  } else t.diagnostic('running as root: the permission case is not checked');

  const sam = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n';
  const fn = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: src/a.handler\n';
  const broken = workspace({ 'template.yaml': `${sam}${fn}      Timeout: [1200\n`, 'src/a.ts': 'export const handler = async () => 1;\n' });
  assert.ok(
    (await lintJson(broken)).byFile.get('template.yaml')?.some((m) => m.ruleId === 'invalid-config'),
    'a broken SAM template is diagnosed',
  );
  let laughs = `${sam}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
  for (let i = 1; i < 9; i++)
    laughs += `a${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  const bomb = workspace({ 'template.yaml': `${laughs}${fn}`, 'src/a.ts': 'export const handler = async () => 1;\n' });
  assert.match((await lintJson(bomb)).byFile.get('template.yaml')?.[0]?.message ?? '', /billion laughs/);

  const merge = workspace({
    'serverless.yml':
      'service: s\nprovider:\n  name: aws\ncustom:\n  defaults: &defaults\n    timeout: 1200\nfunctions:\n  a:\n    <<: *defaults\n    handler: src/a.handler\n',
    'src/a.ts': 'export const handler = async () => 1;\n',
  });
  assert.ok(
    (await lintJson(merge)).byFile
      .get('serverless.yml')
      ?.some((m) => m.ruleId === 'max-duration-exceeds-limit' && /functions\.a\.timeout: 1200 s/.test(m.message)),
    'the inherited timeout is checked',
  );
});

test('9: linting a subfolder honours the .gitignore files of the repository above it', async () => {
  const dir = workspace({
    '.gitignore': 'generated/\n',
    'app/.gitignore': 'tmp-*.ts\n',
    'app/vercel.json': '{}',
    'app/api/a.js': ROUTE,
    'app/api/generated/b.js': ROUTE,
    'app/api/tmp-c.ts': ROUTE,
  });
  mkdirSync(join(dir, '.git'));
  const r = await lintJson(join(dir, 'app/api'));
  assert.deepEqual([...r.byFile.keys()].sort(), ['a.js']);
});

test('1, 4, 6: the language server survives a /dev/zero serverless.yml, a FIFO vercel.json, deep JSON and a 50 MB module', async (t) => {
  if (process.platform === 'win32') return t.skip('no /dev/zero or FIFOs');
  const dir = workspace({
    'package.json': '['.repeat(6000) + ']'.repeat(6000),
    'tsconfig.json': JSON.stringify({ extends: Array(10).fill('./tsconfig.json'), compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    'api/a.ts': 'import { v } from "@/api/big";\nexport default function h(req, res) { res.end(String(v)); process.exit(1); }\n',
    'api/big.ts': `// generated\n${'export const v = 1;\n'.repeat(2_700_000)}`,
  });
  symlinkSync('/dev/zero', join(dir, 'serverless.yml'));
  execFileSync('mkfifo', [join(dir, 'vercel.json')]);
  const client = await TestClient.start({ root: dir, pull: true });
  try {
    const uri = client.open('api/a.ts', readFileSync(join(dir, 'api/a.ts'), 'utf8'), 'typescript');
    const report = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.ok(report.kind === 'full' && report.items.some((d) => d.code === 'no-process-exit'), 'the route is analyzed');
    // Entry discovery ran over the workspace, the 50 MB module included, and the server still answers.
    const again = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(again.kind === 'full' || again.kind === 'unchanged', true);
  } finally {
    await client.stop();
  }
});

test('6: entry discovery checks the size limit before reading a closed file', async () => {
  const dir = workspace({ 'vercel.json': '{}', 'api/a.ts': ROUTE, 'api/big.ts': `// generated\n${'export const v = 1;\n'.repeat(200_000)}` });
  const service = new LintService(new NodeHost(new Boundary([dir])), { rules: RULES, workspaceRoot: dir, overrides: { maxFileSize: 1024 * 1024 } });
  const read: string[] = [];
  const found = await discoverEntries([dir], {
    serviceFor: async () => service,
    textOf: (f) => (read.push(f), undefined),
    cancelled: () => false,
    isOpen: () => false,
  });
  assert.equal(found, 1, 'api/a.ts is an entry');
  assert.deepEqual(read, [], 'closed files are read through the door, not the open-buffer reader');
  assert.equal(service.readSource(`${dir}/api/big.ts`).refused, 'too-large');
});
