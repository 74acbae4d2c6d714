// Suppression comments in JSX and other places a plain text scan gets wrong, and the "Disable RULE for this line"
// edit choosing the JSX form inside JSX children.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as ts from 'typescript';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { flagRule } from './flag-rule';
import { parseSource } from '../server/src/analysis/engine';
import { applyEdits } from '../server/src/analysis/fixes';
import { findSuppressions, parseDirective } from '../server/src/analysis/suppressions';
import { disableLineEdit, lineStartsInJsxChildren } from '../server/src/lsp/code-actions';

function lint(text: string, path = '/repo/app/page.tsx') {
  const host = new MemoryHost({ '/repo/vercel.json': '{}', [path]: text });
  const service = new LintService(host, { workspaceRoot: '/repo', rules: [flagRule] });
  return service.lint(path, text).findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`);
}

function lintFull(text: string, path: string) {
  const host = new MemoryHost({ '/repo/vercel.json': '{}', [path]: text });
  return new LintService(host, { workspaceRoot: '/repo', rules: [flagRule] }).lint(path, text).findings;
}

function sourceFile(text: string, path = '/repo/app/page.tsx'): ts.SourceFile {
  const sf = parseSource(path, text);
  assert.ok(!('error' in sf));
  return sf;
}

test('a JSX comment in braces suppresses the next line; JSX text that looks like a directive does not', () => {
  const text = [
    'export default function Page() {',
    '  return (',
    '    <main>',
    "      <p>Don't worry</p>",
    '      {/* serverless-lint-disable-next-line test-flag */}',
    '      <span>{flag(1)}</span>',
    '      <p>// serverless-lint-disable-next-line test-flag</p>',
    '      <span>{flag(2)}</span>',
    '    </main>',
    '  );',
    '}',
  ].join('\n');
  assert.deepEqual(lint(text), ['test-flag@8']);
});

test('comments after an apostrophe in JSX text and after a template expression are found', () => {
  const apostrophe = ['export const A = () => (', "  <p>It's {/* serverless-lint-disable-next-line test-flag */}", '    {flag(1)}</p>', ');'].join('\n');
  assert.deepEqual(lint(apostrophe), []);
  const template = [
    'const s = `${1}`; // serverless-lint-disable-next-line test-flag',
    'flag(1);',
    "const t = '// serverless-lint-disable test-flag';",
    'flag(2);',
  ].join('\n');
  assert.deepEqual(lint(template, '/repo/app/api/x/route.ts'), ['test-flag@4']);
});

test('an unused JSX suppression is removed with its braces and its line', () => {
  const text = [
    'export const A = () => (',
    '  <div>',
    '    {/* serverless-lint-disable-next-line test-flag */}',
    '    <span>ok</span>',
    '  </div>',
    ');',
    '',
  ].join('\n');
  const host = new MemoryHost({ '/repo/vercel.json': '{}', '/repo/app/a.tsx': text });
  const service = new LintService(host, { workspaceRoot: '/repo', rules: [flagRule] });
  const [unused] = service.lint('/repo/app/a.tsx', text).findings;
  assert.equal(unused.ruleId, 'unused-suppression');
  const [suppression] = findSuppressions(sourceFile(text, '/repo/app/a.tsx'));
  assert.equal(text.slice(suppression.span.start, suppression.span.end), '{/* serverless-lint-disable-next-line test-flag */}');
  assert.equal(applyEdits(text, unused.fixes![0].edits), text.replace('    {/* serverless-lint-disable-next-line test-flag */}\n', ''));
});

test('"Disable for this line" writes the JSX form in JSX children and a line comment everywhere else', () => {
  const text = [
    'export default function Page({ items }: { items: string[] }) {',
    '  return (',
    '    <ul',
    '      onClick={() => {',
    '        flag(1);',
    '      }}',
    '    >',
    '      {flag(2)}',
    '      <li>{flag(3)}</li>',
    '      {items.map((i) => (',
    '        <li key={i}>{i}</li>',
    '      ))}',
    '      text {flag(4)}',
    '    </ul>',
    '  );',
    '}',
  ].join('\n');
  const sf = sourceFile(text);
  const doc = TextDocument.create('file:///repo/app/page.tsx', 'typescriptreact', 1, text);
  const insert = (line: number) => disableLineEdit(doc, line, 'test-flag', sf).newText;
  assert.equal(insert(4), '        // serverless-lint-disable-next-line test-flag\n', 'inside an attribute arrow function');
  assert.equal(insert(7), '      {/* serverless-lint-disable-next-line test-flag */}\n', 'a child expression');
  assert.equal(insert(8), '      {/* serverless-lint-disable-next-line test-flag */}\n', 'a child element');
  assert.equal(insert(10), '        // serverless-lint-disable-next-line test-flag\n', 'JSX inside a {…} expression, where JavaScript comments work');
  assert.equal(insert(12), '      {/* serverless-lint-disable-next-line test-flag */}\n', 'JSX text');
  assert.equal(insert(1), '  // serverless-lint-disable-next-line test-flag\n', 'ordinary code');
  assert.equal(lineStartsInJsxChildren(sf, text.indexOf('</ul>')), true, 'before the closing tag');

  // The inserted comment parses as a suppression and silences that line.
  const withJsx = applyEdits(text, [
    { span: { start: doc.offsetAt({ line: 8, character: 0 }), end: doc.offsetAt({ line: 8, character: 0 }) }, newText: insert(8) },
  ]);
  assert.deepEqual(lint(withJsx), ['test-flag@5', 'test-flag@8', 'test-flag@14']);

  // A second rule extends the JSX directive above instead of stacking another.
  const docJsx = TextDocument.create('file:///repo/app/page.tsx', 'typescriptreact', 2, withJsx);
  const extend = disableLineEdit(docJsx, 9, 'other-rule', sourceFile(withJsx));
  assert.equal(TextDocument.applyEdits(docJsx, [extend]).split('\n')[8], '      {/* serverless-lint-disable-next-line test-flag, other-rule */}');
});

test('`disable-line` (ESLint spelling) silences its own line only, not the whole file', () => {
  const text = [
    'export async function GET() {',
    '  fetch("https://a.example"); // serverless-lint-disable-line test-flag',
    '  flag(1); // serverless-lint-disable-line test-flag',
    '  flag(2);',
    '  return new Response("ok");',
    '}',
  ].join('\n');
  // Before the grammar, `disable-line` read as `disable` with the rules "-line" and "test-flag": the whole file.
  assert.deepEqual(lint(text, '/repo/app/api/x/route.ts'), ['unused-suppression@2', 'test-flag@4']);
});

test('the directive grammar: kinds, rule lists, reasons, and what is no directive', () => {
  assert.deepEqual(parseDirective(' serverless-lint-disable-line a, b -- the queue drains it'), {
    kind: 'disable-line',
    rules: ['a', 'b'],
    reason: 'the queue drains it',
  });
  assert.deepEqual(parseDirective(' serverless-lint-disable-next-line a b '), { kind: 'disable-next-line', rules: ['a', 'b'] });
  assert.deepEqual(parseDirective('serverless-lint-disable'), { kind: 'disable', rules: [] });
  assert.deepEqual(parseDirective(' serverless-lint-disable -- generated file'), { kind: 'disable', rules: [], reason: 'generated file' });
  assert.deepEqual(parseDirective(' serverless-lint-enable a --'), { kind: 'enable', rules: ['a'] });
  // The same body, whatever the comment syntax around it (a `#` comment's body included).
  assert.deepEqual(
    parseDirective(' serverless-lint-disable-next-line no-process-exit -- cli only'),
    parseDirective('serverless-lint-disable-next-line no-process-exit -- cli only  '),
  );
  assert.equal(parseDirective(' see serverless-lint-disable-line in the docs'), undefined, 'prose that mentions a directive');
  assert.equal(parseDirective(' serverless-lint is great'), undefined);
  assert.match(
    (parseDirective(' serverless-lint-disable-lines a') as { error: string }).error,
    /Unknown suppression directive 'serverless-lint-disable-lines'/,
  );
  assert.match((parseDirective(' serverless-lint-enable-next-line a') as { error: string }).error, /Unknown/);
  assert.match((parseDirective(' serverless-lint-disable a: because') as { error: string }).error, /'a:' is no rule id/);
});

test('block disable/enable, per-rule enable, file-level disable, and malformed directives', () => {
  const route = '/repo/app/api/x/route.ts';
  const block = [
    'flag(1);',
    '/* serverless-lint-disable test-flag -- legacy block */',
    'flag(2);',
    'flag(3);',
    '/* serverless-lint-enable test-flag */',
    'flag(4);',
  ].join('\n');
  assert.deepEqual(lint(block, route), ['test-flag@1', 'test-flag@6']);
  // An `enable` naming one rule ends a block of every rule for that rule only.
  const perRule = [
    '// serverless-lint-disable-next-line other',
    'x();',
    'flag(0);',
    '/* serverless-lint-disable */',
    'flag(1);',
    '/* serverless-lint-enable test-flag */',
    'flag(2);',
  ].join('\n');
  assert.deepEqual(lint(perRule, route), ['unused-suppression@1', 'test-flag@3', 'test-flag@7']);
  // A `disable` with no `enable` after code covers what follows it only; before any code, the whole file.
  assert.deepEqual(lint(['flag(1);', '// serverless-lint-disable test-flag', 'flag(2);'].join('\n'), route), ['test-flag@1']);
  assert.deepEqual(lint(['#!/usr/bin/env node', '// serverless-lint-disable test-flag', 'flag(1);', 'flag(2);'].join('\n'), route), []);
  const unusedBlock = lintFull(['x();', '/* serverless-lint-disable test-flag */', 'y();', '/* serverless-lint-enable test-flag */'].join('\n'), route);
  assert.deepEqual(
    unusedBlock.map((f) => f.message),
    ['Unused suppression: no test-flag finding between this comment and its enable comment to disable.'],
  );
  // A typo suppresses nothing and says so; an `enable` with nothing open is reported too.
  const typo = lintFull(['flag(1); // serverless-lint-disable-lines test-flag', '// serverless-lint-enable test-flag', 'flag(2);'].join('\n'), route);
  assert.deepEqual(
    typo.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
    ['test-flag@1', 'unused-suppression@1', 'unused-suppression@2', 'test-flag@3'],
  );
  assert.match(typo[1].message, /Unknown suppression directive 'serverless-lint-disable-lines'/);
  assert.ok(!typo[1].fixes, 'a typo is corrected by the user, never deleted by --fix');
  assert.match(typo[2].message, /ends no 'serverless-lint-disable' above it/);
});

test('findSuppressions gives each kind its lines', () => {
  const text = [
    '// serverless-lint-disable a',
    'x();',
    'y(); // serverless-lint-disable-line b',
    '/* serverless-lint-disable-next-line',
    '   c */',
    'z();',
  ].join('\n');
  const found = findSuppressions(sourceFile(text, '/repo/app/api/x/route.ts')).map((s) => [s.kind, s.rules.join(','), s.from, s.to]);
  assert.deepEqual(found, [
    ['file', 'a', 0, Number.MAX_SAFE_INTEGER],
    ['line', 'b', 2, 2],
    ['next-line', 'c', 5, 5],
  ]);
});
