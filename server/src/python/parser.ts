// Loads the Python parser (tree-sitter and its Python grammar compiled to WebAssembly, shipped as files of the product)
// once, lazily, and parses Python text with it: nothing is downloaded, and nothing is loaded until a .py file is linted.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language, Parser, Tree } from '@vscode/tree-sitter-wasm';

/** The file names the build copies next to the bundles (scripts/build.mjs), from @vscode/tree-sitter-wasm's `wasm/`. */
export const PYTHON_WASM_FILES = ['tree-sitter.wasm', 'tree-sitter-python.wasm'] as const;

/** Whether a path is a Python source file the product analyzes. */
export function isPythonFile(fileName: string): boolean {
  return fileName.endsWith('.py');
}

type TreeSitterModule = typeof import('@vscode/tree-sitter-wasm');

interface Loaded {
  parser: Parser;
  language: Language;
}

let loaded: Loaded | undefined;
let failure: string | undefined;
let loading: Promise<boolean> | undefined;
/** Overrides the folder the wasm files are read from (tests of a failed load). */
let wasmDirOverride: string | undefined;

/**
 * Folders that may hold the wasm files: beside the running bundle (dist/, the .vsix and the npm package), else the
 * installed package when the sources run directly (the unit tests under tsx).
 */
function wasmDirs(): string[] {
  if (wasmDirOverride !== undefined) return [wasmDirOverride];
  return [__dirname, join(__dirname, '..', '..', '..', 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm')];
}

function wasmDir(): string | undefined {
  return wasmDirs().find((d) => PYTHON_WASM_FILES.every((f) => existsSync(join(d, f))));
}

/**
 * Loads the parser once. Resolves to false (and `pythonParserError` says why) when the wasm files are missing or do
 * not load; never rejects, so a front end can await it before linting and go on with the other files.
 */
export function ensurePythonParser(): Promise<boolean> {
  if (loaded) return Promise.resolve(true);
  if (failure !== undefined) return Promise.resolve(false);
  return (loading ??= load().then(
    (l) => {
      loaded = l;
      return true;
    },
    (e: unknown) => {
      failure = e instanceof Error ? e.message : String(e);
      return false;
    },
  ));
}

async function load(): Promise<Loaded> {
  const dir = wasmDir();
  if (!dir) throw new Error(`the Python grammar (${PYTHON_WASM_FILES.join(', ')}) was not found beside the program in ${wasmDirs()[0]}`);
  // Required here, not imported at the top: a TypeScript-only run never evaluates the 170 kB runtime.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('@vscode/tree-sitter-wasm') as TreeSitterModule;
  // The bytes are handed over, so the runtime never looks for (or fetches) a file itself.
  await ts.Parser.init({ wasmBinary: readFileSync(join(dir, 'tree-sitter.wasm')), locateFile: (file: string) => join(dir, file) } as Parameters<
    typeof ts.Parser.init
  >[0]);
  const language = await ts.Language.load(readFileSync(join(dir, 'tree-sitter-python.wasm')));
  const parser = new ts.Parser();
  parser.setLanguage(language);
  return { parser, language };
}

/** Whether the parser is ready for a synchronous parse. */
export function pythonParserReady(): boolean {
  return loaded !== undefined;
}

/** Why the parser could not be loaded, once a load failed. */
export function pythonParserError(): string | undefined {
  return failure;
}

/**
 * Parses Python text, or says why not. The caller owns the tree and must `delete()` it: trees live in the
 * WebAssembly heap, which the JavaScript garbage collector does not see. Given the previous tree of the same file,
 * edited to the new text (`editFor`), the parse is incremental.
 */
export function parsePython(text: string, previous?: Tree): Tree | { error: string } {
  if (!loaded) {
    return { error: failure !== undefined ? `the Python parser could not be loaded (${failure})` : 'the Python parser is not loaded yet' };
  }
  const budget = parseBudgetMs(text.length);
  const started = performance.now();
  let cancelled = false;
  const tree = loaded.parser.parse(text, previous ?? null, {
    // Returning true cancels the parse (web-tree-sitter's typings say void; its runtime reads the result).
    progressCallback: (() => (cancelled = performance.now() - started > budget)) as () => void,
  });
  if (cancelled) {
    // A cancelled parser resumes where it stopped on its next parse unless reset.
    loaded.parser.reset();
    tree?.delete();
    return {
      error: `the Python parser gave up after ${(budget / 1000).toFixed(1)} s (its error recovery on text that is mostly not Python grows with the square of its length)`,
    };
  }
  if (!tree) return { error: 'the Python parser gave no tree' };
  return tree;
}

/**
 * How long one Python parse may take, in milliseconds: one second plus 10 ms per KB. tree-sitter's error recovery
 * is quadratic on long runs of text that is not Python (a 20,000-term JavaScript chain appended to a .py file took
 * 30-40 s to parse, 1 MB of it would take most of an hour); real files parse far inside the budget (a 197 KB
 * generated table, idna's uts46data.py, in 0.7 s), so only hostile input reaches it, and a file that does is
 * reported as not analyzed, with this reason, instead of stalling the run.
 */
export function parseBudgetMs(length: number): number {
  return 1000 + (10 * length) / 1024;
}

/** For tests: forget the loaded parser and read the wasm files from `dir` on the next load (undefined: the default). */
export function resetPythonParserForTests(dir?: string): void {
  loaded = undefined;
  failure = undefined;
  loading = undefined;
  wasmDirOverride = dir;
}

/** The one edit that turns `before` into `after`: the common prefix and suffix kept, the middle replaced. */
function singleEdit(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts for JavaScript strings) of an offset. */
function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/**
 * Parses `after` incrementally from the tree of `before` (the editor's keystroke path): the change is one edit (the
 * common prefix and suffix kept), which tree-sitter applies to the old tree before reusing its unchanged parts. The
 * old tree is edited in place; the caller deletes it once the new tree is made.
 */
export function reparsePython(previous: Tree, before: string, after: string): Tree | { error: string } {
  if (!loaded) return parsePython(after);
  const { start, oldEnd, newEnd } = singleEdit(before, after);
  previous.edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
  return parsePython(after, previous);
}
