// The file's own scopes answer "is this name a module-level declaration?" without a lookup when the module's table
// does not hold it (server/src/analysis/scopes.ts, `notAtModuleScope`). Held against the TypeScript checker on every
// fixture module: a name that answer rules out never resolves to a declaration at module scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { isAtModuleScope } from '../server/src/analysis/facts';
import { indexTree } from '../server/src/analysis/tree';
import { RULES } from '../server/src/rules';

const ROOTS = [join(__dirname, 'fixtures'), join(__dirname, '..', 'test-workspace')];
const SOURCE = /\.[cm]?[jt]sx?$/;

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

test('a name ruled out of the module scope never resolves to a module-level declaration (checker, every fixture)', () => {
  let files = 0;
  let ruledOut = 0;
  for (const root of ROOTS) {
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      const path = `/w/${file.slice(root.length + 1).replace(/\\/g, '/')}`;
      const service = new LintService(new MemoryHost({ [path]: text }), { workspaceRoot: '/w', rules: RULES });
      const got = service.factsOf(path, text);
      if (!got) continue;
      const { facts, sourceFile } = got;
      files++;
      const { nodes } = indexTree(sourceFile);
      for (const node of nodes) {
        if (!ts.isIdentifier(node) || !facts.scopes.notAtModuleScope(node)) continue;
        ruledOut++;
        const decl = facts.checker.getSymbolAtLocation(node)?.declarations?.[0];
        assert.ok(!decl || !isAtModuleScope(decl), `${path}: \`${node.text}\` at ${node.getStart(sourceFile)} is declared at module scope`);
      }
    }
  }
  assert.ok(files > 300, `${files} fixture modules`);
  assert.ok(ruledOut > 1000, `${ruledOut} names ruled out`);
});

test('the own name of a module-level function expression, and CommonJS `exports`, are never ruled out', () => {
  const cases: Array<[string, string, string]> = [
    ['/w/a.ts', 'export const f = function g() { return g(); };\n', 'g'],
    ['/w/b.ts', 'export const C = class K { make() { return new K(); } };\n', 'K'],
    ['/w/c.js', 'exports.handler = async () => 1;\nmodule.exports.x = exports.handler;\n', 'exports'],
  ];
  for (const [path, text, name] of cases) {
    const service = new LintService(new MemoryHost({ [path]: text }), { workspaceRoot: '/w', rules: RULES });
    const { facts, sourceFile } = service.factsOf(path, text)!;
    const uses = indexTree(sourceFile).nodes.filter((n): n is ts.Identifier => ts.isIdentifier(n) && n.text === name);
    assert.ok(uses.length > 1, path);
    for (const id of uses) assert.equal(facts.scopes.notAtModuleScope(id), false, `${path}: ${name}`);
  }
});
