// Per-file cost: one large handler file analyzed with every rule (LintService.lint from a full parse: module-graph
// summary, context, one walk with all rules) against TypeScript's createSourceFile alone; beside it the editor's
// path on a keystroke (the same, reparsed incrementally from the previous text's tree). Runs in its own process, bundled by bench/run.ts the way the product is; warm-up first, then the median
// of several timed runs of each, interleaved so that both see the same machine noise. Each timed call starts from an
// empty young generation (a minor collection before it; the worker runs with --expose-gc): otherwise a scavenge of
// the previous call's garbage lands on whichever call happens to fill the young generation, and with every run
// allocating the same amount it lands on the same call run after run (the 1,008-line ratio read anywhere from 1.0×
// to 1.9× between identical runs). A call that allocates more than the young generation still pays its own
// scavenges. The figure is the mean of the runs.
// Usage: node <bundled per-file.cjs> <workspace-root> <file>…
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';
import { LintService } from '../../server/src/analysis/service';
import { analyzeFile, scriptKindOf } from '../../server/src/analysis/engine';
import { NodeHost } from '../../server/src/host/node-host';
import { dirname } from '../../server/src/analysis/host';
import { RULES } from '../../server/src/rules';

const WARMUP = 20;
const RUNS = 60;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (!gc) throw new Error('run the per-file worker with --expose-gc');
const minorGc = () => gc({ type: 'minor' });

const [root, ...files] = process.argv.slice(2);
const out: Array<{ file: string; lines: number; runs: number; parseMs: number; lintMs: number; engineMs: number; editorMs: number; findings: number }> = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  // The editor's path: the same service kept across runs, so each text is reparsed from the previous tree.
  const editorService = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const parse: number[] = [];
  const lint: number[] = [];
  const engine: number[] = [];
  const editor: number[] = [];
  let findings = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // A different trailing comment each run defeats the content cache, as a keystroke does.
    const edited = `${text}\n// run ${i}\n`;
    minorGc();
    let t = performance.now();
    ts.createSourceFile(file, edited, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    const p = performance.now() - t;
    // A full analysis: `forget` drops the previous tree, so the text is parsed from scratch like the parse above.
    service.forget(file);
    minorGc();
    t = performance.now();
    const result = service.lint(file, edited);
    const l = performance.now() - t;
    minorGc();
    t = performance.now();
    editorService.lint(file, edited);
    const ed = performance.now() - t;
    // The engine alone (no graph, no cache key): what the rules and the walk cost without the service around them.
    minorGc();
    t = performance.now();
    analyzeFile({
      fileName: file,
      text: edited,
      project: service.projects.infoFor(dirname(file)),
      settings: service.settingsFor(file),
      rules: RULES,
      workspaceRoot: root,
    });
    const e = performance.now() - t;
    findings = result.findings.length;
    if (i >= WARMUP) {
      parse.push(p);
      lint.push(l);
      engine.push(e);
      editor.push(ed);
    }
  }
  out.push({
    file,
    lines: text.split('\n').length,
    runs: RUNS,
    parseMs: mean(parse),
    lintMs: mean(lint),
    engineMs: mean(engine),
    editorMs: mean(editor),
    findings,
  });
}
process.stdout.write(JSON.stringify(out) + '\n');
