// The parse floor: what any AST-based linter must at least do for a set of files, in one process: read each
// file, build its TypeScript AST (with parent pointers, as the engine does) and visit every node once.
// Usage: node floor.mjs <file-list>   (one absolute path per line). Prints {"files":n,"nodes":n} on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');
const files = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);

function scriptKindOf(name) {
  if (/\.tsx$/.test(name)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(name)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(name)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

let nodes = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  // The same iterative walk as the engine's: an explicit stack, children pushed in reverse.
  const stack = [sf];
  const children = [];
  const push = (c) => {
    children.push(c);
  };
  while (stack.length) {
    const node = stack.pop();
    nodes++;
    children.length = 0;
    ts.forEachChild(node, push);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
process.stdout.write(JSON.stringify({ files: files.length, nodes }) + '\n');
