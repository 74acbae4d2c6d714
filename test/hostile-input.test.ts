// Hostile and generated source shapes (docs/reliability.md, "Isolation" and "Limits"): whole-file isolation, no recursion over the input's depth,
// linear time on long flat expressions and statement-heavy handlers. Inputs are generated here, never committed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { analyzeFile } from '../server/src/analysis/engine';
import { conditionRuntime } from '../server/src/analysis/guards';
import { parseTree } from '../server/src/analysis/tree';
import { RULES } from '../server/src/rules';
import { main } from '../server/src/cli';
import * as ts from 'typescript';
import { defaultSettings } from '../shared/src/settings';

function lint(files: Record<string, string>, path: string) {
  const service = new LintService(new MemoryHost(files), { workspaceRoot: '/p', rules: RULES, overrides: { maxFileSize: 50 * 1024 * 1024 } });
  return service.lint(path, files[path]);
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('a 10,000-term && chain is analyzed, not a crash of the run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-chain-'));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  writeFileSync(join(dir, 'api/a.js'), 'export default function h(req, res) { process.exit(1); }\n');
  writeFileSync(join(dir, 'lib.js'), `// generated\nexport const ok = (a) => ${Array(10_000).fill('a').join(' && ')};\n`);
  // The same chain behind a runtime guard, so that the guards look into it.
  writeFileSync(
    join(dir, 'api/guarded.js'),
    `export default function g(req, res) {\n  if (process.env.NEXT_RUNTIME === 'edge' && ${Array(10_000).fill('req.ok').join(' && ')}) return;\n  res.json({});\n}\n`,
  );
  const r = await run([dir, '--format', 'json']);
  assert.equal(r.code, 1, r.err);
  const files = JSON.parse(r.out) as Array<{ filePath: string; messages: Array<{ ruleId: string }> }>;
  assert.deepEqual(
    files.find((f) => f.filePath.endsWith('api/a.js'))?.messages.map((m) => m.ruleId),
    ['no-process-exit'],
  );
  for (const name of ['lib.js', 'api/guarded.js']) assert.deepEqual(files.find((f) => f.filePath.endsWith(name))?.messages, [], name);
});

test('conditionRuntime answers on chains as deep as they are long, as the recursive definition did', () => {
  const cond = (text: string) => {
    const sf = parseTree('/c.ts', `(${text});`, ts.ScriptKind.TS);
    return ((sf.statements[0] as ts.ExpressionStatement).expression as ts.ParenthesizedExpression).expression;
  };
  const edge = "process.env.NEXT_RUNTIME === 'edge'";
  const node = "typeof EdgeRuntime === 'undefined'";
  assert.equal(conditionRuntime(cond(`${edge} && a`)), 'edge');
  assert.equal(conditionRuntime(cond(`a && !(${edge})`)), 'node');
  assert.equal(conditionRuntime(cond(`${edge} || ${edge}`)), 'edge');
  assert.equal(conditionRuntime(cond(`${edge} || ${node}`)), undefined);
  assert.equal(conditionRuntime(cond(`a || ${edge}`)), undefined);
  assert.equal(conditionRuntime(cond(`!(!(${node}))`)), 'node');
  assert.equal(conditionRuntime(cond(`${Array(20_000).fill('a').join(' && ')} && ${edge}`)), 'edge');
  assert.equal(conditionRuntime(cond(`${Array(20_000).fill(edge).join(' || ')}`)), 'edge');
  assert.equal(conditionRuntime(cond(`${'!'.repeat(2_001)}(${edge})`)), 'node');
  const memo = new Map();
  assert.equal(conditionRuntime(cond(`(${edge} && b) || (c && ${edge})`), memo), 'edge');
  assert.ok(memo.size >= 3, 'every operator evaluated is remembered');
});

test("anything that throws in a file's analysis is one analysis-failed warning with its cause", () => {
  const input = {
    fileName: '/p/api/x.ts',
    text: 'export default function h() {}',
    project: new LintService(new MemoryHost({}), { rules: RULES }).projects.infoFor('/p/api'),
    settings: defaultSettings(),
    rules: RULES,
    parse: (): ts.SourceFile => {
      throw new RangeError('Maximum call stack size exceeded');
    },
  };
  const r = analyzeFile(input);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0].ruleId, 'analysis-failed');
  assert.equal(r.findings[0].severity, 'warning');
  assert.match(r.findings[0].message, /Maximum call stack size exceeded.*nested too deeply/);
  assert.match(r.skipped ?? '', /the analysis failed/);
});

test('a serverless-lint.json whose parse throws is one config problem, and the files are still analyzed', () => {
  const deep = `{"ignore": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
  const files = { '/p/vercel.json': '{}', '/p/serverless-lint.json': deep, '/p/api/x.js': 'export default function h(req, res) { process.exit(1); }\n' };
  const service = new LintService(new MemoryHost(files), { workspaceRoot: '/p', rules: RULES });
  const r = service.lint('/p/api/x.js', files['/p/api/x.js']);
  assert.deepEqual(
    r.findings.map((f) => f.ruleId),
    ['no-process-exit'],
  );
  assert.ok(service.configFor('/p').problems.length >= 1);
});

test('a 40,000-term `req.query.k + …` expression analyzes in linear time', { timeout: 120_000 }, () => {
  // Before the scope lookup climbed scopes instead of parents, this file took 77 s (19 s for the shape below).
  const expr = Array(40_000).fill('req.query.k').join(' + ');
  const path = '/p/api/h.ts';
  const r = lint(
    { '/p/vercel.json': '{}', [path]: `let last;\nexport default function handler(req, res) {\n  last = ${expr};\n  res.json({ last });\n}\n` },
    path,
  );
  assert.equal(r.skipped, undefined);
  assert.deepEqual(r.failures, []);
  assert.ok(r.findings.some((f) => f.ruleId === 'no-request-state-in-module-scope'));
});

test('a 100,000-statement handler analyzes in linear time', { timeout: 120_000 }, () => {
  // Before "response sent before" was computed once per block, this handler took 348 s.
  const lines = ['export default async function handler(req, res) {', '  let n = 0;'];
  for (let i = 0; i < 100_000; i++) lines.push(`  n += ${i % 1000};`);
  lines.push('  res.json({ n });', '  fetch("https://audit.example.com", { method: "POST" });', '}');
  const path = '/p/api/h.js';
  const r = lint({ '/p/vercel.json': '{}', [path]: lines.join('\n') }, path);
  assert.equal(r.skipped, undefined);
  assert.deepEqual(r.failures, []);
  assert.deepEqual(
    r.findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`),
    [`no-work-after-response@${lines.length - 1}`],
  );
});

test('rules that follow conditions and constants stop at a depth no real code has, instead of overflowing', () => {
  const chain = Array(10_000).fill('ok').join(' && ');
  const sum = Array(10_000).fill('1').join(' + ');
  const path = '/p/app/api/x/route.ts';
  const text = [
    "import express from 'express';",
    "import { writeFileSync } from 'node:fs';",
    `export const maxDuration = ${sum};`,
    'const a = b, b = a;',
    'const app = express();',
    `if (${chain} && process.env.NODE_ENV !== 'production') app.listen(3000);`,
    'export async function GET(request: Request) {',
    "  writeFileSync(`./data/${a}`, 'x');",
    '  return Response.json({});',
    '}',
  ].join('\n');
  const r = lint({ '/p/vercel.json': '{}', [path]: text }, path);
  assert.equal(r.skipped, undefined);
  assert.deepEqual(
    r.failures.map((f) => `${f.ruleId}: ${f.error}`),
    [],
  );
});

test("a file whose binding overflows leaves nothing behind for the next file's checker (fuzz seed 11, input 824)", () => {
  // TypeScript's binder is one per process and clears its state only when a bind completes: the bind that overflowed
  // on the chain once left its current parent behind, and the next file's SourceFile got it as its parent, so the
  // checker's walk up from the class (behind `this.ctx`) ran on into the chain's arrow function and overflowed there.
  const chainFile = '/p/api/chain.js';
  const chainText = [
    `export const flat = (req, ok, a, x) => ${Array(20_000).fill('a').join(' && ')};`,
    'const db = { save: () => 1 };',
    'export default async function handler(req, res) {',
    '  db.save();',
    '  res.json({});',
    '}',
  ].join('\n');
  const counterFile = '/p/api/counter.ts';
  const counterText = [
    "import { DurableObject } from 'cloudflare:workers';",
    'export class ClickCounter extends DurableObject {',
    '  async fetch(request: Request): Promise<Response> {',
    '    this.ctx.acceptWebSocket(request);',
    '    return new Response(null);',
    '  }',
    '}',
    "export default { fetch: (request: Request) => new Response('') };",
  ].join('\n');
  const files = { '/p/vercel.json': '{}', [chainFile]: chainText, [counterFile]: counterText };
  const service = new LintService(new MemoryHost(files), { workspaceRoot: '/p', rules: RULES });
  // The premise: the binder runs out of stack on the chain. The chain file itself is analyzed (a rule that asks the
  // checker hears "not known"), and its checker, asked here whether or not a rule asked first, overflows.
  assert.deepEqual(service.lint(chainFile, chainText).failures, []);
  assert.throws(() => service.factsOf(chainFile, chainText)?.facts.checker, RangeError);
  const after = service.lint(counterFile, counterText);
  assert.deepEqual(
    after.failures.map((f) => `${f.ruleId}: ${f.error}`),
    [],
  );
  assert.equal(service.factsOf(counterFile, counterText)?.sourceFile.parent, undefined, 'the tree is its own, not hung below the chain');
  // The same answer as in a service that never saw the chain.
  const fresh = new LintService(new MemoryHost(files), { workspaceRoot: '/p', rules: RULES });
  assert.deepEqual(after, fresh.lint(counterFile, counterText));
  // The chain's half-bound tree gets no second checker (the binder would skip it as bound): the failure again.
  assert.throws(() => service.factsOf(chainFile, chainText)?.facts.checker, RangeError);
});
