// One walk per parse. TypeScript's parser, asked for parent pointers, makes a whole-tree pass of its own to set
// them (a third of the parse); here the parse runs without that pass and one iterative walk sets the parents and
// records the tree as a flat pre-order array with subtree bounds. Every later pass over the file (scopes, the
// import summary, the handler scan, the rules' dispatch) is then a loop over arrays instead of another walk.
import * as ts from 'typescript';

/**
 * The nodes `ts.forEachChild` reaches from the source file, in pre-order (source order), JSDoc excluded.
 * The subtree of `nodes[i]` is `nodes[i .. end[i])`; `kinds[i]` is `nodes[i].kind`, dense for cheap filters.
 */
export interface NodeIndex {
  readonly nodes: readonly ts.Node[];
  readonly kinds: Uint16Array;
  readonly end: Int32Array;
  /**
   * `nodes[i].pos` when the index was built. TypeScript's incremental parser moves the nodes it keeps, so after a
   * reparse this is where the previous tree's nodes were, which is how the new index finds them (`buildIndex`).
   */
  readonly pos: Int32Array;
}

/**
 * The index lives on the tree it describes, not in a `WeakMap` keyed by the tree. V8's scavenger treats a weak
 * map's values as strong roots (only a full collection applies ephemeron semantics), and an index holds every node
 * of its tree: each tree kept in such a map survived the young-generation collections and was promoted, then freed
 * by the next full collection. On the 5,000-file bench corpus that promoted 600 MB of parse trees and made each
 * scavenge 12× slower than the parse floor's (6 ms against 0.5 ms).
 */
const INDEX = Symbol('serverless-lint.index');
type Indexed = ts.SourceFile & { [INDEX]?: NodeIndex };

/**
 * 1 for the kinds TypeScript attaches JSDoc to: its `canHaveJSDoc`, which reads only the kind (exported at run time
 * but not typed; every kind is asked if a TypeScript version drops it).
 */
const canHaveJSDoc = (ts as unknown as { canHaveJSDoc?: (node: ts.Node) => boolean }).canHaveJSDoc;
const JSDOC_HOST = kindTable((k) => (!canHaveJSDoc || canHaveJSDoc({ kind: k } as ts.Node) ? 1 : 0));

type Mutable = { parent: ts.Node };

/**
 * Parses without the parser's own parent pass; `indexTree` sets the parents in the walk that builds the index.
 * JSDoc is parsed in JavaScript files only (`ParseForTypeInfo`), where it declares types the lexical scopes read;
 * in TypeScript files no rule reads it, and TypeScript's incremental reparse keeps the tree's mode.
 */
export function parseTree(fileName: string, text: string, kind: ts.ScriptKind): ts.SourceFile {
  const sf = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo },
    false,
    kind,
  );
  indexTree(sf);
  return sf;
}

/**
 * Parses `text` by reusing the tree of `previous` (an earlier text of the same file), as TypeScript's language
 * service does on each keystroke: only the region around the change is parsed again. TypeScript moves the reused
 * nodes of `previous`, which must not be used afterwards.
 */
export function reparseTree(previous: ts.SourceFile, text: string): ts.SourceFile {
  const old = previous.text;
  const prefix = commonPrefix(old, text);
  const suffix = commonSuffix(old, text, Math.min(old.length, text.length) - prefix);
  const change = ts.createTextChangeRange(ts.createTextSpan(prefix, old.length - prefix - suffix), text.length - prefix - suffix);
  const before = (previous as Indexed)[INDEX];
  const lines = (previous as LineMapped).lineMap;
  const sf = ts.updateSourceFile(previous, text, change);
  if (sf === previous) return sf;
  const delta = text.length - old.length;
  if (before === undefined) indexTree(sf);
  else attach(sf, buildIndex(sf, { index: before, start: prefix, newEnd: text.length - suffix, delta }));
  if (lines !== undefined && (sf as LineMapped).lineMap === undefined)
    (sf as LineMapped).lineMap = shiftLineStarts(lines, text, prefix, old.length - suffix, delta);
  return sf;
}

/**
 * TypeScript's cache of a file's line starts (`getLineStarts`, behind every `getLineAndCharacterOfPosition`),
 * computed by a scan of the whole text on the first position asked of each tree: 0.4 ms of every keystroke on the
 * 1,008-line bench file. A reparse derives it from the previous tree's instead. The property is TypeScript's
 * internal name; were it renamed, TypeScript would ignore this one and scan, as before.
 */
type LineMapped = { lineMap?: readonly number[] };

const CR = 13;
const LF = 10;

/**
 * The line starts of `text` from those of the text it was edited from (`[start, oldEnd)` replaced, `delta` longer):
 * starts before the change are kept, the text is scanned as `ts.computeLineStarts` scans it from the last of them
 * to the first start far enough past the change that its line break is old text, and the rest is moved.
 */
export function shiftLineStarts(old: readonly number[], text: string, start: number, oldEnd: number, delta: number): number[] {
  // Kept: starts before `start`, whose line break and the character after it are before the change.
  const kept = lowerBound(old, start);
  const out = old.slice(0, Math.max(1, kept));
  // The first old start whose break (`\r\n` at most two characters) and following character are past the change.
  let resume = kept;
  while (resume < old.length && old[resume] < oldEnd + 2) resume++;
  const stop = resume < old.length ? old[resume] + delta : Infinity;
  // `stop` is a line start of the new text (its break is old text): the scan arrives there exactly. Were it not
  // to, the moved starts would be wrong, and the whole text is scanned instead.
  if (!scanLineStarts(text, out[out.length - 1], stop, out)) {
    const all = [0];
    scanLineStarts(text, 0, Infinity, all);
    return all;
  }
  for (let i = resume; i < old.length; i++) out.push(old[i] + delta);
  return out;
}

/**
 * Appends to `out` the line starts of `text` after `from` (itself a line start), as TypeScript's `computeLineStarts`
 * finds them (`\r\n`, `\r`, `\n`, U+2028, U+2029), up to `stop`. False if a start passes `stop` without meeting it.
 */
function scanLineStarts(text: string, from: number, stop: number, out: number[]): boolean {
  let pos = from;
  while (pos < text.length) {
    const ch = text.charCodeAt(pos++);
    if (ch === CR) {
      if (text.charCodeAt(pos) === LF) pos++;
    } else if (ch !== LF && !(ch > 127 && (ch === 0x2028 || ch === 0x2029))) {
      continue;
    }
    if (pos >= stop) return pos === stop;
    out.push(pos);
  }
  return stop === Infinity;
}

/**
 * Length of the common prefix of two texts, compared in blocks of 4,096, 512, 64, 8 and 1 characters: slices of a
 * string share its characters, and comparing them is a memory compare. A character loop over a 1,000-line file
 * cost 1.2 ms of each keystroke's 26 ms in the server's profile; this costs a few microseconds.
 */
export function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let p = 0;
  for (let step = 4096; step >= 1; step >>= 3) {
    while (p + step <= max && a.slice(p, p + step) === b.slice(p, p + step)) p += step;
  }
  return p;
}

/** Length of the common suffix of two texts, at most `limit` (the same blocks as `commonPrefix`). */
export function commonSuffix(a: string, b: string, limit: number): number {
  let s = 0;
  for (let step = 4096; step >= 1; step >>= 3) {
    while (s + step <= limit && a.slice(a.length - s - step, a.length - s) === b.slice(b.length - s - step, b.length - s)) s += step;
  }
  return s;
}

/**
 * The position of `node` in its file's index, or -1 (a JSDoc node, or a node of another tree). Pre-order lists
 * nodes by non-decreasing `pos` (a child starts where its parent or previous sibling does or later), so a binary
 * search finds the first node starting where `node` does, and the nodes starting there (a parent and its first
 * children) are few.
 */
export function indexOfNode(index: NodeIndex, node: ts.Node): number {
  const at = findAt(index, node.pos, node);
  // Not where the order puts it: a tree whose children are not in source order somewhere. Correct, if slower.
  return at >= 0 ? at : index.nodes.indexOf(node);
}

/**
 * The nodes of `root`'s subtree (root first) that have kind `kind`, from the index of the file `root` belongs to:
 * a loop over the subtree's slice of the index, not a walk. None for a node the index does not hold (JSDoc).
 */
export function nodesOfKindIn<T extends ts.Node>(sf: ts.SourceFile, root: ts.Node, kind: ts.SyntaxKind): T[] {
  const index = indexTree(sf);
  const start = indexOfNode(index, root);
  const out: T[] = [];
  if (start < 0) return out;
  const { nodes, kinds, end } = index;
  for (let i = start, stop = end[start]; i < stop; i++) if (kinds[i] === kind) out.push(nodes[i] as T);
  return out;
}

/** A `walkSubtree` visitor's answer: jump over the node's subtree. */
export const SKIP = 1;
/** A `walkSubtree` visitor's answer: end the walk. */
export const STOP = 2;

/**
 * Visits `root` and its subtree in pre-order, the order a `forEachChild` recursion takes, as a loop over the slice of
 * the file's index: no recursion, so no depth can overflow the stack. `visit` returns SKIP to leave out a node's
 * subtree (a nested function, say) or STOP once it has its answer. `sf` is `root`'s file; a node the index does not
 * hold (JSDoc) is walked with an explicit stack instead.
 */
export function walkSubtree(root: ts.Node, visit: (node: ts.Node) => number | void, sf: ts.SourceFile = root.getSourceFile()): void {
  const index = indexTree(sf);
  const start = indexOfNode(index, root);
  if (start < 0) {
    const stack: ts.Node[] = [root];
    while (stack.length) {
      const node = stack.pop()!;
      const answer = visit(node);
      if (answer === STOP) return;
      if (answer === SKIP) continue;
      const first = stack.length;
      ts.forEachChild(node, (c) => void stack.push(c));
      stack.push(...stack.splice(first).reverse());
    }
    return;
  }
  const { nodes, end } = index;
  for (let i = start, stop = end[start]; i < stop; ) {
    const answer = visit(nodes[i]);
    if (answer === STOP) return;
    i = answer === SKIP ? end[i] : i + 1;
  }
}

/**
 * Whether some node of `root`'s subtree (`root` included) passes `test`, not looking into the nodes `skip` accepts:
 * `walkSubtree` for the questions that want one yes.
 */
export function someInSubtree(root: ts.Node, test: (node: ts.Node) => boolean, skip?: (node: ts.Node) => boolean, sf?: ts.SourceFile): boolean {
  let found = false;
  walkSubtree(
    root,
    (n) => {
      if (skip?.(n)) return SKIP;
      if (!test(n)) return undefined;
      found = true;
      return STOP;
    },
    sf,
  );
  return found;
}

/** The file's index, built on first use (and, with it, every parent pointer). Iterative: deep files are safe. */
export function indexTree(sf: ts.SourceFile): NodeIndex {
  return (sf as Indexed)[INDEX] ?? attach(sf, buildIndex(sf, undefined));
}

function attach(sf: ts.SourceFile, index: NodeIndex): NodeIndex {
  Object.defineProperty(sf, INDEX, { value: index });
  return index;
}

/** What an incremental reparse keeps of the previous tree: its index, and where the text changed. */
interface Reuse {
  index: NodeIndex;
  /** The change: `[start, newEnd)` of the new text replaced `[start, newEnd - delta)` of the old. */
  start: number;
  newEnd: number;
  delta: number;
}

/**
 * 1 for the kinds TypeScript's incremental parser can keep from the previous tree: the elements of the lists it
 * reuses (statements, class and type members, enum members, switch clauses, variable declarations, parameters).
 * Only nodes of these kinds are looked up in the previous index; a kind missing here costs a walk, never a result.
 */
const REUSABLE = kindTable((k) => {
  const S = ts.SyntaxKind;
  if (k >= S.FirstStatement && k <= S.LastStatement) return 1;
  // biome-ignore format: a packed list of node kinds reads better than one kind per line.
  const kinds = [
    S.Block, S.EmptyStatement, S.VariableDeclaration, S.VariableDeclarationList, S.FunctionDeclaration, S.ClassDeclaration, S.InterfaceDeclaration,
    S.TypeAliasDeclaration, S.EnumDeclaration, S.ModuleDeclaration, S.ModuleBlock, S.CaseBlock, S.NamespaceExportDeclaration, S.ImportEqualsDeclaration,
    S.ImportDeclaration, S.ExportAssignment, S.ExportDeclaration, S.MissingDeclaration, S.CaseClause, S.DefaultClause, S.PropertyDeclaration,
    S.MethodDeclaration, S.Constructor, S.GetAccessor, S.SetAccessor, S.ClassStaticBlockDeclaration, S.IndexSignature, S.SemicolonClassElement,
    S.PropertySignature, S.MethodSignature, S.CallSignature, S.ConstructSignature, S.EnumMember, S.Parameter,
  ];
  return kinds.includes(k) ? 1 : 0;
});

/**
 * Where `node`, a node of the new tree, is in the previous tree's index, or -1 when the parser made it anew. A kept
 * node lies wholly before the change (same position) or wholly after it (moved by `delta`), and is the same object.
 */
function previousIndexOf(reuse: Reuse, node: ts.Node): number {
  const p = node.pos;
  if (p <= reuse.start) {
    const at = findAt(reuse.index, p, node);
    if (at >= 0) return at;
  }
  return p >= reuse.newEnd ? findAt(reuse.index, p - reuse.delta, node) : -1;
}

/** The first index of the sorted `values` holding `value` or more (its length when none does). */
function lowerBound(values: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function findAt(index: NodeIndex, pos: number, node: ts.Node): number {
  const { pos: starts, nodes } = index;
  for (let i = lowerBound(starts, pos); i < starts.length && starts[i] === pos; i++) if (nodes[i] === node) return i;
  return -1;
}

/**
 * One iterative walk that sets every parent pointer and records the pre-order index. After an incremental reparse
 * (`reuse`), a subtree the parser kept from the previous tree is the previous tree's subtree, untouched (TypeScript
 * never keeps a node whose range intersects the change, nor one with a parse error): its slice of the previous
 * index is copied instead of walked, so a keystroke walks the nodes it made, not the whole file (2.3 of a 1,000-line
 * file's 17 ms per keystroke before).
 */
function buildIndex(sf: ts.SourceFile, reuse: Reuse | undefined): NodeIndex {
  // The parser counts the nodes it creates (JSDoc and a few forEachChild never reaches included): a capacity that
  // fits, so the arrays are allocated once rather than grown by copying. A reparse counts only the nodes it made.
  let capacity = ((sf as { nodeCount?: number }).nodeCount ?? 0) + (reuse ? reuse.index.nodes.length : 0) + 1;
  const nodes: ts.Node[] = new Array(capacity);
  let parents = new Int32Array(capacity);
  let kinds = new Uint16Array(capacity);
  let starts = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let count = 0;
  const grow = (need: number) => {
    while (capacity < need) capacity *= 2;
    nodes.length = capacity;
    const grown = <T extends Int32Array | Uint16Array>(a: T, b: T): T => (b.set(a), b);
    parents = grown(parents, new Int32Array(capacity));
    kinds = grown(kinds, new Uint16Array(capacity));
    starts = grown(starts, new Int32Array(capacity));
    end = grown(end, new Int32Array(capacity));
  };
  const stack: ts.Node[] = [sf];
  const stackParent: number[] = [-1];
  let current: ts.Node = sf;
  let currentIndex = -1;
  // One callback for the whole walk: no closure per node.
  const push = (c: ts.Node) => {
    (c as unknown as Mutable).parent = current;
    stack.push(c);
    stackParent.push(currentIndex);
  };
  while (stack.length) {
    const node = stack.pop()!;
    if (count === capacity) grow(count + 1);
    parents[count] = stackParent.pop()!;
    const kind = node.kind;
    if (reuse !== undefined && REUSABLE[kind] === 1) {
      const from = previousIndexOf(reuse, node);
      if (from >= 0) {
        const old = reuse.index;
        const to = old.end[from];
        const size = to - from;
        if (count + size > capacity) grow(count + size);
        const shift = node.pos - old.pos[from];
        for (let k = 0; k < size; k++) {
          nodes[count + k] = old.nodes[from + k];
          starts[count + k] = old.pos[from + k] + shift;
          end[count + k] = old.end[from + k] - from + count;
        }
        kinds.set(old.kinds.subarray(from, to), count);
        // The subtree's own ends are final; only its root's end reaches its new parent (the pass below).
        parents.fill(-1, count + 1, count + size);
        count += size;
        continue;
      }
    }
    kinds[count] = kind;
    starts[count] = node.pos;
    currentIndex = count;
    nodes[count++] = node;
    current = node;
    // Only the kinds that can carry JSDoc are asked for it (most nodes are identifiers, tokens and expressions).
    if (JSDOC_HOST[kind] === 1) {
      const docs = (node as { jsDoc?: ts.Node[] }).jsDoc;
      if (docs?.length) bindJsDoc(node, docs);
    }
    const first = stack.length;
    ts.forEachChild(node, push);
    // Children were pushed in source order; reverse them so the first is popped first.
    for (let a = first, b = stack.length - 1; a < b; a++, b--) {
      const n = stack[a];
      stack[a] = stack[b];
      stack[b] = n;
      const p = stackParent[a];
      stackParent[a] = stackParent[b];
      stackParent[b] = p;
    }
  }
  nodes.length = count;
  // Views of the first `count` entries, not copies: the arrays were sized from the parser's count, a little more.
  if (kinds.length !== count) {
    kinds = kinds.subarray(0, count);
    starts = starts.subarray(0, count);
    end = end.subarray(0, count);
  }
  // Subtree ends from the parents: children come after their parent, so one backward pass.
  for (let i = count - 1; i >= 0; i--) {
    if (end[i] === 0) end[i] = i + 1;
    const p = parents[i];
    if (p >= 0 && end[i] > end[p]) end[p] = end[i];
  }
  return { nodes, kinds, end, pos: starts };
}

/**
 * A table from `SyntaxKind` to a small number (flags, a role): loops over an index read `table[kinds[i]]`, one
 * load per node, and look at the node itself only where the table says so.
 */
export function kindTable(of: (kind: ts.SyntaxKind) => number): Uint8Array {
  const table = new Uint8Array(ts.SyntaxKind.Count + 1);
  for (let k = 0; k <= ts.SyntaxKind.Count; k++) table[k] = of(k);
  return table;
}

/** Whether a kind is a type node, as `ts.isTypeNode` answers for a node of that kind (it reads only the kind). */
export function isTypeNodeKind(kind: ts.SyntaxKind): boolean {
  return ts.isTypeNode({ kind } as ts.Node);
}

/** JSDoc comments are not children for `forEachChild`, but TypeScript gives their nodes parents too. */
function bindJsDoc(host: ts.Node, docs: ts.Node[]): void {
  const stack: ts.Node[] = [];
  for (const doc of docs) {
    (doc as unknown as Mutable).parent = host;
    stack.push(doc);
  }
  while (stack.length) {
    const node = stack.pop()!;
    ts.forEachChild(node, (c) => {
      (c as unknown as Mutable).parent = node;
      stack.push(c);
    });
  }
}
