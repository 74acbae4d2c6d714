// Every handler a language-server feature registers on the connection or the document manager goes through a guard
// (lsp/guard.ts), read from the sources' syntax trees: features register themselves in many files, and one unguarded
// handler would let a bad message or a bug end the server instead of one answer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

const SERVER = join(__dirname, '../server/src');
/** guard.ts is the guard itself: its document-sync wrapper guards each notification before the manager sees it. */
const FILES = [
  'server.ts',
  ...readdirSync(join(SERVER, 'lsp'))
    .filter((f) => f.endsWith('.ts') && f !== 'guard.ts')
    .map((f) => `lsp/${f}`),
];
/** What handlers are registered on: the connection (and its workspace and diagnostics parts) and the open documents. */
const RECEIVER = /(?:^|\.)(?:connection(?:\.workspace|\.languages\.diagnostics)?|documents)$/;
const GUARDS = new Set(['guardRequest', 'guardNotification']);

interface Registration {
  file: string;
  line: number;
  call: string;
  guarded: boolean;
}

function registrations(file: string): Registration[] {
  const text = readFileSync(join(SERVER, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Registration[] = [];
  // An explicit stack, as everywhere in the house: no recursion over a tree.
  const stack: ts.Node[] = [sf];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { name, expression: receiver } = node.expression;
      if (/^on(?:[A-Z]\w*)?$/.test(name.text) && RECEIVER.test(receiver.getText(sf))) {
        const handler = node.arguments[node.arguments.length - 1];
        const guarded = !!handler && ts.isCallExpression(handler) && ts.isIdentifier(handler.expression) && GUARDS.has(handler.expression.text);
        const refused = name.text === 'onRequest' && node.arguments[0]?.getText(sf) === 'REFUSED_REQUEST';
        // The gate's refused requests are answered with the error they carry: that handler only throws it.
        if (!refused) found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, call: node.expression.getText(sf), guarded });
      }
    }
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return found;
}

test('every handler the language server registers is guarded', () => {
  const all = FILES.flatMap(registrations);
  assert.deepEqual(
    all.filter((r) => !r.guarded).map((r) => `${r.file}:${r.line} ${r.call}`),
    [],
  );
  // The scan sees the server's features (a rename of the receivers would otherwise make this test pass on nothing).
  const calls = new Set(all.map((r) => r.call.slice(r.call.lastIndexOf('.') + 1)));
  for (const expected of [
    'onInitialize',
    'onInitialized',
    'onHover',
    'onCodeAction',
    'onExecuteCommand',
    'on',
    'onDidOpen',
    'onDidChangeContent',
    'onDidClose',
    'onRequest',
  ]) {
    assert.ok(calls.has(expected), `no guarded ${expected} registration was found`);
  }
});
