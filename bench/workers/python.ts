// The Python section's in-process measures (run under tsx by bench/run.ts): a generated FastAPI file's bare
// tree-sitter parse against LintService.lint with every rule, and the editor's keystroke path (an editor service
// reparsing incrementally) on the same file. Prints one JSON object.
import { readFileSync } from 'node:fs';
import { MemoryHost } from '../../server/src/analysis/host';
import { LintService } from '../../server/src/analysis/service';
import { RULES } from '../../server/src/rules';
import { ensurePythonParser, parsePython } from '../../server/src/python/parser';

const [file] = process.argv.slice(2);
const RUNS = 30;
const TYPED = '    audit_log.append(user_id)\n';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

void ensurePythonParser().then((ok) => {
  if (!ok) throw new Error('the Python parser did not load');
  const text = readFileSync(file, 'utf8');
  const path = '/bench/api/index.py';
  // Warm both paths first (JIT, the wasm instance's first parse).
  for (let i = 0; i < 5; i++) {
    const t = parsePython(text);
    if (!('error' in t)) t.delete();
  }
  const parse: number[] = [];
  const lint: number[] = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    const variant = `${text}# run ${i}\n`;
    let t0 = performance.now();
    const tree = parsePython(variant);
    parse.push(performance.now() - t0);
    if (!('error' in tree)) tree.delete();
    // A batch service per run, as the CLI lints a file: nothing cached.
    const service = new LintService(new MemoryHost({ '/bench/vercel.json': '{}' }), { workspaceRoot: '/bench', rules: RULES, textsFromHost: true });
    t0 = performance.now();
    findings = service.lint(path, variant).findings.length;
    lint.push(performance.now() - t0);
  }
  // The keystroke path: one editor service, a line typed character by character into a handler, then removed.
  const editor = new LintService(new MemoryHost({ '/bench/vercel.json': '{}' }), { workspaceRoot: '/bench', rules: RULES });
  const anchor = text.indexOf('\n', text.indexOf('def ')) + 1;
  editor.lint(path, text);
  const edits: number[] = [];
  for (let n = 0; n < 400; n++) {
    const i = n % (TYPED.length + 1);
    const current = i < TYPED.length ? text.slice(0, anchor) + TYPED.slice(0, i + 1) + text.slice(anchor) : text;
    const t0 = performance.now();
    editor.lint(path, current);
    edits.push(performance.now() - t0);
  }
  const sorted = [...edits].sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({
      lines: text.split('\n').length,
      runs: RUNS,
      findings,
      parseMs: median(parse),
      lintMs: median(lint),
      editP50: sorted[Math.floor(sorted.length * 0.5)],
      editP95: sorted[Math.floor(sorted.length * 0.95)],
    }),
  );
});
