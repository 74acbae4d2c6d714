// Pathological input: huge, minified, deeply nested, binary and oddly encoded files, symlink loops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { collectSourceFiles } from '../server/src/host/files';
import type { Settings } from '../shared/src/settings';

function lint(text: string, overrides: Partial<Settings> = {}, path = '/p/app/api/x/route.ts') {
  const service = new LintService(new MemoryHost({ [path]: text, '/p/vercel.json': '{}' }), { workspaceRoot: '/p', rules: RULES, overrides });
  return service.lint(path, text);
}

test('a 10 MB minified bundle is skipped by the default size limit with a visible note', () => {
  const chunk = 'var a=function(b){return b+1};export function GET(r){return fetch(r.url).then(x=>x)};';
  const text = chunk.repeat(Math.ceil((10 * 1024 * 1024) / chunk.length));
  const r = lint(text);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0].ruleId, 'analysis-skipped');
  assert.equal(r.findings[0].severity, 'warning');
  assert.match(r.skipped ?? '', /maxFileSize/);
});

test('a 200,000-line file is analyzed completely when the limit allows it', () => {
  const lines = ['export async function GET(request: Request) {'];
  for (let i = 0; i < 200_000; i++) lines.push(`  const v${i} = ${i};`);
  lines.push('  process.exit(1);', '}');
  const r = lint(lines.join('\n'), { maxFileSize: 50 * 1024 * 1024 });
  assert.equal(r.skipped, undefined);
  assert.deepEqual(r.failures, []);
  assert.ok(r.findings.some((f) => f.ruleId === 'no-process-exit' && f.range.start.line === 200_001));
});

test('100,000-deep nesting becomes one "too deeply nested" note, never a crash', () => {
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
    ['f(', ')'],
  ]) {
    const text = `export async function GET() { return ${open.repeat(100_000)}1${close.repeat(100_000)}; }`;
    const r = lint(text, { maxFileSize: 50 * 1024 * 1024 });
    assert.deepEqual(r.failures, []);
    assert.ok(r.findings.length <= 1);
    if (r.skipped) assert.match(r.skipped, /too deeply nested/);
  }
});

test('binary, non-UTF-8, BOM, CRLF and empty files', () => {
  assert.match(lint('\u0000\u0001PNG\u0002\u0003').skipped ?? '', /binary/);
  const latin1 = Buffer.from('export const name = "caf\xe9";\n', 'latin1').toString('utf8');
  assert.deepEqual(lint(latin1).failures, []);
  const bom = lint('\uFEFFexport async function GET() {\r\n  process.exit(1);\r\n}\r\n');
  assert.equal(bom.findings[0].range.start.line, 1);
  assert.equal(bom.findings[0].range.start.character, 2);
  assert.deepEqual(lint('').findings, []);
});

test('files: symlink loops, node_modules, minified and declaration files are not walked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-walk-'));
  mkdirSync(join(dir, 'src/a'), { recursive: true });
  writeFileSync(join(dir, 'src/a/index.ts'), 'export {};');
  symlinkSync(join(dir, 'src'), join(dir, 'src/a/loop'));
  writeFileSync(join(dir, 'src/app.min.js'), 'x');
  writeFileSync(join(dir, 'src/types.d.ts'), 'x');
  writeFileSync(join(dir, 'src/bundle.js'), 'var a=function(b){return b+1},c={};c.d=a;'.repeat(100));
  mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
  writeFileSync(join(dir, 'node_modules/x/index.js'), 'x');
  const files = collectSourceFiles([dir]).map((f) => f.slice(dir.length + 1));
  assert.deepEqual(files, ['src/a/index.ts']);
});

// No workspace code is executed by the CLI, the language server or the report: see test/security.test.ts.
