// The memory rules of docs/memory.md that can be read off the source: they held because people were careful, and
// one slip cost a quarter of a CLI run in garbage collection. The source is read with the TypeScript parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');
/** The code that runs once per analysed file (the analysis core and the front ends' per-file paths). */
const PER_FILE = [
  'server/src/analysis',
  'server/src/rules',
  'server/src/conventions',
  'server/src/graph',
  'server/src/python',
  'server/src/cli',
  'server/src/lsp',
];

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files(full, out);
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(full);
  }
  return out;
}

/** Whether `node` sits inside a function body (so it runs per call, not once at module load). */
function insideFunction(node: ts.Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

test('no object literal built inside a function has a getter or setter (docs/memory.md: it kept parse trees through scavenges)', () => {
  const bad: string[] = [];
  for (const file of PER_FILE.flatMap((d) => files(join(ROOT, d)))) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const stack: ts.Node[] = [sf];
    while (stack.length) {
      const node = stack.pop()!;
      if (ts.isObjectLiteralExpression(node) && insideFunction(node)) {
        for (const p of node.properties) {
          if (ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
            const { line } = sf.getLineAndCharacterOfPosition(p.getStart(sf));
            bad.push(`${relative(ROOT, file).split(sep).join('/')}:${line + 1} ${p.name.getText(sf)}`);
          }
        }
      }
      ts.forEachChild(node, (c) => {
        stack.push(c);
      });
    }
  }
  assert.deepEqual(bad, []);
});
