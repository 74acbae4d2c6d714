// The workspace report must stay inert whatever the workspace contains: every path, message, name and configured
// value is rendered with the Markdown engine VS Code's preview uses, and the HTML must carry no markup of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LintService } from '../../server/src/analysis/service';
import { NodeHost, normalizePath } from '../../server/src/host/node-host';
import { RULES } from '../../server/src/rules';
import { checkWorkspace, escapeMarkdown, renderReportMarkdown, summarize, type WorkspaceReport } from '../../server/src/report';

// VS Code's Markdown preview renders with markdown-it, raw HTML and linkify on; the same settings here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (options: { html: boolean; linkify: boolean }) => { render(src: string): string };
const md = new MarkdownIt({ html: true, linkify: true });

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '![i](https://evil.example/p.png)',
  '<https://evil.example>',
  '`code` ``two``',
  'a | b || c',
  '&lt;img src=x&gt; &#60;b&#62;',
  'line\n# heading\n> quote\n- item\n\n<div>block</div>',
  '*bold* _em_ ~~s~~ \\',
].join(' ');

/** What rendered HTML may contain: only the tags the report itself writes. */
const ALLOWED_TAGS = new Set(['h1', 'h2', 'p', 'ul', 'li', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'blockquote', 'hr']);

function assertInert(markdown: string): string {
  const html = md.render(markdown);
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)/g))
    assert.ok(ALLOWED_TAGS.has(m[1].toLowerCase()), `unexpected <${m[1]}> in the rendered report:\n${html}`);
  assert.doesNotMatch(html, /href=|src=["']/i, 'no link or image comes from workspace text');
  // Every table row keeps the column count of its header, so a pipe in a value cannot shift or add cells.
  for (const table of html.split('<table>').slice(1)) {
    const rows = table.slice(0, table.indexOf('</table>')).split('<tr>').slice(1);
    const cells = rows.map((r) => (r.match(/<t[hd][\s>]/g) ?? []).length);
    assert.ok(
      cells.every((n) => n === cells[0]),
      `table rows keep ${cells[0]} cells: ${cells.join(',')}`,
    );
  }
  return html;
}

test('escapeMarkdown output renders as the literal text', () => {
  const html = assertInert(escapeMarkdown(HOSTILE));
  // The visible text is the original (line breaks folded to spaces), decoded once by the browser.
  const text = html
    .replace(/<\/?p>\n?/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
  assert.equal(text, HOSTILE.replace(/[\r\n]+/g, ' '));
});

test('a report built from hostile paths, messages and configured values renders inert', () => {
  const root = '/ws';
  const file = `/ws/${HOSTILE.replace(/\n/g, ' ').replace(/\//g, '∕')}/route.ts`;
  const base = summarize([root], [], [], true);
  const report: WorkspaceReport = {
    ...base,
    platforms: [{ platform: 'vercel', plan: HOSTILE as 'pro', reason: HOSTILE, root: `${root}/${HOSTILE}`, functions: 1 }],
    functions: [
      {
        fileName: file,
        route: HOSTILE,
        platform: 'vercel',
        runtime: 'node',
        plan: HOSTILE,
        framework: HOSTILE,
        // A YAML `timeout: "<img …>"` is not a number: the renderer must not trust the type.
        maxDuration: { seconds: HOSTILE as unknown as number, source: HOSTILE },
        memory: { mb: HOSTILE as unknown as number, source: HOSTILE },
        handlers: [HOSTILE, HOSTILE],
        findings: { error: 1, warning: 0, info: 0 },
      },
    ],
    configProblems: [
      {
        fileName: file,
        span: { start: 0, end: 1 },
        message: HOSTILE,
        severity: 'error',
        ruleId: HOSTILE,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      },
    ],
    dependencyProblems: [{ kind: 'websocket-library', severity: 'error', message: HOSTILE, fileName: file, functions: [file, HOSTILE] }],
    bundles: [
      {
        fileName: file,
        route: HOSTILE,
        bytes: 5e6,
        localFiles: 3,
        packages: 1,
        biggest: [{ name: HOSTILE, bytes: 4e6 }],
        limitMb: 1,
        limitNote: HOSTILE,
        exceeds: true,
      },
    ],
  };
  const markdown = renderReportMarkdown(report);
  const html = assertInert(markdown);
  // Sanity: the hostile strings are in the report, as text.
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('[x](javascript:alert(1))'));
});

test('a real workspace with hostile file names and serverless.yml values gives an inert report', async () => {
  const dir = normalizePath(mkdtempSync(join(tmpdir(), 'sl-escape-')));
  try {
    // File names can hold everything but `/`; serverless.yml values can be any string.
    const folder = '[x](javascript:alert(1)) <img src=x onerror=alert(1)> `a|b`';
    const files: Record<string, string> = {
      'package.json': '{ "name": "x", "dependencies": { "ws": "8.0.0" } }\n',
      'serverless.yml': [
        'service: s',
        'provider:',
        '  name: aws',
        '  timeout: "<img src=x onerror=alert(1)>"',
        '  memorySize: "</script><script>alert(1)</script>"',
        'functions:',
        '  "<b>fn</b>|x":',
        `    handler: "${folder}/h.handler"`,
      ].join('\n'),
      [`${folder}/h.ts`]: 'export const handler = async () => { process.exit(1); };\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    const service = new LintService(new NodeHost(), { rules: RULES });
    const report = await checkWorkspace(service, [dir]);
    assert.equal(report.functions.length, 1, 'the hostile-named handler is found through serverless.yml');
    const html = assertInert(renderReportMarkdown(report));
    assert.ok(html.includes('&lt;b&gt;fn&lt;/b&gt;|x'), 'the function name is shown as text');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the client shows the report in the Markdown preview (its own strict CSP); any webview must set a CSP', () => {
  const client = readFileSync(join(__dirname, '../../client/src/extension.ts'), 'utf8');
  assert.match(client, /markdown\.showPreview/, 'reports open as a virtual Markdown document in the built-in preview');
  // The built-in preview blocks scripts by its default security level; a webview of ours would need its own policy.
  if (/createWebviewPanel|registerWebviewViewProvider/.test(client)) {
    assert.match(client, /Content-Security-Policy[^\n]*default-src 'none'/, 'a webview sets a strict Content-Security-Policy');
  }
});
