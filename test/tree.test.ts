// The flat tree index (server/src/analysis/tree.ts): the pre-order array every pass loops over, the lookup of a
// node's position in it, and the common prefix/suffix that drives incremental reparses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as ts from 'typescript';
import {
  commonPrefix,
  commonSuffix,
  indexOfNode,
  indexTree,
  parseTree,
  shiftLineStarts,
  SKIP,
  someInSubtree,
  STOP,
  walkSubtree,
} from '../server/src/analysis/tree';
import { parseSource, reparseSource } from '../server/src/analysis/engine';
import { loadSeeds, mutate, prng } from '../scripts/fuzz-lib';

/** Every node of the index found at its own position, and a node of another tree not found. */
function assertLookups(sf: ts.SourceFile, label: string): void {
  const index = indexTree(sf);
  // The order the lookup's binary search relies on (it falls back to a scan where it does not hold).
  for (let i = 1; i < index.nodes.length; i++)
    assert.ok(index.nodes[i].pos >= index.nodes[i - 1].pos, `${label}: ${ts.SyntaxKind[index.kinds[i]]} at ${i} starts before the node listed before it`);
  for (let i = 0; i < index.nodes.length; i++) assert.equal(indexOfNode(index, index.nodes[i]), i, `${label}: node ${i} (${ts.SyntaxKind[index.kinds[i]]})`);
  const other = ts.createSourceFile('other.ts', sf.text, ts.ScriptTarget.Latest, false);
  assert.equal(indexOfNode(index, other.statements[0] ?? other), -1, label);
}

/**
 * The index against a walk of its own (recursive, `forEachChild` order): the same nodes in the same order, their
 * kinds, positions and subtree ends, and every node's parent pointer set to the node the walk reached it from.
 */
function assertIndexIsTheTree(sf: ts.SourceFile, label: string): void {
  const index = indexTree(sf);
  const order: ts.Node[] = [];
  const ends: number[] = [];
  const visit = (node: ts.Node, parent: ts.Node | undefined) => {
    if (parent) assert.equal(node.parent, parent, `${label}: parent of ${ts.SyntaxKind[node.kind]} at ${order.length}`);
    const at = order.push(node) - 1;
    ends.push(0);
    ts.forEachChild(node, (c) => visit(c, node));
    ends[at] = order.length;
  };
  visit(sf, undefined);
  assert.equal(index.nodes.length, order.length, `${label}: node count`);
  for (let i = 0; i < order.length; i++) {
    const where = `${label}: node ${i} (${ts.SyntaxKind[order[i].kind]})`;
    assert.equal(index.nodes[i], order[i], where);
    assert.equal(index.kinds[i], order[i].kind, where);
    assert.equal(index.pos[i], order[i].pos, where);
    assert.equal(index.end[i], ends[i], where);
  }
}

/**
 * Runs `check` on the tree of every seed file `pick` chooses and on `steps` random incremental reparses of it (seeds
 * that nest deeper than the parser's stack are left out: parseSource reports that instead of a tree).
 */
function forSeedsAndReparses(
  pick: (seed: { text: string }, i: number) => boolean,
  steps: number,
  seed: number,
  check: (sf: ts.SourceFile, label: string) => void,
): { seeds: number; edits: number } {
  const rand = prng(seed);
  let seeds = 0;
  let edits = 0;
  for (const s of loadSeeds(join(__dirname, '..')).filter(pick)) {
    let sf = parseSource(s.path, s.text);
    if ('error' in sf) continue;
    check(sf, s.name);
    for (let step = 0; step < steps; step++) {
      const next = reparseSource(sf, mutate(sf.text, rand).text);
      if ('error' in next) break;
      sf = next;
      check(sf, `${s.name}, edit ${step}`);
      edits++;
    }
    seeds++;
  }
  return { seeds, edits };
}

test('the index of an incremental reparse, which copies what the parser kept, is the index of the new tree', () => {
  const { seeds: checked, edits } = forSeedsAndReparses((s, i) => i % 3 === 0 && s.text.length < 200_000, 4, 91, assertIndexIsTheTree);
  // Typing into a function one character at a time, as the editor does, and taking it out again.
  const body = 'export async function POST(req: Request) {\n  const items = await req.json();\n  return Response.json(items);\n}\n';
  let sf = parseSource('route.ts', body.repeat(40)) as ts.SourceFile;
  const typed = "  await fetch(URL, { method: 'POST', body: JSON.stringify({ a: `x${1}` }) });\n";
  const at = sf.text.indexOf('\n', sf.text.indexOf('const items', 2000)) + 1;
  for (let i = 0; i <= typed.length; i++) {
    const text = i < typed.length ? sf.text.slice(0, at + i) + typed[i] + sf.text.slice(at + i) : sf.text.slice(0, at) + sf.text.slice(at + typed.length);
    sf = reparseSource(sf, text) as ts.SourceFile;
    assertIndexIsTheTree(sf, `typing, step ${i}`);
  }
  assert.ok(checked > 20 && edits > 60, `checked ${checked} seeds, ${edits} edits`);
});

test('indexOfNode finds every node of real files, and of their incremental reparses, at its index', () => {
  const { seeds: checked } = forSeedsAndReparses((_, i) => i % 4 === 0, 3, 77, assertLookups);
  assert.ok(checked > 20, `checked ${checked} seeds`);
});

test('indexOfNode: JSX, decorators, templates and parse errors', () => {
  const text = [
    '@Injectable() export class A { @Get("/x") async get(@Param() id: string) { return <div a={`t${id}`}>{id}</div>; } }',
    'const f = async () => { await fetch(`${a}/b`, { method: "POST" }) ; if (',
    '/** @type {import("x").Y} */ let y = tag`a${b}c`;',
  ].join('\n');
  assertLookups(ts.createSourceFile('a.tsx', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX), 'mixed');
  assertLookups(parseTree('a.tsx', text, ts.ScriptKind.TSX), 'mixed, indexed');
});

test('commonPrefix and commonSuffix agree with a character-by-character comparison', () => {
  const rand = prng(5);
  const naive = (a: string, b: string) => {
    const max = Math.min(a.length, b.length);
    let p = 0;
    while (p < max && a[p] === b[p]) p++;
    let s = 0;
    while (s < max - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    return [p, s];
  };
  const base = 'export async function GET(request: Request) {\n  return Response.json({ ok: true });\n}\n'.repeat(300);
  const cases: Array<[string, string]> = [
    ['', ''],
    ['a', ''],
    ['abc', 'abc'],
    ['abc', 'abd'],
    ['xbc', 'abc'],
    [base, base],
    [base, `${base}x`],
    [`x${base}`, base],
  ];
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(rand() * base.length);
    const cut = Math.floor(rand() * 20);
    const insert = 'abc\n'.slice(0, Math.floor(rand() * 4));
    cases.push([base, base.slice(0, at) + insert + base.slice(at + cut)]);
  }
  for (const [a, b] of cases) {
    const p = commonPrefix(a, b);
    const s = commonSuffix(a, b, Math.min(a.length, b.length) - p);
    assert.deepEqual([p, s], naive(a, b), `${a.length}/${b.length}`);
  }
});

/** TypeScript's own line starts of a text: those of a fresh tree, which it computes with a scan of the text. */
const lineStartsOf = (text: string) => ts.createSourceFile('lines.ts', text, ts.ScriptTarget.Latest).getLineStarts();

test('shiftLineStarts: the line starts of an edited text, as TypeScript computes them from scratch', () => {
  const rand = prng(13);
  // Every kind of line break TypeScript knows, and edits that split or join a `\r\n`.
  const pieces = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\u2028', '\u2029', 'x\r', '\ny', '// c\r\n', '\u00e9'];
  const pick = () => pieces[Math.floor(rand() * pieces.length)];
  const textOf = (n: number) => Array.from({ length: n }, pick).join('');
  for (let i = 0; i < 3000; i++) {
    const old = textOf(1 + Math.floor(rand() * 60));
    const start = Math.floor(rand() * (old.length + 1));
    const oldEnd = start + Math.floor(rand() * (old.length - start + 1));
    const text = old.slice(0, start) + textOf(Math.floor(rand() * 4)) + old.slice(oldEnd);
    const got = shiftLineStarts(lineStartsOf(old), text, start, oldEnd, text.length - old.length);
    assert.deepEqual(got, lineStartsOf(text), JSON.stringify({ old, start, oldEnd, text }));
  }
});

test('a reparsed tree answers positions from line starts derived from the previous tree', () => {
  const base = 'export async function GET(request: Request) {\r\n  return Response.json({ ok: true });\r\n}\n'.repeat(50);
  let sf = parseSource('route.ts', base) as ts.SourceFile;
  sf.getLineAndCharacterOfPosition(0);
  const rand = prng(3);
  for (let i = 0; i < 40; i++) {
    const at = Math.floor(rand() * sf.text.length);
    const text = sf.text.slice(0, at) + ['\n', '\r', 'x', '\r\n  y', ''][i % 5] + sf.text.slice(at + (i % 3));
    sf = reparseSource(sf, text) as ts.SourceFile;
    assert.deepEqual(sf.getLineStarts(), lineStartsOf(text), `edit ${i}`);
    const probe = Math.floor(rand() * text.length);
    const { line, character } = sf.getLineAndCharacterOfPosition(probe);
    assert.equal(ts.getPositionOfLineAndCharacter(sf, line, character), probe);
  }
});

test('walkSubtree visits a subtree in the order of a forEachChild recursion, skips and stops on request', () => {
  const text = [
    '/** @param {string} a */',
    'export async function handler(a, b) {',
    '  while (a) { const f = () => { await1(b); }; await sleep(b); }',
    '  return (function inner() { return this; })();',
    '}',
  ].join('\n');
  const sf = parseTree('h.js', text, ts.ScriptKind.JS);
  const fn = sf.statements[0] as ts.FunctionDeclaration;
  const recursive = (root: ts.Node, skip: (n: ts.Node) => boolean) => {
    const out: ts.Node[] = [];
    const visit = (n: ts.Node) => {
      out.push(n);
      if (!skip(n)) ts.forEachChild(n, visit);
    };
    visit(root);
    return out;
  };
  const walked = (root: ts.Node, skip: (n: ts.Node) => boolean) => {
    const out: ts.Node[] = [];
    walkSubtree(
      root,
      (n) => {
        out.push(n);
        return skip(n) ? SKIP : undefined;
      },
      sf,
    );
    return out;
  };
  const none = () => false;
  const fns = (n: ts.Node) => ts.isArrowFunction(n) || ts.isFunctionExpression(n);
  for (const root of [sf, fn, fn.body!, fn.body!.statements[0]]) {
    assert.deepEqual(walked(root, none), recursive(root, none));
    assert.deepEqual(walked(root, fns), recursive(root, fns));
  }
  assert.ok(walked(fn, fns).length < walked(fn, none).length, 'SKIP leaves out the nested functions');
  // STOP ends the walk at the first identifier `sleep`.
  const seen: string[] = [];
  walkSubtree(
    fn,
    (n) => {
      if (ts.isIdentifier(n)) seen.push(n.text);
      if (ts.isIdentifier(n) && n.text === 'sleep') return STOP;
    },
    sf,
  );
  assert.deepEqual(seen, ['handler', 'a', 'b', 'a', 'f', 'await1', 'b', 'sleep']);
  // someInSubtree: a yes anywhere, unless it is inside a node `skip` accepts.
  const isThis = (n: ts.Node) => n.kind === ts.SyntaxKind.ThisKeyword;
  assert.equal(someInSubtree(fn, isThis), true);
  assert.equal(someInSubtree(fn, isThis, fns), false);
  const callsAwait1 = (n: ts.Node) => ts.isIdentifier(n) && n.text === 'await1';
  assert.equal(someInSubtree(fn.body!.statements[0], callsAwait1, undefined, sf), true);
  assert.equal(someInSubtree(fn.body!.statements[0], callsAwait1, fns, sf), false);
  // A JSDoc node is not in the index: walked by the explicit stack, in the same order.
  const doc = (fn as unknown as { jsDoc: ts.JSDoc[] }).jsDoc[0];
  assert.deepEqual(walked(doc, none), recursive(doc, none));
  assert.ok(walked(doc, none).length > 2);
});

test('JSDoc is parsed in JavaScript files only, and a reparse keeps the mode', () => {
  const text = '/** @type {number} */\nlet count = 0;\n/** Sends the mail. */\nexport async function send() {}\n';
  const docs = (sf: ts.SourceFile) => sf.statements.map((s) => ((s as { jsDoc?: ts.Node[] }).jsDoc ?? []).length);
  for (const [name, expected] of [
    ['a.js', [1, 1]],
    ['a.jsx', [1, 1]],
    ['a.mjs', [1, 1]],
    ['a.ts', [0, 0]],
    ['a.tsx', [0, 0]],
  ] as const) {
    const sf = parseSource(name, text) as ts.SourceFile;
    assert.deepEqual(docs(sf), expected, name);
    const edited = reparseSource(sf, text.replace('let count = 0', 'let count = 10')) as ts.SourceFile;
    assert.deepEqual(docs(edited), expected, `${name}, reparsed`);
  }
});
