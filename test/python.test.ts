// Python files end to end through the service, the CLI and the built bundle: the parser loads lazily (and a failed
// load is one clear finding), suppressions in `#` form, and hostile input (Python 2, syntax errors, a 5 MB file,
// binary data, random edits of real fixtures) gives a result, never a crash.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { ensurePythonParser, parsePython, pythonParserReady, reparsePython, resetPythonParserForTests } from '../server/src/python/parser';
import { DEFAULT_MAX_FILE_SIZE } from '../shared/src/settings';

const ROOT = '/project';
const API = `${ROOT}/api/index.py`;

function service(files: Record<string, string> = {}, overrides = {}): LintService {
  const host = new MemoryHost({ [`${ROOT}/vercel.json`]: '{}', ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v])) });
  return new LintService(host, { workspaceRoot: ROOT, rules: RULES, overrides });
}

const FASTAPI = ['import sys', 'from fastapi import FastAPI', '', 'app = FastAPI()', '', '', '@app.get("/api/x")', 'def x():', '    sys.exit(1)', ''].join(
  '\n',
);

before(async () => {
  assert.ok(await ensurePythonParser());
});

after(() => {
  resetPythonParserForTests();
});

test('a Python function gets its context and findings through LintService', () => {
  const result = service().lint(API, FASTAPI);
  assert.equal(result.context.runtime.value, 'python');
  assert.equal(result.context.role.value, 'function-entry');
  assert.deepEqual(
    result.findings.map((f) => `${f.range.start.line + 1} ${f.ruleId}`),
    ['9 no-process-exit'],
  );
  assert.deepEqual(result.failures, []);
});

test('a Django project: the settings name the served module, and an edited URLconf changes which views are handlers', () => {
  const files: Record<string, string> = {
    'requirements.txt': 'Django==5.2\n',
    'manage.py': 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_config.settings")\n',
    'site_config/__init__.py': '',
    'site_config/settings.py': 'ROOT_URLCONF = "site_config.urls"\nWSGI_APPLICATION = "site_config.wsgi.application"\nINSTALLED_APPS = ["shop"]\n',
    'site_config/wsgi.py': 'from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n',
    'site_config/urls.py': 'from django.urls import include, path\n\nurlpatterns = [path("shop/", include("shop.urls"))]\n',
    'shop/__init__.py': '',
    'shop/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.index)]\n',
  };
  const VIEWS = 'def index(request):\n    return None\n\n\ndef cart(request):\n    return None\n';
  const host = new MemoryHost(Object.fromEntries([...Object.entries(files), ['shop/views.py', VIEWS]].map(([k, v]) => [`${ROOT}/${k}`, v])));
  const svc = new LintService(host, { workspaceRoot: ROOT, rules: RULES });
  const wsgi = svc.lint(`${ROOT}/site_config/wsgi.py`, files['site_config/wsgi.py']);
  assert.equal(wsgi.context.framework.value, 'python-vercel-django');
  assert.equal(wsgi.context.platform.value, 'vercel');
  const before = svc.lint(`${ROOT}/shop/views.py`, VIEWS);
  assert.equal(before.context.role.value, 'function-module');
  assert.deepEqual(
    before.context.handlers.map((h) => h.name),
    ['index (/shop/)'],
  );
  // The URLconf is saved with a second route: what the project's search read of it is dropped, and the views follow.
  const urls = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.index), path("cart/", views.cart)]\n';
  svc.lint(`${ROOT}/shop/urls.py`, files['shop/urls.py']);
  host.write(`${ROOT}/shop/urls.py`, urls);
  svc.lint(`${ROOT}/shop/urls.py`, urls);
  assert.deepEqual(
    svc.lint(`${ROOT}/shop/views.py`, VIEWS).context.handlers.map((h) => h.name),
    ['index (/shop/)', 'cart (/shop/cart/)'],
  );
});

test('suppression comments in # form: next line, file, unused and malformed', () => {
  const suppressed = FASTAPI.replace(
    '    sys.exit(1)',
    '    # serverless-lint-disable-next-line no-process-exit -- a test harness asks for it\n    sys.exit(1)',
  );
  assert.deepEqual(service().lint(API, suppressed).findings, []);
  const file = `# serverless-lint-disable no-process-exit\n${FASTAPI}`;
  assert.deepEqual(service().lint(API, file).findings, []);
  const unused = FASTAPI.replace('app = FastAPI()', '# serverless-lint-disable-next-line no-background-timer\napp = FastAPI()');
  const findings = service()
    .lint(API, unused)
    .findings.map((f) => f.ruleId);
  assert.deepEqual(findings.sort(), ['no-process-exit', 'unused-suppression']);
  const bad = service().lint(API, `# serverless-lint-disable-nextline no-process-exit\n${FASTAPI}`).findings;
  assert.ok(bad.some((f) => f.ruleId === 'unused-suppression' && /not understood/.test(f.message)));
});

test('--fix applies nothing unsafe, and the fix loop keeps Python parsing', () => {
  const svc = service();
  const fixed = svc.fix(API, FASTAPI);
  assert.equal(fixed.applied, 0, 'the Python fixes are unsafe: --fix leaves them to a person');
  const unused = `# serverless-lint-disable-next-line no-background-timer\n${FASTAPI}`;
  const cleaned = svc.fix(API, unused);
  assert.equal(cleaned.applied, 1);
  assert.equal(cleaned.text, FASTAPI);
});

test('Python 2 syntax, tab/space mixtures and syntax errors are analyzed without a crash', () => {
  const inputs = [
    'print "hello"\nexec "x = 1"\nraise ValueError, "old"\n',
    'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef i():\n\tif True:\n        return "x"\n',
    'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/"\ndef broken(:\n    return {\n',
    '\ufeffimport os\n\n\n',
    '',
  ];
  for (const text of inputs) {
    const result = service().lint(API, text);
    assert.deepEqual(result.failures, [], text);
    assert.equal(result.skipped, undefined, text);
  }
});

test('binary data and a 5 MB generated file are skipped with a reason', () => {
  const binary = service().lint(API, 'import os\u0000\u0001\u0002\uFFFD');
  assert.match(binary.skipped ?? '', /binary/);
  const big = 'x = 1\n'.repeat(Math.ceil((5 * 1024 * 1024) / 6));
  assert.ok(big.length > DEFAULT_MAX_FILE_SIZE, 'the default size limit is below 5 MB');
  const skipped = service().lint(API, big);
  assert.match(skipped.skipped ?? '', /maxFileSize/);
  assert.equal(skipped.findings[0].ruleId, 'analysis-skipped');
});

test('text whose error recovery would take minutes is skipped with a reason within its parse budget, and the next file parses', () => {
  // tree-sitter's error recovery is quadratic on a long run of text that is not Python: 40,000 terms of a JavaScript
  // chain take minutes to parse without the budget (found by the fuzz: 20,000 terms took 30-40 s).
  const chain = Array.from({ length: 40_000 }, (_, i) => ['a', 'req.body.x', 'ok', 'x[0]'][i % 4]).join(' ?? ');
  const hostile = `import os\n\ndef handler(event, context):\n    return {"statusCode": 200}\n\nexport const flat = (req, ok, a, x) => ${chain};\n`;
  const result = service().lint(API, hostile);
  assert.match(result.skipped ?? '', /Python parser gave up after/);
  assert.equal(result.findings[0].ruleId, 'analysis-skipped');
  // The cancelled parser was reset: the next parse starts from the beginning of its own text.
  const next = parsePython('def f():\n    return 1\n');
  assert.ok(!('error' in next));
  assert.equal(next.rootNode.text, 'def f():\n    return 1\n');
  next.delete();
});

test('random edits of the Python fixtures never make the analysis throw', () => {
  const dir = join(__dirname, 'fixtures');
  const texts: string[] = [];
  for (const rule of readdirSync(dir)) {
    if (rule === 'frameworks') continue;
    for (const f of readdirSync(join(dir, rule))) if (f.endsWith('.py')) texts.push(readFileSync(join(dir, rule, f), 'utf8'));
  }
  assert.ok(texts.length >= 40);
  // A fixed seed: the same edits on every run (a failure names the input to replay).
  let seed = 31;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const noise = ['(', ')', ':', '\n', '\t', '"', "'''", 'global ', 'async ', '@', '#', '\\', 'lambda', '\u0085', '\ud800'];
  for (let i = 0; i < 150; i++) {
    const base = texts[rand(texts.length)];
    const at = rand(base.length + 1);
    const edited = rand(3) === 0 ? base.slice(0, at) : base.slice(0, at) + noise[rand(noise.length)] + base.slice(at + rand(20));
    const result = service({}, {}).lint(`${ROOT}/api/f${i}.py`, edited);
    assert.deepEqual(result.failures, [], `edit ${i}: ${JSON.stringify(edited.slice(Math.max(0, at - 40), at + 40))}`);
    assert.ok(!result.findings.some((f) => f.ruleId === 'analysis-failed'), `edit ${i} failed: ${result.findings.map((f) => f.message).join(' | ')}`);
  }
});

test('an incremental reparse gives the tree a fresh parse gives, non-ASCII text included', () => {
  const base = readFileSync(join(__dirname, '..', 'test-workspace', 'fastapi-vercel', 'api', 'index.py'), 'utf8').replace('Notes API', 'Notes API — café 😀');
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const inserts = ['x', '\n', '    ', 'é', '😀', '"', '(', 'def f():\n    pass\n', ''];
  let before = base;
  let tree = parsePython(before);
  assert.ok(!('error' in tree));
  for (let i = 0; i < 60; i++) {
    const at = rand(before.length);
    const after = before.slice(0, at) + inserts[rand(inserts.length)] + before.slice(at + rand(4));
    const next = reparsePython(tree, before, after);
    const fresh = parsePython(after);
    assert.ok(!('error' in next) && !('error' in fresh));
    assert.equal(next.rootNode.toString(), fresh.rootNode.toString(), `edit ${i} at ${at}`);
    assert.equal(next.rootNode.endIndex, fresh.rootNode.endIndex);
    tree.delete();
    fresh.delete();
    tree = next;
    before = after;
  }
  tree.delete();
});

test('an editor service (incremental trees) and a batch service agree on every keystroke', () => {
  const text = readFileSync(join(__dirname, '..', 'test-workspace', 'fastapi-vercel', 'api', 'index.py'), 'utf8');
  const files = { 'vercel.json': '{}' };
  const editor = service(files);
  const keystrokes = 'import threading\n';
  let current = text;
  for (let i = 0; i <= keystrokes.length; i++) {
    current = keystrokes.slice(0, i) + text;
    const mine = editor.lint(API, current).findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.ruleId}`);
    const host = new MemoryHost({ [`${ROOT}/vercel.json`]: '{}', [API]: current });
    const batch = new LintService(host, { workspaceRoot: ROOT, rules: RULES, textsFromHost: true })
      .lint(API, current)
      .findings.map((f) => `${f.range.start.line}:${f.range.start.character} ${f.ruleId}`);
    assert.deepEqual(mine, batch, `after ${i} characters`);
  }
  editor.forget(API);
});

test('a parser that cannot load is one analysis-skipped finding with the reason, not a crash', async () => {
  resetPythonParserForTests('/nonexistent/wasm');
  try {
    assert.equal(await ensurePythonParser(), false);
    const result = service().lint(API, FASTAPI);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].ruleId, 'analysis-skipped');
    assert.match(result.findings[0].message, /the Python parser could not be loaded \(the Python grammar .* was not found/);
  } finally {
    resetPythonParserForTests();
    assert.ok(await ensurePythonParser());
  }
});

test('the built CLI loads the Python parser only when a .py file is linted, from the files beside dist/', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sl-py-'));
  try {
    mkdirSync(join(tmp, 'api'));
    writeFileSync(join(tmp, 'vercel.json'), '{}');
    writeFileSync(join(tmp, 'api', 'index.py'), FASTAPI);
    writeFileSync(join(tmp, 'api', 'ts.ts'), 'export default function handler() {\n  process.exit(1);\n}\n');
    const cli = join(__dirname, '..', 'dist', 'cli.js');
    // Both languages through the launcher and its V8 code cache (where `import()` has no loader: see scripts/build.mjs).
    const ts = spawnSync(process.execPath, [cli, 'api/ts.ts', '--no-color'], { cwd: tmp, encoding: 'utf8' });
    assert.equal(ts.status, 1, ts.stderr);
    const py = spawnSync(process.execPath, [cli, 'api/index.py', '--no-color', '--format', 'json'], { cwd: tmp, encoding: 'utf8' });
    assert.equal(py.status, 1, py.stderr);
    const [file] = JSON.parse(py.stdout) as Array<{ messages: Array<{ ruleId: string; line: number }> }>;
    assert.deepEqual(
      file.messages.map((m) => `${m.line} ${m.ruleId}`),
      ['9 no-process-exit'],
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('linting TypeScript never loads the Python parser', () => {
  // A fresh process: this one has loaded it already.
  const script = [
    "const { MemoryHost } = require('./server/src/analysis/host');",
    "const { LintService } = require('./server/src/analysis/service');",
    "const { RULES } = require('./server/src/rules');",
    "const { pythonParserReady } = require('./server/src/python/parser');",
    "const s = new LintService(new MemoryHost({ '/p/vercel.json': '{}' }), { workspaceRoot: '/p', rules: RULES });",
    "s.lint('/p/api/x.ts', 'export default function h() { process.exit(1) }');",
    'process.stdout.write(String(pythonParserReady()));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..'), encoding: 'utf8' });
  assert.equal(r.stdout, 'false', r.stderr);
  assert.equal(pythonParserReady(), true);
});
