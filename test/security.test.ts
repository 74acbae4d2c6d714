// No workspace code is ever executed: a hostile workspace whose every config, script and module would leave a marker
// file if run is linted by the CLI (in-process and the built binary), the language server over stdio and the
// workspace report, and no marker may appear.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, Hover } from 'vscode-languageserver-protocol';
import { main } from '../server/src/cli';
import { LintService } from '../server/src/analysis/service';
import { NodeHost, normalizePath } from '../server/src/host/node-host';
import { RULES } from '../server/src/rules';
import { checkWorkspace, renderReportMarkdown } from '../server/src/report';
import { TestClient, uriOf } from './protocol/lsp-client';

const CLI = resolve(__dirname, '../dist/cli.js');

/**
 * A workspace where running anything — a JS/TS config, a package script, a module's top level, a Serverless
 * `${file(…)}` resolver, a build command in TOML — writes a marker named after what ran into `markers/`.
 */
function hostileWorkspace(): { dir: string; markers: string } {
  const dir = normalizePath(mkdtempSync(join(tmpdir(), 'sl-hostile-')));
  const markers = `${dir}/markers`;
  mkdirSync(markers);
  const js = (name: string) => `require('fs').writeFileSync(${JSON.stringify(`${markers}/${name}`)}, 'ran');`;
  const esm = (name: string) => `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(`${markers}/${name}`)}, 'ran');`;
  const sh = (name: string) => `touch ${JSON.stringify(`${markers}/${name}`)}`;
  const scripts = Object.fromEntries(
    ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'test', 'lint', 'build', 'dev', 'start', 'vercel-build', 'pretest', 'posttest'].map(
      (s) => [s, sh(`script-${s}`)],
    ),
  );
  const files: Record<string, string> = {
    'serverless-lint.config.js': `${js('serverless-lint.config.js')}\nmodule.exports = { platform: 'long-running' };\n`,
    'serverless-lint.config.mjs': `${esm('serverless-lint.config.mjs')}\nexport default { platform: 'long-running' };\n`,
    'serverless-lint.config.ts': `${esm('serverless-lint.config.ts')}\nexport default { platform: 'long-running' };\n`,
    'next.config.js': `${js('next.config.js')}\nmodule.exports = { experimental: {} };\n`,
    'vite.config.ts': `${esm('vite.config.ts')}\nexport default {};\n`,
    'eslint.config.js': `${js('eslint.config.js')}\nmodule.exports = [];\n`,
    'jest.config.js': `${js('jest.config.js')}\nmodule.exports = {};\n`,
    'postcss.config.cjs': `${js('postcss.config.cjs')}\nmodule.exports = {};\n`,
    '.eslintrc.js': `${js('.eslintrc.js')}\nmodule.exports = {};\n`,
    'package.json': JSON.stringify({ name: 'hostile', main: 'next.config.js', scripts, dependencies: { next: '15.0.0', 'evil-pkg': '1.0.0' } }, null, 2),
    'node_modules/evil-pkg/package.json': JSON.stringify({ name: 'evil-pkg', main: 'index.js', scripts: { postinstall: sh('dep-postinstall') } }),
    'node_modules/evil-pkg/index.js': `${js('dep-index.js')}\nmodule.exports = { x: 1 };\n`,
    'tsconfig.json': '{ "extends": "./tsconfig.base.js", "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }\n',
    'tsconfig.base.js': `${js('tsconfig.base.js')}\nmodule.exports = {};\n`,
    'vercel.json': JSON.stringify({
      buildCommand: sh('vercel-buildCommand'),
      installCommand: sh('vercel-installCommand'),
      functions: { 'app/api/**/*.ts': { maxDuration: 10 } },
    }),
    // A function whose module scope would write a marker if it were imported to "find" its handlers.
    'app/api/x/route.ts': `${esm('route.ts')}\nimport { x } from 'evil-pkg';\nimport { helper } from '@/lib/helper';\nexport async function GET(request: Request) {\n  setInterval(() => {}, 1000);\n  process.exit(x + helper());\n}\n`,
    'lib/helper.ts': `${esm('helper.ts')}\nexport const helper = () => 1;\n`,
    'netlify.toml': `[build]\n  command = ${JSON.stringify(sh('netlify-command'))}\n[[plugins]]\n  package = "./plugin.js"\n`,
    'plugin.js': `${js('netlify-plugin.js')}\n`,
    'sls/serverless.yml': `service: s\nplugins:\n  - ./plugin\ncustom: \${file(./custom.js):value}\nprovider:\n  name: aws\n  timeout: \${file(./timeout.js):seconds}\nfunctions:\n  a:\n    handler: src/a.handler\n`,
    'sls/custom.js': `${js('sls-file-resolver.js')}\nmodule.exports.value = () => 1;\n`,
    'sls/timeout.js': `${js('sls-timeout.js')}\nmodule.exports.seconds = () => 5;\n`,
    'sls/plugin.js': `${js('sls-plugin.js')}\n`,
    'sls/src/a.ts': `${esm('a.ts')}\nexport const handler = async () => { process.exit(1); };\n`,
    'worker/wrangler.toml': `name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2025-01-01"\n[build]\ncommand = ${JSON.stringify(sh('wrangler-build'))}\n`,
    'worker/src/index.ts': `${esm('worker.ts')}\nexport default { async fetch() { return new Response(eval('1')); } };\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, markers };
}

function assertNothingRan(markers: string, when: string): void {
  assert.deepEqual(readdirSync(markers), [], `no workspace code ran (${when})`);
}

/** Proves the planted payloads work: running one of them by hand does leave its marker. */
test('the planted payloads are live (running one by hand leaves a marker)', () => {
  const { dir, markers } = hostileWorkspace();
  try {
    spawnSync(process.execPath, [join(dir, 'next.config.js')], { cwd: dir });
    assert.deepEqual(readdirSync(markers), ['next.config.js']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('no workspace code is executed', { timeout: 180_000 }, () => {
  const { dir, markers } = hostileWorkspace();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('CLI in-process: lint, --fix, --report (markdown and json), --explain', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    // The project is still analyzed as Vercel (next.config.js and vercel.json detected by name, never loaded).
    assert.equal(await main([dir, '--format', 'json'], io), 1);
    assert.match(out.join('\n'), /no-process-exit/);
    await main([dir, '--report'], io);
    await main([dir, '--report', '--format', 'json'], io);
    await main(['--explain', `${dir}/app/api/x/route.ts`], io);
    await main(['--explain', `${dir}/next.config.js`], io);
    assertNothingRan(markers, 'CLI in-process');
    // --fix writes files, so it runs on a copy of the workspace.
    const copy = hostileWorkspace();
    try {
      await main([copy.dir, '--fix'], io);
      assertNothingRan(copy.markers, 'CLI --fix');
    } finally {
      rmSync(copy.dir, { recursive: true, force: true });
    }
  });

  test('the built CLI binary, run from inside the workspace', () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is built (npm run build)');
    for (const args of [['.'], ['.', '--report'], ['.', '--format', 'sarif'], ['--explain', 'app/api/x/route.ts']]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      assert.ok(r.status === 0 || r.status === 1, `serverless-lint ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    assertNothingRan(markers, 'CLI binary');
  });

  test('the workspace report (checkWorkspace and its Markdown)', async () => {
    const service = new LintService(new NodeHost(), { rules: RULES });
    const report = await checkWorkspace(service, [dir]);
    assert.ok(
      report.functions.some((f) => f.fileName.endsWith('/app/api/x/route.ts')),
      'the route is found without running it',
    );
    assert.ok(report.bundles.length > 0, 'bundle estimates walked node_modules/evil-pkg');
    renderReportMarkdown(report);
    assertNothingRan(markers, 'workspace report');
  });

  test('the language server over stdio: open, diagnostics, hover, code actions, commands', async () => {
    const client = await TestClient.start({ root: dir, pull: true, workDoneProgress: true });
    try {
      const opened = [
        'app/api/x/route.ts',
        'serverless-lint.config.js',
        'next.config.js',
        'vite.config.ts',
        'lib/helper.ts',
        'worker/src/index.ts',
        'sls/src/a.ts',
      ].map((rel) => client.open(rel, readText(dir, rel), rel.endsWith('.ts') ? 'typescript' : 'javascript'));
      // Non-source files the client might still send (other editors have broader selectors).
      client.open('package.json', readText(dir, 'package.json'), 'json');
      client.open('serverless-lint.json', '{ "platform": "vercel" }\n', 'json');
      let routeDiagnostics: Diagnostic[] = [];
      for (const uri of opened) {
        const report = await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
        const items = report.kind === 'full' ? report.items : [];
        if (uri === opened[0]) routeDiagnostics = items;
        const doc = client.doc(uri);
        await client.conn.sendRequest<Hover | null>('textDocument/hover', {
          textDocument: { uri },
          position: doc.positionAt(doc.getText().indexOf('writeFileSync') + 2),
        });
        await client.conn.sendRequest<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: items[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics: items },
        });
      }
      assert.ok(
        routeDiagnostics.some((d) => d.code === 'no-process-exit'),
        'the route is analyzed',
      );
      const route = client.doc(opened[0]);
      await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: opened[0] }, position: route.positionAt(route.getText().indexOf('GET') + 1) });
      await client.conn.sendRequest('workspace/executeCommand', { command: 'serverless-lint.showRuntimeConstraints', arguments: [opened[0]] });
      const result = await client.conn.sendRequest<{ filesAnalyzed: number; cancelled: boolean }>('workspace/executeCommand', {
        command: 'serverless-lint.checkWorkspace',
        arguments: [],
      });
      assert.equal(result.cancelled, false);
      assert.ok(result.filesAnalyzed >= 5, `the workspace check analyzed ${result.filesAnalyzed} files`);
      await client.conn.sendRequest('workspace/executeCommand', { command: 'serverless-lint.fixAll', arguments: [opened[0]] });
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [
          { uri: uriOf(`${dir}/next.config.js`), type: 2 },
          { uri: uriOf(`${dir}/package.json`), type: 2 },
        ],
      });
      await client.conn.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri: opened[0] } });
    } finally {
      await client.stop();
    }
    assertNothingRan(markers, 'language server');
  });
});

function readText(dir: string, rel: string): string {
  return readFileSync(join(dir, rel), 'utf8');
}
