// The stateful front of the core that the CLI, the language server and the workspace check share:
// resolves settings per file (serverless-lint.json + overrides), finds project info, caches results by content.
import type * as ts from 'typescript';
import picomatch from 'picomatch';
import type { AnalysisResult, ConfigProblem, FileContext } from '../../../shared/src/types';
import { defaultSettings, mergeSettings, type Settings } from '../../../shared/src/settings';
import { dirname, isAbsent, joinPath, MAX_CONFIG_BYTES, readText, relativeTo, type Host, type ReadResult } from './host';
import { ProjectIndex, refusalProblem } from './project';
import { CONFIG_FILE_NAME, parseConfigFile } from './config';
import { detached } from './detach';
import { analyzeFile, contextOfFile, factsOfFile, failedResult, failureCause, parseSource, reparseSource, skippedResult, type AnalyzeInput } from './engine';
import { applyEdits, chooseSafeFixes } from './fixes';
import type { Rule } from './rule';
import { hashOf, ModuleGraph } from '../graph/graph';
import { isPythonFile, parsePython, pythonParserReady, reparsePython } from '../python/parser';
import type { Tree as PyTree } from '@vscode/tree-sitter-wasm';
import { analyzePython } from '../python/engine';
import type { VercelPythonConfig } from '../python/context';
import { PythonReach } from '../python/reach';
import type { ProjectInfo } from './project';

export interface ServiceOptions {
  /** The workspace folder: where walking up for configuration stops. */
  workspaceRoot?: string;
  /** Settings that win over `serverless-lint.json` (VS Code settings, CLI flags). */
  overrides?: Partial<Settings>;
  rules: readonly Rule[];
  /**
   * The texts given to `lint` are what the host reads for those files (the CLI, the workspace check): the module
   * graph keeps no copy of them, and a bounded number of results is cached instead of one per file.
   */
  textsFromHost?: boolean;
}

/** Files whose last parse tree an editor service keeps, so that the next edit of one is parsed incrementally. */
const REPARSE_FILES = 4;

/** Results a batch service keeps: enough for the fix loop and for a re-lint right after discovery. */
const BATCH_RESULT_CACHE = 256;
/**
 * A batch service lints most modules its entries' imports made the graph parse, soon after (the CLI's sorted file
 * list keeps a project's files together): those trees are kept for the module's own analysis instead of parsing
 * the file twice. Bounded in count and source size.
 */
const BATCH_SPARE_TREES = { spareTrees: 32, spareTreeChars: 1 << 20, lazyFunctions: true };

interface ConfigEntry {
  text: string | undefined;
  settings: Settings;
  problems: ConfigProblem[];
  file?: string;
  root: string;
}

export class LintService {
  readonly projects: ProjectIndex;
  private readonly configByDir = new Map<string, ConfigEntry>();
  private readonly results = new Map<string, { key: string; result: AnalysisResult }>();
  private readonly knownRules: Set<string>;
  /** Merged settings per configuration entry (entries are dropped with `configByDir`; overrides reset it). */
  private merged = new WeakMap<ConfigEntry, { settings: Settings; digest: string; ignored?: (path: string) => boolean }>();
  /** The latest parse of the files edited most recently (editor services only), for incremental reparsing. */
  private readonly lastParse = new Map<string, ts.SourceFile>();
  /** The same for Python files: tree-sitter trees live in the WebAssembly heap and are deleted when dropped here. */
  private readonly lastPythonTree = new Map<string, { text: string; tree: PyTree }>();
  /** Which Python entry reaches a module through its imports (Python has no module graph of its own). */
  private readonly pythonReach: PythonReach;
  private overrides: Partial<Settings>;
  /** The workspace module graph: cross-file rules, role propagation, the workspace report. */
  readonly graph: ModuleGraph;

  constructor(
    private readonly host: Host,
    private readonly options: ServiceOptions,
  ) {
    this.projects = new ProjectIndex(host, options.workspaceRoot);
    // The graph checks each module's size limit (its settings') before reading or parsing it.
    const maxFileSize = (fileName: string) => this.settingsFor(fileName).maxFileSize;
    // A batch run's files do not change under it: the folder listings the project index made answer the resolver's
    // misses (an editor's folders gain files between runs).
    const listing = options.textsFromHost && host.caseSensitive ? (dir: string) => this.projects.listingOf(dir) : undefined;
    this.graph = new ModuleGraph(host, options.workspaceRoot, options.textsFromHost ? { ...BATCH_SPARE_TREES, maxFileSize, listing } : { maxFileSize });
    this.overrides = options.overrides ?? {};
    this.knownRules = new Set(options.rules.map((r) => r.meta.id));
    this.pythonReach = new PythonReach({
      host,
      workspaceRoot: options.workspaceRoot,
      settingsFor: (f) => this.settingsFor(f),
      projectFor: (dir) => this.projects.infoFor(dir),
      vercelConfigFor: (project) => this.vercelConfigOf(project),
    });
  }

  /** The project's Vercel configuration as data (vercel.json, vercel.toml, vercel.ts), for the Python conventions. */
  private vercelConfigOf(project: ProjectInfo): VercelPythonConfig | undefined {
    const vercel = project.markers.find((m) => m.kind === 'vercel.json');
    const data = vercel ? this.projects.configs.read(vercel.path)?.data : undefined;
    return data && typeof data === 'object' ? (data as VercelPythonConfig) : undefined;
  }

  get rules(): readonly Rule[] {
    return this.options.rules;
  }

  /** The workspace folder and the overrides this service was made with: enough to build an equivalent one elsewhere (a worker). */
  get workspaceRoot(): string | undefined {
    return this.options.workspaceRoot;
  }

  get settingsOverrides(): Partial<Settings> {
    return this.overrides;
  }

  setOverrides(overrides: Partial<Settings>): void {
    this.overrides = overrides;
    this.merged = new WeakMap();
    this.results.clear();
  }

  /** Forget cached configuration (a config file changed). Content-keyed results stay valid only if settings are unchanged. */
  invalidate(): void {
    this.projects.invalidate();
    this.graph.invalidateResolution();
    this.configByDir.clear();
    this.results.clear();
  }

  /** The nearest `serverless-lint.json` above a folder, parsed, with its problems. */
  configFor(dir: string): ConfigEntry {
    const hit = this.configByDir.get(dir);
    if (hit) return hit;
    const file = joinPath(dir, CONFIG_FILE_NAME);
    // Through the guarded door: a serverless-lint.json that is not a regular file, or too large, is refused with a finding.
    const got = readText(this.host, file, MAX_CONFIG_BYTES);
    const text = got.text;
    let entry: ConfigEntry;
    if (got.refused && !isAbsent(this.host, file, got)) {
      entry = { text: '', settings: defaultSettings(), problems: [refusalProblem(file, got)], file, root: dir };
    } else if (text !== undefined) {
      const parsed = guardedConfigParse(file, text, this.knownRules);
      entry = { text, settings: mergeSettings(defaultSettings(), parsed.settings), problems: parsed.problems, file, root: dir };
    } else {
      const parent = dirname(dir);
      const atTop = dir === '/' || parent === dir || dir === this.options.workspaceRoot;
      entry = atTop ? { text: undefined, settings: defaultSettings(), problems: [], root: this.options.workspaceRoot ?? dir } : this.configFor(parent);
    }
    this.configByDir.set(dir, entry);
    return entry;
  }

  /**
   * A source file's text through the host's guarded door, with its size limit checked before reading; the reason
   * when there is none (too large, not a regular file, unreadable, outside the workspace, missing). `listed`: the
   * caller found it as a file in a folder listing.
   */
  readSource(fileName: string, listed?: boolean): ReadResult {
    return readText(this.host, fileName, this.settingsFor(fileName).maxFileSize, listed);
  }

  /** The result of a file that was not read, as `lint` gives for a file it does not analyze. */
  skipped(fileName: string, reason: string): AnalysisResult {
    return skippedResult({ fileName }, reason);
  }

  settingsFor(fileName: string): Settings {
    return this.mergedFor(this.configFor(dirname(fileName))).settings;
  }

  /** A configuration's settings with the overrides over them, and their digest for cache keys; merged once per entry. */
  private mergedFor(config: ConfigEntry): { settings: Settings; digest: string; ignored?: (path: string) => boolean } {
    let hit = this.merged.get(config);
    if (!hit) {
      const settings = mergeSettings(config.settings, this.overrides);
      this.merged.set(config, (hit = { settings, digest: hashOf(JSON.stringify(settings)) }));
    }
    return hit;
  }

  /** Whether the file matches an `ignore` glob of its configuration. */
  isIgnored(fileName: string): boolean {
    const config = this.configFor(dirname(fileName));
    const merged = this.mergedFor(config);
    if (merged.settings.ignore.length === 0) return false;
    const rel = relativeTo(config.root, fileName) ?? fileName;
    // Compiled once per configuration, not per file: 200 globs over 50,000 files were 221 s of compiling.
    merged.ignored ??= picomatch(merged.settings.ignore, { dot: true });
    return merged.ignored(rel);
  }

  /**
   * Analyzes a file's text (from the editor buffer or disk). Cached by content, settings, project and the
   * module graph's version. The text also updates the module graph; unless the caller says otherwise, the
   * graph decides which function entry (if any) reaches the module (role `function-module`).
   */
  lint(fileName: string, text: string, reachableFrom?: string): AnalysisResult {
    if (isPythonFile(fileName)) return this.lintPython(fileName, text);
    // What comes before the analysis (the module graph's summary of the file, configuration, reachability) runs on
    // the file's text too: anything it throws is the file's one "analysis-failed" finding, and the run goes on.
    let prepared: ReturnType<LintService['prepare']>;
    try {
      prepared = this.prepare(fileName, text, reachableFrom);
    } catch (e) {
      return failedResult(fileName, e);
    }
    const { input, key } = prepared;
    const cached = this.results.get(fileName);
    if (cached && cached.key === key) {
      this.graph.releaseCurrent();
      return cached.result;
    }
    // Results outlive the analysis (this cache, the CLI's report, the editor's diagnostics): detached from the text.
    let result: AnalysisResult;
    try {
      result = detached(analyzeFile({ ...input, rules: this.options.rules }));
    } finally {
      this.graph.releaseCurrent();
    }
    this.markEntry(fileName, result.context);
    this.results.delete(fileName);
    this.results.set(fileName, { key, result });
    if (this.options.textsFromHost && this.results.size > BATCH_RESULT_CACHE) this.results.delete(this.results.keys().next().value!);
    return result;
  }

  /**
   * A file's context (platform, runtime, role), as `lint` decides it, without running the rules; like `lint`, it
   * updates the module graph and records a function entry there. What entry discovery needs of a closed file.
   */
  contextOf(fileName: string, text: string): FileContext {
    if (isPythonFile(fileName)) return this.lintPython(fileName, text).context;
    let prepared: ReturnType<LintService['prepare']>;
    try {
      prepared = this.prepare(fileName, text);
    } catch (e) {
      return failedResult(fileName, e).context;
    }
    const { input, key } = prepared;
    const cached = this.results.get(fileName);
    if (cached && cached.key === key) return cached.result.context;
    const context = detached(contextOfFile(input));
    this.markEntry(fileName, context);
    return context;
  }

  /**
   * The parsed file and its facts with the context `lint` decides (same settings, project and reachability), so that
   * a hover never disagrees with the diagnostics. In the editor the tree is the one `lint` parsed for this text.
   */
  factsOf(fileName: string, text: string): ReturnType<typeof factsOfFile> {
    if (isPythonFile(fileName)) return undefined;
    return factsOfFile(this.prepare(fileName, text).input);
  }

  /** What `lint` and `contextOf` share: the analysis input (settings, project, one parse for graph and analysis) and the result cache key. */
  private prepare(fileName: string, text: string, reachableFrom?: string): { input: Omit<AnalyzeInput, 'rules'>; key: string } {
    const { settings, digest: settingsDigest } = this.mergedFor(this.configFor(dirname(fileName)));
    const project = this.projects.infoFor(dirname(fileName));
    // One parse serves the graph's import summary and the analysis: parsing is the largest cost per file.
    let parsed: ReturnType<typeof parseSource> | undefined;
    const parse = () => (parsed ??= this.graph.takeSpareTree(fileName, textHash) ?? this.parse(fileName, text));
    // One hash of the text serves the graph's summary cache and this result cache.
    const textHash = hashOf(text);
    this.graph.update(fileName, text, { parse, fromHost: this.options.textsFromHost, hash: textHash });
    const reach = reachableFrom ?? this.graph.entryReaching(fileName);
    // Digests and names joined, not hashed again: hashing the settings' JSON for every file was 1% of a CLI run.
    const key = `${textHash}\0${settingsDigest}\0${reach ?? ''}\0${this.graph.version}`;
    const input = {
      fileName,
      text,
      project,
      settings,
      workspaceRoot: this.options.workspaceRoot,
      reachableFrom: reach,
      packages: this.graph.inspector('edge', 'vercel'),
      graph: this.graph,
      parse,
    };
    return { input, key };
  }

  /**
   * Analyzes a Python file (server/src/python/): no module graph (Python imports are not followed yet), cached by
   * content and settings like the rest. The parser must have been loaded (`ensurePythonParser`) by the front end;
   * until then the file's result says it was not analyzed.
   */
  private lintPython(fileName: string, text: string): AnalysisResult {
    try {
      const { settings, digest } = this.mergedFor(this.configFor(dirname(fileName)));
      const project = this.projects.infoFor(dirname(fileName));
      const textKey = `py\0${hashOf(text)}\0`;
      const cached = this.results.get(fileName);
      // A changed text may change which modules an entry imports: what the reach read of this file is dropped.
      if (!this.options.textsFromHost && cached && !cached.key.startsWith(textKey)) this.pythonReach.forget(fileName);
      const key = `${textKey}${digest}\0${pythonParserReady()}\0${this.pythonReach.version}`;
      if (cached && cached.key === key) return cached.result;
      // Within the size limit only: a file the engine skips is never parsed.
      const tree = this.options.textsFromHost || text.length > settings.maxFileSize ? undefined : this.pythonTree(fileName, text);
      const result = detached(
        analyzePython({
          fileName,
          text,
          project,
          settings,
          rules: this.options.rules,
          workspaceRoot: this.options.workspaceRoot,
          vercelConfig: this.vercelConfigOf(project),
          tree,
          reachableFrom: (prefer) => this.pythonReach.entryReaching(fileName, project, prefer),
          vercelEntry: (root) => this.pythonReach.vercelEntryOf(root),
          vercelSubscribers: (root) => this.pythonReach.subscribersOf(root),
        }),
      );
      this.results.delete(fileName);
      this.results.set(fileName, { key, result });
      if (this.options.textsFromHost && this.results.size > BATCH_RESULT_CACHE) this.results.delete(this.results.keys().next().value!);
      return result;
    } catch (e) {
      return failedResult(fileName, e);
    }
  }

  /**
   * An editor service's tree for a Python text: the previous tree of the file when the text is the same, else a
   * reparse from it (one edit: a keystroke reparses a few statements), else a full parse. Kept for the
   * REPARSE_FILES files edited last; older trees are deleted.
   */
  private pythonTree(fileName: string, text: string): PyTree | undefined {
    if (!pythonParserReady()) return undefined;
    const previous = this.lastPythonTree.get(fileName);
    this.lastPythonTree.delete(fileName);
    let tree: PyTree | undefined;
    if (previous && previous.text === text) tree = previous.tree;
    else {
      const parsed = previous ? reparsePython(previous.tree, previous.text, text) : parsePython(text);
      previous?.tree.delete();
      tree = 'error' in parsed ? undefined : parsed;
    }
    if (!tree) return undefined;
    this.lastPythonTree.set(fileName, { text, tree });
    if (this.lastPythonTree.size > REPARSE_FILES) {
      const [oldest, kept] = this.lastPythonTree.entries().next().value!;
      this.lastPythonTree.delete(oldest);
      kept.tree.delete();
    }
    return tree;
  }

  private markEntry(fileName: string, ctx: FileContext): void {
    this.graph.markEntry(fileName, ctx.role.value === 'function-entry' ? { runtime: ctx.runtime.value, platform: ctx.platform.value } : undefined);
  }

  /**
   * Parses a file's text. An editor service reparses incrementally from the file's previous tree when it has one
   * (a keystroke reparses a few statements instead of the file); a batch service parses each text once, fully.
   */
  private parse(fileName: string, text: string): ts.SourceFile | { error: string } {
    if (this.options.textsFromHost) return parseSource(fileName, text);
    const previous = this.lastParse.get(fileName);
    this.lastParse.delete(fileName);
    // The same text again (settings changed, say): the tree is still valid as it is.
    const sf = !previous ? parseSource(fileName, text) : previous.text === text ? previous : reparseSource(previous, text);
    if (!('error' in sf)) {
      this.lastParse.set(fileName, sf);
      if (this.lastParse.size > REPARSE_FILES) this.lastParse.delete(this.lastParse.keys().next().value!);
    }
    return sf;
  }

  /** Drops a file's cached result (closed in the editor, deleted on disk). */
  forget(fileName: string): void {
    this.lastParse.delete(fileName);
    this.lastPythonTree.get(fileName)?.tree.delete();
    this.lastPythonTree.delete(fileName);
    this.results.delete(fileName);
    this.graph.closeOverlay(fileName);
  }

  /**
   * Applies safe fixes until the text is stable (at most `maxPasses`). A pass whose result does not parse
   * as cleanly as its input is discarded, so a fix can never corrupt a file.
   */
  fix(fileName: string, text: string, maxPasses = 10): { text: string; applied: number } {
    let current = text;
    let applied = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      const result = this.lint(fileName, current);
      const fixes = chooseSafeFixes(result.findings);
      if (fixes.length === 0) break;
      const next = applyEdits(
        current,
        fixes.flatMap((f) => f.edits),
      );
      if (next === current || syntaxErrorCount(fileName, next) > syntaxErrorCount(fileName, current)) break;
      current = next;
      applied += fixes.length;
    }
    return { text: current, applied };
  }
}

/**
 * Parses a `serverless-lint.json`; a parse that throws (a stack overflow on a deeply nested file, say) is one problem
 * on the file instead of the end of the run.
 */
function guardedConfigParse(file: string, text: string, knownRules: ReadonlySet<string>): ReturnType<typeof parseConfigFile> {
  try {
    return parseConfigFile(file, text, knownRules);
  } catch (e) {
    const message = `serverless-lint.json could not be read, so its settings are not applied: ${failureCause(e)}.`;
    return {
      settings: {},
      problems: [
        {
          fileName: file,
          span: { start: 0, end: 0 },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          message,
          severity: 'error',
          ruleId: 'invalid-config',
        },
      ],
    };
  }
}

/** Number of syntax errors the TypeScript parser reports for a text. */
export function syntaxErrorCount(fileName: string, text: string): number {
  if (isPythonFile(fileName)) return pythonSyntaxErrorCount(text);
  const sf = parseSource(fileName, text);
  if ('error' in sf) return Number.MAX_SAFE_INTEGER;
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length;
}

/** Syntax errors tree-sitter recovered from in a Python text (ERROR and MISSING nodes). */
function pythonSyntaxErrorCount(text: string): number {
  const tree = parsePython(text);
  if ('error' in tree) return Number.MAX_SAFE_INTEGER;
  try {
    if (!tree.rootNode.hasError) return 0;
    let count = 0;
    const cursor = tree.walk();
    // An explicit walk with the cursor: no recursion over the tree.
    for (let more = true; more; ) {
      if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) count++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
    }
    cursor.delete();
    return count;
  } finally {
    tree.delete();
  }
}
