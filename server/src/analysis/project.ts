// Finds and parses the platform configuration that governs a file, walking up from its folder.
// Config files are data only (JSONC, TOML, YAML): nothing here evaluates workspace code.
import * as jsonc from 'jsonc-parser';
import * as TOML from 'smol-toml';
import * as YAML from 'yaml';
import type { ConfigProblem, Platform } from '../../../shared/src/types';
import { WRANGLER_BINDINGS, type BindingKind } from '../conventions/platform-apis';
import { basename, dirname, isAbsent, joinPath, MAX_CONFIG_BYTES, readText, type Host, type ReadResult } from './host';
import { configDepthProblem, dataDepth, MAX_CONFIG_DEPTH } from './config-depth';
import { FRAMEWORK_CONFIG_FILES, frameworkSettingsOf } from '../conventions/config-files';
import { PLATFORM_MODULES } from '../conventions';
import type { MarkerFolder, MarkerKind, MarkerSpec } from '../conventions/types';
import { isVercelScriptConfig, parseVercelScript } from './vercel-config';
import { codeConfiguredHandlers } from './iac-config';
import { netlifyFunctionDirs } from './netlify-config';

export type { MarkerKind } from '../conventions/types';

export interface Marker {
  kind: MarkerKind;
  /** Absolute path of the file or folder that was found. */
  path: string;
  dir: string;
}

/** The markers of every platform, in registry order: serverless configurations before long-running ones. */
const MARKERS: ReadonlyArray<{ spec: MarkerSpec; platform: Platform }> = PLATFORM_MODULES.flatMap((p) => p.markers.map((spec) => ({ spec, platform: p.id })));

/** The platform a marker says a project deploys to. */
export const MARKER_PLATFORM: Readonly<Record<MarkerKind, Platform>> = Object.fromEntries(MARKERS.map((m) => [m.spec.kind, m.platform])) as Record<
  MarkerKind,
  Platform
>;

/** Every file or folder name that can mark a folder (what the language server watches). */
export const MARKER_NAMES: readonly string[] = [...new Set(MARKERS.flatMap((m) => m.spec.names))];

/** How explanations name a marker that was found: "a .vercel/ folder", else the file's name. */
export function markerDescription(m: Marker): string {
  return MARKERS.find((x) => x.spec.kind === m.kind)?.spec.describe ?? basename(m.path);
}

/** A Lambda handler named in serverless.yml or a SAM template: `src/handlers/users.list` → file + export. */
export interface ConfiguredHandler {
  /** Absolute path without extension, e.g. `/repo/src/handlers/users`. */
  modulePath: string;
  exportName: string;
  functionName: string;
  timeout?: number;
  memory?: number;
  /** The configured runtime (`python3.12`, `nodejs20.x`), when the configuration names one. */
  runtime?: string;
  source: string;
}

export interface ParsedConfig<T = unknown> {
  path: string;
  text: string;
  data: T | undefined;
  problems: ConfigProblem[];
}

/** The finding on a configuration file the guarded door would not read (not a regular file, too large, outside). */
export function refusalProblem(path: string, refusal: Exclude<ReadResult, { text: string }>, severity: ConfigProblem['severity'] = 'error'): ConfigProblem {
  return {
    fileName: path,
    span: { start: 0, end: 0 },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    message: `${basename(path)} was not read: ${refusal.reason}.`,
    severity,
    ruleId: 'invalid-config',
  };
}

/** A parse refused for its depth (before the parser ran) or for the depth of its data: one finding at the start. */
function tooDeep<T>(path: string, text: string, reason: string): ParsedConfig<T> {
  return { path, text, data: undefined, problems: [problem(path, text, 0, 0, `${basename(path)}: ${reason}.`)] };
}

/** Data nested deeper than the walkers after the parse may follow is dropped, with a finding. */
function boundDepth<T>(parsed: ParsedConfig<T>): ParsedConfig<T> {
  if (parsed.data === undefined || dataDepth(parsed.data) <= MAX_CONFIG_DEPTH) return parsed;
  return tooDeep(parsed.path, parsed.text, `it is nested more than ${MAX_CONFIG_DEPTH} levels deep, so it was not used`);
}

/** What the walk up from one folder found: everything context detection needs, as plain data. */
export interface ProjectInfo {
  /** Markers from the nearest folder up, in the platform registry's order within a folder. */
  markers: Marker[];
  /** Cloudflare compatibility flags from the nearest wrangler config. */
  compatibilityFlags: string[];
  /** Cloudflare `compatibility_date` from the nearest wrangler config. */
  compatibilityDate?: string;
  /** `main` of the nearest wrangler config, absolute. */
  workerMain?: string;
  /** The nearest wrangler config sets `pages_build_output_dir`: a Cloudflare Pages project. */
  pagesProject?: boolean;
  /** Bindings the nearest wrangler config declares (`kv_namespaces`, `d1_databases` ...), by name. */
  workerBindings?: Record<string, BindingKind>;
  /** Netlify function folders from netlify.toml (`[functions] directory`, `[build] edge_functions`), absolute. */
  netlifyDirs?: { functions?: string; edge?: string };
  /** Lambda handlers named in serverless.yml / template.yaml, CDK stacks and Amplify `defineFunction`. */
  configuredHandlers: ConfiguredHandler[];
  /** Dependencies of the nearest package.json (names only). */
  dependencies: Set<string>;
  /** Folder of the nearest package.json, when one exists. */
  packageRoot?: string;
  /** Folder of the nearest Python project file (pyproject.toml, requirements.txt, Pipfile, setup.py), when one exists. */
  pythonRoot?: string;
  /** Framework config files (the conventions registry's `detect.configFiles`, e.g. `nuxt.config.ts`) found walking up. */
  frameworkConfigs: string[];
  /** Facts the framework modules read from those config files' syntax (`astro:output=server`), nearest first. */
  frameworkSettings: string[];
}

/** Files that make a folder a Python project's root (Vercel's zero-config Python entrypoints are relative to it). */
const PYTHON_PROJECT_FILES = ['pyproject.toml', 'requirements.txt', 'Pipfile', 'setup.py'];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function offsetToPosition(starts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

function problem(path: string, text: string, start: number, end: number, message: string, ruleId = 'invalid-config'): ConfigProblem {
  const starts = lineStarts(text);
  const span = { start, end: Math.max(end, start) };
  return {
    fileName: path,
    span,
    range: { start: offsetToPosition(starts, span.start), end: offsetToPosition(starts, span.end) },
    message,
    severity: 'error',
    ruleId,
  };
}

/** jsonc-parser's error codes in words a person fixing the file understands. */
// Keyed by the code's name (printParseErrorCode): the enum itself is a const enum, unusable with isolatedModules.
const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected (a quoted string)',
  ValueExpected: 'value expected',
  ColonExpected: 'colon expected after the property name',
  CommaExpected: 'comma expected',
  CloseBraceExpected: 'closing brace } expected',
  CloseBracketExpected: 'closing bracket ] expected',
  EndOfFileExpected: 'end of file expected (extra content after the top-level value)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'comment not closed',
  UnexpectedEndOfString: 'string not closed',
  UnexpectedEndOfNumber: 'number not finished',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

export function jsonErrorMessage(code: jsonc.ParseErrorCode): string {
  const name = jsonc.printParseErrorCode(code);
  return JSON_ERRORS[name] ?? name;
}

/** Parses JSON with comments; syntax errors become problems at their position. */
export function parseJsonc<T = unknown>(path: string, text: string): ParsedConfig<T> {
  const deep = configDepthProblem(text, 'json');
  if (deep) return tooDeep(path, text, deep);
  const errors: jsonc.ParseError[] = [];
  const data = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as T;
  const problems = errors.map((e) => problem(path, text, e.offset, e.offset + e.length, `${basename(path)}: ${jsonErrorMessage(e.error)}.`));
  return { path, text, data: errors.length && data === undefined ? undefined : data, problems };
}

export function parseToml<T = unknown>(path: string, text: string): ParsedConfig<T> {
  const deep = configDepthProblem(text, 'toml');
  if (deep) return tooDeep(path, text, deep);
  try {
    return boundDepth({ path, text, data: TOML.parse(text) as T, problems: [] });
  } catch (e) {
    if (e instanceof RangeError) return tooDeep(path, text, 'it is nested too deeply to parse');
    const err = e as { line?: number; column?: number; message: string };
    const starts = lineStarts(text);
    const line = Math.max(0, (err.line ?? 1) - 1);
    const offset = Math.min(text.length, (starts[line] ?? 0) + Math.max(0, (err.column ?? 1) - 1));
    const first = err.message.split('\n')[0];
    return { path, text, data: undefined, problems: [problem(path, text, offset, offset + 1, `${basename(path)}: ${first}`)] };
  }
}

/** CloudFormation short tags (`!Ref`, `!GetAtt`, `!Sub` …) are data; accept them as plain values. */
const CFN_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'Select',
  'Split',
  'Base64',
  'Cidr',
  'ImportValue',
  'GetAZs',
  'Condition',
  'Transform',
].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value: unknown) => value,
  })),
) as unknown as YAML.Tags;

export function parseYaml<T = unknown>(path: string, text: string): ParsedConfig<T> & { doc?: YAML.Document.Parsed } {
  const deep = configDepthProblem(text, 'yaml');
  if (deep) return tooDeep(path, text, deep);
  try {
    // `merge`: YAML 1.1 merge keys (`<<: *defaults`), which Serverless and SAM templates use to share settings.
    const doc = YAML.parseDocument(text, { customTags: CFN_TAGS, prettyErrors: false, uniqueKeys: true, merge: true });
    // A duplicate key is a mistake worth a warning (the later value wins), not a reason to drop the whole file.
    const duplicate = (e: YAML.YAMLError) => e.code === 'DUPLICATE_KEY';
    const problems = doc.errors.map((e) => {
      const p = problem(
        path,
        text,
        e.pos[0],
        e.pos[1],
        `${basename(path)}: ${duplicate(e) ? 'this key appears twice in the same mapping; the later value wins' : e.message.split('\n')[0]}`,
      );
      return duplicate(e) ? { ...p, severity: 'warning' as const } : p;
    });
    const fatal = doc.errors.some((e) => !duplicate(e));
    if (fatal) return { path, text, data: undefined, problems, doc };
    let data: T;
    const parsedDoc = doc;
    try {
      // Aliases expand into copies: a "billion laughs" document is refused past 100 expansions, with a finding.
      data = doc.toJS({ maxAliasCount: 100 }) as T;
    } catch (e) {
      const message =
        e instanceof RangeError
          ? 'it is nested too deeply to read'
          : /alias count/i.test((e as Error).message)
            ? 'its aliases expand into more than 100 copies (a "billion laughs" document), so it was not read'
            : (e as Error).message.split('\n')[0];
      return { path, text, data: undefined, problems: [...problems, problem(path, text, 0, 0, `${basename(path)}: ${message}`)], doc };
    }
    const bounded = boundDepth<T>({ path, text, data, problems });
    return bounded.data === undefined ? bounded : { ...bounded, doc: parsedDoc };
  } catch (e) {
    const message = e instanceof RangeError ? 'it is nested too deeply to parse' : (e as Error).message.split('\n')[0];
    return { path, text, data: undefined, problems: [problem(path, text, 0, 1, `${basename(path)}: ${message}`)] };
  }
}

/** Caches parsed configuration by path and content, so an unchanged file is parsed once. */
export class ConfigCache {
  private readonly cache = new Map<string, { text: string; parsed: ParsedConfig & { doc?: YAML.Document.Parsed } }>();

  constructor(private readonly host: Host) {}

  /**
   * A config file read through the guarded door and parsed. A file the door refuses (not a regular file, too large,
   * outside the workspace, unreadable) gives no data and one finding on it; a missing one gives undefined.
   */
  read(path: string): ParsedConfig | undefined {
    const got = readText(this.host, path, MAX_CONFIG_BYTES);
    // The walk up reads fixed names in every folder above a file: above the workspace, they are simply not there.
    // A symlink inside the workspace that leads out of it is refused with a finding, like a device.
    if (isAbsent(this.host, path, got)) return undefined;
    if (got.refused) return { path, text: '', data: undefined, problems: [refusalProblem(path, got)] };
    return this.parse(path, got.text);
  }

  /**
   * A config file's text (from disk or an editor buffer) parsed, cached by path and text: project detection and
   * the config checks share one parse (YAML, the slowest format, takes about 14 ms for a 27 KB serverless.yml).
   * YAML parses keep their document. Callers treat the result as read-only.
   */
  parse(path: string, text: string): ParsedConfig & { doc?: YAML.Document.Parsed } {
    const hit = this.cache.get(path);
    if (hit && hit.text === text) return hit.parsed;
    let parsed: ParsedConfig & { doc?: YAML.Document.Parsed };
    try {
      parsed = path.endsWith('.toml')
        ? parseToml(path, text)
        : /\.ya?ml$/.test(path)
          ? parseYaml(path, text)
          : isVercelScriptConfig(path)
            ? parseVercelScript(path, text)
            : parseJsonc(path, text);
    } catch (e) {
      // A parser that throws (a stack overflow on a deeply nested file, say) makes the file one problem, not a crash.
      parsed = {
        path,
        text,
        data: undefined,
        problems: [problem(path, text, 0, 1, `${basename(path)} could not be parsed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}.`)],
      };
    }
    this.cache.set(path, { text, parsed });
    return parsed;
  }

  clear(): void {
    this.cache.clear();
  }
}

function splitHandler(dir: string, handler: string): { modulePath: string; exportName: string } | undefined {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const rel = handler.slice(0, dot).replace(/^\.\//, '');
  return { modulePath: joinPath(dir, rel), exportName: handler.slice(dot + 1) };
}

/** Lambda handlers from serverless.yml: `functions.<name>.handler`. */
function serverlessHandlers(parsed: ParsedConfig): ConfiguredHandler[] {
  const data = parsed.data as
    | {
        provider?: { timeout?: number; memorySize?: number; runtime?: string };
        functions?: Record<string, { handler?: string; timeout?: number; memorySize?: number; runtime?: string }>;
      }
    | undefined;
  const out: ConfiguredHandler[] = [];
  for (const [name, fn] of Object.entries(data?.functions ?? {})) {
    if (!fn || typeof fn.handler !== 'string') continue;
    const split = splitHandler(dirname(parsed.path), fn.handler);
    const runtime = fn.runtime ?? data?.provider?.runtime;
    if (split)
      out.push({
        ...split,
        functionName: name,
        timeout: fn.timeout ?? data?.provider?.timeout,
        memory: fn.memorySize ?? data?.provider?.memorySize,
        runtime: typeof runtime === 'string' ? runtime : undefined,
        source: parsed.path,
      });
  }
  return out;
}

/** Lambda handlers from a SAM template: `Resources.<name>.Properties.{Handler, CodeUri}`. */
function samHandlers(parsed: ParsedConfig): ConfiguredHandler[] {
  type Fn = { Type?: string; Properties?: { Handler?: string; CodeUri?: string; Timeout?: number; MemorySize?: number; Runtime?: string } };
  const data = parsed.data as
    | { Globals?: { Function?: { Timeout?: number; MemorySize?: number; Runtime?: string } }; Resources?: Record<string, Fn> }
    | undefined;
  const out: ConfiguredHandler[] = [];
  for (const [name, res] of Object.entries(data?.Resources ?? {})) {
    const props = res?.Properties;
    if (!props || typeof props.Handler !== 'string') continue;
    const codeDir =
      typeof props.CodeUri === 'string' ? joinPath(dirname(parsed.path), props.CodeUri.replace(/^\.\//, '').replace(/\/$/, '')) : dirname(parsed.path);
    const split = splitHandler(codeDir, props.Handler);
    const runtime = props.Runtime ?? data?.Globals?.Function?.Runtime;
    if (split)
      out.push({
        ...split,
        functionName: name,
        timeout: props.Timeout ?? data?.Globals?.Function?.Timeout,
        memory: props.MemorySize ?? data?.Globals?.Function?.MemorySize,
        runtime: typeof runtime === 'string' ? runtime : undefined,
        source: parsed.path,
      });
  }
  return out;
}

/**
 * Walks up from a folder to the filesystem root (or `stopAt`), collecting platform markers and the facts
 * context detection needs. Results are cached per folder; call `invalidate()` when a config file changes.
 */
export class ProjectIndex {
  private readonly byDir = new Map<string, ProjectInfo>();
  /** Problems of configuration files read here that no platform config check reports (package.json). */
  private readonly configProblems = new Map<string, ConfigProblem[]>();
  /** Folder listings of the last `markersIn`, by folder: package.json is looked up there too. */
  private readonly listings = new Map<string, Set<string>>();
  readonly configs: ConfigCache;

  constructor(
    private readonly host: Host,
    private readonly stopAt?: string,
  ) {
    this.configs = new ConfigCache(host);
  }

  invalidate(): void {
    this.byDir.clear();
    this.configs.clear();
    this.configProblems.clear();
    this.listings.clear();
  }

  /** Problems of package.json files read so far (not a regular file, too large, syntax, nested too deeply). */
  problems(): ConfigProblem[] {
    return [...this.configProblems.values()].flat();
  }

  /** The names of a folder as `markersIn` listed them, if it did. */
  listingOf(dir: string): ReadonlySet<string> | undefined {
    return this.listings.get(dir);
  }

  private listed(dir: string, name: string): boolean {
    return this.listings.get(dir)?.has(name) ?? false;
  }

  /** Markers present in exactly this folder, in registry order. */
  markersIn(dir: string, names: string[] = this.host.readDirectory(dir)): Marker[] {
    const entries = new Set(names);
    this.listings.set(dir, entries);
    if (entries.size === 0) return [];
    const folder: MarkerFolder = {
      dir,
      has: (name) => entries.has(name),
      isDirectory: (relative) => this.host.directoryExists(joinPath(dir, relative)),
      config: (name) => this.configs.read(joinPath(dir, name)),
    };
    const found: Marker[] = [];
    for (const { spec } of MARKERS) {
      const name = spec.find ? spec.find(folder) : spec.names.find((n) => entries.has(n));
      if (name !== undefined) found.push({ kind: spec.kind, path: joinPath(dir, name), dir });
    }
    return found;
  }

  /** Everything found walking up from `dir`. */
  infoFor(dir: string): ProjectInfo {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const parentDir = dirname(dir);
    const atTop = dir === '/' || dir === this.stopAt || parentDir === dir;
    const parent: ProjectInfo = atTop
      ? // Every field present from the top (undefined where unknown), so that every folder's info has one hidden class
        // (`workerBindings` was missing: a Worker project's info took a map of its own, and the analysis that reads
        // it was deoptimized by each). The check makes a new field fail to compile until it is listed here.
        ({
          markers: [],
          compatibilityFlags: [],
          compatibilityDate: undefined,
          workerMain: undefined,
          pagesProject: undefined,
          workerBindings: undefined,
          netlifyDirs: undefined,
          configuredHandlers: [],
          dependencies: new Set<string>(),
          packageRoot: undefined,
          pythonRoot: undefined,
          frameworkConfigs: [],
          frameworkSettings: [],
        } satisfies Record<keyof ProjectInfo, unknown>)
      : this.infoFor(parentDir);
    // One listing of the folder serves the platform markers and the framework config files.
    const names = this.host.readDirectory(dir);
    const here = this.markersIn(dir, names);
    const info: ProjectInfo = { ...parent, markers: [...here, ...parent.markers] };
    if (PYTHON_PROJECT_FILES.some((n) => names.includes(n))) info.pythonRoot = dir;
    const configs = names.filter((name) => FRAMEWORK_CONFIG_FILES.has(name));
    if (configs.length) info.frameworkConfigs = [...configs, ...parent.frameworkConfigs];
    for (const name of configs) {
      // Read as syntax only (astro.config.mjs is code; it is parsed, never run).
      const settings = frameworkSettingsOf(name, () => this.host.readFile(joinPath(dir, name)));
      if (settings.length) info.frameworkSettings = [...settings, ...info.frameworkSettings];
    }

    for (const m of here) {
      if (m.kind === 'wrangler') {
        const parsed = this.configs.read(m.path);
        const data = parsed?.data as
          | { compatibility_flags?: unknown; compatibility_date?: unknown; main?: unknown; pages_build_output_dir?: unknown }
          | undefined;
        info.compatibilityFlags = Array.isArray(data?.compatibility_flags) ? data!.compatibility_flags.map(String) : [];
        // TOML gives a bare date as a date object (smol-toml's TomlDate); JSON as a string.
        const date = data?.compatibility_date;
        info.compatibilityDate = typeof date === 'string' ? date : date instanceof Date ? date.toISOString().slice(0, 10) : undefined;
        info.workerMain = typeof data?.main === 'string' ? joinPath(dir, data.main.replace(/^\.\//, '')) : undefined;
        info.pagesProject = typeof data?.pages_build_output_dir === 'string';
        info.workerBindings = wranglerBindings(data);
      }
      if (m.kind === 'netlify.toml') info.netlifyDirs = netlifyFunctionDirs(this.configs.read(m.path), dir);
      if (m.kind === 'cdk.json' || m.kind === 'amplify') {
        const found = codeConfiguredHandlers(m.kind, dir, this.host, (path) => this.configs.read(path));
        info.configuredHandlers = [...found.filter((h) => !info.configuredHandlers.some((o) => o.source === h.source)), ...info.configuredHandlers];
      }
      if (m.kind === 'serverless.yml') {
        const parsed = this.configs.read(m.path);
        if (parsed) info.configuredHandlers = [...serverlessHandlers(parsed), ...info.configuredHandlers];
      }
      if (m.kind === 'sam-template') {
        const parsed = this.configs.read(m.path);
        if (parsed) info.configuredHandlers = [...samHandlers(parsed), ...info.configuredHandlers];
      }
    }
    const pkgPath = joinPath(dir, 'package.json');
    // Listed but not a regular file (a symlink to a device, a FIFO): read through the door, which refuses it with a
    // finding. The folder's listing answers (no stat per folder); a folder that could not be listed is asked.
    const hasPkg = names.length ? this.listed(dir, 'package.json') : this.host.fileExists(pkgPath);
    if (!parent.packageRoot || hasPkg) {
      const pkg = hasPkg ? this.configs.read(pkgPath) : undefined;
      if (pkg?.problems.length) this.configProblems.set(pkgPath, pkg.problems);
      const data = pkg?.data as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } | undefined;
      if (data && typeof data === 'object') {
        info.dependencies = new Set([...Object.keys(data.dependencies ?? {}), ...Object.keys(data.devDependencies ?? {})]);
        info.packageRoot = dir;
      }
    }
    this.byDir.set(dir, info);
    return info;
  }
}

/** The bindings a wrangler config declares, by name (the table of where each kind lives is platform-apis.ts). */
function wranglerBindings(data: unknown): Record<string, BindingKind> | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const out: Record<string, BindingKind> = {};
  for (const { path, nameField, kind } of WRANGLER_BINDINGS) {
    let at: unknown = data;
    for (const key of path) at = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
    for (const item of Array.isArray(at) ? at : at ? [at] : []) {
      const name = item && typeof item === 'object' ? (item as Record<string, unknown>)[nameField] : undefined;
      if (typeof name === 'string' && !Object.hasOwn(out, name)) out[name] = kind;
    }
  }
  return Object.keys(out).length ? out : undefined;
}
