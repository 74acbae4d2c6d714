// Broken configuration end to end: each of serverless-lint.json, vercel.json, wrangler.toml, serverless.yml and
// tsconfig.json, invalid, gives a diagnostic at the error in that file, in the CLI's output and over the LSP, while
// the source files next to it are still analyzed with defaults.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Diagnostic, DocumentDiagnosticReport, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { main } from '../../server/src/cli';
import { checkConfigFile } from '../../server/src/config-checks';
import { defaultSettings } from '../../shared/src/settings';
import { normalizePath } from '../../server/src/host/node-host';
import { makeProject, TestClient, uriOf } from '../protocol/lsp-client';

const EXIT = 'export async function GET() {\n  process.exit(1);\n}\n';

/** Each broken file, where its error is (the text the parser stops at) and the source file it governs. */
const CASES = [
  {
    config: 'slj/serverless-lint.json',
    text: '{\n  "platform": "vercel",\n  "rules": { "no-process-exit": off }\n}\n',
    errorAt: 'off',
    source: 'slj/app/api/x/route.ts',
    extra: { 'slj/vercel.json': '{}\n', 'slj/package.json': '{ "dependencies": { "next": "15.0.0" } }\n' },
  },
  {
    config: 'vc/vercel.json',
    text: '{\n  "functions": {\n    "app/**": { "maxDuration": 10 }\n  }\n  "crons": []\n}\n',
    errorAt: '"crons"',
    source: 'vc/app/api/x/route.ts',
    extra: { 'vc/package.json': '{ "dependencies": { "next": "15.0.0" } }\n' },
  },
  {
    config: 'wr/wrangler.toml',
    text: 'name = "w"\nmain = "src/index.ts"\nlimits = { cpu_ms = }\n',
    errorAt: '}',
    source: 'wr/src/index.ts',
    sourceText: 'export default {\n  async fetch() {\n    process.exit(1);\n  },\n};\n',
  },
  {
    config: 'sls/serverless.yml',
    text: 'service: s\nprovider:\n  name: aws\n  timeout: [1, 2\nfunctions:\n  a:\n    handler: src/a.handler\n',
    // The flow sequence opened on the line before is found unterminated where the next key starts.
    errorAt: 'functions:',
    source: 'sls/src/a.ts',
    sourceText: 'export const handler = async () => {\n  process.exit(1);\n};\n',
  },
  {
    config: 'tsc/tsconfig.json',
    text: '{\n  "compilerOptions": {\n    "baseUrl": ".",\n    "paths": { "@/*": ["./*"] }\n  },,\n}\n',
    errorAt: ',,',
    errorDelta: 1,
    source: 'tsc/app/api/x/route.ts',
    sourceText: "import { code } from '@/lib/code';\nexport async function GET() {\n  process.exit(code);\n}\n",
    extra: { 'tsc/lib/code.ts': 'export const code = 1;\n', 'tsc/vercel.json': '{}\n', 'tsc/package.json': '{ "dependencies": { "next": "15.0.0" } }\n' },
  },
];

/** The 0-based position of the error in a case's text. */
function errorPosition(c: (typeof CASES)[number]): { line: number; character: number } {
  const offset = c.text.indexOf(c.errorAt) + (c.errorDelta ?? 0);
  const before = c.text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function workspace(): string {
  const files: Record<string, string> = {};
  for (const c of CASES) Object.assign(files, { [c.config]: c.text, [c.source]: c.sourceText ?? EXIT }, c.extra ?? {});
  return normalizePath(makeProject(files));
}

describe('broken configuration files', { timeout: 120_000 }, () => {
  const dir = workspace();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('CLI: a diagnostic at the error in each file; the sources are still analyzed', async () => {
    let json = '';
    const code = await main([dir, '--format', 'json'], {
      out: (s) => {
        json += s;
      },
      err: () => undefined,
    });
    assert.equal(code, 1);
    const files = JSON.parse(json) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number; column: number; severity: number | string }> }>;
    for (const c of CASES) {
      const config = files.find((f) => f.filePath === `${dir}/${c.config}`);
      const at = errorPosition(c);
      assert.ok(config, `${c.config} is in the output`);
      assert.deepEqual(
        config.messages.filter((m) => m.ruleId === 'invalid-config').map((m) => [m.line, m.column])[0],
        [at.line + 1, at.character + 1],
        `${c.config}: the first diagnostic is at the error`,
      );
      const source = files.find((f) => f.filePath === `${dir}/${c.source}`);
      assert.ok(
        source?.messages.some((m) => m.ruleId === 'no-process-exit'),
        `${c.source} is still analyzed (with defaults where the config is unreadable)`,
      );
    }
  });

  test('CLI --report: the same problems in the report', async () => {
    let json = '';
    await main([dir, '--report', '--format', 'json'], {
      out: (s) => {
        json += s;
      },
      err: () => undefined,
    });
    const report = JSON.parse(json) as {
      configProblems: Array<{ fileName: string; range: { start: { line: number; character: number } } }>;
      functions: unknown[];
    };
    for (const c of CASES) {
      const first = report.configProblems.find((p) => p.fileName === `${dir}/${c.config}`);
      assert.deepEqual(first?.range.start, errorPosition(c), `${c.config} in the report`);
    }
    assert.equal(report.functions.length, CASES.length, 'every function is still found');
  });

  test('LSP: publishDiagnostics for each config file at the error; an open serverless-lint.json is diagnosed as typed', async () => {
    const client = await TestClient.start({ root: dir, pull: true, workDoneProgress: true });
    try {
      await client.conn.sendRequest('workspace/executeCommand', { command: 'serverless-lint.checkWorkspace', arguments: [] });
      for (const c of CASES) {
        const uri = uriOf(`${dir}/${c.config}`);
        const published = await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === uri, client.published);
        const invalid = published.diagnostics.filter((d) => d.code === 'invalid-config');
        assert.deepEqual(invalid[0]?.range.start, errorPosition(c), `${c.config}: ${JSON.stringify(published.diagnostics)}`);
        const source = await client.waitFor<PublishDiagnosticsParams>('diagnostics', (p) => p.uri === uriOf(`${dir}/${c.source}`), client.published);
        assert.ok(
          source.diagnostics.some((d) => d.code === 'no-process-exit'),
          `${c.source} still gets its diagnostics`,
        );
      }
      // serverless-lint.json is a document the client syncs: its problems come with the pull, as the user types.
      const slj = CASES[0];
      const uri = client.open(slj.config, slj.text, 'json');
      const report = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
      const items: Diagnostic[] = report.kind === 'full' ? report.items : [];
      assert.deepEqual(items[0]?.range.start, errorPosition(slj));
      // And the route under it keeps the default level of the rule the broken file tried to turn off.
      const route = client.open(slj.source, EXIT);
      const routeReport = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: route } });
      assert.ok(routeReport.kind === 'full' && routeReport.items.some((d) => d.code === 'no-process-exit' && d.severity === 1));
    } finally {
      await client.stop();
    }
  });
});

test('several unclosed brackets at the end of a file give one diagnostic, not one per bracket', () => {
  const problems = checkConfigFile('/p/vercel.json', '{\n  "functions": {\n    "app/**": { "maxDuration": 10 \n', defaultSettings());
  assert.equal(problems.length, 1, JSON.stringify(problems.map((p) => p.message)));
  assert.deepEqual(problems[0].range!.start, { line: 3, character: 0 });
});
