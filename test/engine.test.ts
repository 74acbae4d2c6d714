// The engine's own guarantees: runtime guards, suppressions, rule isolation, settings levels, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { defineRule, type Rule } from '../server/src/analysis/rule';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { flagRule } from './flag-rule';
import { parseConfigFile } from '../server/src/analysis/config';
import type { Settings } from '../shared/src/settings';
import { join } from 'node:path';
import { RULES } from '../server/src/rules';
import { collectSourceFiles } from '../server/src/host/files';
import { SCRIPT_FILE } from '../shared/src/source-files';
import { analyzeFixture, loadFixture } from './harness';

const throwingRule = defineRule({
  meta: { ...flagRule.meta, id: 'test-throws' },
  create: () => ({
    enter: {
      [ts.SyntaxKind.Identifier]: () => {
        throw new Error('boom');
      },
    },
  }),
});

function lint(text: string, opts: { path?: string; files?: Record<string, string>; rules?: Rule[]; overrides?: Partial<Settings> } = {}) {
  const path = opts.path ?? '/repo/app/api/x/route.ts';
  const host = new MemoryHost({ '/repo/vercel.json': '{}', ...opts.files, [path]: text });
  const service = new LintService(host, { workspaceRoot: '/repo', rules: opts.rules ?? [flagRule], overrides: opts.overrides });
  return { result: service.lint(path, text), service, path };
}

test('code guarded by NEXT_RUNTIME or typeof EdgeRuntime is not analyzed for the runtime it cannot run in', () => {
  const text = [
    "export const runtime = 'edge';",
    'export async function GET() {',
    "  if (process.env.NEXT_RUNTIME === 'nodejs') { flag(1); }",
    "  if (process.env.NEXT_RUNTIME !== 'edge') flag(2); else flag(3);",
    "  if (typeof EdgeRuntime === 'undefined') { flag(4); }",
    "  const x = process.env.NEXT_RUNTIME === 'nodejs' ? flag(5) : 0;",
    "  process.env.NEXT_RUNTIME === 'nodejs' && flag(6);",
    "  if (process.env.NEXT_RUNTIME !== 'nodejs') return new Response('edge');",
    '  flag(7);',
    '}',
  ].join('\n');
  const lines = lint(text).result.findings.map((f) => f.range.start.line + 1);
  assert.deepEqual(lines, [4], 'only flag(3), in the edge branch, runs on the edge');
  // On the Node.js runtime the same guards skip the edge-only branch instead.
  const node = lint(text.replace("export const runtime = 'edge';", "export const runtime = 'nodejs';")).result.findings.map((f) => f.range.start.line + 1);
  assert.deepEqual(node, [3, 4, 5, 6, 7, 9]);
});

test('suppressions: next line, whole file, with reasons; unused ones are reported with a removal fix', () => {
  const text = [
    '// serverless-lint-disable-next-line test-flag -- fine in this handler',
    'flag(1);',
    'flag(2);',
    '// serverless-lint-disable-next-line test-flag',
    'const unrelated = 1;',
    "const s = '// serverless-lint-disable test-flag';",
  ].join('\n');
  const { result } = lint(text);
  assert.deepEqual(
    result.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
    ['test-flag@3', 'unused-suppression@4'],
  );
  const unused = result.findings[1];
  assert.equal(unused.severity, 'info');
  assert.equal(unused.fixes?.[0].safety, 'safe');
  const file = lint('// serverless-lint-disable test-flag\nflag(1);\nflag(2);\n').result;
  assert.deepEqual(file.findings, []);
});

test('a rule that throws is disabled for that file and reported once; other rules still report', () => {
  const { result } = lint('flag(1); flag(2); const a = b;', { rules: [throwingRule, flagRule] });
  assert.equal(result.failures.length, 1);
  assert.equal(result.failures[0].ruleId, 'test-throws');
  assert.match(result.failures[0].error, /boom/);
  assert.equal(result.findings.filter((f) => f.ruleId === 'test-flag').length, 2);
});

test('rule levels from settings: off silences, error raises the severity', () => {
  assert.equal(lint('flag(1);', { overrides: { rules: { 'test-flag': 'off' } } }).result.findings.length, 0);
  assert.equal(lint('flag(1);', { overrides: { rules: { 'test-flag': 'error' } } }).result.findings[0].severity, 'error');
  // serverless-lint.json in the workspace applies too, and settings override it.
  const files = { '/repo/serverless-lint.json': '{ // comments are fine\n "rules": { "test-flag": "info" } }' };
  assert.equal(lint('flag(1);', { files }).result.findings[0].severity, 'info');
  assert.equal(lint('flag(1);', { files, overrides: { rules: { 'test-flag': 'off' } } }).result.findings.length, 0);
});

test('serverless-lint.json problems are reported at their position, and analysis continues with defaults', () => {
  const text = '{\n  "platform": "heroku",\n  "rules": { "no-such-rule": "warn", "test-flag": "loud" },\n  "plan": \n}';
  const { problems, settings } = parseConfigFile('/repo/serverless-lint.json', text, new Set(['test-flag']));
  const messages = problems.map((p) => `${p.range!.start.line + 1}:${p.message}`);
  assert.ok(
    messages.some((m) => m.startsWith('2:') && /platform/.test(m)),
    messages.join('\n'),
  );
  assert.ok(messages.some((m) => m.startsWith('3:') && /Unknown rule "no-such-rule"/.test(m)));
  assert.ok(messages.some((m) => m.startsWith('3:') && /"test-flag"/.test(m)));
  assert.ok(messages.some((m) => /value expected/.test(m)));
  assert.equal(settings.platform, undefined);
  const { result } = lint('flag(1);', { files: { '/repo/serverless-lint.json': '{ "rules": ' } });
  assert.equal(result.findings.length, 1, 'a broken config file does not stop analysis');
});

test('bad input: binary, oversized and pathologically nested files are skipped with one clear note', () => {
  const binary = lint('flag(1);\u0000\u0001\u0002').result;
  assert.equal(binary.findings.length, 1);
  assert.match(binary.findings[0].message, /binary/);
  const big = lint('flag(1);\n'.repeat(2000), { overrides: { maxFileSize: 1000 } }).result;
  assert.equal(big.findings[0].ruleId, 'analysis-skipped');
  assert.match(big.findings[0].message, /maxFileSize/);
  const deep = lint('const x = ' + '('.repeat(50000) + '1' + ')'.repeat(50000) + ';').result;
  assert.equal(deep.findings[0].ruleId, 'analysis-skipped');
  assert.match(deep.findings[0].message, /too deeply nested/);
  for (const text of ['', '\uFEFFflag(1);\r\nflag(2);\r\n', 'export async function GET( {']) {
    const r = lint(text).result;
    assert.deepEqual(r.failures, []);
  }
  assert.equal(lint('\uFEFFflag(1);\r\nflag(2);\r\n').result.findings[1].range.start.line, 1);
});

test('fix() applies safe fixes until stable and results are cached by content', () => {
  const { service, path } = lint('flag(1);\nflag(2);\n');
  const fixed = service.fix(path, 'flag(1);\nflag(2);\n');
  assert.equal(fixed.text, 'ok(1);\nok(2);\n');
  assert.equal(fixed.applied, 2);
  const a = service.lint(path, 'flag(3);');
  assert.equal(service.lint(path, 'flag(3);'), a, 'same content, same result object');
  assert.notEqual(service.lint(path, 'flag(4);'), a);
});

test('facts.referencesOf: the other uses of the same binding, shadowing names left out, inside a node when asked', () => {
  // Reports, at each module-scope `let`, how many uses it has in the file and inside the first statement of GET.
  const referencesRule = defineRule({
    meta: { ...flagRule.meta, id: 'test-references' },
    create: (ctx) => ({
      enter: {
        [ts.SyntaxKind.VariableDeclaration]: (node) => {
          const decl = node as ts.VariableDeclaration;
          if (!ts.isIdentifier(decl.name) || !ts.isSourceFile(decl.parent.parent.parent)) return;
          const get = ctx.sourceFile.statements.find(ts.isFunctionDeclaration)!;
          const all = ctx.facts.referencesOf(decl.name);
          const inFirst = ctx.facts.referencesOf(decl.name, get.body!.statements[0]);
          ctx.report({ node: decl.name, messageId: 'said', data: { text: `${all.map((n) => n.getStart()).join(',')} | ${inFirst.length}` } });
        },
      },
    }),
  });
  const text = [
    'let count = 0;',
    'export async function GET() {',
    '  count++;',
    '  const f = () => { let count = 1; return count; };',
    '  return new Response(String(count + f()));',
    '}',
  ].join('\n');
  const uses = [text.indexOf('count++'), text.indexOf('count + f')];
  const { result } = lint(text, { rules: [referencesRule] });
  assert.deepEqual(
    result.findings.map((f) => f.message),
    [`${uses.join(',')} | 1`],
  );
});

test('every rule keys its visitors by the same kinds in every file: the engine reads them once per rule (every fixture)', () => {
  const kinds = new Map<string, string>();
  const differing: string[] = [];
  let listeners = 0;
  const recorded = RULES.map(
    (rule): Rule => ({
      ...rule,
      create(ctx) {
        const listener = rule.create(ctx);
        for (const which of ['enter', 'exit'] as const) {
          const fns = listener[which];
          if (!fns) continue;
          listeners++;
          const keys = Object.keys(fns).sort().join(',');
          const key = `${rule.meta.id} ${which}`;
          const before = kinds.get(key);
          if (before === undefined) kinds.set(key, keys);
          // Return early inside a visitor, or no listener at all, rather than fewer or other kinds for some files.
          else if (keys !== before) differing.push(`${key}: [${keys}] in ${ctx.fileName}, [${before}] before`);
        }
        return listener;
      },
    }),
  );
  const files = collectSourceFiles([join(__dirname, 'fixtures')]).filter((f) => SCRIPT_FILE.test(f));
  for (const file of files) analyzeFixture(loadFixture(file), recorded);
  assert.deepEqual(differing, []);
  assert.ok(files.length > 200 && listeners > 1000, `${files.length} fixtures, ${listeners} listeners`);
});
