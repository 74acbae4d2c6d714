// Workspace scale: a generated 50,000-file tree (with node_modules, .git and symlink loops to skip) through the
// workspace check and the CLI with bounded memory; files deleted or renamed mid-check; cancellation midway, both
// in the core function and over the protocol. No timing assertions: speed is `npm run bench`'s business.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver-protocol';
import { LintService } from '../server/src/analysis/service';
import { NodeHost, normalizePath } from '../server/src/host/node-host';
import { RULES } from '../server/src/rules';
import { main } from '../server/src/cli';
import { checkWorkspace, renderReportMarkdown } from '../server/src/report';
import { TestClient } from './protocol/lsp-client';

/** Source files in the big tree; `npm run bench` measures speed, this proves completion and memory at this size. */
const SOURCES = 50_000;

// A real garbage collection before each heap reading, so the growth measured is what is retained.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const MB = 1024 * 1024;

/** A tmpfs when there is one: writing and deleting 55,000 files on a busy disk took a minute, in memory a second. */
const SCRATCH = (() => {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
})();

interface Tree {
  dir: string;
  sources: number;
  routes: number;
  /** Paths (relative) of every source file the checks must analyze. */
  sourceFiles: string[];
}

/**
 * Mostly small modules, 100 per folder and chained by imports, plus one Next.js route per 250 files (each with one
 * `process.exit`), node_modules and .git folders full of JS/TS that must be skipped, and symlinks that loop.
 */
function generateTree(sources: number): Tree {
  const dir = normalizePath(mkdtempSync(join(SCRATCH, 'sl-scale-')));
  const sourceFiles: string[] = [];
  const write = (rel: string, text: string) => {
    writeFileSync(join(dir, rel), text);
    if (/\.[jt]s$/.test(rel) && !/(^|\/)(node_modules|\.git)\//.test(rel)) sourceFiles.push(rel);
  };
  write('package.json', '{ "name": "big", "dependencies": { "next": "15.0.0" } }\n');
  write('vercel.json', '{}\n');
  const routes = Math.max(1, Math.floor(sources / 250));
  const folders = Math.ceil((sources - routes) / 100);
  for (let r = 0; r < routes; r++) {
    mkdirSync(join(dir, `app/api/r${r}`), { recursive: true });
    write(`app/api/r${r}/route.ts`, `import { v9 } from '../../../src/m${r % folders}/f9';\nexport async function GET() {\n  process.exit(v9);\n}\n`);
  }
  for (let i = 0; sourceFiles.length < sources; i++) {
    mkdirSync(join(dir, `src/m${i}`), { recursive: true });
    for (let j = 0; j < 100 && sourceFiles.length < sources; j++) {
      write(`src/m${i}/f${j}.ts`, j ? `import { v${j - 1} } from './f${j - 1}';\nexport const v${j} = v${j - 1} + ${j};\n` : 'export const v0 = 0;\n');
    }
  }
  for (let i = 0; i < sources / 10; i++) {
    if (i < 100) mkdirSync(join(dir, `node_modules/pkg${i}/lib`), { recursive: true });
    write(`node_modules/pkg${i % 100}/lib/f${i}.js`, 'module.exports = 1;\n');
    if (i < 50) mkdirSync(join(dir, `.git/objects/${i}`), { recursive: true });
    write(`.git/objects/${i % 50}/o${i}.ts`, 'export const x = 1;\n');
  }
  // Loops back to an ancestor and to itself, a dangling link, and a second path to a folder already walked.
  symlinkSync(join(dir, 'src'), join(dir, 'src/m0/loop'));
  symlinkSync('.', join(dir, 'src/m1/self'));
  symlinkSync(join(dir, 'missing'), join(dir, 'src/m2/dangling'));
  symlinkSync(join(dir, 'src/m3'), join(dir, 'app/m3-again'));
  symlinkSync(dir, join(dir, 'src/m4/root'));
  return { dir, sources: sourceFiles.length, routes, sourceFiles };
}

describe(`a ${SOURCES.toLocaleString('en')}-file workspace`, { timeout: 600_000 }, () => {
  let tree: Tree;
  before(() => {
    tree = generateTree(SOURCES);
  });
  after(() => rmSync(tree.dir, { recursive: true, force: true }));

  test('the workspace check analyzes every source file once, skips node_modules/.git/loops, memory bounded', async (t) => {
    const before = heapAfterGc();
    let peak = 0;
    const service = new LintService(new NodeHost(), { rules: RULES });
    const report = await checkWorkspace(service, [tree.dir], {
      // The default cap (20,000) protects editors on accidental huge roots; this test means to analyze them all.
      maxFiles: 100_000,
      progress: (done) => {
        if (done % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      },
    });
    assert.equal(report.cancelled, false);
    assert.equal(report.filesAnalyzed, tree.sources);
    const analyzed = new Set(report.results.map((r) => r.fileName.slice(tree.dir.length + 1)));
    assert.equal(analyzed.size, tree.sources, 'no file analyzed twice (symlinked folders are walked once)');
    assert.deepEqual(
      tree.sourceFiles.filter((f) => !analyzed.has(f) && !analyzed.has(f.replace(/^src\/m3\//, 'app/m3-again/'))),
      [],
    );
    assert.ok(![...analyzed].some((f) => /node_modules|\.git\//.test(f)), 'node_modules and .git are skipped');
    assert.deepEqual(
      report.results.flatMap((r) => r.failures),
      [],
      'no rule failed',
    );
    assert.equal(report.functions.length, tree.routes);
    assert.equal(report.totals.error, tree.routes, 'exactly the planted process.exit calls');
    assert.match(renderReportMarkdown(report), new RegExp(`Analyzed ${tree.sources} file`));
    const retained = heapAfterGc() - before;
    t.diagnostic(`${tree.sources} files: heap retained ${(retained / MB).toFixed(0)} MB, peak growth ${((peak - before) / MB).toFixed(0)} MB`);
    // Generous bounds (about 5× what was measured: ~85 MB retained with every result kept for the Problems panel).
    assert.ok(retained < 450 * MB, `heap retained by the report and service: ${(retained / MB).toFixed(0)} MB`);
    assert.ok(peak - before < 1500 * MB, `peak heap during the check: ${((peak - before) / MB).toFixed(0)} MB`);
  });

  test('the CLI lints the same files with bounded memory', async (t) => {
    const before = heapAfterGc();
    let json = '';
    const errors: string[] = [];
    let peak = 0;
    // Output is written once, at the end, while every file's result is still held: the heap's high-water mark.
    const out = (s: string) => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      json += s;
    };
    const code = await main([tree.dir, '--format', 'json'], { out, err: (s) => errors.push(s) });
    assert.deepEqual(errors, []);
    assert.equal(code, 1, 'the planted process.exit calls are errors');
    const files = JSON.parse(json) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>;
    const sources = files.filter((f) => /\.ts$/.test(f.filePath));
    assert.equal(sources.length, tree.sources);
    assert.equal(new Set(sources.map((f) => f.filePath)).size, tree.sources);
    assert.ok(!files.some((f) => /node_modules|\.git\//.test(f.filePath)));
    assert.equal(sources.flatMap((f) => f.messages).filter((m) => m.ruleId === 'no-process-exit').length, tree.routes);
    json = '';
    const retained = heapAfterGc() - before;
    t.diagnostic(
      `CLI over ${tree.sources} files: heap growth at output ${((peak - before) / MB).toFixed(0)} MB, retained afterwards ${(retained / MB).toFixed(0)} MB`,
    );
    assert.ok(peak - before < 1500 * MB, `heap growth while the CLI holds every result: ${((peak - before) / MB).toFixed(0)} MB`);
    assert.ok(retained < 100 * MB, `heap retained after the CLI run (nothing should leak): ${(retained / MB).toFixed(0)} MB`);
  });

  test('cancelling the core check midway returns a partial report promptly', async () => {
    const service = new LintService(new NodeHost(), { rules: RULES });
    let cancel = false;
    let doneAtCancel = 0;
    const report = await checkWorkspace(service, [tree.dir], {
      maxFiles: 100_000,
      batchSize: 20,
      cancelled: () => cancel,
      progress: (done) => {
        if (done === 5_000) {
          cancel = true;
          doneAtCancel = done;
        }
      },
    });
    assert.equal(doneAtCancel, 5_000);
    assert.equal(report.cancelled, true);
    // The token is checked before every file, so nothing after the cancellation is analyzed.
    assert.equal(report.filesAnalyzed, 5_000);
    assert.deepEqual(report.bundles, [], 'the expensive summary passes are skipped');
    assert.match(renderReportMarkdown(report), /cancelled/);
  });

  test('over the protocol: $/cancelRequest and the progress cancel both stop the check', async () => {
    const client = await TestClient.start({ root: tree.dir, pull: true, workDoneProgress: true });
    try {
      type Result = { filesAnalyzed: number; cancelled: boolean };
      // 1. The client cancels the request itself ($/cancelRequest) once the check reports progress past 0 files.
      const source = new CancellationTokenSource();
      const seen = client.progress.length;
      const running = client.conn.sendRequest<Result>('workspace/executeCommand', { command: 'serverless-lint.checkWorkspace', arguments: [] }, source.token);
      await client.waitFor<{ value: { kind: string; percentage?: number; message?: string } }>(
        'progress',
        (p) => p.value.kind === 'report' && /^[1-9]\d*\//.test(p.value.message ?? ''),
        client.progress.slice(seen),
      );
      source.cancel();
      const first = await running.then(
        (r) => r,
        (e: unknown) => e,
      );
      if (first instanceof ResponseError) assert.equal(first.code, -32800, 'RequestCancelled');
      else {
        assert.equal((first as Result).cancelled, true);
        assert.ok((first as Result).filesAnalyzed < tree.sources);
      }
      // 2. The user presses Cancel on the progress notification (window/workDoneProgress/cancel).
      const seen2 = client.progress.length;
      const second = client.conn.sendRequest<Result>('workspace/executeCommand', { command: 'serverless-lint.checkWorkspace', arguments: [] });
      const reported = await client.waitFor<{ token: string | number; value: { kind: string; message?: string } }>(
        'progress',
        (p) => p.value.kind === 'report' && /^[1-9]\d*\//.test(p.value.message ?? ''),
        client.progress.slice(seen2),
      );
      await client.conn.sendNotification('window/workDoneProgress/cancel', { token: reported.token });
      const result = await second;
      assert.equal(result.cancelled, true);
      assert.ok(result.filesAnalyzed > 0 && result.filesAnalyzed < tree.sources, `stopped after ${result.filesAnalyzed} files`);
      await client.waitFor<{ token: string | number; value: { kind: string } }>(
        'progress',
        (p) => p.token === reported.token && p.value.kind === 'end',
        client.progress,
      );
      // The server is still responsive afterwards.
      const uri = client.open('app/api/r0/route.ts', 'export async function GET() {\n  process.exit(1);\n}\n');
      const diagnostics = await client.conn.sendRequest<{ kind: string; items: Array<{ code?: unknown }> }>('textDocument/diagnostic', {
        textDocument: { uri },
      });
      assert.ok(diagnostics.items.some((d) => d.code === 'no-process-exit'));
    } finally {
      await client.stop();
    }
  });
});

describe('files deleted or renamed during a workspace check', () => {
  test('are skipped without bogus problems and without throwing', async () => {
    const tree = generateTree(2_000);
    try {
      const service = new LintService(new NodeHost(), { rules: RULES });
      const gone = new Set<string>();
      const renamed = new Map<string, string>();
      const report = await checkWorkspace(service, [tree.dir], {
        batchSize: 7,
        progress: (done, total) => {
          // After the file list is taken (the routes and the first modules are read), later files disappear.
          if (done !== 100) return;
          for (let m = 5; m < 15; m++) {
            unlinkSync(join(tree.dir, `src/m${m}/f5.ts`));
            gone.add(`${tree.dir}/src/m${m}/f5.ts`);
            renameSync(join(tree.dir, `src/m${m}/f7.ts`), join(tree.dir, `src/m${m}/f7-renamed.ts`));
            renamed.set(`${tree.dir}/src/m${m}/f7.ts`, `${tree.dir}/src/m${m}/f7-renamed.ts`);
          }
          // A whole folder goes as well.
          rmSync(join(tree.dir, 'src/m15'), { recursive: true });
          for (let j = 0; j < 100; j++) gone.add(`${tree.dir}/src/m15/f${j}.ts`);
          assert.ok(total > done);
        },
      });
      assert.equal(report.cancelled, false);
      const names = new Set(report.results.map((r) => r.fileName));
      for (const f of [...gone, ...renamed.keys()]) assert.ok(!names.has(f), `${f} no longer exists and has no result`);
      for (const f of renamed.values()) assert.ok(!names.has(f), 'a file created after the listing is not picked up mid-check');
      const expectedGone = new Set([...gone, ...renamed.keys()]);
      assert.equal(report.filesAnalyzed, tree.sources - expectedGone.size);
      assert.deepEqual(
        report.results.flatMap((r) => r.failures),
        [],
      );
      // Nothing is reported against a missing file: not a finding, a function, a config or dependency problem.
      const mentioned = [
        ...report.functions.map((f) => f.fileName),
        ...report.configProblems.map((p) => p.fileName),
        ...report.dependencyProblems.map((p) => p.fileName),
        ...report.bundles.map((b) => b.fileName),
      ];
      assert.deepEqual(
        mentioned.filter((f) => expectedGone.has(f)),
        [],
      );
      assert.equal(report.functions.length, tree.routes);
      assert.equal(report.totals.error, tree.routes, 'exactly the planted process.exit calls');
      // Modules importing a deleted or renamed file still get analyzed; their findings are their own.
      assert.ok(names.has(`${tree.dir}/src/m11/f6.ts`) && names.has(`${tree.dir}/src/m11/f8.ts`));
      renderReportMarkdown(report);
    } finally {
      rmSync(tree.dir, { recursive: true, force: true });
    }
  });
});
