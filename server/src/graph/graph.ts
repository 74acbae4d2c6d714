// The workspace module graph: per-file import summaries (cached by content), resolved edges, the chains from
// an edge entry to Node-only code, which function entry reaches a module (role propagation), and what a
// function loads (bundle estimates). Reads files only through the Host; the editor's unsaved text comes in
// through `update()`. Bounded in files and depth; cycles end at already-visited modules.
import { createHash } from 'node:crypto';
import type * as ts from 'typescript';
import type { Platform, Range, Runtime, Span } from '../../../shared/src/types';
import { dirname, readText, type Host, type ReadResult } from '../analysis/host';
import { DEFAULT_MAX_FILE_SIZE } from '../../../shared/src/settings';
import { offsetToPosition } from '../analysis/project';
import { parseSource } from '../analysis/parse';
import { nativePackageOf } from '../analysis/edge-modules';
import { functionsOfTree, isScriptFile, sameEdges, summarizeModule, type ModuleImport, type ModuleSummary } from './summary';
import { conditionsFor, conditionsKey, isBareSpecifier, packageNameOf, Resolver, type Resolution } from './resolve';
import { PackageInspector, type PackageReport } from './packages';
import { builtinBindingReached } from './builtin-use';
import { own, summarizeDeclarations, type BindingUse, type CallRef, type FnFacts, type FunctionBodies, type ModuleFunctions } from './functions';
import { detached } from '../analysis/detach';

/** Where a call into the project's modules leads, and what the function it calls does (functions.ts). */
export interface CalleeAnswer {
  /** The module of the function. */
  fileName: string;
  facts: FnFacts;
  /**
   * The receiver is one instance that every request shares: a module-level `new X()`, or a class instance injected
   * into (or created by) a controller's field. Its method's `this.x = ...` writes are then shared state.
   */
  sharedInstance: boolean;
}

/** How far a call is followed: re-export and import hops for one name, and calls whose result a function returns. */
const MAX_NAME_HOPS = 12;
const MAX_RETURN_DEPTH = 4;

/** One import in a chain: where it is and what it loads. */
export interface ChainHop {
  fileName: string;
  specifier: string;
  span: Span;
  range: Range;
}

/** A path from an entry's import to Node-only code. */
export interface NodeOnlyChain {
  /** The entry's own import that starts the chain (hops[0] is the same import). */
  start: { specifier: string; span: Span };
  /** Every import along the way, entry first; the last hop loads the culprit. */
  hops: ChainHop[];
  culprit: {
    kind: 'builtin' | 'native';
    /** `fs`, or the native package / binary. */
    module: string;
    /** A sentence fragment saying why, e.g. "sharp is a native addon (it ships binding.gyp)". */
    detail: string;
  };
}

export interface GraphLimits {
  /** Modules summarized at most (default 10,000). */
  maxFiles: number;
  /** Longest chain followed (default 40 imports). */
  maxDepth: number;
  /** Installed packages followed from one start import (default 60). */
  maxPackages: number;
  /**
   * Trees of modules summarized on demand (an entry's imports, read before the module itself is linted) kept for
   * the module's own analysis: at most this many (default 0: none; batch services, which go on to lint most of
   * the modules they summarize, keep some), and at most `spareTreeChars` characters of source among them.
   */
  spareTrees: number;
  spareTreeChars: number;
  /**
   * Summarize a module's functions only when a rule follows a call into it (default false: with every summary).
   * Batch services set it: most modules of a workspace are never called into from function code, and summarizing
   * every one cost a fifth of a CLI run on published packages, in work and in what the collector had to keep. The
   * editor keeps them eager, since a change of a helper's facts must re-lint its importers at once (`version`).
   */
  lazyFunctions: boolean;
  /**
   * The size limit of a file (its settings' `maxFileSize`): a larger file is neither read nor parsed, it has no
   * imports here, and `refusal` says why (default: the default limit).
   */
  maxFileSize: (fileName: string) => number;
  /**
   * The names a folder held when it was listed, if it was (batch services: the project index lists every folder up
   * from each file, and a run's files do not change): module resolution takes a name missing there as absent
   * without a stat. Only where names are case-sensitive.
   */
  listing?: (dir: string) => ReadonlySet<string> | undefined;
}

/** A hook for tests and the server: which runtime's conditions and which builtins are allowed. */
export interface ChainQuery {
  runtime: Runtime;
  platform: Platform;
  /** Whether the runtime supplies this Node builtin (base name, e.g. `buffer`). */
  builtinAllowed(module: string): boolean;
  /**
   * Also return a one-hop chain for a native package the module imports itself. The editor leaves those to
   * edge-no-native-module (one diagnostic per import); the workspace report lists every package an edge entry needs.
   */
  includeDirectNative?: boolean;
}

interface Known {
  hash: string;
  summary: ModuleSummary;
  /** With `lazyFunctions`: the functions' summary once asked for (null: the module has none, e.g. unparseable). */
  functions?: ModuleFunctions | null;
  /**
   * Where the functions are declared (`at.start`) whose bodies were not summarized: the module was summarized while
   * it was linted, one function at a time, and no call asked for these. A call that reaches one summarizes the module whole.
   */
  unscanned?: Set<number>;
  /** Line starts of the text, computed on the first range asked for (the text itself is not kept). */
  lineStarts?: number[];
}

/** How `update` may save work: a parse it shares with the caller, a hash the caller computed anyway. */
export interface UpdateOptions {
  parse?: Parameters<typeof summarizeModule>[2];
  /** The text is what the host reads for the file (the CLI, the workspace check): not kept as an overlay. */
  fromHost?: boolean;
  /** `hashOf(text)`. */
  hash?: string;
}

type Node = { kind: 'file'; fileName: string } | { kind: 'package'; name: string; dir: string; subpath: string; entry?: string };

/** The content hash the graph keys summaries by (callers that hash the text anyway pass it to `update`). */
export function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Whether an import exists at run time in `runtime`. */
export function isRuntimeEdge(imp: ModuleImport, runtime: Runtime): boolean {
  return !imp.typeOnly && !imp.fallback && (!imp.onlyIn || imp.onlyIn === runtime);
}

export class ModuleGraph {
  readonly resolver: Resolver;
  private readonly known = new Map<string, Known>();
  private readonly overlay = new Map<string, string>();
  private readonly resolutions = new Map<string, Resolution>();
  private readonly inspectors = new Map<string, PackageInspector>();
  private readonly entries = new Map<string, { runtime: Runtime; platform: Platform }>();
  private readonly limits: GraphLimits;
  /** See `GraphLimits.spareTrees`: oldest first. */
  private readonly spare = new Map<string, { hash: string; tree: ts.SourceFile }>();
  private spareChars = 0;
  /** With `lazyFunctions`: the parse of the module being linted, shared with its analysis (a rule may ask for its functions). */
  private current?: { fileName: string; hash: string; parse: NonNullable<UpdateOptions['parse']> };
  /**
   * The functions' summary of the module being linted, made from its tree one function at a time (a call into a
   * helper of the handler's file summarizes that helper, not the handlers), until the lint ends.
   */
  private lazy?: { fileName: string; hash: string; functions: ModuleFunctions; bodies?: FunctionBodies };
  /** Which entry reaches each module; dropped whenever an edge that matters to it may have changed. */
  private reach?: { byFile: Map<string, string> };
  private reverse?: { version: number; importers: Map<string, Set<string>> };
  /** Bumped whenever an edge may have changed: callers include it in cache keys of cross-file results. */
  version = 0;

  constructor(
    private readonly host: Host,
    workspaceRoot?: string,
    limits: Partial<GraphLimits> = {},
  ) {
    this.resolver = new Resolver(host, workspaceRoot, limits.listing);
    this.limits = {
      maxFiles: 10_000,
      maxDepth: 40,
      maxPackages: 60,
      spareTrees: 0,
      spareTreeChars: 0,
      lazyFunctions: false,
      maxFileSize: () => DEFAULT_MAX_FILE_SIZE,
      ...limits,
    };
  }

  /** Why the graph did not read a module (too large, not a regular file, unreadable, outside the workspace), by file. */
  private readonly refusals = new Map<string, Exclude<ReadResult, { text: string }>>();

  /** Why a module was not read, when it was not (a module an import reached; the caller reports it on that file). */
  refusal(fileName: string): Exclude<ReadResult, { text: string }> | undefined {
    return this.refusals.get(fileName);
  }

  /** A summary of no imports, for text the graph does not parse (over the size limit). */
  private static unparsed(fileName: string, text: string): ModuleSummary {
    return { fileName, imports: [], useClient: false, size: text.length };
  }

  /**
   * A file's text changed (editor edit, or on disk). Re-summarizes it when its content changed; returns
   * whether its imports changed and, on demand, the modules that (transitively) import it, whose cross-file
   * results may now differ.
   */
  update(fileName: string, text: string, options: UpdateOptions = {}): { changed: boolean; affected: () => string[] } {
    const { parse, fromHost = false } = options;
    // Text that the host would read anyway (the CLI, the workspace check) is not kept: the graph asks the host
    // when it needs the file again. Editor buffers are kept, since they win over the disk.
    if (!fromHost) this.overlay.set(fileName, text);
    const before = this.known.get(fileName);
    const hash = options.hash ?? hashOf(text);
    if (this.limits.lazyFunctions && parse) {
      if (this.lazy?.fileName !== fileName) this.finishLazy();
      this.current = { fileName, hash, parse };
    }
    if (before && before.hash === hash) return { changed: false, affected: () => [] };
    // The size limit is checked before any parse: a 50 MB generated file costs its text, not gigabytes of tree.
    const summary =
      text.length > this.limits.maxFileSize(fileName)
        ? ModuleGraph.unparsed(fileName, text)
        : summarizeModule(fileName, text, parse, !this.limits.lazyFunctions);
    this.known.set(fileName, { hash, summary });
    const changed = !before || !sameEdges(before.summary, summary);
    // Only a file that is new on disk can change how specifiers resolve; the first sight of an existing file
    // (every file of a workspace check) cannot, and clearing here made a workspace check quadratic. A text the
    // host read exists on disk.
    if (!before && !fromHost && !this.host.fileExists(fileName)) {
      this.resolutions.clear();
      this.reach = undefined;
    }
    // A function's facts changed (a helper now writes module state): importers' results change, no edge does.
    if (!changed && before && before.summary.functionsKey !== summary.functionsKey) this.version++;
    if (changed) {
      this.version++;
      // Only the edges of an entry or of a module some entry reaches can change reachability.
      if (this.reach && (this.entries.has(fileName) || this.reach.byFile.has(fileName))) this.reach = undefined;
    }
    // Computed on demand: the reverse map costs a pass over every known module, and most callers never ask. A
    // function, not a getter: an object literal with a getter kept what it closes over through scavenges (docs/memory.md).
    return { changed, affected: () => (changed || before ? this.importersOf(fileName) : []) };
  }

  /** The editor closed a file: its text is read from disk again from now on. */
  closeOverlay(fileName: string): void {
    this.overlay.delete(fileName);
    this.known.delete(fileName);
    this.version++;
    this.reach = undefined;
  }

  /** A file was deleted (or renamed away). Returns the modules that imported it. */
  remove(fileName: string): string[] {
    const affected = this.importersOf(fileName);
    this.overlay.delete(fileName);
    this.known.delete(fileName);
    this.entries.delete(fileName);
    this.resolutions.clear();
    this.version++;
    this.reach = undefined;
    return affected;
  }

  /**
   * Files were created, tsconfig/package.json changed, or packages were installed: forget resolutions,
   * configs and package facts (summaries stay, they are keyed by content).
   */
  invalidateResolution(): void {
    this.resolutions.clear();
    this.resolver.invalidate();
    for (const i of this.inspectors.values()) i.clear();
    for (const [file, k] of this.known) {
      if (this.overlay.has(file)) continue;
      const text = readText(this.host, file, this.limits.maxFileSize(file)).text;
      if (text === undefined || hashOf(text) !== k.hash) this.known.delete(file);
    }
    this.refusals.clear();
    this.version++;
    this.reach = undefined;
  }

  /** Records whether a linted file is a function entry (the service calls this after each analysis). */
  markEntry(fileName: string, entry: { runtime: Runtime; platform: Platform } | undefined): void {
    const before = this.entries.get(fileName);
    if (!entry) {
      if (before) {
        this.entries.delete(fileName);
        this.reach = undefined;
      }
      return;
    }
    if (!before || before.runtime !== entry.runtime || before.platform !== entry.platform) {
      this.entries.set(fileName, entry);
      // A new entry only adds reach: extending the map keeps a workspace check linear (recomputing it over
      // every entry after each new one was quadratic). A changed entry may also remove reach: recompute.
      if (!before && this.reach) this.extendReach(fileName, entry);
      else this.reach = undefined;
    }
  }

  /** Adds what a new entry reaches to the reach map, keeping for each module the first entry by name (as a full recompute does). */
  private extendReach(entry: string, { runtime, platform }: { runtime: Runtime; platform: Platform }): void {
    const byFile = this.reach!.byFile;
    byFile.delete(entry);
    this.walkFromEntry(entry, runtime, platform, (file) => {
      const current = byFile.get(file);
      if (current === undefined || entry < current) byFile.set(file, entry);
    });
  }

  /** Local modules an entry reaches at run time, not through `'use client'` modules nor other entries' own mapping. */
  private walkFromEntry(entry: string, runtime: Runtime, platform: Platform, visit: (file: string) => void): void {
    const stack: Array<{ file: string; depth: number }> = [{ file: entry, depth: 0 }];
    const seen = new Set<string>([entry]);
    while (stack.length) {
      const { file, depth } = stack.pop()!;
      if (depth >= this.limits.maxDepth) continue;
      for (const { to } of this.edgesOf(file, runtime, platform)) {
        if (to.kind !== 'file' || seen.has(to.fileName)) continue;
        seen.add(to.fileName);
        if (this.summaryOf(to.fileName)?.useClient) continue;
        if (!this.entries.has(to.fileName)) visit(to.fileName);
        stack.push({ file: to.fileName, depth: depth + 1 });
      }
    }
  }

  entryFiles(): string[] {
    return [...this.entries.keys()];
  }

  /** The module's summary, reading it through the Host when it is not known yet. */
  summaryOf(fileName: string): ModuleSummary | undefined {
    const hit = this.known.get(fileName);
    if (hit) return hit.summary;
    if (this.known.size >= this.limits.maxFiles) return undefined;
    const text = this.moduleText(fileName);
    if (text === undefined) return undefined;
    let tree: ts.SourceFile | undefined;
    const summary = summarizeModule(
      fileName,
      text,
      () => {
        const parsed = parseSource(fileName, text);
        if (!('error' in parsed)) tree = parsed;
        return parsed;
      },
      !this.limits.lazyFunctions,
    );
    const hash = hashOf(text);
    this.known.set(fileName, { hash, summary });
    if (tree && this.limits.spareTrees > 0 && text.length <= this.limits.spareTreeChars) this.keepSpare(fileName, hash, tree);
    return summary;
  }

  /**
   * A module's text: the editor's buffer, else read through the door with the size checked before reading (a
   * refused module says why); undefined over the size limit.
   */
  private moduleText(fileName: string): string | undefined {
    let text = this.overlay.get(fileName);
    if (text === undefined) {
      const got = readText(this.host, fileName, this.limits.maxFileSize(fileName));
      if (got.text === undefined) {
        if (got.refused !== 'missing') this.refusals.set(fileName, got);
        return undefined;
      }
      text = got.text;
    }
    return text.length > this.limits.maxFileSize(fileName) ? undefined : text;
  }

  private keepSpare(fileName: string, hash: string, tree: ts.SourceFile): void {
    this.dropSpare(fileName);
    this.spare.set(fileName, { hash, tree });
    this.spareChars += tree.text.length;
    while (this.spare.size > this.limits.spareTrees || this.spareChars > this.limits.spareTreeChars) {
      this.dropSpare(this.spare.keys().next().value!);
    }
  }

  private dropSpare(fileName: string): void {
    const kept = this.spare.get(fileName);
    if (!kept) return;
    this.spare.delete(fileName);
    this.spareChars -= kept.tree.text.length;
  }

  /** The text of a file's spare tree, read when an entry's imports reached it: the CLI lints that text rather than reading the file again. */
  spareText(fileName: string): string | undefined {
    return this.spare.get(fileName)?.tree.text;
  }

  /**
   * The tree `summaryOf` parsed for this text of the file, if it is still kept (see `GraphLimits.spareTrees`);
   * handed over once, so the caller may use it as its own.
   */
  takeSpareTree(fileName: string, hash: string): ts.SourceFile | undefined {
    const kept = this.spare.get(fileName);
    // Dropped either way: a tree of another text of the file will not be asked for again.
    this.dropSpare(fileName);
    return kept?.hash === hash ? kept.tree : undefined;
  }

  /** Line/character range of a span in a known file. */
  rangeIn(fileName: string, span: Span): Range {
    const k = this.known.get(fileName);
    const read = () => this.overlay.get(fileName) ?? readText(this.host, fileName, this.limits.maxFileSize(fileName)).text ?? '';
    const starts = k ? (k.lineStarts ??= lineStarts(read())) : lineStarts(read());
    return { start: offsetToPosition(starts, span.start), end: offsetToPosition(starts, span.end) };
  }

  inspector(runtime: Runtime, platform: Platform): PackageInspector {
    const conditions = conditionsFor(runtime, platform);
    const key = conditionsKey(conditions);
    let i = this.inspectors.get(key);
    if (!i) this.inspectors.set(key, (i = new PackageInspector(this.host, this.resolver, conditions)));
    return i;
  }

  resolve(specifier: string, fromFile: string, runtime: Runtime, platform: Platform): Resolution {
    const conditions = conditionsFor(runtime, platform);
    // A resolution depends on the importing file's folder only (node_modules lookup, relative paths, the tsconfig
    // that governs it): keyed by folder, the files of one folder share their entries.
    // Bare specifiers resolve alike in every folder below the nearest node_modules or tsconfig (`bareScope`).
    const dir = isBareSpecifier(specifier) && !fromFile.includes('/node_modules/') ? this.resolver.bareScope(dirname(fromFile)) : dirname(fromFile);
    const key = `${dir}\0${specifier}\0${conditionsKey(conditions)}`;
    let r = this.resolutions.get(key);
    if (!r) this.resolutions.set(key, (r = this.resolver.resolve(specifier, fromFile, conditions)));
    return r;
  }

  /** The run-time imports of a module in a runtime, resolved. */
  edgesOf(fileName: string, runtime: Runtime, platform: Platform): Array<{ imp: ModuleImport; to: Resolution }> {
    const summary = this.summaryOf(fileName);
    if (!summary) return [];
    return summary.imports.filter((imp) => isRuntimeEdge(imp, runtime)).map((imp) => ({ imp, to: this.resolve(imp.specifier, fileName, runtime, platform) }));
  }

  /**
   * For each run-time import of `fileName` that leads (through local modules or installed packages) to a Node
   * builtin the runtime lacks or to a native addon: the shortest such chain. Imports that are themselves a
   * builtin or a native package are left to the single-file rules (edge-no-node-builtin, edge-no-native-module).
   */
  nodeOnlyChains(fileName: string, query: ChainQuery): NodeOnlyChain[] {
    const out: NodeOnlyChain[] = [];
    const { runtime, platform } = query;
    const inspector = this.inspector(runtime, platform);
    const hop = (file: string, imp: { specifier: string; span: Span }): ChainHop => ({
      fileName: file,
      specifier: imp.specifier,
      span: imp.span,
      range: this.rangeIn(file, imp.span),
    });
    const seenStarts = new Set<string>();
    for (const { imp, to } of this.edgesOf(fileName, runtime, platform)) {
      if (to.kind === 'builtin') continue;
      // Known native packages by name even when not installed (a workspace checked before `npm install`).
      if (to.kind === 'unresolved' || to.kind === 'package') {
        const known = nativePackageOf(imp.specifier);
        const inspected = known || to.kind !== 'package' ? undefined : inspector.nativeOf(to.dir, this.resolver.readPackageJson(to.dir) ?? {});
        if (known || inspected?.native) {
          if (query.includeDirectNative) {
            const name = packageNameOf(imp.specifier);
            const detail = known ? `${name} is ${known.why}` : (inspected?.reason ?? `${name} is a native addon`);
            out.push({ start: { specifier: imp.specifier, span: imp.span }, hops: [hop(fileName, imp)], culprit: { kind: 'native', module: name, detail } });
          }
          continue;
        }
        if (to.kind === 'unresolved') continue;
      }
      const startKey = to.kind === 'file' ? to.fileName : `${to.dir}|${to.subpath}`;
      if (seenStarts.has(startKey)) continue;
      seenStarts.add(startKey);
      const first: Node =
        to.kind === 'file' ? { kind: 'file', fileName: to.fileName } : { kind: 'package', name: to.name, dir: to.dir, subpath: to.subpath, entry: to.entry };
      const found = this.searchFrom(first, [hop(fileName, imp)], query, inspector, hop);
      if (found) out.push({ start: { specifier: imp.specifier, span: imp.span }, hops: found.hops, culprit: found.culprit });
    }
    return out;
  }

  /** Whether `file`'s import `imp` of a builtin is used at its top level or in code that `importer`'s uses reach. */
  private builtinReached(file: string, imp: { span: Span }, importer: ChainHop | undefined): boolean {
    const read = (f: string) => this.overlay.get(f) ?? this.host.readFile(f);
    const text = read(file);
    const importerText = importer && read(importer.fileName);
    if (text === undefined || importerText === undefined || !importer) return true;
    return builtinBindingReached({ fileName: file, text, span: imp.span }, { fileName: importer.fileName, text: importerText, span: importer.span });
  }

  private searchFrom(
    first: Node,
    firstHops: ChainHop[],
    query: ChainQuery,
    inspector: PackageInspector,
    hop: (file: string, imp: { specifier: string; span: Span }) => ChainHop,
  ): { hops: ChainHop[]; culprit: NodeOnlyChain['culprit'] } | undefined {
    const { runtime, platform } = query;
    const queue: Array<{ node: Node; hops: ChainHop[] }> = [{ node: first, hops: firstHops }];
    const visited = new Set<string>();
    let packages = 0;
    while (queue.length) {
      const { node, hops } = queue.shift()!;
      const key = node.kind === 'file' ? node.fileName : `${node.dir}|${node.subpath}`;
      if (visited.has(key) || hops.length > this.limits.maxDepth) continue;
      visited.add(key);
      if (node.kind === 'package') {
        if (++packages > this.limits.maxPackages) continue;
        const report: PackageReport = inspector.inspectPackage(node.dir, node.subpath, node.entry);
        if (report.native) {
          const binary = report.builtinSites.find((s) => s.module.endsWith('.node'));
          return {
            hops: binary ? [...hops, hop(binary.fileName, binary)] : hops,
            culprit: { kind: 'native', module: report.name, detail: report.reason ?? `${report.name} is a native addon` },
          };
        }
        const bad = report.builtinSites.find((s) => !query.builtinAllowed(s.module));
        if (bad) {
          const entry = report.entry ? report.entry.slice(report.dir.length + 1) : 'its entry';
          return {
            hops: [...hops, hop(bad.fileName, bad)],
            culprit: {
              kind: 'builtin',
              module: bad.module,
              detail: `${report.name} (${entry}, for the ${[...inspector.conditions].join('/')} conditions) loads node:${bad.module}`,
            },
          };
        }
        for (const dep of report.dependencies) {
          const known = nativePackageOf(dep.specifier);
          const r = this.resolve(dep.specifier, dep.fileName, runtime, platform);
          if (known && r.kind !== 'package') {
            return { hops: [...hops, hop(dep.fileName, dep)], culprit: { kind: 'native', module: dep.module, detail: `${dep.module} is ${known.why}` } };
          }
          if (r.kind === 'package')
            queue.push({ node: { kind: 'package', name: r.name, dir: r.dir, subpath: r.subpath, entry: r.entry }, hops: [...hops, hop(dep.fileName, dep)] });
        }
        continue;
      }
      for (const { imp, to } of this.edgesOf(node.fileName, runtime, platform)) {
        const next = [...hops, hop(node.fileName, imp)];
        if (to.kind === 'builtin') {
          // A builtin counts only when the module uses it at load or in code its importer reaches (builtin-use.ts).
          if (!query.builtinAllowed(to.module) && this.builtinReached(node.fileName, imp, hops[hops.length - 1])) {
            return {
              hops: next,
              culprit: { kind: 'builtin', module: to.module, detail: `${node.fileName.slice(node.fileName.lastIndexOf('/') + 1)} imports node:${to.module}` },
            };
          }
          continue;
        }
        if (to.kind === 'file') queue.push({ node: { kind: 'file', fileName: to.fileName }, hops: next });
        else if (to.kind === 'package') {
          const known = nativePackageOf(imp.specifier);
          if (known)
            return { hops: next, culprit: { kind: 'native', module: packageNameOf(imp.specifier), detail: `${packageNameOf(imp.specifier)} is ${known.why}` } };
          queue.push({ node: { kind: 'package', name: to.name, dir: to.dir, subpath: to.subpath, entry: to.entry }, hops: next });
        } else {
          // Not installed (or not resolvable): a known native package still counts by name.
          const known = nativePackageOf(imp.specifier);
          if (known)
            return { hops: next, culprit: { kind: 'native', module: packageNameOf(imp.specifier), detail: `${packageNameOf(imp.specifier)} is ${known.why}` } };
        }
      }
    }
    return undefined;
  }

  resolvesToFile(specifier: string, fromFile: string, runtime: Runtime, platform: Platform): boolean {
    return this.resolve(specifier, fromFile, runtime, platform).kind === 'file';
  }

  /**
   * The caller is done with the module it last passed to `update` with a parse: the graph lets go of that parse.
   * Without it the tree lived on into the next file's analysis, where the collector copied and promoted it.
   */
  releaseCurrent(): void {
    this.current = undefined;
    this.finishLazy();
  }

  /** The linted module's functions' summary becomes one as every other module's is: detached from its tree. */
  private finishLazy(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    this.lazy = undefined;
    const known = this.known.get(lazy.fileName);
    if (known?.hash !== lazy.hash || known.functions !== lazy.functions) return;
    // Kept as plain data without the tree, as every other module's summary is.
    known.functions = detached(lazy.functions);
    const unscanned = lazy.bodies?.unscanned();
    if (unscanned?.length) known.unscanned = new Set(unscanned);
  }

  /** A module's function summary (functions.ts), reading and summarizing it when it is not known yet. */
  functionsOf(fileName: string): ModuleFunctions | undefined {
    const summary = this.summaryOf(fileName);
    if (!summary || !this.limits.lazyFunctions) return summary?.functions;
    const known = this.known.get(fileName);
    if (!known) return undefined;
    if (known.functions === undefined) known.functions = this.summarizeFunctionsOf(fileName, known.hash);
    return known.functions ?? undefined;
  }

  /**
   * Summarizes a module's functions on demand (`lazyFunctions`): from the tree of the module being linted, else
   * from its spare tree, else from a parse of its text (read again: a batch graph keeps no texts).
   */
  private summarizeFunctionsOf(fileName: string, hash: string): ModuleFunctions | null {
    if (!isScriptFile(fileName)) return null;
    let tree: ts.SourceFile | undefined;
    if (this.current?.fileName === fileName && this.current.hash === hash) {
      const parsed = this.current.parse();
      if ('error' in parsed) return null;
      this.finishLazy();
      const { out, bodies } = summarizeDeclarations(parsed);
      this.lazy = { fileName, hash, functions: out, bodies };
      return out;
    } else {
      const spare = this.spare.get(fileName);
      if (spare?.hash === hash) tree = spare.tree;
      else {
        const text = this.moduleText(fileName);
        if (text === undefined || hashOf(text) !== hash) return null;
        const parsed = parseSource(fileName, text);
        tree = 'error' in parsed ? undefined : parsed;
      }
    }
    return tree ? functionsOfTree(tree) : null;
  }

  /**
   * Where an exported name of a module is defined: the module and the local name there, through `export { a as b }`,
   * `export ... from` and `export *` (bounded, cycles end at modules already seen).
   */
  private exportedAs(fileName: string, name: string, runtime: Runtime, platform: Platform): { fileName: string; local: string } | undefined {
    const stack: Array<{ file: string; name: string }> = [{ file: fileName, name }];
    const seen = new Set<string>();
    while (stack.length && seen.size < MAX_NAME_HOPS * 4) {
      const { file, name: n } = stack.pop()!;
      const key = `${file}\0${n}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const mod = this.functionsOf(file);
      if (!mod) continue;
      const local = own(mod.exports, n);
      if (local !== undefined) return { fileName: file, local };
      for (const re of mod.reexports) {
        const orig = re.names ? own(re.names, n) : n === 'default' ? undefined : n;
        if (orig === undefined) continue;
        const to = this.resolve(re.specifier, file, runtime, platform);
        if (to.kind === 'file') stack.push({ file: to.fileName, name: orig });
      }
    }
    return undefined;
  }

  /**
   * What a module-scope name of a module binds once imports and re-exports are followed: the module that defines it,
   * its local name there, and the member names still to look up (`audit.log` on `import * as audit` is `log` of
   * audit's module). Undefined when the name leads into a package or out of the graph.
   */
  private definitionOf(
    fileName: string,
    local: string,
    members: readonly string[],
    runtime: Runtime,
    platform: Platform,
  ): { fileName: string; local: string; members: string[]; mod: ModuleFunctions } | undefined {
    let file = fileName;
    let name = local;
    let rest = [...members];
    for (let hop = 0; hop < MAX_NAME_HOPS; hop++) {
      const mod = this.functionsOf(file);
      if (!mod) return undefined;
      const imp = own(mod.imports, name);
      if (!imp) return { fileName: file, local: name, members: rest, mod };
      const to = this.resolve(imp.specifier, file, runtime, platform);
      if (to.kind !== 'file') return undefined;
      let found: { fileName: string; local: string } | undefined;
      if (imp.imported === '*') {
        // A namespace import or a CommonJS require: its first member is the export (else the module's own default).
        if (rest.length) found = this.exportedAs(to.fileName, rest[0], runtime, platform);
        if (found) rest = rest.slice(1);
        else found = this.exportedAs(to.fileName, 'default', runtime, platform);
      } else {
        found = this.exportedAs(to.fileName, imp.imported, runtime, platform);
      }
      if (!found) return undefined;
      file = found.fileName;
      name = found.local;
    }
    return undefined;
  }

  /** A class by a module-scope name of a module: its module and facts. */
  private classOf(
    fileName: string,
    name: string,
    runtime: Runtime,
    platform: Platform,
  ): { fileName: string; cls: ModuleFunctions['classes'][string] } | undefined {
    const def = this.definitionOf(fileName, name, [], runtime, platform);
    const cls = def && own(def.mod.classes, def.local);
    return cls && def ? { fileName: def.fileName, cls } : undefined;
  }

  /**
   * The function a call of `fileName` leads to, and its summary: `helper()` / `ns.helper()` / `store.method()`
   * through imports, re-exports, default exports and module-level objects and instances, and `this.field.method()`
   * where the field's class is known. Undefined when the callee is not a summarized function of the project.
   */
  callee(fileName: string, ref: CallRef, runtime: Runtime, platform: Platform): CalleeAnswer | undefined {
    const answer = this.lookupCallee(fileName, ref, runtime, platform);
    return !answer || this.scanned(answer) ? answer : this.lookupCallee(fileName, ref, runtime, platform);
  }

  /**
   * Makes sure the body of the answer's function is summarized: in the module being linted, that one function now;
   * in a module summarized in part when it was linted, the whole module again (false: look the call up again).
   */
  private scanned(answer: CalleeAnswer): boolean {
    const lazy = this.lazy;
    if (lazy?.fileName === answer.fileName) {
      lazy.bodies?.scan(answer.facts);
      return true;
    }
    const known = this.known.get(answer.fileName);
    if (!known?.unscanned?.has(answer.facts.at.start)) return true;
    known.unscanned = undefined;
    known.functions = this.summarizeFunctionsOf(answer.fileName, known.hash);
    return false;
  }

  private lookupCallee(fileName: string, ref: CallRef, runtime: Runtime, platform: Platform): CalleeAnswer | undefined {
    if (ref.root === 'this') {
      const mod = this.functionsOf(fileName);
      const cls = ref.cls !== undefined && mod ? own(mod.classes, ref.cls) : undefined;
      if (!cls) return undefined;
      if (ref.members.length === 1) {
        const facts = own(cls.methods, ref.members[0]);
        return facts && { fileName, facts, sharedInstance: false };
      }
      if (ref.members.length !== 2) return undefined;
      const type = own(cls.fields, ref.members[0]);
      const target = type !== undefined ? this.classOf(fileName, type, runtime, platform) : undefined;
      const facts = target && own(target.cls.methods, ref.members[1]);
      return facts && target ? { fileName: target.fileName, facts, sharedInstance: !target.cls.perRequest } : undefined;
    }
    const def = this.definitionOf(fileName, ref.root, ref.members, runtime, platform);
    if (!def) return undefined;
    if (def.members.length === 0) {
      const facts = own(def.mod.fns, def.local);
      return facts && { fileName: def.fileName, facts, sharedInstance: false };
    }
    if (def.members.length !== 1) return undefined;
    const obj = own(def.mod.objects, def.local);
    if (!obj) return undefined;
    const member = own(obj.members, def.members[0]);
    if (member) return { fileName: def.fileName, facts: member, sharedInstance: false };
    if (obj.kind !== 'instance' || obj.cls === undefined) return undefined;
    const target = this.classOf(def.fileName, obj.cls, runtime, platform);
    const facts = target && own(target.cls.methods, def.members[0]);
    return facts && target ? { fileName: target.fileName, facts, sharedInstance: true } : undefined;
  }

  /**
   * Why a call's callee returns a promise: its own text (async, returns fetch() ...), or a call it returns whose callee
   * does (bounded depth, explicit queue). Answers the function where the promise is made, and the site.
   */
  promiseOf(answer: CalleeAnswer, runtime: Runtime, platform: Platform): { fileName: string; why: string; at: Span; binding?: BindingUse } | undefined {
    const queue: Array<{ a: CalleeAnswer; depth: number }> = [{ a: answer, depth: 0 }];
    const seen = new Set<FnFacts>();
    while (queue.length) {
      const { a, depth } = queue.shift()!;
      if (seen.has(a.facts)) continue;
      seen.add(a.facts);
      if (a.facts.promise) return { fileName: a.fileName, why: a.facts.promise.why, at: a.facts.promise.at, binding: a.facts.promise.binding };
      if (depth >= MAX_RETURN_DEPTH) continue;
      for (const r of a.facts.returns ?? []) {
        const next = this.callee(a.fileName, r.ref, runtime, platform);
        if (next) queue.push({ a: next, depth: depth + 1 });
      }
    }
    return undefined;
  }

  /**
   * Which argument of a call the callee always sends the response through: its own `res.json(...)` statement, or a
   * statement handing that parameter to a function that does (`respond(res, data)` -> `sendJson(res, data)`), bounded.
   */
  sendsOf(answer: CalleeAnswer, runtime: Runtime, platform: Platform): { param: number; what: string; fileName: string; at: Span } | undefined {
    const queue: Array<{ a: CalleeAnswer; map?: Map<number, number>; depth: number }> = [{ a: answer, depth: 0 }];
    const seen = new Set<FnFacts>();
    while (queue.length) {
      const { a, map, depth } = queue.shift()!;
      if (seen.has(a.facts)) continue;
      seen.add(a.facts);
      const sends = a.facts.sends;
      const param = sends && (map ? map.get(sends.param) : sends.param);
      if (sends && param !== undefined) return { param, what: sends.what, fileName: a.fileName, at: sends.at };
      if (depth >= MAX_RETURN_DEPTH) continue;
      for (const p of a.facts.passes ?? []) {
        const first = p.always ? (map ? map.get(p.param) : p.param) : undefined;
        if (first === undefined) continue;
        const next = this.callee(a.fileName, p.ref, runtime, platform);
        if (next) queue.push({ a: next, map: new Map([[p.arg, first]]), depth: depth + 1 });
      }
    }
    return undefined;
  }

  /**
   * The client a call creates on every call: the callee's own, or one a function it returns the result of creates
   * (`getDb()` returning `createPool()` of another module), unless a function on the way caches (bounded depth).
   */
  clientOf(
    answer: CalleeAnswer,
    runtime: Runtime,
    platform: Platform,
  ): { fileName: string; display: string; at: Span; via: Array<{ fileName: string; at: Span }> } | undefined {
    const queue: Array<{ a: CalleeAnswer; depth: number; via: Array<{ fileName: string; at: Span }> }> = [{ a: answer, depth: 0, via: [] }];
    const seen = new Set<FnFacts>();
    while (queue.length) {
      const { a, depth, via } = queue.shift()!;
      if (seen.has(a.facts) || a.facts.caches) continue;
      seen.add(a.facts);
      if (a.facts.client) return { fileName: a.fileName, display: a.facts.client.display, at: a.facts.client.at, via };
      if (depth >= MAX_RETURN_DEPTH) continue;
      for (const r of a.facts.returns ?? []) {
        const next = this.callee(a.fileName, r.ref, runtime, platform);
        if (next) queue.push({ a: next, depth: depth + 1, via: [...via, { fileName: a.fileName, at: r.at }] });
      }
    }
    return undefined;
  }

  /**
   * The module-scope writes a call makes with its arguments: the callee's own, and those of the functions it hands a
   * parameter on to (`useOrg(id)` -> `setOrg(id)` -> `activeOrg = id`), bounded in depth; each with the hops that lead
   * there, for the finding's chain. `param` is the argument of the first call.
   */
  writesOf(
    answer: CalleeAnswer,
    runtime: Runtime,
    platform: Platform,
  ): Array<{ target: string; param: number; fileName: string; at: Span; sharedInstance: boolean; via: Array<{ fileName: string; at: Span }> }> {
    const out: Array<{ target: string; param: number; fileName: string; at: Span; sharedInstance: boolean; via: Array<{ fileName: string; at: Span }> }> = [];
    // `map` takes a parameter of the function to the argument of the first call it came from (none: the first call itself).
    const queue: Array<{ a: CalleeAnswer; map?: Map<number, number>; via: Array<{ fileName: string; at: Span }>; depth: number }> = [
      { a: answer, via: [], depth: 0 },
    ];
    const seen = new Set<FnFacts>();
    while (queue.length && out.length < 8) {
      const { a, map, via, depth } = queue.shift()!;
      if (seen.has(a.facts)) continue;
      seen.add(a.facts);
      for (const w of a.facts.writes ?? []) {
        const param = map ? map.get(w.param) : w.param;
        if (param !== undefined) out.push({ target: w.target, param, fileName: a.fileName, at: w.at, sharedInstance: a.sharedInstance, via });
      }
      if (depth >= MAX_RETURN_DEPTH) continue;
      for (const p of a.facts.passes ?? []) {
        const first = map ? map.get(p.param) : p.param;
        if (first === undefined) continue;
        const next = this.callee(a.fileName, p.ref, runtime, platform);
        if (next) queue.push({ a: next, map: new Map([[p.arg, first]]), via: [...via, { fileName: a.fileName, at: p.at }], depth: depth + 1 });
      }
    }
    return out;
  }

  /** A module-scope name that binds a module-level object or instance of the project (`export const store = { ... }`). */
  singleton(fileName: string, local: string, runtime: Runtime, platform: Platform): { fileName: string; kind: 'object' | 'instance'; at: Span } | undefined {
    const def = this.definitionOf(fileName, local, [], runtime, platform);
    const obj = def && def.members.length === 0 ? own(def.mod.objects, def.local) : undefined;
    return obj && def ? { fileName: def.fileName, kind: obj.kind, at: obj.at } : undefined;
  }

  /**
   * The function entry through which a module is reachable (for its role `function-module`), or undefined.
   * Only local modules count; `'use client'` modules are not followed (they run in the browser).
   */
  entryReaching(fileName: string): string | undefined {
    if (this.entries.has(fileName)) return undefined;
    if (!this.reach) {
      const byFile = new Map<string, string>();
      for (const [entry, { runtime, platform }] of [...this.entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        this.walkFromEntry(entry, runtime, platform, (file) => {
          if (!byFile.has(file)) byFile.set(file, entry);
        });
      }
      this.reach = { byFile };
    }
    return this.reach.byFile.get(fileName);
  }

  /** Every module some entry reaches, with that entry (the first by name): the map `entryReaching` answers from. */
  reachedModules(): ReadonlyMap<string, string> {
    this.entryReaching('');
    return this.reach!.byFile;
  }

  /** Modules that import `fileName`, directly or not, among the modules known (bounded). */
  importersOf(fileName: string): string[] {
    if (!this.reverse || this.reverse.version !== this.version) {
      const importers = new Map<string, Set<string>>();
      for (const file of [...this.known.keys()]) {
        for (const { to } of this.edgesOf(file, 'node', 'unknown')) {
          if (to.kind !== 'file') continue;
          let set = importers.get(to.fileName);
          if (!set) importers.set(to.fileName, (set = new Set()));
          set.add(file);
        }
      }
      this.reverse = { version: this.version, importers };
    }
    const out = new Set<string>();
    const stack = [fileName];
    while (stack.length && out.size < this.limits.maxFiles) {
      for (const i of this.reverse.importers.get(stack.pop()!) ?? []) {
        if (out.has(i) || i === fileName) continue;
        out.add(i);
        stack.push(i);
      }
    }
    return [...out].sort();
  }

  /** Local modules and installed packages an entry loads at run time (for bundle estimates), bounded. */
  reachable(fileName: string, runtime: Runtime, platform: Platform): { files: Map<string, number>; packages: Map<string, string> } {
    const files = new Map<string, number>();
    const packages = new Map<string, string>();
    const inspector = this.inspector(runtime, platform);
    const stack = [fileName];
    const seenPackages = new Set<string>();
    while (stack.length && files.size < this.limits.maxFiles) {
      const file = stack.pop()!;
      if (files.has(file)) continue;
      const summary = this.summaryOf(file);
      files.set(file, summary?.size ?? 0);
      for (const { to } of this.edgesOf(file, runtime, platform)) {
        if (to.kind === 'file' && !files.has(to.fileName)) stack.push(to.fileName);
        if (to.kind === 'package') this.addPackage(to.dir, to.name, to.subpath, to.entry, inspector, packages, seenPackages, 0);
      }
    }
    return { files, packages };
  }

  private addPackage(
    dir: string,
    name: string,
    subpath: string,
    entry: string | undefined,
    inspector: PackageInspector,
    packages: Map<string, string>,
    seen: Set<string>,
    depth: number,
  ): void {
    const key = `${dir}|${subpath}`;
    if (seen.has(key) || depth > 8 || packages.size > 500) return;
    seen.add(key);
    packages.set(dir, name);
    const report = inspector.inspectPackage(dir, subpath, entry);
    for (const dep of report.dependencies) {
      const r = this.resolver.resolve(dep.specifier, dep.fileName, inspector.conditions);
      if (r.kind === 'package') this.addPackage(r.dir, r.name, r.subpath, r.entry, inspector, packages, seen, depth + 1);
    }
  }
}
