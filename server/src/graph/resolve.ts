// Module resolution as TypeScript and bundlers do it, reading only through the Host: relative paths with
// extensions and index files, tsconfig/jsconfig `paths` and `baseUrl` (with `extends`), packages in
// node_modules with `exports` conditions or `main`/`module`/`browser`, and Node builtins.
import * as jsonc from 'jsonc-parser';
import type { ConfigProblem, Platform, Runtime } from '../../../shared/src/types';
import { dirname, isAbsent, joinPath, MAX_CONFIG_BYTES, readText, type Host } from '../analysis/host';
import { parseJsonc, refusalProblem } from '../analysis/project';
import { nodeBuiltinName } from '../analysis/edge-modules';
import { GENERATED_DIRS } from '../conventions/config-files';

export type Resolution =
  | { kind: 'builtin'; module: string; specifier: string }
  | { kind: 'file'; fileName: string }
  | { kind: 'package'; name: string; dir: string; version?: string; subpath: string; entry?: string }
  | { kind: 'unresolved'; specifier: string };

/** Extensions tried, in TypeScript's order, for an extensionless specifier (no `.d.ts`: the graph wants run-time code). */
export const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const SCRIPT = /\.(?:[cm]?[jt]sx?|json)$/;

const NODE_CONDITIONS: ReadonlySet<string> = new Set(['node', 'import', 'require', 'module', 'default']);
const WORKERD_CONDITIONS: ReadonlySet<string> = new Set(['workerd', 'worker', 'browser', 'import', 'module', 'default']);
const DENO_CONDITIONS: ReadonlySet<string> = new Set(['deno', 'worker', 'browser', 'import', 'module', 'default']);
// Next.js and Vercel bundle edge code with these conditions.
const EDGE_LIGHT_CONDITIONS: ReadonlySet<string> = new Set(['edge-light', 'worker', 'browser', 'import', 'module', 'default']);

/**
 * The export conditions a runtime's bundler uses (order does not matter: the package's key order decides). One set
 * per runtime for the whole process, so caches can key on it (see `conditionsKey`).
 */
export function conditionsFor(runtime: Runtime, platform: Platform): ReadonlySet<string> {
  if (runtime === 'node') return NODE_CONDITIONS;
  if (platform === 'cloudflare-workers') return WORKERD_CONDITIONS;
  if (platform === 'netlify' || platform === 'deno-deploy') return DENO_CONDITIONS;
  return EDGE_LIGHT_CONDITIONS;
}

const conditionKeys = new WeakMap<ReadonlySet<string>, string>();

/**
 * A cache key for a set of conditions: their names, sorted. One string per set, made once: a resolution cache keyed
 * by a fresh `join` of them kept a copy of it in every key (12,421 in a heap snapshot of the CLI, 0.7 MB).
 */
export function conditionsKey(conditions: ReadonlySet<string>): string {
  let key = conditionKeys.get(conditions);
  if (key === undefined) conditionKeys.set(conditions, (key = [...conditions].sort().join(',')));
  return key;
}

interface TsPaths {
  /** Folder `paths` are relative to (baseUrl, or the folder of the config that set `paths`). */
  pathsBase?: string;
  paths?: Record<string, string[]>;
  baseUrl?: string;
  configFile?: string;
}

/** The package name of a bare specifier: `@scope/pkg/sub` → `@scope/pkg`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Resolves a package.json `exports` value for a subpath (`.` or `./x`) under a condition set. */
export function resolveExports(exportsField: unknown, subpath: string, conditions: ReadonlySet<string>): string | null | undefined {
  const pick = (value: unknown, star?: string, depth = 0): string | null | undefined => {
    if (depth > 20) return undefined;
    if (value === null) return null;
    if (typeof value === 'string') return star === undefined ? value : value.split('*').join(star);
    if (Array.isArray(value)) {
      for (const v of value) {
        const r = pick(v, star, depth + 1);
        if (r) return r;
      }
      return undefined;
    }
    if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (key !== 'default' && !conditions.has(key)) continue;
        const r = pick(v, star, depth + 1);
        if (r !== undefined) return r;
      }
    }
    return undefined;
  };
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) return subpath === '.' ? pick(exportsField) : undefined;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  const keys = Object.keys(exportsField as object);
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? pick(exportsField) : undefined;
  const map = exportsField as Record<string, unknown>;
  if (subpath in map) return pick(map[subpath]);
  // Subpath patterns: the longest matching prefix wins.
  let best: { key: string; star: string } | undefined;
  for (const key of keys) {
    const i = key.indexOf('*');
    if (i < 0) continue;
    const prefix = key.slice(0, i);
    const suffix = key.slice(i + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      if (!best || prefix.length > best.key.indexOf('*')) best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? pick(map[best.key], best.star) : undefined;
}

const NOT_FOUND = 'it cannot be found';

/** The longest `extends` chain followed (TypeScript has no limit; real chains have two or three links). */
const MAX_EXTENDS = 32;

export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  module?: string;
  browser?: string | Record<string, string | false>;
  exports?: unknown;
  gypfile?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** A package name or a path alias (`zod`, `@/lib/db`, `node:fs`): not relative, absolute or a `#` import. */
export function isBareSpecifier(specifier: string): boolean {
  return !(specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#'));
}

/**
 * Resolves specifiers for one workspace. Results of file probes and parsed configs are cached; call
 * `invalidate()` when files are added or removed, or a tsconfig/package.json changes.
 */
export class Resolver {
  private readonly tsconfigByDir = new Map<string, TsPaths>();
  private readonly parsedConfigs = new Map<string, { text: string; data: Record<string, unknown> | undefined }>();
  private readonly packageJsons = new Map<string, PackageJson | null>();
  private readonly problems = new Map<string, ConfigProblem[]>();
  /**
   * Whether `<dir>/node_modules/<name>` exists. Every bare import of every file walks up the folders asking this;
   * in the CLI profile over 5,000 handlers those stats were 4.5% of the time. Cleared by `invalidate()`.
   */
  private readonly packageDirs = new Map<string, boolean>();
  /** `bareScope` per folder. Cleared by `invalidate()`. */
  private readonly bareScopes = new Map<string, string>();

  constructor(
    private readonly host: Host,
    private readonly workspaceRoot?: string,
    private readonly listing?: (dir: string) => ReadonlySet<string> | undefined,
  ) {}

  /** Whether the listing of the path's folder (when there is one) says it is not there: no stat needed. */
  private unlisted(path: string): boolean {
    if (!this.listing) return false;
    const slash = path.lastIndexOf('/');
    const names = this.listing(slash <= 0 ? '/' : path.slice(0, slash));
    return names !== undefined && names.size > 0 && !names.has(path.slice(slash + 1));
  }

  private fileExists(path: string): boolean {
    return !this.unlisted(path) && this.host.fileExists(path);
  }

  private directoryExists(path: string): boolean {
    return !this.unlisted(path) && this.host.directoryExists(path);
  }

  invalidate(): void {
    this.tsconfigByDir.clear();
    this.parsedConfigs.clear();
    this.packageJsons.clear();
    this.problems.clear();
    this.packageDirs.clear();
    this.bareScopes.clear();
  }

  /**
   * The folder whose resolutions of bare specifiers (`zod`, `@/lib/db`) a folder shares: itself when it has a
   * node_modules folder or a tsconfig/jsconfig of its own, else its parent's, up to the workspace root. Such a
   * resolution depends only on those (and the conditions), so a Next.js app, one route per folder, resolves `zod`
   * once rather than once per route.
   */
  bareScope(dir: string): string {
    let scope = this.bareScopes.get(dir);
    if (scope !== undefined) return scope;
    const parent = dirname(dir);
    const own =
      dir === '/' ||
      parent === dir ||
      dir === this.workspaceRoot ||
      dir.includes('/node_modules') ||
      this.folderExists(joinPath(dir, 'node_modules')) ||
      this.tsconfigFor(dir) !== this.tsconfigFor(parent);
    scope = own ? dir : this.bareScope(parent);
    this.bareScopes.set(dir, scope);
    return scope;
  }

  /** Problems found in tsconfig/jsconfig files read so far (syntax errors, unresolvable `extends`). */
  configProblems(): ConfigProblem[] {
    return [...this.problems.values()].flat();
  }

  readPackageJson(dir: string): PackageJson | undefined {
    const hit = this.packageJsons.get(dir);
    if (hit !== undefined) return hit ?? undefined;
    const text = readText(this.host, joinPath(dir, 'package.json'), MAX_CONFIG_BYTES).text;
    let data: PackageJson | null = null;
    if (text !== undefined) {
      // Through the depth guard: a package.json nested 5,000 levels deep is no data, not a stack overflow.
      const parsed = parseJsonc(joinPath(dir, 'package.json'), text).data;
      if (parsed && typeof parsed === 'object') data = parsed as PackageJson;
    }
    this.packageJsons.set(dir, data);
    return data ?? undefined;
  }

  /** A file path with TypeScript's probing: exact, `.js` -> `.ts` substitution, added extensions, then `index.*`. */
  probeFile(path: string, allowDirectory = true): string | undefined {
    const host = this.host;
    // Imports, `paths` and `baseUrl` resolve inside the workspace and installed packages only.
    if (host.allows && !host.allows(path)) return undefined;
    if (SCRIPT.test(path) && this.fileExists(path)) return path;
    const sub = /\.(m|c)?js(x?)$/.exec(path);
    if (sub) {
      const stem = path.slice(0, sub.index);
      const candidates = sub[1] ? [`.${sub[1]}ts`] : sub[2] ? ['.tsx'] : ['.ts', '.tsx'];
      for (const ext of candidates) if (this.fileExists(stem + ext)) return stem + ext;
    }
    if (!SCRIPT.test(path) || sub) {
      for (const ext of RESOLVE_EXTENSIONS) if (this.fileExists(path + ext)) return path + ext;
    }
    if (!SCRIPT.test(path) && this.fileExists(path)) return path;
    if (allowDirectory && this.directoryExists(path)) {
      const pkg = this.readPackageJson(path);
      if (pkg && !path.includes('/node_modules/')) {
        const main = pkg.module ?? pkg.main;
        if (typeof main === 'string') {
          const hit = this.probeFile(joinPath(path, main.replace(/^\.\//, '')), false);
          if (hit) return hit;
        }
      }
      for (const ext of RESOLVE_EXTENSIONS) if (this.fileExists(`${path}/index${ext}`)) return `${path}/index${ext}`;
    }
    return undefined;
  }

  /**
   * Reads a tsconfig/jsconfig and its `extends` chain into the paths settings that apply. `visiting` holds the
   * configs of the chain being read: a config that extends itself, or a cycle, is read once and reported, never again.
   */
  private loadTsconfig(file: string, text: string, visiting = new Set<string>()): TsPaths {
    const out: TsPaths = {};
    visiting.add(file);
    let cached = this.parsedConfigs.get(file);
    if (!cached || cached.text !== text) {
      const parsed = parseJsonc<Record<string, unknown>>(file, text);
      this.problems.set(file, parsed.problems);
      cached = { text, data: parsed.data && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? parsed.data : undefined };
      this.parsedConfigs.set(file, cached);
    }
    const data = cached.data;
    if (!data) return out;
    const dir = dirname(file);
    const ext = data.extends;
    for (const base of (Array.isArray(ext) ? ext : ext ? [ext] : []).filter((e): e is string => typeof e === 'string')) {
      const baseFile = this.resolveExtends(base, dir);
      if (typeof baseFile !== 'string') {
        this.addExtendsProblem(file, text, base, baseFile.reason);
        continue;
      }
      if (visiting.has(baseFile)) {
        this.addExtendsProblem(file, text, base, baseFile === file ? 'it is this file itself' : 'it extends this file in turn (a cycle)');
        continue;
      }
      // Chains are short in practice; a longer one is cut (with a finding) rather than followed without end.
      if (visiting.size > MAX_EXTENDS) {
        this.addExtendsProblem(file, text, base, `the chain of \`extends\` is longer than ${MAX_EXTENDS}`);
        continue;
      }
      const got = readText(this.host, baseFile, MAX_CONFIG_BYTES);
      if (got.text === undefined) {
        this.addExtendsProblem(file, text, base, got.reason);
        continue;
      }
      Object.assign(out, this.loadTsconfig(baseFile, got.text, visiting));
    }
    const options = data.compilerOptions as { baseUrl?: unknown; paths?: unknown } | undefined;
    if (options && typeof options === 'object') {
      if (typeof options.baseUrl === 'string') {
        out.baseUrl = joinPath(dir, options.baseUrl)
          .replace(/\/\.?$/, '')
          .replace(/\/\.\//g, '/');
      }
      if (options.paths && typeof options.paths === 'object') {
        out.paths = options.paths as Record<string, string[]>;
        out.pathsBase = out.baseUrl ?? dir;
      } else if (out.paths && typeof options.baseUrl === 'string') {
        // Inherited `paths` resolve against the nearest baseUrl.
        out.pathsBase = out.baseUrl;
      }
    }
    out.configFile = file;
    return out;
  }

  private addExtendsProblem(file: string, text: string, base: string, reason: string): void {
    const tree = jsonc.parseTree(text);
    const node = tree && jsonc.findNodeAtLocation(tree, ['extends']);
    const start = node?.offset ?? 0;
    const list = this.problems.get(file) ?? [];
    // `extends: ["./a", "./a", …]`: one finding per base named, not one per mention.
    if (list.some((p) => p.message.includes(`'${base}'`))) return;
    const name = file.slice(file.lastIndexOf('/') + 1);
    // A package base (`tsconfig/nextjs.json`, `@tsconfig/node20`) that is not found means the dependencies are not
    // installed (a monorepo checked out without node_modules): a missing install, not a mistake in the file.
    const relative = base.startsWith('.') || base.startsWith('/');
    const pkg = base.startsWith('@') ? base.split('/').slice(0, 2).join('/') : base.split('/')[0];
    // A base in a folder the framework generates (`./.svelte-kit/tsconfig.json`, written by `svelte-kit sync`) is absent
    // until the first build or dev run: not a mistake either.
    const generated = relative && reason === NOT_FOUND ? base.split('/').find((s) => GENERATED_DIRS.has(s)) : undefined;
    const problem =
      reason !== NOT_FOUND
        ? {
            severity: 'warning' as const,
            message: `${name}: the base configuration '${base}' was not read (${reason}), so its paths are not used for import resolution.`,
          }
        : generated
          ? {
              severity: 'info' as const,
              message: `${name}: the base configuration '${base}' is generated by the framework's build into ${generated}/, which does not exist yet; build or run the dev server once for its paths to be used in import resolution.`,
            }
          : relative
            ? {
                severity: 'warning' as const,
                message: `${name}: the base configuration '${base}' cannot be found, so its paths are not used for import resolution.`,
              }
            : {
                severity: 'info' as const,
                message: `${name}: the base configuration '${base}' comes from the package '${pkg}', which is not installed; install the dependencies for its paths to be used in import resolution.`,
              };
    list.push({ fileName: file, span: { start, end: start + (node?.length ?? 1) }, ruleId: 'tsconfig-extends-not-found', ...problem });
    this.problems.set(file, list);
  }

  /** The file an `extends` names, or why there is none to read. */
  private resolveExtends(base: string, dir: string): string | { reason: string } {
    const host = this.host;
    if (base.startsWith('.') || base.startsWith('/')) {
      const p = base.startsWith('/') ? normalize(base) : normalize(joinPath(dir, base));
      // Never read outside the workspace and its installed packages: `/proc/self/environ`, `../../etc/passwd`.
      if (host.allows && !host.allows(p)) return { reason: 'it is outside the workspace and its installed packages' };
      if (this.fileExists(p)) return p;
      if (this.fileExists(p + '.json')) return p + '.json';
      return { reason: NOT_FOUND };
    }
    // A package: `@tsconfig/next/tsconfig.json` or `@tsconfig/strictest`.
    for (let d = dir; ; d = dirname(d)) {
      const p = normalize(joinPath(joinPath(d, 'node_modules'), base));
      if (p.includes('/node_modules/')) {
        if (this.fileExists(p)) return p;
        if (this.fileExists(p + '.json')) return p + '.json';
        if (this.fileExists(joinPath(p, 'tsconfig.json'))) return joinPath(p, 'tsconfig.json');
      }
      if (d === '/' || d === this.workspaceRoot) return { reason: NOT_FOUND };
    }
  }

  /** The path settings of the nearest tsconfig.json/jsconfig.json above a folder. */
  tsconfigFor(dir: string): TsPaths {
    const hit = this.tsconfigByDir.get(dir);
    if (hit) return hit;
    let result: TsPaths | undefined;
    if (!dir.includes('/node_modules/')) {
      for (const name of ['tsconfig.json', 'jsconfig.json']) {
        const file = joinPath(dir, name);
        // A batch run's folder listing answers for the folders without one (nearly all): no read to find it missing.
        if (this.unlisted(file)) continue;
        // Through the door: a tsconfig that is a symlink to /dev/zero, a FIFO or a huge file is refused with a finding.
        const got = readText(this.host, file, MAX_CONFIG_BYTES);
        if (isAbsent(this.host, file, got)) continue;
        if (got.text === undefined) {
          this.problems.set(file, [refusalProblem(file, got, 'warning')]);
          result = {};
        } else result = this.loadTsconfig(file, got.text);
        break;
      }
    }
    if (result) {
      /* found here */
    } else if (dir === '/' || dir === this.workspaceRoot || dirname(dir) === dir) result = {};
    else result = this.tsconfigFor(dirname(dir));
    this.tsconfigByDir.set(dir, result);
    return result;
  }

  /** Resolves `specifier` imported from `fromFile` for a set of export conditions. */
  resolve(specifier: string, fromFile: string, conditions: ReadonlySet<string>): Resolution {
    const builtin = nodeBuiltinName(specifier);
    if (builtin && (specifier.startsWith('node:') || !this.findPackageDir(specifier, dirname(fromFile)))) {
      return { kind: 'builtin', module: builtin.module, specifier };
    }
    const fromDir = dirname(fromFile);
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..' || specifier.startsWith('/')) {
      const target = specifier.startsWith('/') ? specifier : normalize(joinPath(fromDir, specifier));
      const file = this.probeFile(target);
      return file ? this.classify(file) : { kind: 'unresolved', specifier };
    }
    if (specifier.startsWith('#')) return this.resolveImportsField(specifier, fromDir, conditions);
    if (!fromFile.includes('/node_modules/')) {
      const ts = this.tsconfigFor(fromDir);
      if (ts.paths && ts.pathsBase) {
        const file = this.resolvePaths(specifier, ts.paths, ts.pathsBase);
        if (file) return this.classify(file);
      }
      if (ts.baseUrl) {
        const file = this.probeFile(joinPath(ts.baseUrl, specifier));
        if (file) return this.classify(file);
      }
    }
    return this.resolvePackage(specifier, fromDir, conditions);
  }

  private resolvePaths(specifier: string, paths: Record<string, string[]>, base: string): string | undefined {
    let best: { pattern: string; star: string } | undefined;
    for (const pattern of Object.keys(paths)) {
      const i = pattern.indexOf('*');
      if (i < 0) {
        if (pattern === specifier) {
          best = { pattern, star: '' };
          break;
        }
        continue;
      }
      const prefix = pattern.slice(0, i);
      const suffix = pattern.slice(i + 1);
      if (specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length) {
        if (!best || prefix.length > best.pattern.indexOf('*')) best = { pattern, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
      }
    }
    if (!best) return undefined;
    const targets = paths[best.pattern];
    if (!Array.isArray(targets)) return undefined;
    for (const t of targets) {
      if (typeof t !== 'string') continue;
      const file = this.probeFile(normalize(joinPath(base, t.split('*').join(best.star))));
      if (file) return file;
    }
    return undefined;
  }

  /** `#internal` imports from the nearest package.json `imports` field. */
  private resolveImportsField(specifier: string, fromDir: string, conditions: ReadonlySet<string>): Resolution {
    for (let d = fromDir; ; d = dirname(d)) {
      const pkg = this.readPackageJson(d);
      if (pkg) {
        const imports = (pkg as { imports?: unknown }).imports;
        const target = imports
          ? resolveExports(Object.fromEntries(Object.entries(imports as object).map(([k, v]) => ['.' + k.slice(0), v])), '.' + specifier, conditions)
          : undefined;
        if (typeof target === 'string') {
          if (target.startsWith('./')) {
            const file = this.probeFile(normalize(joinPath(d, target)));
            if (file) return this.classify(file);
          } else return this.resolvePackage(target, d, conditions);
        }
        return { kind: 'unresolved', specifier };
      }
      if (d === '/' || d === this.workspaceRoot) return { kind: 'unresolved', specifier };
    }
  }

  /** The folder of an installed package, walking up node_modules folders. */
  findPackageDir(specifier: string, fromDir: string): string | undefined {
    const name = packageNameOf(specifier);
    if (!name || name.startsWith('.')) return undefined;
    for (let d = fromDir; ; d = dirname(d)) {
      if (!d.endsWith('/node_modules')) {
        // The folder's node_modules first, looked up once for every package name: most folders have none.
        const modules = joinPath(d, 'node_modules');
        if (this.folderExists(modules)) {
          const candidate = joinPath(modules, name);
          if (this.folderExists(candidate)) return candidate;
        }
      }
      if (d === '/' || dirname(d) === d) return undefined;
    }
  }

  /** Whether a folder exists (cached until the next `clear`). */
  private folderExists(dir: string): boolean {
    let exists = this.packageDirs.get(dir);
    if (exists === undefined) this.packageDirs.set(dir, (exists = this.directoryExists(dir)));
    return exists;
  }

  private resolvePackage(specifier: string, fromDir: string, conditions: ReadonlySet<string>): Resolution {
    const name = packageNameOf(specifier);
    const dir = this.findPackageDir(specifier, fromDir);
    if (!dir) return { kind: 'unresolved', specifier };
    const pkg = this.readPackageJson(dir) ?? {};
    const subpath = specifier === name ? '.' : '.' + specifier.slice(name.length);
    return { kind: 'package', name, dir, version: pkg.version, subpath, entry: this.packageEntry(dir, pkg, subpath, conditions) };
  }

  /** The file a package subpath loads under the conditions, or undefined when it cannot be found. */
  packageEntry(dir: string, pkg: PackageJson, subpath: string, conditions: ReadonlySet<string>): string | undefined {
    if (pkg.exports !== undefined) {
      const target = resolveExports(pkg.exports, subpath, conditions);
      if (typeof target !== 'string') return undefined;
      return this.probeFile(normalize(joinPath(dir, target)), false);
    }
    if (subpath !== '.') return this.probeFile(normalize(joinPath(dir, subpath)));
    const candidates: unknown[] = [];
    if (conditions.has('browser') && typeof pkg.browser === 'string') candidates.push(pkg.browser);
    if (conditions.has('module') || conditions.has('import')) candidates.push(pkg.module);
    candidates.push(pkg.main, 'index');
    for (const c of candidates) {
      if (typeof c !== 'string') continue;
      const file = this.probeFile(normalize(joinPath(dir, c)));
      if (file) return file;
    }
    return undefined;
  }

  /** A resolved file inside node_modules is a package's file; elsewhere it is a workspace module. */
  private classify(fileName: string): Resolution {
    const i = fileName.lastIndexOf('/node_modules/');
    if (i < 0) return { kind: 'file', fileName };
    const rest = fileName.slice(i + '/node_modules/'.length);
    const name = packageNameOf(rest);
    const dir = fileName.slice(0, i + '/node_modules/'.length) + name;
    return { kind: 'package', name, dir, version: this.readPackageJson(dir)?.version, subpath: './' + rest.slice(name.length + 1), entry: fileName };
  }
}

/** Resolves `.` and `..` segments of an absolute `/` path. */
export function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
