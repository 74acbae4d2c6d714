// Per-file cost: one large handler file analyzed with every rule (LintService.lint, the path the editor takes on
// each change: module-graph summary, context, one walk with all rules) against TypeScript's createSourceFile
// alone. Runs in its own process, bundled by bench/run.ts the way the product is; warm-up first, then the median
// of several timed runs of each, interleaved so that both see the same machine noise. The figure is the mean: garbage
// collection lands on whichever call fills the young generation, so a median would keep the runs it spared and
// favour the call that allocates more; a mean of many runs charges each call for its share.
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

const [root, ...files] = process.argv.slice(2);
const out: Array<{ file: string; lines: number; runs: number; parseMs: number; lintMs: number; engineMs: number; findings: number }> = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const service = new LintService(new NodeHost(), { rules: RULES, workspaceRoot: root });
  const parse: number[] = [];
  const lint: number[] = [];
  const engine: number[] = [];
  let findings = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // A different trailing comment each run defeats the content cache, as a keystroke does.
    const edited = `${text}\n// run ${i}\n`;
    let t = performance.now();
    ts.createSourceFile(file, edited, ts.ScriptTarget.Latest, true, scriptKindOf(file));
    const p = performance.now() - t;
    t = performance.now();
    const result = service.lint(file, edited);
    const l = performance.now() - t;
    // The engine alone (no graph, no cache key): what the rules and the walk cost without the service around them.
    t = performance.now();
    analyzeFile({ fileName: file, text: edited, project: service.projects.infoFor(dirname(file)), settings: service.settingsFor(file), rules: RULES, workspaceRoot: root });
    const e = performance.now() - t;
    findings = result.findings.length;
    if (i >= WARMUP) {
      parse.push(p);
      lint.push(l);
      engine.push(e);
    }
  }
  out.push({ file, lines: text.split('\n').length, runs: RUNS, parseMs: mean(parse), lintMs: mean(lint), engineMs: mean(engine), findings });
}
process.stdout.write(JSON.stringify(out) + '\n');
