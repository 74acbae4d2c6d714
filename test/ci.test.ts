// The CI integrations (docs/ci.md): the problem matcher the extension contributes reads the CLI's real text output,
// the GitHub Action's step script runs on test-workspace as the runner would run it, and the Action and the
// pre-commit hook are well-formed and name things that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { main } from '../server/src/cli';

const ROOT = join(__dirname, '..');
const WORKSPACE = join(ROOT, 'test-workspace');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { out: (s) => out.push(s), err: () => {}, env: {}, isTTY: false });
    return { code, out: out.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

test('the problem matcher reads every finding of the text output, and nothing else', async () => {
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'serverless-lint');
  const regex = new RegExp(matcher.pattern.regexp);
  const { pattern } = matcher;
  const text = (await run(['.'], WORKSPACE)).out;
  const matched = text
    .split('\n')
    .map((l) => regex.exec(l))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => `${m[pattern.file]}:${m[pattern.line]}:${m[pattern.column]} ${m[pattern.severity]} ${m[pattern.code]} ${m[pattern.message]}`);
  const json = JSON.parse((await run(['.', '--format', 'json'], WORKSPACE)).out) as Array<{
    filePath: string;
    messages: Array<{ ruleId: string; severity: number; level?: string; line: number; column: number; message: string }>;
  }>;
  const expected = json.flatMap((f) =>
    f.messages.map(
      (m) =>
        `${f.filePath.slice(WORKSPACE.length + 1)}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : m.level === 'info' ? 'info' : 'warning'} ${m.ruleId} ${m.message}`,
    ),
  );
  assert.ok(expected.length >= 10, `test-workspace has findings (${expected.length})`);
  assert.deepEqual(matched.sort(), expected.sort());
});

/** Runs the Action's step script as the runner does: inputs in SL_* variables, outputs and summary in files. */
function actionStep(cwd: string, extra: Record<string, string> = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'sl-action-'));
  const files = { output: join(tmp, 'output'), summary: join(tmp, 'summary'), sarif: join(tmp, 'out/results.sarif') };
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/action/run.mjs')], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      SERVERLESS_LINT_CODE_CACHE: 'off',
      SL_COMMAND: `${process.execPath} ${join(ROOT, 'dist/cli.js')}`,
      SL_PATHS: '.',
      SL_ARGS: '',
      SL_SARIF: files.sarif,
      SL_ANNOTATE: 'true',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      ...extra,
    },
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  const result = { code: r.status, out: r.stdout, err: r.stderr, output: read(files.output), summary: read(files.summary), sarif: read(files.sarif) };
  rmSync(tmp, { recursive: true, force: true });
  return result;
}

test("the Action's step writes SARIF, annotates each finding, and records the exit code without failing itself", () => {
  assert.ok(existsSync(join(ROOT, 'dist/cli.js')), 'run npm run build first');
  const r = actionStep(WORKSPACE);
  assert.equal(r.code, 0, r.err);
  assert.match(r.output, /^exit-code=1$/m);
  assert.match(r.output, /^sarif-file=.*results\.sarif$/m);
  const results = JSON.parse(r.sarif).runs[0].results as unknown[];
  const annotations = r.out.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
  assert.equal(annotations.length, results.length);
  assert.ok(
    annotations.includes(
      annotations.find((a) =>
        /^::error file=nextjs-vercel\/app\/api\/users\/route\.ts,line=17,col=3,endLine=17,endColumn=14,title=serverless-lint%3A no-request-state-in-module-scope::`currentUser` lives in module scope/.test(
          a,
        ),
      )!,
    ),
    annotations.join('\n'),
  );
  assert.match(r.summary, /^### Serverless Lint\n\n\d+ error\(s\), \d+ warning\(s\), \d+ info in \d+ file\(s\)\.$/m);

  // Paths that SARIF percent-encodes are annotated as the files they are.
  const dir = mkdtempSync(join(tmpdir(), 'sl-action-ws-'));
  try {
    mkdirSync(join(dir, 'app/api/users/[id]'), { recursive: true });
    writeFileSync(join(dir, 'vercel.json'), '{}');
    writeFileSync(join(dir, 'app/api/users/[id]/route.ts'), 'export async function GET() {\n  process.exit(1);\n}\n');
    const odd = actionStep(dir, { SL_ARGS: '--max-warnings 0' });
    assert.match(odd.out, /^::error file=app\/api\/users\/\[id\]\/route\.ts,line=2,col=3,/m);
    const clean = actionStep(dir, { SL_PATHS: 'app', SL_ARGS: '--rule no-process-exit=off', SL_ANNOTATE: 'false' });
    assert.match(clean.output, /^exit-code=0$/m);
    assert.doesNotMatch(clean.out, /^::/m);
    assert.match(clean.summary, /No problems found\./);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('action.yml is a composite action whose steps use its inputs, its script and upload-sarif', () => {
  const action = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
  assert.equal(action.runs.using, 'composite');
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  for (const [, name] of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(name in action.inputs, `inputs.${name} is declared`);
  const [lint, upload, fail] = action.runs.steps;
  assert.match(lint.run, /scripts\/action\/run\.mjs/);
  assert.ok(existsSync(join(ROOT, 'scripts/action/run.mjs')));
  assert.match(upload.uses, /^github\/codeql-action\/upload-sarif@v\d+$/);
  assert.match(fail.if, /exit-code != '0'/);
});

test('.pre-commit-hooks.yaml runs the package bin on staged JavaScript and TypeScript files', () => {
  const [hook] = YAML.parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
  assert.equal(hook.id, 'serverless-lint');
  assert.equal(hook.language, 'node');
  assert.ok(hook.entry in pkg.bin, `${hook.entry} is a bin of the package`);
  assert.deepEqual(hook.types_or, ['javascript', 'jsx', 'ts', 'tsx']);
  assert.ok(pkg.scripts.prepack, 'pre-commit installs the hook with npm pack: prepack builds dist/');
});
