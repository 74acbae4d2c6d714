
import * as fs from 'node:fs';
import { batchService, lintPartition } from '../server/src/cli/partition';
import { parseTree } from '../server/src/analysis/tree';
import { scriptKindOf } from '../server/src/analysis/engine';
const [, , list, roundsArg, ws] = process.argv;
const files = fs.readFileSync(list, 'utf8').trim().split('\n');
const out: number[] = [];
for (let r = 0; r < Number(roundsArg ?? 5); r++) {
  const service = (batchService as any)({}, [ws]);
  const t = performance.now();
  const res = (lintPartition as any)(service, files, { keepLines: false, named: [], workspace: [ws] });
  out.push(performance.now() - t);
  if (r === 0) console.error('findings', res.reports.reduce((s: number, x: any) => s + x.findings.length, 0));
}
console.log(out.map((x) => x.toFixed(0)).join(' '));
const texts = files.map((f) => [f, fs.readFileSync(f, 'utf8')] as const);
const po: number[] = [];
for (let r = 0; r < 4; r++) { const t = performance.now(); for (const [f, x] of texts) (parseTree as any)(f, x, (scriptKindOf as any)(f)); po.push(performance.now() - t); }
console.log('parse', po.map((x) => x.toFixed(0)).join(' '));
