// What an installed package does at run time, from a bounded look into node_modules through the Host:
// whether it is a native addon, and which Node builtins its entry (for the runtime's export conditions)
// loads. Results are cached per package@version, subpath and condition set.
import type { Span } from '../../../shared/src/types';
import type { PackageFacts, PackageLookup } from '../analysis/rule';
import { joinPath, readText, type Host } from '../analysis/host';
import { nativePackageOf } from '../analysis/edge-modules';
import { summarizeModule } from './summary';
import { packageNameOf, type Resolver, type PackageJson } from './resolve';

/** One place in a package that loads a Node builtin or a native binary. */
export interface PackageSite {
  /** The builtin's base name (`fs`) or the `.node` file / native package loaded. */
  module: string;
  specifier: string;
  fileName: string;
  span: Span;
}

/** What the bounded look found, with where. */
export interface PackageReport extends PackageFacts {
  dir: string;
  /** The file the import loads under the conditions, when found. */
  entry?: string;
  builtinSites: PackageSite[];
  /** Other packages the scanned files load unguarded, with where (followed by the module graph, bounded). */
  dependencies: PackageSite[];
  filesScanned: number;
  /** The scan stopped at its file limit: builtins in files not scanned are unknown. */
  truncated: boolean;
}

/** Packages that load native binaries for their dependents: depending on one makes a package native. */
const NATIVE_LOADERS = new Set([
  'node-gyp-build',
  'bindings',
  'prebuild-install',
  '@mapbox/node-pre-gyp',
  'node-pre-gyp',
  'node-addon-api',
  'nan',
  'napi-macros',
]);

export interface InspectorLimits {
  /** Files of one package read per inspection (default 40). */
  maxFiles: number;
  /** Files larger than this are not parsed (default 1.5 MB): generated bundles say little per byte. */
  maxFileBytes: number;
}

export class PackageInspector implements PackageLookup {
  private readonly reports = new Map<string, PackageReport>();
  private readonly natives = new Map<string, { native: boolean; reason?: string }>();
  private readonly limits: InspectorLimits;
  readonly runtime: 'node' | 'edge';

  constructor(
    private readonly host: Host,
    private readonly resolver: Resolver,
    readonly conditions: ReadonlySet<string>,
    limits: Partial<InspectorLimits> = {},
  ) {
    this.limits = { maxFiles: 40, maxFileBytes: 1.5 * 1024 * 1024, ...limits };
    this.runtime = conditions.has('node') ? 'node' : 'edge';
  }

  clear(): void {
    this.reports.clear();
    this.natives.clear();
  }

  /** PackageLookup: facts about the package a bare specifier loads from `fromFile`, if it is installed. */
  inspect(specifier: string, fromFile: string): PackageFacts | undefined {
    const r = this.resolver.resolve(specifier, fromFile, this.conditions);
    if (r.kind !== 'package') return undefined;
    const report = this.inspectPackage(r.dir, r.subpath, r.entry);
    return { name: report.name, version: report.version, native: report.native, nodeBuiltins: report.nodeBuiltins, reason: report.reason };
  }

  /** Native-addon signs in a package folder, cached per folder and version. */
  nativeOf(dir: string, pkg: PackageJson): { native: boolean; reason?: string } {
    const key = `${dir}@${pkg.version ?? ''}`;
    const hit = this.natives.get(key);
    if (hit) return hit;
    const name = pkg.name ?? dir.slice(dir.lastIndexOf('/node_modules/') + 14);
    let result: { native: boolean; reason?: string } = { native: false };
    const host = this.host;
    const deps = { ...(pkg.dependencies ?? {}), ...(pkg.optionalDependencies ?? {}) };
    const loader = Object.keys(deps).find((d) => NATIVE_LOADERS.has(d));
    const known = nativePackageOf(name);
    if (pkg.gypfile === true) result = { native: true, reason: `${name} is a native addon (its package.json sets "gypfile": true)` };
    else if (host.fileExists(joinPath(dir, 'binding.gyp'))) result = { native: true, reason: `${name} is a native addon (it ships binding.gyp)` };
    else if (host.directoryExists(joinPath(dir, 'prebuilds')))
      result = { native: true, reason: `${name} is a native addon (it ships prebuilt binaries in prebuilds/)` };
    else if (loader) result = { native: true, reason: `${name} loads a native addon (it depends on ${loader})` };
    else if (known && name !== '@prisma/client') result = { native: true, reason: `${name} is ${known.why}` };
    else {
      for (const sub of ['', 'build/Release', 'lib', 'bin', 'dist']) {
        const d = sub ? joinPath(dir, sub) : dir;
        const hit = host.readDirectory(d).find((n) => n.endsWith('.node'));
        if (hit) {
          result = { native: true, reason: `${name} is a native addon (it ships ${sub ? sub + '/' : ''}${hit})` };
          break;
        }
      }
    }
    this.natives.set(key, result);
    return result;
  }

  /**
   * Inspects the package in `dir` as loaded through `subpath` (its entry for this inspector's conditions):
   * reads the entry and the package files it loads, up to the file limit, collecting Node builtins and
   * other packages loaded outside runtime guards and try/catch fallbacks.
   */
  inspectPackage(dir: string, subpath = '.', entry?: string): PackageReport {
    const pkg = this.resolver.readPackageJson(dir) ?? {};
    const name = pkg.name ?? dir.slice(dir.lastIndexOf('/node_modules/') + 14);
    const key = `${dir}@${pkg.version ?? ''}|${subpath}`;
    const hit = this.reports.get(key);
    if (hit) return hit;
    const native = this.nativeOf(dir, pkg);
    const start = entry ?? this.resolver.packageEntry(dir, pkg, subpath, this.conditions);
    const browserMap = this.conditions.has('browser') && pkg.browser && typeof pkg.browser === 'object' ? pkg.browser : undefined;
    const builtinSites: PackageSite[] = [];
    const dependencies: PackageSite[] = [];
    const seen = new Set<string>();
    const queue = start ? [start] : [];
    let truncated = false;
    while (queue.length) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      if (seen.size >= this.limits.maxFiles) {
        truncated = true;
        break;
      }
      seen.add(file);
      if (file.endsWith('.node')) continue;
      // Through the door with the cap checked before reading: a huge bundled file in a package is not read at all.
      const text = readText(this.host, file, this.limits.maxFileBytes).text;
      if (text === undefined) continue;
      for (const imp of summarizeModule(file, text, undefined, false).imports) {
        if (imp.typeOnly || imp.fallback || (imp.onlyIn && imp.onlyIn !== this.runtime)) continue;
        if (browserMap && browserMap[imp.specifier] === false) continue;
        const r = this.resolver.resolve(imp.specifier, file, this.conditions);
        const site = { specifier: imp.specifier, fileName: file, span: imp.span };
        if (r.kind === 'builtin') builtinSites.push({ ...site, module: r.module });
        else if (r.kind === 'file') queue.push(r.fileName);
        else if (r.kind === 'package') {
          if (r.dir === dir) {
            if (r.entry?.endsWith('.node')) builtinSites.push({ ...site, module: r.entry.slice(r.entry.lastIndexOf('/') + 1) });
            else if (r.entry) queue.push(r.entry);
          } else dependencies.push({ ...site, module: r.name });
        } else if (!imp.specifier.startsWith('.') && !imp.specifier.startsWith('/')) {
          // Not installed: a known native package still counts by name.
          if (nativePackageOf(imp.specifier)) dependencies.push({ ...site, module: packageNameOf(imp.specifier) });
        }
      }
    }
    const natives = builtinSites.filter((s) => s.module.endsWith('.node'));
    const builtins = [...new Set(builtinSites.filter((s) => !s.module.endsWith('.node')).map((s) => s.module))];
    const isNative = native.native || natives.length > 0;
    const entryName = start ? start.slice(dir.length + 1) : undefined;
    const reason = native.native
      ? native.reason
      : natives.length
        ? `${name} loads the native binary ${natives[0].module}`
        : builtins.length
          ? `${name}'s entry for these export conditions (${entryName}) imports ${builtins.map((b) => `node:${b}`).join(', ')}`
          : undefined;
    const report: PackageReport = {
      name,
      version: pkg.version,
      native: isNative,
      nodeBuiltins: builtins,
      reason,
      dir,
      entry: start,
      builtinSites,
      dependencies,
      filesScanned: seen.size,
      truncated,
    };
    this.reports.set(key, report);
    return report;
  }
}
