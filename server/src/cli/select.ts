// Which files the CLI lints, as ESLint and Ruff choose them: paths, quoted globs (picomatch), `--ignore-pattern`s
// (gitignore syntax, relative to the folder the CLI runs in), and an error when an argument names no lintable file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import ignore from 'ignore';
import { collectSourceFiles, SOURCE_EXTENSIONS } from '../host/files';
import { normalizePath } from '../host/node-host';
import type { Boundary } from '../host/guarded-read';

export interface Selection {
  /** The files to lint, each once, in the order the arguments found them. */
  files: string[];
  /** What each argument stands for: the path itself, or for a glob the files it matched. */
  roots: string[];
  /** One sentence per argument that matched no lintable file: the CLI exits 2 with them (ESLint does). */
  unmatched: string[];
}

export interface SelectOptions {
  cwd: string;
  /** `--ignore-pattern` values. */
  ignorePatterns: readonly string[];
  /** `ignore` of serverless-lint.json and the editor settings. */
  isIgnored: (file: string) => boolean;
  /** The workspace the walk stays in (symlinks leaving it are not followed). */
  boundary?: Boundary;
  /** Sources the walk could not look at, with the reason. */
  onSkipped?: (file: string, why: string) => void;
}

/** Whether an argument that is no existing path is a glob (`*`, `?`, `[…]`, `{…}`, extglobs). */
function isGlob(arg: string): boolean {
  return picomatch.scan(arg).isGlob;
}

/**
 * The files the arguments name. An existing path is taken as it is, even when its name looks like a glob (a
 * Next.js folder `app/[id]`); anything else with glob characters is matched against the files under its fixed
 * start (`src/**` walks `src`). Throws for an argument that is neither.
 */
export function selectFiles(args: readonly string[], options: SelectOptions): Selection {
  const { cwd } = options;
  const ignored = options.ignorePatterns.length ? ignore().add([...options.ignorePatterns]) : undefined;
  const relative = (f: string) => path.posix.relative(cwd, f);
  const byPattern = (f: string) => {
    if (!ignored) return false;
    const rel = relative(f);
    // The `ignore` package refuses paths outside the base (`../x`); a pattern never reaches there.
    return !rel.startsWith('../') && rel !== '..' && !path.posix.isAbsolute(rel) && ignored.ignores(rel);
  };
  const files: string[] = [];
  const seen = new Set<string>();
  const roots: string[] = [];
  const unmatched: string[] = [];
  for (const arg of args) {
    const full = normalizePath(arg);
    let found: string[];
    let why: string;
    if (fs.existsSync(full)) {
      roots.push(full);
      if (fs.statSync(full).isFile()) {
        found = SOURCE_EXTENSIONS.test(full) ? [full] : [];
        why = `'${arg}' is not a JavaScript, TypeScript or Python file`;
      } else {
        found = collectSourceFiles([full], { readHeads: false, boundary: options.boundary, onSkipped: options.onSkipped });
        why = `no JavaScript, TypeScript or Python files were found in '${arg}'`;
      }
    } else if (isGlob(arg)) {
      const pattern = path.posix.isAbsolute(arg.replace(/\\/g, '/')) ? arg.replace(/\\/g, '/') : path.posix.join(cwd, arg.replace(/\\/g, '/'));
      const base = picomatch.scan(pattern).base || '/';
      const matches = picomatch(pattern);
      found = fs.existsSync(base)
        ? collectSourceFiles([normalizePath(base)], { readHeads: false, boundary: options.boundary, onSkipped: options.onSkipped }).filter((f) => matches(f))
        : [];
      roots.push(...found);
      why = `no files matching the pattern '${arg}' were found`;
    } else {
      throw new NoSuchPath(arg);
    }
    const kept = found.filter((f) => !byPattern(f) && !options.isIgnored(f));
    if (!kept.length) unmatched.push(found.length ? `all files matched by '${arg}' are ignored` : why);
    for (const f of kept) {
      if (seen.has(f)) continue;
      seen.add(f);
      files.push(f);
    }
  }
  return { files, roots, unmatched };
}

/** An argument that is no path and no glob. */
export class NoSuchPath extends Error {
  constructor(readonly arg: string) {
    super(`no such file or folder: ${arg}`);
  }
}
