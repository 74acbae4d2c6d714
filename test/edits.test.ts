// The fix-building helpers of server/src/analysis/edits.ts that move code between indentation levels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { dedentedText, indentOf } from '../server/src/analysis/edits';
import { parseSource } from '../server/src/analysis/engine';

/** The initializer of the first `const` declared inside the file's first function, and that statement's indent. */
function firstLocal(text: string): { sf: ts.SourceFile; init: ts.Expression; indent: string } {
  const sf = parseSource('a.ts', text) as ts.SourceFile;
  const fn = sf.statements.find(ts.isFunctionDeclaration)!;
  const st = fn.body!.statements.find(ts.isVariableStatement)!;
  return { sf, init: st.declarationList.declarations[0].initializer!, indent: indentOf(sf, st) };
}

test('dedentedText takes the statement indentation off the continuation lines', () => {
  const { sf, init, indent } = firstLocal(
    'function f() {\n    const pool = new Pool({\n      max: 5,\n      log: (m) => {\n        console.log(m);\n      },\n    });\n}\n',
  );
  assert.equal(indent, '    ');
  assert.equal(dedentedText(sf, init, indent), 'new Pool({\n  max: 5,\n  log: (m) => {\n    console.log(m);\n  },\n})');
});

test('dedentedText leaves the text as it is when a string or template spans lines', () => {
  const text = 'function f() {\n  const pool = new Pool({\n    query: `\n    select 1\n    `,\n  });\n}\n';
  const { sf, init, indent } = firstLocal(text);
  assert.equal(dedentedText(sf, init, indent), init.getText(sf));
  const one = firstLocal('function f() {\n  const pool = new Pool({ max: 5 });\n}\n');
  assert.equal(dedentedText(one.sf, one.init, one.indent), 'new Pool({ max: 5 })');
});
