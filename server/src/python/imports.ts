// Which Python modules a function entry imports, as files: enough of Python's import system to give a router or
// helper module imported by `main.py` or `api/index.py` its function role (the module graph is JavaScript's only).
// Imports are resolved against the importing file's folder (relative imports) and the project's roots (absolute
// ones); installed packages are never followed. Bounded breadth-first, no recursion.
import type { Host } from '../analysis/host';
import { dirname, joinPath } from '../analysis/host';
import { DJANGO } from '../conventions/frameworks/python';
import { callArgs, stringValue, type PyFacts } from './facts';

/** An import as written: how many leading dots (0 for an absolute import) and the dotted module path after them. */
export interface PyImport {
  level: number;
  module: string;
}

/**
 * The modules a file imports: `import a.b`, `from a import b` (a, and a.b in case b is a submodule), `from . import x`,
 * and the URLconfs a Django URLconf includes by name (`include("notes.urls")`), which Django imports from the string.
 */
export function importsOf(facts: PyFacts): PyImport[] {
  const out: PyImport[] = [];
  for (const st of facts.ofType(facts.root, ['import_statement', 'import_from_statement'])) {
    if (st.type === 'import_statement') {
      for (const child of st.namedChildren) {
        const name = child?.type === 'aliased_import' ? child.childForFieldName('name')?.text : child?.type === 'dotted_name' ? child.text : undefined;
        if (name) out.push({ level: 0, module: name });
      }
      continue;
    }
    const from = st.childForFieldName('module_name')?.text ?? '';
    const level = /^\.*/.exec(from)![0].length;
    const base = from.slice(level);
    if (base) out.push({ level, module: base });
    for (const child of st.childrenForFieldName('name')) {
      const name = child?.type === 'aliased_import' ? child.childForFieldName('name')?.text : child?.type === 'dotted_name' ? child.text : undefined;
      if (name) out.push({ level, module: base ? `${base}.${name}` : name });
    }
  }
  if (facts.text.includes('include')) {
    for (const call of facts.calls) {
      if (!/(^|\.)include$/.test(facts.calleeName(call) ?? '') || !DJANGO.includeCalls.has(facts.callee(call) ?? '')) continue;
      const module = stringValue(callArgs(call).positional[0]);
      if (module) out.push({ level: 0, module });
    }
  }
  return out;
}

/** The file an import names, if it is a module of the project: `<base>/a/b.py` or `<base>/a/b/__init__.py`. */
export function resolveImport(host: Host, imp: PyImport, fromFile: string, roots: readonly string[]): string | undefined {
  let bases: string[];
  if (imp.level > 0) {
    let dir = dirname(fromFile);
    for (let i = 1; i < imp.level; i++) dir = dirname(dir);
    bases = [dir];
  } else bases = [dirname(fromFile), ...roots];
  const rel = imp.module.replace(/\./g, '/');
  for (const base of bases) {
    for (const candidate of [`${joinPath(base, rel)}.py`, joinPath(joinPath(base, rel), '__init__.py')]) {
      if (host.fileExists(candidate)) return candidate;
    }
  }
  return undefined;
}

/** At most this many modules are followed from one entry. */
export const MAX_REACHED = 200;

/**
 * The project modules an entry reaches through its imports (the entry excluded), breadth-first: `importsFrom(file)`
 * gives a module's imports (parsed by the caller, which caches them), or undefined when it cannot be read.
 */
export function reachedFrom(host: Host, entry: string, roots: readonly string[], importsFrom: (file: string) => PyImport[] | undefined): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length && seen.size <= MAX_REACHED) {
    const file = queue.shift()!;
    for (const imp of importsFrom(file) ?? []) {
      const target = resolveImport(host, imp, file, roots);
      if (target && !seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  seen.delete(entry);
  return seen;
}
