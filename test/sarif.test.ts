// Positions and SARIF: every place has a real line and column in every format, and the SARIF log validates with
// Microsoft's SARIF Multitool (on test-workspace and on paths with brackets, spaces, `#`, `%` and non-ASCII).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';
import { main } from '../server/src/cli';
import { encodePath } from '../server/src/cli/format';

const ROOT = join(__dirname, '..');
const WORKSPACE = join(ROOT, 'test-workspace');

async function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** A Vercel project whose paths need percent-encoding, and a tsconfig whose `extends` is missing. */
function oddPaths(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-sarif-'));
  const handler = 'let user: unknown;\nexport default function handler(req: any, res: any) {\n  user = req.body;\n  res.end();\n}\n';
  write(dir, {
    'vercel.json': '{}',
    'tsconfig.json': '{\n  "compilerOptions": {},\n  "extends": "./missing.json"\n}\n',
    'app/api/users/[id]/route.ts': 'export async function GET() {\n  process.exit(1);\n}\n',
    'api/my folder/a#b.ts': handler,
    'api/café/ü 100%.ts': handler,
    'middleware.ts': "import { s } from '@/lib/session';\nexport function middleware() {\n  return s;\n}\n",
    'lib/session.ts': 'export const s = 1;\n',
  });
  return dir;
}

/** The parts of the CLI's `--format json` output these tests read. */
type JsonFile = {
  filePath: string;
  messages: Array<{ line: number; column: number; relatedLocations?: Array<{ message: string; line: number; column: number }> }>;
};

test('related locations and config findings have real lines in text, JSON and SARIF', async () => {
  const route = join(WORKSPACE, 'nextjs-vercel/app/api/users/route.ts');
  const declLine =
    readFileSync(route, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('let currentUser')) + 1;
  assert.ok(declLine > 1);
  const json: JsonFile[] = JSON.parse((await run(['nextjs-vercel/app/api/users/route.ts', '--format', 'json'], WORKSPACE)).out);
  const related = json.flatMap((f) => f.messages).flatMap((m) => m.relatedLocations ?? []);
  const decl = related.find((r) => r.message === 'Declared at module scope here.');
  assert.deepEqual([decl?.line, decl?.column], [declLine, 5]);

  const text = (await run(['nextjs-vercel/app/api/users/route.ts', '--no-color'], WORKSPACE)).out;
  assert.match(text, new RegExp(`↳ nextjs-vercel/app/api/users/route\\.ts:${declLine}:5  Declared at module scope here\\.`));

  const sarif: Sarif.Log = JSON.parse((await run(['nextjs-vercel/app/api/users/route.ts', '--format', 'sarif'], WORKSPACE)).out);
  const rel = sarif.runs[0].results!.flatMap((r) => r.relatedLocations ?? []).find((r) => r.message?.text === 'Declared at module scope here.')!;
  assert.equal(rel.physicalLocation!.region!.startLine, declLine);

  const dir = oddPaths();
  try {
    const configJson: JsonFile[] = JSON.parse((await run(['.', '--format', 'json'], dir)).out);
    const tsconfig = configJson.find((f) => f.filePath.endsWith('/tsconfig.json'));
    assert.ok(tsconfig, 'the tsconfig with a missing extends is reported');
    assert.deepEqual([tsconfig.messages[0].line, tsconfig.messages[0].column], [3, 14], 'at the `extends` value, not 1:1');
    const configText = (await run(['.', '--no-color'], dir)).out;
    assert.match(configText, /^tsconfig\.json:3:14 {2}warning/m);
    assert.match(configText, /^ {4}3 \| {3}"extends": "\.\/missing\.json"$/m, 'with its code frame');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SARIF URIs are percent-encoded, relative to %SRCROOT%, and every result rule id is a driver rule', async () => {
  assert.equal(encodePath('app/api/users/[id]/route.ts'), 'app/api/users/%5Bid%5D/route.ts');
  assert.equal(encodePath('api/my folder/a#b.ts'), 'api/my%20folder/a%23b.ts');
  assert.equal(encodePath('api/café/ü 100%.ts'), 'api/caf%C3%A9/%C3%BC%20100%25.ts');
  const dir = oddPaths();
  try {
    const sarif: Sarif.Log = JSON.parse((await run(['.', '--format', 'sarif'], dir)).out);
    const run0 = sarif.runs[0];
    const uris = new Set(run0.results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri));
    for (const uri of ['app/api/users/%5Bid%5D/route.ts', 'api/my%20folder/a%23b.ts', 'api/caf%C3%A9/%C3%BC%20100%25.ts', 'tsconfig.json'])
      assert.ok(uris.has(uri), `${uri} in ${[...uris].join(', ')}`);
    assert.ok(run0.results!.every((r) => r.locations![0].physicalLocation!.artifactLocation!.uriBaseId === 'SRCROOT'));
    assert.match(run0.originalUriBaseIds!.SRCROOT.uri!, /^file:\/\/\/.*\/$/);
    const ids = run0.tool.driver.rules!.map((r) => r.id);
    for (const r of run0.results!) {
      assert.ok(ids.includes(r.ruleId!), `${r.ruleId} is in tool.driver.rules`);
      assert.equal(ids[r.ruleIndex!], r.ruleId);
    }
    const tsconfig = run0.results!.find((r) => r.locations![0].physicalLocation!.artifactLocation!.uri === 'tsconfig.json')!;
    assert.equal(tsconfig.ruleId, 'tsconfig-extends-not-found');
    const descriptor = run0.tool.driver.rules![tsconfig.ruleIndex!];
    assert.match(descriptor.helpUri!, /docs\/config-checks\/tsconfig-extends-not-found\.md$/);
    assert.equal(descriptor.defaultConfiguration!.level, 'warning');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The SARIF Multitool binary of this platform (an optional dependency: Linux, macOS and Windows builds). */
function multitool(): string | undefined {
  try {
    const path = require('@microsoft/sarif-multitool') as string;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

test('the SARIF Multitool validates the log of test-workspace and of paths that need encoding', async (t) => {
  const tool = multitool();
  if (!tool) {
    t.skip('@microsoft/sarif-multitool has no build for this platform');
    return;
  }
  const dir = oddPaths();
  const out = mkdtempSync(join(tmpdir(), 'sl-sarif-out-'));
  try {
    for (const [name, cwd, args] of [
      ['test-workspace', WORKSPACE, ['.']],
      ['odd-paths', dir, ['.']],
    ] as const) {
      const log = join(out, `${name}.sarif`);
      const r = await run([...args, '--format', 'sarif'], cwd);
      writeFileSync(log, r.out);
      const report = join(out, `${name}.validation.sarif`);
      const v: SpawnSyncReturns<string> = spawnSync(tool, ['validate', log, '--output', report, '--log', 'ForceOverwrite', '--quiet'], { encoding: 'utf8' });
      assert.equal(v.status, 0, `${v.stdout}\n${v.stderr}`);
      const validation: Sarif.Log = JSON.parse(readFileSync(report, 'utf8'));
      const problems = (validation.runs[0].results ?? []).filter((x) => x.level === 'error' || x.level === 'warning');
      assert.deepEqual(
        problems.map((x) => `${x.ruleId}: ${JSON.stringify(x.message.arguments ?? x.message.text)}`),
        [],
        `${name}: SARIF validates`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
