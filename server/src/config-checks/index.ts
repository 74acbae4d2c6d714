// Diagnostics inside platform configuration files (vercel.json/.toml/.ts, serverless.yml, SAM template.yaml,
// netlify.toml, wrangler.toml/json(c)): limits exceeded at the exact key, and parse errors where they are.
// Pure: the caller passes the file's text; nothing here reads files or runs workspace code.
import * as jsonc from 'jsonc-parser';
import * as YAML from 'yaml';
import type { ConfigProblem, Platform, RuleLevel, Runtime, Severity, Span } from '../../../shared/src/types';
import { severityOfLevel } from '../../../shared/src/severity';
import type { Settings } from '../../../shared/src/settings';
import { planLimits } from '../../../shared/src/limits';
import { basename } from '../analysis/host';
import { offsetToPosition, parseJsonc, parseToml, parseYaml, type ConfigCache } from '../analysis/project';
import { checkDuration } from '../analysis/durations';
import { isVercelScriptConfig, parseVercelScript } from '../analysis/vercel-config';
import { codeConfigProblems } from '../analysis/iac-config';
import { NODEJS_COMPAT_DEFAULT_ON_DATE } from '../analysis/cloudflare-compat';
import { locateTomlKeys, type TomlKey } from './toml-keys';
import type { LintService } from '../analysis/service';

export type ConfigKind = 'vercel' | 'serverless' | 'sam' | 'netlify' | 'wrangler';

/** Which platform config a file name is, or undefined when it is none of them. */
export function configKindOf(fileName: string): ConfigKind | undefined {
  const name = basename(fileName);
  if (name === 'vercel.json' || name === 'vercel.toml' || isVercelScriptConfig(name)) return 'vercel';
  if (name === 'serverless.yml' || name === 'serverless.yaml') return 'serverless';
  if (name === 'template.yaml' || name === 'template.yml') return 'sam';
  if (name === 'netlify.toml') return 'netlify';
  if (name === 'wrangler.toml' || name === 'wrangler.json' || name === 'wrangler.jsonc') return 'wrangler';
  return undefined;
}

/** The Cloudflare Workers ceiling for `limits.cpu_ms` (5 minutes, Paid plan). */
const WORKERS_MAX_CPU_MS = 300_000;
/** Lambda memory bounds in MB. */
const LAMBDA_MIN_MEMORY = 128;
/** Lambda Node.js runtimes that AWS has deprecated (no security patches; creation is blocked later). */
const DEPRECATED_LAMBDA_NODE = /^nodejs(?:[0-9]|1[0-8])\.x$/;

class Collector {
  readonly problems: ConfigProblem[] = [];
  private starts?: number[];
  constructor(
    readonly fileName: string,
    readonly text: string,
    readonly settings: Settings,
    readonly configs?: ConfigCache,
  ) {}

  add(span: Span, message: string, ruleId: string, severity: Severity): void {
    // A rule or check the user turned off stays off in configuration files too; a configured level wins.
    const sev = configuredSeverity(this.settings.rules[ruleId], severity);
    if (!sev) return;
    // A parser reports each unclosed bracket at the end of the file: one diagnostic says it.
    if (this.problems.some((p) => p.span.start === span.start && p.span.end === span.end && p.message === message)) return;
    this.starts ??= lineStarts(this.text);
    this.problems.push({
      fileName: this.fileName,
      span,
      message,
      severity: sev,
      ruleId,
      range: { start: offsetToPosition(this.starts, span.start), end: offsetToPosition(this.starts, span.end) },
    });
  }

  duration(platform: Platform, runtime: Runtime, seconds: number, span: Span, what: string, background = false): void {
    const check = checkDuration(platform, runtime, this.settings.plan, seconds, { background });
    if (check.ok || !check.message) return;
    this.add(span, `${what}: ${check.message}${check.max !== undefined ? ` Set it to ${check.max} or less.` : ''}`, 'max-duration-exceeds-limit', 'error');
  }
}

/** The severity a configured level gives a problem (undefined: turned off); without a level, the check's own. */
function configuredSeverity(level: RuleLevel | undefined, severity: Severity): Severity | undefined {
  const s = severityOfLevel(level, severity);
  return s === 'off' ? undefined : s;
}

/**
 * Applies the levels of `rules` (serverless-lint.json, --rule) to configuration problems found outside
 * `checkConfigFile`: a tsconfig `extends` that import resolution could not find.
 */
export function withConfiguredLevels(problems: readonly ConfigProblem[], settingsFor: (fileName: string) => Settings): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const p of problems) {
    const severity = configuredSeverity(settingsFor(p.fileName).rules[p.ruleId], p.severity);
    if (severity) out.push(severity === p.severity ? p : { ...p, severity });
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/**
 * Checks one platform configuration file. Returns its problems (parse errors included), each at the exact
 * key; never throws. Files that are not platform configs give no problems.
 */
export function checkConfigFile(fileName: string, text: string, settings: Settings, configs?: ConfigCache): ConfigProblem[] {
  const kind = configKindOf(fileName);
  if (!kind) return [];
  const c = new Collector(fileName, text, settings, configs);
  try {
    if (kind === 'vercel') checkVercel(c);
    else if (kind === 'serverless') checkServerless(c);
    else if (kind === 'sam') checkSam(c);
    else if (kind === 'netlify') checkNetlify(c);
    else checkWrangler(c);
  } catch (e) {
    // A check that trips over an unexpected shape must not take the file's other diagnostics with it.
    c.add({ start: 0, end: 0 }, `${basename(fileName)} could not be checked completely: ${(e as Error).message}`, 'config-check-failed', 'info');
  }
  return c.problems;
}

// ---- vercel.json -------------------------------------------------------------------------------------

function jsonSpan(node: jsonc.Node): Span {
  // The key and its value: `"maxDuration": 900`.
  const pair = node.parent && node.parent.type === 'property' ? node.parent : node;
  return { start: pair.offset, end: pair.offset + pair.length };
}

/** A value in a Vercel configuration and where its `key: value` is written. */
interface Placed {
  value: unknown;
  span: Span;
}

/** The parts of a Vercel configuration that are checked, the same whatever the file's format. */
interface VercelView {
  functions: Array<{ glob: string; runtime?: unknown; maxDuration?: Placed; memory?: Placed }>;
  crons: Array<{ path?: Placed; schedule?: Placed }>;
}

/** vercel.json: the view from the JSON tree. */
function vercelJsonView(c: Collector): VercelView | undefined {
  const parsed = parseJsonc(c.fileName, c.text);
  if (parsed.problems.length) {
    for (const p of parsed.problems) c.add(p.span, p.message, 'invalid-config', 'error');
    return undefined;
  }
  const tree = jsonc.parseTree(c.text);
  if (!tree) return undefined;
  const placed = (n: jsonc.Node | undefined): Placed | undefined => (n ? { value: n.value, span: jsonSpan(n) } : undefined);
  const view: VercelView = { functions: [], crons: [] };
  const functions = jsonc.findNodeAtLocation(tree, ['functions']);
  for (const entry of functions?.type === 'object' ? (functions.children ?? []) : []) {
    const glob = entry.children?.[0]?.value;
    const value = entry.children?.[1];
    if (typeof glob !== 'string' || value?.type !== 'object') continue;
    view.functions.push({
      glob,
      runtime: jsonc.findNodeAtLocation(value, ['runtime'])?.value,
      maxDuration: placed(jsonc.findNodeAtLocation(value, ['maxDuration'])),
      memory: placed(jsonc.findNodeAtLocation(value, ['memory'])),
    });
  }
  const crons = jsonc.findNodeAtLocation(tree, ['crons']);
  for (const cron of crons?.type === 'array' ? (crons.children ?? []) : []) {
    view.crons.push({ path: placed(jsonc.findNodeAtLocation(cron, ['path'])), schedule: placed(jsonc.findNodeAtLocation(cron, ['schedule'])) });
  }
  return view;
}

/** vercel.toml and vercel.ts: the view from parsed data and the positions of its keys (dotted paths). */
function vercelDataView(data: Record<string, unknown>, spanOf: (path: string) => Span | undefined): VercelView {
  const view: VercelView = { functions: [], crons: [] };
  const placed = (obj: Record<string, unknown>, key: string, path: string): Placed | undefined =>
    key in obj ? { value: obj[key], span: spanOf(path) ?? { start: 0, end: 0 } } : undefined;
  const functions = data.functions;
  if (functions && typeof functions === 'object' && !Array.isArray(functions)) {
    for (const [glob, cfg] of Object.entries(functions as Record<string, unknown>)) {
      if (!cfg || typeof cfg !== 'object') continue;
      const entry = cfg as Record<string, unknown>;
      view.functions.push({
        glob,
        runtime: entry.runtime,
        maxDuration: placed(entry, 'maxDuration', `functions.${glob}.maxDuration`),
        memory: placed(entry, 'memory', `functions.${glob}.memory`),
      });
    }
  }
  if (Array.isArray(data.crons)) {
    data.crons.forEach((cron, i) => {
      if (!cron || typeof cron !== 'object') return;
      const entry = cron as Record<string, unknown>;
      view.crons.push({ path: placed(entry, 'path', `crons[${i}].path`), schedule: placed(entry, 'schedule', `crons[${i}].schedule`) });
    });
  }
  return view;
}

/** vercel.json, vercel.toml or vercel.ts: parse errors and unread values as problems, then the view. */
function vercelView(c: Collector): VercelView | undefined {
  if (basename(c.fileName) === 'vercel.json') return vercelJsonView(c);
  if (c.fileName.endsWith('.toml')) {
    const toml = tomlOrReport(c);
    return toml && vercelDataView(toml.data, (path) => toml.keys.get(path));
  }
  const script = parseVercelScript(c.fileName, c.text);
  for (const p of script.problems) c.add(p.span, p.message, p.ruleId, p.severity);
  return script.data && vercelDataView(script.data, (path) => script.spans.get(path));
}

function checkVercel(c: Collector): void {
  const view = vercelView(c);
  if (!view) return;
  for (const fn of view.functions) {
    // Community runtimes (`vercel-php@…`) have their own limits; only Node.js functions are checked.
    if (typeof fn.runtime === 'string' && !/node/i.test(fn.runtime)) continue;
    if (typeof fn.maxDuration?.value === 'number')
      c.duration('vercel', 'node', fn.maxDuration.value, fn.maxDuration.span, `functions["${fn.glob}"].maxDuration`);
    if (typeof fn.memory?.value === 'number') checkMemory(c, 'vercel', fn.memory.value, fn.memory.span, `functions["${fn.glob}"].memory`);
  }
  for (const { path, schedule } of view.crons) {
    if (path && (typeof path.value !== 'string' || !path.value.startsWith('/'))) {
      c.add(path.span, 'A Vercel cron `path` must start with `/` (it is requested on the production deployment).', 'vercel-cron-path', 'error');
    }
    if (!schedule) continue;
    const fields = typeof schedule.value === 'string' ? schedule.value.trim().split(/\s+/) : [];
    if (fields.length !== 5) {
      c.add(
        schedule.span,
        'A Vercel cron `schedule` is a five-field cron expression (minute hour day month weekday), in UTC.',
        'vercel-cron-schedule',
        'error',
      );
    }
  }
  checkVercelHobbyCrons(c, view.crons);
}

/** On Hobby, Vercel runs cron jobs at most once a day: a schedule with a wildcard or step in minute or hour fails to deploy. */
function checkVercelHobbyCrons(c: Collector, crons: VercelView['crons']): void {
  if (c.settings.plan !== 'hobby') return;
  for (const { schedule } of crons) {
    const fields = typeof schedule?.value === 'string' ? schedule.value.trim().split(/\s+/) : [];
    if (!schedule || fields.length !== 5) continue;
    const [minute, hour] = fields;
    if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour)) {
      c.add(
        schedule.span,
        `'${schedule.value}' runs more than once a day; on the Vercel Hobby plan cron jobs run at most once a day, so the deployment fails. Use a fixed minute and hour, or the Pro plan.`,
        'vercel-hobby-cron-frequency',
        'error',
      );
    }
  }
}

function checkMemory(c: Collector, platform: Platform, mb: number, span: Span, what: string): void {
  const settings = c.settings;
  const found = planLimits(platform, 'node', settings.plan);
  const max = found?.limits.memory?.value;
  if (max !== undefined && mb > max) {
    c.add(
      span,
      `${what} ${mb} MB exceeds the ${found!.plan} plan maximum of ${max} MB; the deployment is rejected. Set it to ${max} or less.`,
      'function-memory-limit',
      'error',
    );
  } else if (platform === 'aws-lambda' && mb < LAMBDA_MIN_MEMORY) {
    c.add(span, `${what} ${mb} MB is below the Lambda minimum of ${LAMBDA_MIN_MEMORY} MB.`, 'function-memory-limit', 'error');
  }
}

// ---- serverless.yml and SAM template.yaml -------------------------------------------------------------

type YNode = YAML.Node | null | undefined;

/** The document whose aliases merge keys name (set while one YAML file is checked). */
let mergeDoc: YAML.Document.Parsed | undefined;

/** Merge keys are parsed with `merge: true`: the key is a scalar whose value is this symbol (or the text `<<`). */
function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && (key.source === '<<' || key.value === '<<' || String(key.value) === 'Symbol(<<)');
}

/**
 * A key of a mapping, or the one it inherits through YAML merge keys (`<<: *base`, `<<: [*a, *b]`): an own key wins,
 * then the merged mappings in order, as YAML 1.1 merges them. Followed with a visited set: an alias cycle ends.
 */
function yamlPair(map: YNode, key: string): YAML.Pair<YAML.Scalar, YAML.Node> | undefined {
  const queue: YNode[] = [map];
  const seen = new Set<unknown>();
  while (queue.length) {
    const m = queue.shift();
    if (!YAML.isMap(m) || seen.has(m)) continue;
    seen.add(m);
    const own = m.items.find((p) => YAML.isScalar(p.key) && p.key.value === key) as YAML.Pair<YAML.Scalar, YAML.Node> | undefined;
    if (own) return own;
    for (const p of m.items) {
      if (!isMergeKey(p.key)) continue;
      const sources = YAML.isSeq(p.value) ? p.value.items : [p.value];
      for (const v of sources) queue.push(YAML.isAlias(v) && mergeDoc ? (v.resolve(mergeDoc) as YNode) : (v as YNode));
    }
  }
  return undefined;
}

function yamlSpan(pair: YAML.Pair<YAML.Scalar, YAML.Node>): Span {
  const start = pair.key.range?.[0] ?? 0;
  const end = (pair.value as YAML.Node | null)?.range?.[1] ?? pair.key.range?.[1] ?? start;
  return { start, end };
}

function yamlNumber(pair: YAML.Pair<YAML.Scalar, YAML.Node> | undefined): number | undefined {
  const v = pair?.value;
  return YAML.isScalar(v) && typeof v.value === 'number' ? v.value : undefined;
}

function parseYamlOrReport(c: Collector): YAML.Document.Parsed | undefined {
  // The project walk has parsed the same text (serverless.yml handlers, SAM detection): its cache serves both.
  const parsed = c.configs ? c.configs.parse(c.fileName, c.text) : parseYaml(c.fileName, c.text);
  if (parsed.problems.length || !parsed.doc) {
    for (const p of parsed.problems) c.add(p.span, p.message, 'invalid-config', 'error');
    return undefined;
  }
  mergeDoc = parsed.doc;
  return parsed.doc;
}

function checkLambdaFunction(c: Collector, fn: YNode, where: string, keys: { timeout: string; memory: string; runtime: string }): void {
  const timeout = yamlPair(fn, keys.timeout);
  const seconds = yamlNumber(timeout);
  if (timeout && seconds !== undefined) c.duration('aws-lambda', 'node', seconds, yamlSpan(timeout), `${where}.${keys.timeout}`);
  const memory = yamlPair(fn, keys.memory);
  const mb = yamlNumber(memory);
  if (memory && mb !== undefined) checkMemory(c, 'aws-lambda', mb, yamlSpan(memory), `${where}.${keys.memory}`);
  const runtime = yamlPair(fn, keys.runtime);
  const rt = YAML.isScalar(runtime?.value) ? String(runtime!.value.value) : undefined;
  if (runtime && rt && DEPRECATED_LAMBDA_NODE.test(rt)) {
    c.add(
      yamlSpan(runtime),
      `${where}.${keys.runtime} ${rt} is a deprecated Lambda runtime (no security patches; AWS blocks creating and then updating such functions). Use nodejs22.x or nodejs20.x.`,
      'lambda-deprecated-runtime',
      'warning',
    );
  }
}

function checkServerless(c: Collector): void {
  const doc = parseYamlOrReport(c);
  if (!doc) return;
  const keys = { timeout: 'timeout', memory: 'memorySize', runtime: 'runtime' };
  const provider = yamlPair(doc.contents, 'provider')?.value;
  checkLambdaFunction(c, provider, 'provider', keys);
  const functions = yamlPair(doc.contents, 'functions')?.value;
  if (!YAML.isMap(functions)) return;
  for (const pair of functions.items) {
    const name = YAML.isScalar(pair.key) ? String(pair.key.value) : '?';
    checkLambdaFunction(c, pair.value as YNode, `functions.${name}`, keys);
  }
}

function checkSam(c: Collector): void {
  const doc = parseYamlOrReport(c);
  if (!doc) return;
  const keys = { timeout: 'Timeout', memory: 'MemorySize', runtime: 'Runtime' };
  const globals = yamlPair(yamlPair(doc.contents, 'Globals')?.value, 'Function')?.value;
  checkLambdaFunction(c, globals, 'Globals.Function', keys);
  const resources = yamlPair(doc.contents, 'Resources')?.value;
  if (!YAML.isMap(resources)) return;
  for (const pair of resources.items) {
    const name = YAML.isScalar(pair.key) ? String(pair.key.value) : '?';
    const type = yamlPair(pair.value as YNode, 'Type')?.value;
    if (!YAML.isScalar(type) || !/^AWS::(Serverless|Lambda)::Function$/.test(String(type.value))) continue;
    checkLambdaFunction(c, yamlPair(pair.value as YNode, 'Properties')?.value, `Resources.${name}.Properties`, keys);
  }
}

// ---- netlify.toml and wrangler.toml/json(c) -----------------------------------------------------------

function tomlOrReport(c: Collector): { data: Record<string, unknown>; keys: Map<string, TomlKey> } | undefined {
  const parsed = parseToml<Record<string, unknown>>(c.fileName, c.text);
  if (parsed.problems.length || !parsed.data) {
    for (const p of parsed.problems) c.add(p.span, p.message, 'invalid-config', 'error');
    return undefined;
  }
  return { data: parsed.data, keys: locateTomlKeys(c.text) };
}

function checkNetlify(c: Collector): void {
  const toml = tomlOrReport(c);
  if (!toml) return;
  const edge = toml.data.edge_functions;
  if (Array.isArray(edge)) {
    edge.forEach((e, i) => {
      const entry = e as Record<string, unknown>;
      if (typeof entry.function !== 'string' || (typeof entry.path !== 'string' && typeof entry.pattern !== 'string')) {
        const at = toml.keys.get(`edge_functions[${i}]`);
        c.add(
          at ? { start: at.start, end: at.end } : { start: 0, end: 0 },
          'Each [[edge_functions]] entry needs a `function` name and a `path` (or `pattern`); Netlify skips it otherwise.',
          'netlify-edge-function-entry',
          'error',
        );
      }
    });
  }
}

function checkWrangler(c: Collector): void {
  if (c.fileName.endsWith('.toml')) {
    const toml = tomlOrReport(c);
    if (!toml) return;
    checkWranglerData(c, toml.data, (path) => toml.keys.get(path));
    return;
  }
  const parsed = parseJsonc<Record<string, unknown>>(c.fileName, c.text);
  if (parsed.problems.length || !parsed.data) {
    for (const p of parsed.problems) c.add(p.span, p.message, 'invalid-config', 'error');
    return;
  }
  const tree = jsonc.parseTree(c.text);
  checkWranglerData(c, parsed.data, (path) => {
    const node = tree && jsonc.findNodeAtLocation(tree, path.split('.'));
    return node ? jsonSpan(node) : undefined;
  });
}

function checkWranglerData(c: Collector, data: Record<string, unknown>, at: (path: string) => Span | undefined): void {
  const settings = c.settings;
  const limits = data.limits as { cpu_ms?: unknown } | undefined;
  if (limits && typeof limits.cpu_ms === 'number') {
    const span = at('limits.cpu_ms') ?? { start: 0, end: 0 };
    const plan = planLimits('cloudflare-workers', 'edge', settings.plan);
    if (limits.cpu_ms > WORKERS_MAX_CPU_MS) {
      c.add(
        span,
        `limits.cpu_ms ${limits.cpu_ms} exceeds the Workers maximum of ${WORKERS_MAX_CPU_MS} ms (5 minutes); the deployment is rejected.`,
        'workers-cpu-limit',
        'error',
      );
    } else if (plan?.plan === 'free' && plan.limits.cpuTime && limits.cpu_ms > plan.limits.cpuTime.value) {
      c.add(
        span,
        `limits.cpu_ms ${limits.cpu_ms} cannot be raised on the Workers Free plan (${plan.limits.cpuTime.value} ms per request); it needs the Paid plan.`,
        'workers-cpu-limit',
        'error',
      );
    }
  }
  if (data.node_compat === true) {
    c.add(
      at('node_compat') ?? { start: 0, end: 0 },
      '`node_compat = true` is the legacy polyfill mode that current Wrangler no longer supports; use `compatibility_flags = ["nodejs_compat"]`.',
      'wrangler-node-compat-legacy',
      'warning',
    );
  }
  const flags = data.compatibility_flags;
  if (flags !== undefined && (!Array.isArray(flags) || flags.some((f) => typeof f !== 'string'))) {
    c.add(
      at('compatibility_flags') ?? { start: 0, end: 0 },
      '`compatibility_flags` must be a list of strings, e.g. ["nodejs_compat"].',
      'wrangler-compatibility-flags-type',
      'error',
    );
  } else if (Array.isArray(flags) && flags.includes('nodejs_compat') && typeof data.compatibility_date === 'string' && data.compatibility_date < '2024-09-23') {
    c.add(
      at('compatibility_date') ?? { start: 0, end: 0 },
      `With compatibility_date ${data.compatibility_date}, nodejs_compat is the older v1 mode (fewer Node modules, no process/Buffer globals); set a date of 2024-09-23 or later for v2.`,
      'wrangler-nodejs-compat-v1',
      'info',
    );
  } else if (
    Array.isArray(flags) &&
    flags.includes('nodejs_compat') &&
    typeof data.compatibility_date === 'string' &&
    data.compatibility_date >= NODEJS_COMPAT_DEFAULT_ON_DATE
  ) {
    // workerd itself rejects the redundant flag on these dates; Wrangler drops it before starting the runtime.
    c.add(
      at('compatibility_flags') ?? { start: 0, end: 0 },
      `nodejs_compat is the default from compatibility date ${NODEJS_COMPAT_DEFAULT_ON_DATE}, so the flag is redundant with ${data.compatibility_date}; tools other than Wrangler may reject it.`,
      'wrangler-nodejs-compat-redundant',
      'info',
    );
  }
}

/** Marker kinds of ProjectIndex that are platform configs this module checks. */
const CHECKED_MARKERS = new Set(['vercel.json', 'serverless.yml', 'sam-template', 'netlify.toml', 'wrangler']);

/**
 * The platform config files that govern `files` (found by the service's project walk, so no extra
 * directory scan), checked. `inside` keeps only configs under these folders (the CLI's paths).
 */
export function checkConfigsFor(service: LintService, files: string[], read: (fileName: string) => string | undefined, inside?: string[]): ConfigProblem[] {
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const dir of new Set(files.map((f) => f.slice(0, f.lastIndexOf('/')) || '/'))) {
    const info = service.projects.infoFor(dir);
    for (const m of info.markers) {
      // CDK stacks and Amplify resource files: their functions' timeouts and memory, at the key in the .ts file.
      if ((m.kind === 'cdk.json' || m.kind === 'amplify') && !seen.has(m.path)) {
        seen.add(m.path);
        const handlers = service.projects
          .infoFor(m.dir)
          .configuredHandlers.filter(
            (h) =>
              !seen.has(`${h.source}#${h.functionName}`) && (!inside || inside.some((root) => h.source.startsWith(root.endsWith('/') ? root : root + '/'))),
          );
        for (const h of handlers) seen.add(`${h.source}#${h.functionName}`);
        out.push(...codeConfigProblems(handlers, service.settingsFor(m.path), read));
      }
      if (!CHECKED_MARKERS.has(m.kind) || seen.has(m.path)) continue;
      seen.add(m.path);
      if (inside && !inside.some((root) => m.path === root || m.path.startsWith(root.endsWith('/') ? root : root + '/'))) continue;
      const text = read(m.path);
      if (text !== undefined) out.push(...checkConfigFile(m.path, text, service.settingsFor(m.path), service.projects.configs));
      // Refused by the guarded door (not a regular file, too large): the refusal is the config's finding.
      else out.push(...(service.projects.configs.read(m.path)?.problems ?? []));
    }
  }
  return out;
}
