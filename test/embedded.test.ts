// Files whose code is embedded in another language (analysis/embedded.ts), on Astro pages: the frontmatter is analysed
// as the page's render function, and what comes back (diagnostics, fixes, suppressions, hovers, code actions) points
// into the .astro file itself, with fixes that never touch the template or the fences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { applyEdits } from '../server/src/analysis/fixes';
import { parseSource } from '../server/src/analysis/engine';
import { scriptOf, toFileOffset } from '../server/src/analysis/embedded';
import { astroScript } from '../server/src/conventions/frameworks/astro';
import { RULES } from '../server/src/rules';
import { hoverAt } from '../server/src/lsp/hover';
import { codeActions } from '../server/src/lsp/code-actions';
import { DIAGNOSTIC_SOURCE } from '../shared/src/protocol';

const ROOT = '/project';
const PAGE = `${ROOT}/src/pages/orders.astro`;
const PROJECT = {
  [`${ROOT}/package.json`]: JSON.stringify({ dependencies: { astro: '^5.7.0', '@astrojs/vercel': '^8.1.0' } }),
  [`${ROOT}/astro.config.mjs`]: "import vercel from '@astrojs/vercel';\nexport default { output: 'server', adapter: vercel() };\n",
};

const TEMPLATE = `
<Layout title="Orders">
  <ul>{orders.map((o) => <li>{o.id}</li>)}</ul>
  <p>---</p>
</Layout>
`;
const FRONTMATTER = [
  '---',
  "import { Pool } from 'pg';",
  "import fs from 'node:fs';",
  "import Layout from '../layouts/Layout.astro';",
  '',
  'const pool = new Pool();',
  "const { rows: orders } = await pool.query('select * from orders where customer = $1', [Astro.locals.user.id]);",
  "fs.writeFileSync('./last-orders.json', JSON.stringify(orders));",
  '---',
].join('\n');
const TEXT = FRONTMATTER + TEMPLATE;

function service(text = TEXT) {
  return new LintService(new MemoryHost({ ...PROJECT, [PAGE]: text }), { workspaceRoot: ROOT, rules: RULES });
}

/** Where `needle` is in the text, as the line and column a diagnostic shows. */
function positionOf(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at).split(/\r?\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('a diagnostic in a frontmatter lands on its line and column of the .astro file', () => {
  const result = service().lint(PAGE, TEXT);
  assert.equal(result.context.role.value, 'function-entry');
  assert.deepEqual(result.failures, []);
  const client = result.findings.find((f) => f.ruleId === 'no-client-per-invocation');
  assert.ok(client);
  assert.deepEqual(client.range.start, positionOf(TEXT, 'new Pool()'));
  assert.equal(TEXT.slice(client.span.start, client.span.end), 'new Pool()');
  const write = result.findings.find((f) => f.ruleId === 'no-fs-write-outside-tmp');
  assert.ok(write);
  assert.deepEqual(write.range.start, positionOf(TEXT, "'./last-orders.json'"));
  // The handler is shown on the opening fence: its function is Astro's, not a line of the file.
  assert.deepEqual(result.context.handlers[0].nameSpan, { start: 0, end: 3 });
});

test('with CRLF line breaks and a byte order mark, positions are still those of the file', () => {
  const text = '\ufeff' + TEXT.replace(/\n/g, '\r\n');
  const result = service(text).lint(PAGE, text);
  const client = result.findings.find((f) => f.ruleId === 'no-client-per-invocation');
  assert.ok(client);
  assert.equal(text.slice(client.span.start, client.span.end), 'new Pool()');
  assert.deepEqual(client.range.start, positionOf(TEXT, 'new Pool()'));
});

test('a fix applied to the .astro file edits the frontmatter only: the rest is byte-identical', () => {
  const result = service().lint(PAGE, TEXT);
  const write = result.findings.find((f) => f.ruleId === 'no-fs-write-outside-tmp');
  const fix = write?.fixes?.[0];
  assert.ok(fix, 'the write has a fix');
  const close = TEXT.indexOf('\n---\n') + 1;
  for (const e of fix.edits) assert.ok(e.span.start >= 4 && e.span.end <= close, `the edit ${JSON.stringify(e)} stays between the fences`);
  const after = applyEdits(TEXT, fix.edits);
  assert.ok(after.startsWith('---\n'), 'the opening fence is untouched');
  assert.ok(after.endsWith('\n---' + TEMPLATE), 'the closing fence and the template are byte-identical');
  assert.match(after, /import os from 'node:os';/);
  assert.match(after, /fs\.writeFileSync\(path\.join\(os\.tmpdir\(\), 'last-orders\.json'\)/);
  // The fixed page still parses as a page whose frontmatter holds the code.
  const again = service(after).lint(PAGE, after);
  assert.deepEqual(again.failures, []);
  assert.ok(!again.findings.some((f) => f.ruleId === 'no-fs-write-outside-tmp'));
});

test('a fix that would move code next to the imports is not offered: it would still run per request', () => {
  const result = service().lint(PAGE, TEXT);
  const client = result.findings.find((f) => f.ruleId === 'no-client-per-invocation');
  assert.ok(client);
  assert.equal(client.fixes, undefined);
  // The same code in a .ts endpoint does get the fix: the mapping, not the rule, dropped it.
  const endpoint = `${ROOT}/src/pages/api/orders.ts`;
  const ts =
    "import { Pool } from 'pg';\n\nexport async function GET() {\n  const pool = new Pool();\n  return Response.json((await pool.query('select 1')).rows);\n}\n";
  const plain = new LintService(new MemoryHost({ ...PROJECT, [endpoint]: ts }), { workspaceRoot: ROOT, rules: RULES }).lint(endpoint, ts);
  assert.ok(plain.findings.find((f) => f.ruleId === 'no-client-per-invocation')?.fixes?.length);
});

test('suppression comments in a frontmatter work, and an unused one points at its own line', () => {
  const text = TEXT.replace(
    'const pool = new Pool();',
    '// serverless-lint-disable-next-line no-client-per-invocation -- one pool per page render is fine here\nconst pool = new Pool();',
  ).replace("import { Pool } from 'pg';", "// serverless-lint-disable-next-line edge-no-node-builtin\nimport { Pool } from 'pg';");
  const result = service(text).lint(PAGE, text);
  assert.ok(!result.findings.some((f) => f.ruleId === 'no-client-per-invocation'));
  const unused = result.findings.find((f) => f.ruleId === 'unused-suppression');
  assert.ok(unused);
  assert.deepEqual(unused.range.start, positionOf(text, '// serverless-lint-disable-next-line edge-no-node-builtin'));
  // Its fix removes the comment's line, inside the frontmatter.
  const removed = applyEdits(text, unused.fixes![0].edits);
  assert.equal(removed, text.replace('// serverless-lint-disable-next-line edge-no-node-builtin\n', ''));
});

test('hovers read the frontmatter at the file offset; the template has none of the analysis', () => {
  const s = service();
  // On the Cloudflare adapter the page runs in a Worker: the import's hover names the edge finding on it.
  const worker = new LintService(
    new MemoryHost({
      [`${ROOT}/package.json`]: JSON.stringify({ dependencies: { astro: '^5.7.0', '@astrojs/cloudflare': '^12.5.0' } }),
      [`${ROOT}/astro.config.mjs`]: "import cloudflare from '@astrojs/cloudflare';\nexport default { output: 'server', adapter: cloudflare() };\n",
      [PAGE]: TEXT,
    }),
    { workspaceRoot: ROOT, rules: RULES },
  );
  const onImport = hoverAt(worker, PAGE, TEXT, TEXT.indexOf("'node:fs'") + 2);
  assert.match(onImport ?? '', /\*\*`node:fs`\*\* is not supported on this runtime/);
  const onFinding = hoverAt(s, PAGE, TEXT, TEXT.indexOf('new Pool()') + 4);
  assert.match(onFinding ?? '', /no-client-per-invocation/);
  assert.match(hoverAt(s, PAGE, TEXT, 1) ?? '', /frontmatter \(Astro page\)/, 'the fence shows the page handler');
  assert.equal(hoverAt(s, PAGE, TEXT, TEXT.indexOf('<ul>') + 1), undefined);
});

test('"Disable for this file" puts its comment inside the frontmatter, after the fence', () => {
  const s = service();
  const result = s.lint(PAGE, TEXT);
  const doc = TextDocument.create('file:///project/src/pages/orders.astro', 'astro', 1, TEXT);
  const f = result.findings.find((x) => x.ruleId === 'no-client-per-invocation')!;
  const diagnostic = { range: f.range, message: f.message, source: DIAGNOSTIC_SOURCE, code: f.ruleId };
  const actions = codeActions(
    { textDocument: { uri: doc.uri }, range: f.range, context: { diagnostics: [diagnostic], only: [CodeActionKind.QuickFix] } },
    doc,
    PAGE,
    () => s,
  );
  const forFile = actions.find((a) => a.title === 'Disable no-client-per-invocation for this file');
  const forLine = actions.find((a) => a.title === 'Disable no-client-per-invocation for this line');
  assert.ok(forFile?.edit?.documentChanges && forLine?.edit?.documentChanges);
  const apply = (a: typeof forFile) => {
    const change = a.edit!.documentChanges![0] as { edits: Parameters<typeof TextDocument.applyEdits>[1] };
    return TextDocument.applyEdits(doc, change.edits);
  };
  assert.ok(apply(forFile).startsWith('---\n// serverless-lint-disable no-client-per-invocation\nimport { Pool }'));
  for (const edited of [apply(forFile), apply(forLine)]) {
    const again = s.lint(PAGE, edited);
    assert.ok(!again.findings.some((x) => x.ruleId === 'no-client-per-invocation'), edited);
    assert.ok(edited.endsWith(TEMPLATE));
  }
});

test('the script Astro compiles: imports and exports at module level, the rest in the render function', () => {
  const text = [
    '---',
    'const a = 1; // stays with its statement',
    "import { x } from './x';",
    "import Card from './Card.astro';",
    "import Counter from './Counter.tsx';",
    "import type { Props } from './types';",
    'export const prerender = false;',
    'const s = `---`; /* --- */ // ---',
    'let b = a + s.length;',
    '---',
    '<p>{b}</p>',
  ].join('\n');
  const script = astroScript(text);
  // The comment after `const a = 1;` on its line stays with it, in the render function.
  assert.ok(script.text.startsWith("\nimport { x } from './x';\n"), script.text);
  assert.ok(script.text.indexOf('export const prerender = false;') < script.text.indexOf('export default async function'));
  assert.ok(script.text.indexOf('let b = a + s.length;') > script.text.indexOf('export default async function'));
  // Template-only uses keep imports alive (the module graph follows them), and the fences inside strings and
  // comments do not close the frontmatter.
  // Islands (capitalized imports of framework components) are followed only when the frontmatter's code uses them.
  assert.match(script.text, /return \$\$render\(x, Card\);/);
  const sf = parseSource(PAGE, text);
  assert.ok(!('error' in sf));
  assert.equal(scriptOf(sf)?.text, script.text, 'the tree carries its script');
  // Every piece maps back to the same characters of the file.
  for (const p of script.pieces) assert.equal(script.text.slice(p.at, p.at + p.length), text.slice(p.from, p.from + p.length));
  assert.equal(toFileOffset(script, script.text.indexOf('let b')), text.indexOf('let b'));
  // A file without a frontmatter has no code to analyse.
  assert.deepEqual(astroScript('<h1>Hello</h1>\n').pieces, []);
});

test("the single-file checker takes the script's tree although the file's name is .astro", () => {
  const text = '---\nconst helpers = { send(to: string) { return fetch(to); } };\nawait helpers.send(Astro.url.href);\n---\n<p />\n';
  const own = service(text).factsOf(PAGE, text);
  assert.ok(own);
  const at = own.sourceFile.text.indexOf('helpers.send(') + 'helpers.'.length;
  let name: import('typescript').Node | undefined;
  for (let n: import('typescript').Node | undefined = own.sourceFile; n; ) {
    name = n;
    n = n.getChildren(own.sourceFile).find((c) => c.getStart(own.sourceFile) <= at && at < c.getEnd());
  }
  assert.equal(own.facts.checker.getSymbolAtLocation(name!)?.name, 'send');
});
