// The architecture invariants of ARCHITECTURE.md, checked on the import graph (as rust-analyzer's tidy tests do):
// they held because people were careful; this file makes them fail loudly instead. Imports are read with the
// TypeScript parser (static imports and re-exports, `import =`, and every `import()` / `require()` the TypeScript
// pre-processor finds), never with regular expressions, and relative specifiers are resolved to files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..');
const ROOTS = ['server/src', 'shared/src', 'client/src', 'scripts', 'bench', 'test'];
/** Folders that hold inputs or generated output, not the project's own code. */
const SKIP_DIRS = new Set(['node_modules', 'fixtures', 'fuzz-regressions', 'dist']);
const SOURCE = /\.(?:[cm]?ts|[cm]?js|tsx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts'];

interface Import {
  /** The specifier as written. */
  spec: string;
  /** The project file it names (repository-relative, `/` separators), for a relative specifier that resolves. */
  file?: string;
  /** `import type`, `export type` or an import whose every named binding is `type`: erased, never loaded. */
  typeOnly: boolean;
}

function sourceFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || SKIP_DIRS.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (SOURCE.test(name) && !DECLARATION.test(name)) out.push(full);
  }
  return out;
}

function rel(file: string): string {
  return relative(ROOT, file).split(sep).join('/');
}

function resolveSpec(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = join(dirname(join(ROOT, from)), spec);
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (existsSync(candidate) && statSync(candidate).isFile()) return rel(candidate);
  }
  return undefined;
}

/** Whether an import declaration loads its module at run time (a value binding or a bare side-effect import). */
function loadsModule(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return true;
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((e) => !e.isTypeOnly);
}

/** Every import of one file: the top-level statements for static imports, the pre-processor for the rest. */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const out: Import[] = [];
  const statics = new Map<string, number>();
  const add = (spec: string, typeOnly: boolean): void => {
    out.push({ spec, file: resolveSpec(file, spec), typeOnly });
    statics.set(spec, (statics.get(spec) ?? 0) + 1);
  };
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      add(statement.moduleSpecifier.text, !loadsModule(statement));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      add(statement.moduleSpecifier.text, statement.isTypeOnly);
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      add(statement.moduleReference.expression.text, statement.isTypeOnly);
    }
  }
  // The pre-processor also reports `require()` and `import()` anywhere in the file (and `import('x')` types, which
  // counts them as loads: stricter than needed, never looser). Whatever the statements above did not account for is one.
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    const left = statics.get(fileName) ?? 0;
    if (left > 0) statics.set(fileName, left - 1);
    else out.push({ spec: fileName, file: resolveSpec(file, fileName), typeOnly: false });
  }
  return out;
}

const FILES = ROOTS.flatMap((r) => sourceFiles(join(ROOT, r), [])).map(rel);
const GRAPH = new Map<string, Import[]>(FILES.map((f) => [f, importsOf(f)]));

function under(file: string, ...dirs: string[]): boolean {
  return dirs.some((d) => file === d || file.startsWith(`${d}/`));
}

/** The files under `dirs`, each with its imports that `bad` rejects (`file → spec`). */
function violations(dirs: string[], bad: (i: Import, file: string) => boolean, exempt: (file: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const [file, imports] of GRAPH) {
    if (!under(file, ...dirs) || exempt(file)) continue;
    for (const i of imports) if (bad(i, file)) out.push(`${file} → ${i.spec}`);
  }
  return out;
}

/**
 * The files reachable from `start` through imports that load a module at run time (type-only imports are erased);
 * the answer maps each reached file or package to the chain that reaches it.
 */
function reach(start: string[], follow: (file: string) => boolean = () => true): Map<string, string> {
  const chains = new Map<string, string>();
  const stack = start.map((f) => [f, f] as const);
  while (stack.length) {
    const [file, chain] = stack.pop()!;
    if (chains.has(file)) continue;
    chains.set(file, chain);
    if (!follow(file)) continue;
    for (const i of GRAPH.get(file) ?? []) {
      if (i.typeOnly) continue;
      const next = i.file ?? `package:${i.spec}`;
      if (!chains.has(next)) stack.push([next, `${chain} → ${i.file ?? i.spec}`]);
    }
  }
  return chains;
}

const LSP_PACKAGE = /^vscode-(?:languageserver|languageclient|jsonrpc)(?:$|[-/])/;
/** The analysis core: pure functions of source text, configuration text and settings. */
const CORE = ['server/src/analysis', 'server/src/rules', 'server/src/conventions', 'server/src/graph', 'server/src/python', 'server/src/config-checks'];
/** Node modules that reach the disk, the network, other processes or threads. */
const IO_MODULES = new Set([
  'fs',
  'fs/promises',
  'child_process',
  'net',
  'http',
  'https',
  'http2',
  'dgram',
  'tls',
  'dns',
  'worker_threads',
  'cluster',
  'readline',
  'inspector',
  'os',
  'vm',
  'module',
  'v8',
]);
const isIo = (spec: string): boolean => IO_MODULES.has(spec.replace(/^node:/, ''));
const isBuiltin = (spec: string): boolean => spec.startsWith('node:');

test('the import graph is read: every relative import resolves to a file of the project', () => {
  assert.ok(FILES.length > 200, `only ${FILES.length} source files found under ${ROOTS.join(', ')}`);
  const unresolved = violations(ROOTS, (i) => i.spec.startsWith('.') && !i.file);
  assert.deepEqual(unresolved, []);
});

test('only server/src/lsp/ and server/src/server.ts import the language server protocol (shared/src/protocol.ts declares the custom messages with it)', () => {
  const bad = violations(
    ['server/src', 'shared/src'],
    (i) => LSP_PACKAGE.test(i.spec),
    (f) => under(f, 'server/src/lsp') || f === 'server/src/server.ts' || f === 'shared/src/protocol.ts',
  );
  assert.deepEqual(bad, []);
});

test('the core, the CLI and the workspace report never load LSP code, not even through another module', () => {
  const starts = FILES.filter((f) => under(f, ...CORE, 'server/src/report', 'server/src/cli') || f === 'server/src/cli.ts');
  const reached = reach(starts);
  const bad = [...reached]
    .filter(
      ([node]) =>
        under(node, 'server/src/lsp') ||
        node === 'server/src/server.ts' ||
        node === 'shared/src/protocol.ts' ||
        LSP_PACKAGE.test(node.replace(/^package:/, '')),
    )
    .map(([, chain]) => chain);
  assert.deepEqual(bad, []);
});

test('the front ends share the core, not each other: the language server never imports the CLI, nor the CLI the language server', () => {
  // The workspace report (server/src/report/) is the one thing both run: the CLI's --report and the server's check worker.
  const server = (f: string): boolean => under(f, 'server/src/lsp') || f === 'server/src/server.ts';
  const cli = (f: string): boolean => under(f, 'server/src/cli') || f === 'server/src/cli.ts';
  const bad = [
    ...violations(['server/src/lsp', 'server/src/server.ts'], (i) => !!i.file && cli(i.file)),
    ...violations(['server/src/cli', 'server/src/cli.ts'], (i) => !!i.file && server(i.file)),
  ];
  assert.deepEqual(bad, []);
});

test('the analysis core performs no I/O: no file system, process, network or thread module, and no front end or Node host', () => {
  // python/parser.ts loads the tree-sitter runtime and grammar (WebAssembly) from the extension's own dist/ once; it
  // never reads a workspace file (those come through the Host the caller supplies).
  const exempt = (f: string): boolean => f === 'server/src/python/parser.ts';
  const direct = violations(CORE, (i) => isIo(i.spec), exempt);
  const reached = reach(
    FILES.filter((f) => under(f, ...CORE) && !exempt(f)),
    (f) => !exempt(f),
  );
  const frontEnds = [...reached]
    .filter(
      ([node]) =>
        under(node, 'server/src/host', 'server/src/lsp', 'server/src/cli', 'server/src/report', 'server/src/boot') ||
        node === 'server/src/server.ts' ||
        node === 'server/src/cli.ts',
    )
    .map(([, chain]) => chain);
  assert.deepEqual([...direct, ...frontEnds], []);
});

test('a rule is one file: no rule imports another rule', () => {
  const rules = new Set((GRAPH.get('server/src/rules/index.ts') ?? []).map((i) => i.file).filter((f): f is string => !!f && under(f, 'server/src/rules')));
  assert.ok(rules.size > 10, 'the rule registry lists the rules');
  const bad = violations(['server/src/rules'], (i, file) => rules.has(file) && !!i.file && rules.has(i.file));
  assert.deepEqual(bad, []);
});

test('the module graph never reaches the engine, the service or itself back (the service owns a graph: no import loop)', () => {
  const graph = FILES.filter((f) => under(f, 'server/src/graph'));
  const outside = graph.flatMap((f) => (GRAPH.get(f) ?? []).filter((i) => !i.typeOnly && i.file && !under(i.file, 'server/src/graph')).map((i) => i.file!));
  const reached = reach(outside);
  const bad = [...reached]
    .filter(([node]) => node === 'server/src/analysis/engine.ts' || node === 'server/src/analysis/service.ts' || under(node, 'server/src/graph'))
    .map(([, chain]) => chain);
  assert.deepEqual(bad, []);
});

test('the launchers (server/src/boot/) never load the engine: they import only each other, the heap policy, shared/src/env.ts and Node', () => {
  const allowed = (i: Import): boolean =>
    isBuiltin(i.spec) || (!!i.file && (under(i.file, 'server/src/boot') || i.file === 'server/src/host/heap.ts' || i.file === 'shared/src/env.ts'));
  const bad = [...reach(FILES.filter((f) => under(f, 'server/src/boot')))]
    .filter(([node]) => !node.startsWith('package:node:'))
    .filter(([node]) => !(under(node, 'server/src/boot') || node === 'server/src/host/heap.ts' || node === 'shared/src/env.ts'))
    .map(([, chain]) => chain);
  assert.deepEqual([...bad, ...violations(['server/src/boot'], (i) => !allowed(i))], []);
});

test('the client never imports typescript or server code: it imports only vscode, the language client, shared/ and Node', () => {
  const bad = violations(['client/src'], (i) => i.spec === 'typescript' || (!!i.file && !under(i.file, 'client/src', 'shared/src')));
  const deep = [...reach(FILES.filter((f) => under(f, 'client/src')))]
    .filter(([node]) => node === 'package:typescript' || under(node, 'server'))
    .map(([, chain]) => chain);
  assert.deepEqual([...bad, ...deep], []);
});

test('shared/ imports nothing from the client or the server, and neither typescript nor vscode', () => {
  const bad = violations(['shared/src'], (i) => i.spec === 'typescript' || i.spec === 'vscode' || (!!i.file && under(i.file, 'client', 'server')));
  assert.deepEqual(bad, []);
});

test('the product never imports the development tools (scripts/, bench/, test/)', () => {
  const bad = violations(['server/src', 'shared/src', 'client/src'], (i) => !!i.file && under(i.file, 'scripts', 'bench', 'test'));
  assert.deepEqual(bad, []);
});

test('scripts/, bench/ and test/ import each other in one direction only: test → bench → scripts', () => {
  // The tests use both tools; the bench builds with scripts' esbuild plugin and shares its seeded generator
  // (scripts/prng.ts). So the fuzzers (scripts/fuzz-lib.ts, scripts/lsp-fuzz.ts) never import the test harness.
  const bad = [
    ...violations(['scripts'], (i) => !!i.file && under(i.file, 'bench', 'test')),
    ...violations(['bench'], (i) => !!i.file && under(i.file, 'test')),
  ];
  assert.deepEqual(bad, []);
});
