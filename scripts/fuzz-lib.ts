// Mutation fuzzing of the engine and every fix: seeded, reproducible, shared by `npm run fuzz` and the test suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService, syntaxErrorCount } from '../server/src/analysis/service';
import { applyEdits } from '../server/src/analysis/fixes';
import { RULES } from '../server/src/rules';
import { parseFixture } from './fixture-format';
import { SOURCE_FILE } from '../shared/src/source-files';

export interface Seed {
  /** Where the input came from (fixture or workspace file). */
  name: string;
  /** The virtual path the input is analyzed as (decides its context). */
  path: string;
  text: string;
  files: Record<string, string>;
  platform?: string;
}

export interface FuzzFailure {
  seed: number;
  /** The virtual path, extra files and platform the input was analyzed with, to replay it. */
  path: string;
  files: Record<string, string>;
  platform?: string;
  index: number;
  source: string;
  mutation: string;
  kind: 'exception' | 'rule-failure' | 'slow' | 'fix-breaks-syntax';
  detail: string;
  input: string;
}

/** The same seeded PRNG the benchmark generator uses, so one algorithm serves both. */
export { prng } from './prng';
import { prng } from './prng';

function walkFiles(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walkFiles(full, out);
    else if (SOURCE_FILE.test(name)) out.push(full);
  }
}

/** Seeds: every rule fixture (with its virtual context) and every test-workspace source file. */
export function loadSeeds(root: string): Seed[] {
  const seeds: Seed[] = [];
  const fixtureFiles: string[] = [];
  walkFiles(join(root, 'test/fixtures'), fixtureFiles);
  for (const file of fixtureFiles) {
    try {
      const f = parseFixture(file, readFileSync(file, 'utf8'));
      seeds.push({ name: relative(root, file), path: f.path, text: f.text, files: f.files, platform: f.overrides.platform });
    } catch {
      // A file without a @path header is not a fixture.
    }
  }
  const ws = join(root, 'test-workspace');
  const wsFiles: string[] = [];
  walkFiles(ws, wsFiles);
  const configs: Record<string, string> = {};
  for (const name of ['vercel.json', 'next.config.ts', 'netlify.toml', 'wrangler.toml', 'wrangler.jsonc', 'serverless.yml', 'Dockerfile']) {
    for (const project of existsSync(ws) ? readdirSync(ws) : []) {
      const p = join(ws, project, name);
      if (existsSync(p)) configs[`${project}/${name}`] = readFileSync(p, 'utf8');
    }
  }
  for (const file of wsFiles)
    seeds.push({ name: relative(root, file), path: `/project/${relative(ws, file)}`, text: readFileSync(file, 'utf8'), files: configs });
  return seeds;
}

function tokens(text: string): Array<{ start: number; end: number }> {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  const out: Array<{ start: number; end: number }> = [];
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken && out.length < 20000; t = scanner.scan()) {
    if (t === ts.SyntaxKind.WhitespaceTrivia || t === ts.SyntaxKind.NewLineTrivia) continue;
    out.push({ start: scanner.getTokenStart(), end: scanner.getTokenEnd() });
  }
  return out;
}

const SNIPPETS = [
  'await ',
  'async ',
  '(',
  ')',
  '{',
  '}',
  '=>',
  ';',
  'export default ',
  "'use client';",
  'process.exit(1)',
  'new Pool()',
  '`${',
  '/*',
  '*/',
  '//',
  '<div>',
  '\u0000',
  '\uFEFF',
  '\r\n',
  'if (process.env.NEXT_RUNTIME === "nodejs") {',
  'let x = req.headers;',
  'setInterval(() => {}, 1)',
];

/** Terms of the generated flat shapes: identifiers, request reads, runtime guards (which the guards evaluate). */
const TERMS = ['a', 'req.query.k', "process.env.NEXT_RUNTIME === 'edge'", "typeof EdgeRuntime !== 'undefined'", '!ok', 'x?.y'];
const OPERATORS = [' && ', ' || ', ' + ', ' ?? ', ' , '];

/** A size for a generated shape: mostly small, sometimes as long as the inputs that once crashed or took minutes. */
function shapeSize(rand: () => number): number {
  const r = rand();
  return r < 0.5 ? 50 : r < 0.8 ? 500 : r < 0.95 ? 6000 : 20000;
}

/**
 * A generated shape appended to the text (docs/reliability.md, "Fuzzing keeps it so"): a long flat chain of one operator (as deep as it is long: the
 * recursions over it crashed the run), in a condition, an initializer or a handler; or a handler of many statements
 * after a response is sent (each statement once rescanned its earlier ones).
 */
export function generatedShape(rand: () => number): { text: string; mutation: string } {
  const n = shapeSize(rand);
  const kind = Math.floor(rand() * 4);
  if (kind === 3) {
    const body: string[] = [];
    for (let i = 0; i < n; i++) body.push(i % 7 === 0 ? `  fetch(u${i % 10});` : `  n += req.query.k${i % 10};`);
    return {
      text: `\nexport async function handlerShape(req, res) {\n  let n = 0;\n  res.json({});\n${body.join('\n')}\n}\n`,
      mutation: `handler of ${n} statements`,
    };
  }
  const op = OPERATORS[Math.floor(rand() * OPERATORS.length)];
  const terms: string[] = [];
  for (let i = 0; i < n; i++) terms.push(TERMS[Math.floor(rand() * TERMS.length)]);
  const chain = terms.join(op);
  const text =
    kind === 0
      ? `\nif (${chain}) { process.exit(1); }\n`
      : kind === 1
        ? `\nexport const flat = (req, ok, a, x) => ${chain};\n`
        : `\nlet last;\nexport async function chainShape(req, res) {\n  last = ${chain};\n  res.json({ last });\n}\n`;
  return { text, mutation: `chain of ${n} ${JSON.stringify(op.trim())} (${kind})` };
}

/** One mutation of `text`, chosen by `rand`; returns the mutated text and a label for reports. */
export function mutate(text: string, rand: () => number): { text: string; mutation: string } {
  const pick = Math.floor(rand() * 7);
  const toks = pick <= 1 ? tokens(text) : [];
  switch (pick) {
    case 0: {
      // delete a token
      if (!toks.length) return { text, mutation: 'none' };
      const t = toks[Math.floor(rand() * toks.length)];
      return { text: text.slice(0, t.start) + text.slice(t.end), mutation: `delete token at ${t.start}` };
    }
    case 1: {
      // duplicate a token
      if (!toks.length) return { text, mutation: 'none' };
      const t = toks[Math.floor(rand() * toks.length)];
      return { text: text.slice(0, t.end) + text.slice(t.start, t.end) + text.slice(t.end), mutation: `duplicate token at ${t.start}` };
    }
    case 2: {
      // truncate
      const at = Math.floor(rand() * (text.length + 1));
      return { text: text.slice(0, at), mutation: `truncate at ${at}` };
    }
    case 3: {
      // random bytes
      const at = Math.floor(rand() * (text.length + 1));
      let bytes = '';
      for (let i = 0, n = 1 + Math.floor(rand() * 8); i < n; i++) bytes += String.fromCharCode(Math.floor(rand() * 0x3000));
      return { text: text.slice(0, at) + bytes + text.slice(at), mutation: `random bytes at ${at}` };
    }
    case 4: {
      // insert a snippet
      const at = Math.floor(rand() * (text.length + 1));
      const s = SNIPPETS[Math.floor(rand() * SNIPPETS.length)];
      return { text: text.slice(0, at) + s + text.slice(at), mutation: `insert ${JSON.stringify(s)} at ${at}` };
    }
    case 5: {
      // deep nesting
      const depth = [50, 200, 800, 5000][Math.floor(rand() * 4)];
      const kind = Math.floor(rand() * 3);
      const nest =
        kind === 0 ? '('.repeat(depth) + '1' + ')'.repeat(depth) : kind === 1 ? '{'.repeat(depth) + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
      return { text: `${text}\nexport const deep = ${kind === 1 ? '() => ' : ''}${nest};\n`, mutation: `nest ${depth} (${kind})` };
    }
    default: {
      // swap two lines
      const lines = text.split('\n');
      const a = Math.floor(rand() * lines.length);
      const b = Math.floor(rand() * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return { text: lines.join('\n'), mutation: `swap lines ${a + 1} and ${b + 1}` };
    }
  }
}

export interface FuzzOptions {
  seed: number;
  count: number;
  /** Per-input time limit in ms. */
  slowMs: number;
  /**
   * The share of inputs that get a generated long chain or long handler appended (default 1/8). They cost a hundred
   * times an ordinary input, so long runs lower it to keep their input count (`npm run fuzz -- --shape-rate`).
   */
  shapeRate?: number;
  onProgress?: (done: number) => void;
}

/**
 * Whether CPython (when this machine has a python3) rejects a Python input that tree-sitter parsed without an
 * error: tree-sitter's grammar is more lenient than the language (the fuzz met \`f(x)await .g()\` parsed cleanly),
 * and a fix that only moves other lines can make its error recovery see the error. Such an input was never valid
 * Python, so the fix broke nothing. Asked only when a fixed Python text has an error, so it costs nothing otherwise.
 */
function rejectedByCPython(fileName: string, text: string): boolean {
  if (!fileName.endsWith('.py')) return false;
  const run = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: text, encoding: 'utf8' });
  return run.status === 1 && /SyntaxError/.test(run.stderr ?? '');
}

/** The most fixes whose result is parsed per input. */
const MAX_FIX_CHECKS = 24;

/** Up to MAX_FIX_CHECKS fixes: the first of each (rule, title), then others at random. */
function sampleFixes<T extends { finding: { ruleId: string }; fix: { title: string } }>(all: T[], rand: () => number): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  const rest: T[] = [];
  for (const x of all) {
    const key = `${x.finding.ruleId}\u0000${x.fix.title}`;
    if (!seen.has(key) && out.length < MAX_FIX_CHECKS) {
      seen.add(key);
      out.push(x);
    } else rest.push(x);
  }
  while (out.length < MAX_FIX_CHECKS && rest.length) out.push(rest.splice(Math.floor(rand() * rest.length), 1)[0]);
  return out;
}

/** Runs `count` mutated inputs through the engine and its fixes (a sample of them on large inputs); returns failures (never throws). */
export function fuzz(seeds: Seed[], options: FuzzOptions): { inputs: number; fixesChecked: number; failures: FuzzFailure[]; maxMs: number } {
  const rand = prng(options.seed);
  const failures: FuzzFailure[] = [];
  let fixesChecked = 0;
  let maxMs = 0;
  const services = new Map<Seed, LintService>();
  for (let i = 0; i < options.count; i++) {
    const seed = seeds[Math.floor(rand() * seeds.length)];
    let service = services.get(seed);
    if (!service) {
      const host = new MemoryHost({ [seed.path]: seed.text });
      for (const [rel, content] of Object.entries(seed.files)) host.write(`/project/${rel}`, content);
      service = new LintService(host, { workspaceRoot: '/project', rules: RULES, overrides: seed.platform ? { platform: seed.platform as 'vercel' } : {} });
      services.set(seed, service);
    }
    // Mutations compound sometimes, so inputs drift further from valid code. One input in eight instead gets a
    // generated shape appended (`mutate` itself stays as other suites use it: their checkers recurse).
    let text: string;
    let mutation: string;
    if (rand() < (options.shapeRate ?? 0.125)) {
      const shape = generatedShape(rand);
      text = seed.text + shape.text;
      mutation = shape.mutation;
    } else {
      ({ text, mutation } = mutate(seed.text, rand));
    }
    if (rand() < 0.3) {
      const second = mutate(text, rand);
      text = second.text;
      mutation += `, then ${second.mutation}`;
    }
    const fail = (kind: FuzzFailure['kind'], detail: string) =>
      failures.push({
        seed: options.seed,
        path: seed.path,
        files: seed.files,
        platform: seed.platform,
        index: i,
        source: seed.name,
        mutation,
        kind,
        detail,
        input: text,
      });
    const start = performance.now();
    try {
      const result = service.lint(seed.path, text);
      const ms = performance.now() - start;
      maxMs = Math.max(maxMs, ms);
      if (ms > options.slowMs) fail('slow', `${ms.toFixed(0)} ms`);
      for (const f of result.failures) fail('rule-failure', `${f.ruleId}: ${f.stack ?? f.error}`);
      const parsedCleanly = syntaxErrorCount(seed.path, text) === 0;
      if (parsedCleanly) {
        // Each fix is checked by parsing the whole fixed text, so a generated 20,000-statement handler with
        // thousands of findings once cost thousands of parses of a large file (87 inputs/s over the whole run).
        // A sample of MAX_FIX_CHECKS per input, one of each rule's fixes first, keeps every kind of fix checked.
        const all = result.findings.flatMap((finding) => (finding.fixes ?? []).map((fix) => ({ finding, fix })));
        const sample = all.length <= MAX_FIX_CHECKS ? all : sampleFixes(all, rand);
        for (const { finding, fix } of sample) {
          fixesChecked++;
          const after = applyEdits(
            text,
            fix.edits.filter((e) => !e.fileName || e.fileName === seed.path),
          );
          if (syntaxErrorCount(seed.path, after) > 0 && !rejectedByCPython(seed.path, text)) fail('fix-breaks-syntax', `${finding.ruleId}: "${fix.title}"`);
        }
      }
      service.forget(seed.path);
    } catch (e) {
      fail('exception', (e as Error).stack ?? String(e));
    }
    options.onProgress?.(i + 1);
  }
  return { inputs: options.count, fixesChecked, failures, maxMs };
}
