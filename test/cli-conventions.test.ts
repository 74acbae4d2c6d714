// The CLI conventions of ESLint and Ruff: --max-warnings, --quiet, --stdin, quoted globs, exit 2 for paths that
// match no lintable file, NO_COLOR/FORCE_COLOR/--no-color, --fix-dry-run, --diff, the "fixed" summary, --ignore-pattern.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { colorEnabled, main, type CliIO } from '../server/src/cli';

async function run(args: string[], cwd: string, extra: Partial<CliIO> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: {}, isTTY: false, ...extra });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

/** A Vercel project: a route with an error, one with a warning only, a helper, a README and a safe fix. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-conv-'));
  const files: Record<string, string> = {
    'vercel.json': '{}',
    'README.md': '# demo\n',
    'app/api/exit/route.ts': 'export async function POST(req: Request) {\n  if (!req.body) process.exit(1);\n  return Response.json({ ok: true });\n}\n',
    'app/api/poll/route.ts': 'export async function GET() {\n  setInterval(() => console.log("tick"), 1000);\n  return Response.json({ ok: true });\n}\n',
    'app/api/[id]/route.ts': 'export async function GET() {\n  return Response.json({ ok: true });\n}\n',
    'lib/util.ts': 'export const add = (a: number, b: number) => a + b;\n',
    'legacy/old.ts': 'export const old = 1;\n',
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('--max-warnings: more warnings than allowed exit 1; --quiet prints errors only but warnings still count', async () => {
  const dir = project();
  try {
    const poll = 'app/api/poll/route.ts';
    assert.equal((await run([poll], dir)).code, 0, 'warnings alone exit 0');
    const over = await run([poll, '--max-warnings', '0'], dir);
    assert.equal(over.code, 1);
    assert.match(over.err, /1 warning\(s\) found, more than --max-warnings 0 allows/);
    assert.equal((await run([poll, '--max-warnings', '1'], dir)).code, 0);
    assert.equal((await run([poll, '--max-warnings', 'x'], dir)).code, 2);
    const quiet = await run(['.', '--quiet'], dir);
    assert.equal(quiet.code, 1);
    assert.match(quiet.out, /no-process-exit/);
    assert.doesNotMatch(quiet.out, /no-background-timer/);
    const quietJson = JSON.parse((await run([poll, '--quiet', '--format', 'json'], dir)).out);
    assert.deepEqual(quietJson[0].messages, []);
    assert.equal((await run([poll, '--quiet', '--max-warnings', '0'], dir)).code, 1, 'hidden warnings still count');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--stdin --stdin-filename lints the text as the file at that path', async () => {
  const dir = project();
  try {
    const text = 'export async function GET() {\n  process.exit(2);\n}\n';
    const r = await run(['--stdin', '--stdin-filename', 'app/api/new/route.ts', '--format', 'json'], dir, { readStdin: async () => text });
    assert.equal(r.code, 1);
    const [file] = JSON.parse(r.out);
    assert.equal(file.filePath, join(dir, 'app/api/new/route.ts').replace(/\\/g, '/'));
    assert.equal(file.messages[0].ruleId, 'no-process-exit');
    assert.equal(file.messages[0].line, 2);
    // The path decides the role: the same text as a plain module is not function code.
    const helper = await run(['--stdin', '--stdin-filename', 'scripts/tool.ts'], dir, { readStdin: async () => text });
    assert.equal(helper.code, 0);
    assert.equal((await run(['--stdin'], dir, { readStdin: async () => text })).code, 2, '--stdin needs a file name');
    assert.equal(
      (await run(['--stdin', '--stdin-filename', 'a.ts', '--fix'], dir, { readStdin: async () => text })).code,
      2,
      '--fix would have nothing to write',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('quoted globs are matched by the CLI; existing paths that look like globs are paths', async () => {
  const dir = project();
  try {
    const r = await run(['app/**/route.ts', '--format', 'json'], dir);
    const names = JSON.parse(r.out)
      .map((f: { filePath: string }) => f.filePath.slice(dir.length + 1))
      .sort();
    assert.deepEqual(names, ['app/api/[id]/route.ts', 'app/api/exit/route.ts', 'app/api/poll/route.ts']);
    const bracket = JSON.parse((await run(['app/api/[id]/route.ts', '--format', 'json'], dir)).out);
    assert.equal(bracket.length, 1, 'the Next.js folder [id] is a path, not a character class');
    assert.equal((await run(['lib/*.js'], dir)).code, 2, 'a glob that matches nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit 2 when the paths match no lintable file: an empty folder, a README, an ignored file', async () => {
  const dir = project();
  try {
    mkdirSync(join(dir, 'empty'));
    const empty = await run(['empty'], dir);
    assert.equal(empty.code, 2);
    assert.match(empty.err, /no JavaScript, TypeScript or Python files were found in 'empty'/);
    const readme = await run(['README.md'], dir);
    assert.equal(readme.code, 2);
    assert.match(readme.err, /'README\.md' is not a JavaScript, TypeScript or Python file/);
    writeFileSync(join(dir, 'serverless-lint.json'), '{ "ignore": ["legacy/**"] }');
    const ignored = await run(['legacy/old.ts'], dir);
    assert.equal(ignored.code, 2);
    assert.match(ignored.err, /all files matched by 'legacy\/old\.ts' are ignored/);
    assert.equal((await run(['lib', 'empty'], dir)).code, 2, 'one argument that matches nothing is enough');
    assert.equal((await run(['lib'], dir)).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--ignore-pattern skips files by .gitignore-style patterns relative to the current folder', async () => {
  const dir = project();
  try {
    const r = await run(['.', '--ignore-pattern', 'app/api/exit/', '--ignore-pattern', '**/poll/*.ts', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    const names = JSON.parse(r.out)
      .map((f: { filePath: string }) => f.filePath.slice(dir.length + 1))
      .sort();
    assert.deepEqual(names, ['app/api/[id]/route.ts', 'legacy/old.ts', 'lib/util.ts']);
    assert.equal((await run(['lib', '--ignore-pattern', 'lib'], dir)).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('colors: --color/--no-color, then NO_COLOR, then FORCE_COLOR, then the terminal', async () => {
  assert.equal(colorEnabled(undefined, {}, true), true);
  assert.equal(colorEnabled(undefined, {}, false), false);
  assert.equal(colorEnabled(undefined, { NO_COLOR: '1' }, true), false);
  assert.equal(colorEnabled(undefined, { NO_COLOR: '' }, true), true, 'an empty NO_COLOR is unset (no-color.org)');
  assert.equal(colorEnabled(undefined, { FORCE_COLOR: '1' }, false), true);
  assert.equal(colorEnabled(undefined, { FORCE_COLOR: '0' }, true), false);
  assert.equal(colorEnabled(undefined, { NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
  assert.equal(colorEnabled(true, { NO_COLOR: '1' }, false), true);
  assert.equal(colorEnabled(false, { FORCE_COLOR: '1' }, true), false);
  const dir = project();
  try {
    const esc = '\u001b[';
    assert.ok((await run(['app/api/exit/route.ts'], dir, { env: { FORCE_COLOR: '1' } })).out.includes(esc));
    assert.ok(!(await run(['app/api/exit/route.ts', '--no-color'], dir, { env: { FORCE_COLOR: '1' } })).out.includes(esc));
    assert.ok(!(await run(['app/api/exit/route.ts'], dir, { env: { NO_COLOR: '1' }, isTTY: true })).out.includes(esc));
    assert.ok((await run(['app/api/exit/route.ts', '--color'], dir)).out.includes(esc));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A route whose unused suppression is a safe fix (removing it), beside an unsafe process.exit. */
function fixable(dir: string): string {
  const file = join(dir, 'app/api/exit/route.ts');
  writeFileSync(file, '// serverless-lint-disable-next-line no-process-exit\nexport const x = 1;\n' + readFileSync(file, 'utf8'));
  return file;
}

test('--fix-dry-run and --diff show the safe fixes without writing; --fix prints how many it applied', async () => {
  const dir = project();
  try {
    const file = fixable(dir);
    const before = readFileSync(file, 'utf8');
    const dry = await run(['app', '--fix-dry-run', '--format', 'json'], dir);
    assert.equal(readFileSync(file, 'utf8'), before, 'no file written');
    const exit = JSON.parse(dry.out).find((f: { filePath: string }) => f.filePath.endsWith('exit/route.ts'));
    assert.equal(exit.output, before.replace('// serverless-lint-disable-next-line no-process-exit\n', ''), "ESLint's `output`");
    assert.ok(
      exit.messages.every((m: { ruleId: string }) => m.ruleId !== 'unused-suppression'),
      'reported as after the fixes',
    );
    assert.match(dry.err, /^1 problem\(s\) would be fixed in 1 file\(s\) \(dry run: no file was written\)\.$/m);

    const diff = await run(['app', '--diff'], dir);
    assert.equal(diff.code, 1, 'changes to make exit 1');
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(
      diff.out,
      [
        '--- a/app/api/exit/route.ts',
        '+++ b/app/api/exit/route.ts',
        '@@ -1,4 +1,3 @@',
        '-// serverless-lint-disable-next-line no-process-exit',
        ' export const x = 1;',
        ' export async function POST(req: Request) {',
        '   if (!req.body) process.exit(1);',
      ].join('\n'),
    );
    assert.equal((await run(['lib', '--diff'], dir)).code, 0, 'nothing to change');
    assert.equal((await run(['app', '--fix', '--diff'], dir)).code, 2);

    const fixed = await run(['app', '--fix'], dir);
    assert.equal(fixed.code, 1, 'the unsafe process.exit fix is not applied');
    assert.match(fixed.out, /^1 problem\(s\) fixed in 1 file\(s\)\.$/m);
    assert.ok(!readFileSync(file, 'utf8').includes('serverless-lint-disable'));
    assert.match((await run(['app', '--fix'], dir)).out, /^0 problem\(s\) fixed in 0 file\(s\)\.$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
