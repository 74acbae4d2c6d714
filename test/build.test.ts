// The build's rewrite of our `typescript` import (scripts/esbuild-typescript.mjs): enum members become the numbers of
// the TypeScript the bundle carries, and nothing else in the text changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
// @ts-expect-error: a build script in plain JavaScript, without declarations
import { inlineEnumMembers } from '../scripts/esbuild-typescript.mjs';

const inline = inlineEnumMembers as (text: string, real: typeof ts) => string;

test('inlineEnumMembers replaces the numeric members of TypeScript enums with their values', () => {
  const text = [
    'if (node.kind === ts.SyntaxKind.Identifier) return;',
    'const flags = ts.NodeFlags.Let | ts.NodeFlags.Const;',
    'case ts.SyntaxKind.FirstAssignment:',
    'const opts = { jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo };',
  ].join('\n');
  assert.equal(
    inline(text, ts),
    [
      `if (node.kind === (${ts.SyntaxKind.Identifier})) return;`,
      `const flags = (${ts.NodeFlags.Let}) | (${ts.NodeFlags.Const});`,
      `case (${ts.SyntaxKind.EqualsToken}):`,
      `const opts = { jsDocParsingMode: (${ts.JSDocParsingMode.ParseForTypeInfo}) };`,
    ].join('\n'),
  );
});

test('inlineEnumMembers leaves what is not a numeric enum member as it is', () => {
  const text = [
    'ts.SyntaxKind[node.kind]',
    'ts.SyntaxKind.NoSuchKind',
    'ts.Debug.assert(x)',
    'ts.sys.newLine',
    'ts.isIdentifier(node)',
    'myts.SyntaxKind.Identifier',
  ].join('\n');
  const out = inline(text, ts);
  assert.equal(out.split('\n').slice(0, 5).join('\n'), text.split('\n').slice(0, 5).join('\n'));
  assert.equal(out.split('\n')[5], 'myts.SyntaxKind.Identifier');
});
