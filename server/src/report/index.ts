// The workspace architecture check: lints every source file of a workspace and summarizes it as a
// report (platforms, function inventory, configuration and dependency problems, bundle estimates).
// Used by the CLI's `--report` and by the language server's "Check Workspace Architecture" command.
import { ensurePythonParser, isPythonFile } from '../python/parser';
import { configuredPythonHandlers } from '../python/context';
import * as fs from 'node:fs';
import * as ts from 'typescript';
import picomatch from 'picomatch';
import type { AnalysisResult, ConfigProblem, Platform, Runtime, Severity } from '../../../shared/src/types';
import { isNetlifyBackgroundFunction, planLimits } from '../../../shared/src/limits';
import type { LintService } from '../analysis/service';
import { basename, dirname, joinPath, relativeTo, type Host } from '../analysis/host';
import { parseSource } from '../analysis/engine';
import { builtinSupport, edgeTargetOf } from '../analysis/edge-modules';
import { collectSourceFiles } from '../host/files';
import { NodeHost } from '../host/node-host';
import { checkConfigsFor } from '../config-checks';
import { entryOf, FRAMEWORKS } from '../conventions';
import { withoutSourceExtension } from '../../../shared/src/source-files';
import type { ShapeId } from '../../../shared/src/conventions.generated';

/** One function the platform will deploy, as found by context detection. */
export interface FunctionInfo {
  fileName: string;
  /** The route it serves (`/api/users`, `middleware`, the Lambda function name …), or the file path when unknown. */
  route: string;
  platform: Platform;
  runtime: Runtime;
  plan: string;
  framework: string;
  /** Configured or declared max duration in seconds, with where it comes from. */
  maxDuration?: { seconds: number; source: string };
  /** The platform's default duration when none is configured. */
  defaultDuration?: number;
  memory?: { mb: number; source: string };
  handlers: string[];
  findings: { error: number; warning: number; info: number };
}

/** A dependency-level problem (a package or a database URL), not tied to one line of code. */
export interface DependencyProblem {
  kind: 'edge-node-only-package' | 'websocket-library' | 'aws-sdk-v2' | 'unpooled-database-url';
  severity: Severity;
  message: string;
  /** The file where it shows (package.json, .env.example, schema.prisma, or an entry). */
  fileName: string;
  /** Functions affected, when it is about reachable code. */
  functions?: string[];
}

/** Estimated deployed size of one function. */
export interface BundleEstimate {
  fileName: string;
  route: string;
  /** Bytes of reachable local files plus reachable packages on disk. */
  bytes: number;
  localFiles: number;
  packages: number;
  /** The biggest contributors, largest first. */
  biggest: Array<{ name: string; bytes: number }>;
  /** The platform's bundle limit in MB, when known, and what it measures. */
  limitMb?: number;
  limitNote?: string;
  exceeds: boolean;
}

export interface PlatformSummary {
  platform: Platform;
  plan: string;
  /** Why the platform was detected (first entry's reason). */
  reason: string;
  /** Folder of the config file it came from, when any. */
  root?: string;
  functions: number;
}

export interface WorkspaceReport {
  roots: string[];
  /** True when the check was cancelled before every file was analyzed; the report is partial. */
  cancelled: boolean;
  /** Set when the workspace has more source files than the check's limit: only this many were analyzed. */
  fileLimit?: number;
  filesAnalyzed: number;
  platforms: PlatformSummary[];
  functions: FunctionInfo[];
  /** Every analyzed file's result, for the Problems panel. */
  results: AnalysisResult[];
  /** Problems in configuration files (serverless-lint.json and platform configs). */
  configProblems: ConfigProblem[];
  dependencyProblems: DependencyProblem[];
  bundles: BundleEstimate[];
  totals: { error: number; warning: number; info: number };
  /** Files that were not analyzed (minified, unreadable, too large, too deep, failed), with the reason. */
  skipped?: Array<{ fileName: string; reason: string }>;
}

export interface CheckOptions {
  cancelled?: () => boolean;
  progress?: (done: number, total: number, file?: string) => void;
  /** The text of a file (e.g. an open editor buffer); defaults to reading it from disk. */
  readText?: (fileName: string) => string | undefined;
  /** Yield to the event loop after this many files (default 20), so cancellation and other requests get a turn. */
  batchSize?: number;
  /** At most this many files are analyzed (default 20,000). */
  maxFiles?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function countFindings(result: AnalysisResult): { error: number; warning: number; info: number } {
  const c = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) c[f.severity]++;
  return c;
}

/**
 * The route a function entry serves: its own entry convention's route, else the first convention of the registry
 * whose route matches the path (a Lambda file under app/ still shows its route), else the relative path.
 */
export function routeOf(fileName: string, root: string | undefined, framework: string, shapes: readonly ShapeId[] = []): string {
  const rel = (root && relativeTo(root, fileName)) || fileName;
  const noExt = withoutSourceExtension(rel);
  const own = entryOf(framework)?.route?.(noExt, shapes);
  if (own !== undefined) return own;
  // An entry without a route of its own takes the route a path convention gives its file, if one matches the path.
  for (const f of FRAMEWORKS) {
    for (const e of f.entries) {
      // Vercel's api/ routes are the api/ folder's own: another framework's api/ file keeps its path.
      if (!e.route || !e.path?.test(rel) || f.id === 'vercel') continue;
      const route = e.route(noExt, shapes);
      if (route !== undefined) return route;
    }
  }
  return rel;
}

/**
 * Lints every source file under `roots` and summarizes the workspace. Yields to the event loop every
 * `batchSize` files; when `cancelled()` turns true it stops and returns what it has, marked `cancelled`.
 */
export async function checkWorkspace(service: LintService, roots: string[], opts: CheckOptions = {}): Promise<WorkspaceReport> {
  const disk = new NodeHost();
  const read = opts.readText ?? ((f: string) => disk.readFile(f));
  const batch = Math.max(1, opts.batchSize ?? 20);
  const limit = opts.maxFiles ?? 20_000;
  // One file past the limit is collected to know whether the limit cut the workspace short, which the report says.
  const skipped: Array<{ fileName: string; reason: string }> = [];
  const collected = collectSourceFiles(roots, {
    cancelled: opts.cancelled,
    maxFiles: limit + 1,
    onSkipped: (fileName, reason) => skipped.push({ fileName, reason }),
  });
  const limited = collected.length > limit;
  const files = (limited ? collected.slice(0, limit) : collected).filter((f) => !service.isIgnored(f));
  // The Python parser (WebAssembly) is loaded only for a workspace with Python files.
  if (files.some(isPythonFile)) await ensurePythonParser();
  const results: AnalysisResult[] = [];
  const configProblems: ConfigProblem[] = [];
  const seenConfig = new Set<string>();
  let cancelled = false;
  opts.progress?.(0, files.length);
  for (let i = 0; i < files.length; i++) {
    if (i % batch === 0 && i > 0) {
      await yieldToEventLoop();
    }
    if (opts.cancelled?.()) {
      cancelled = true;
      break;
    }
    const file = files[i];
    const text = read(file);
    if (text === undefined) {
      // Why, from the guarded door (too large, not a regular file, outside the workspace); a file deleted since the
      // walk is no longer part of the workspace.
      const got = service.readSource(file);
      if (got.refused !== 'missing') {
        const reason =
          got.text !== undefined
            ? 'it could not be read'
            : got.refused === 'too-large'
              ? got.reason.replace('the size limit', 'serverlessLint.maxFileSize')
              : got.reason;
        skipped.push({ fileName: file, reason });
      }
    }
    if (text !== undefined) {
      results.push(service.lint(file, text));
      const config = service.configFor(file.slice(0, file.lastIndexOf('/')));
      if (config.file && !seenConfig.has(config.file)) {
        seenConfig.add(config.file);
        configProblems.push(...config.problems);
      }
    }
    opts.progress?.(i + 1, files.length, file);
  }
  if (!cancelled) {
    // Second pass: modules linted before the entry that imports them was known get their function role now.
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      if (r.context.role.value !== 'other' || !service.graph.entryReaching(r.fileName)) continue;
      const text = read(r.fileName);
      if (text !== undefined) results[i] = service.lint(r.fileName, text);
      if (i % batch === 0) await yieldToEventLoop();
      if (opts.cancelled?.()) {
        cancelled = true;
        break;
      }
    }
  }
  configProblems.push(...checkConfigsFor(service, files, read, roots), ...service.graph.resolver.configProblems());
  const report = summarize(roots, results, configProblems, cancelled);
  if (limited) report.fileLimit = limit;
  report.skipped = [...skipped, ...(report.skipped ?? [])].sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  if (!cancelled) {
    const host = new DiskSizeHost();
    addFunctionSettings(service, report, read);
    report.dependencyProblems = dependencyProblems(service, report, host);
    report.bundles = bundleEstimates(service, report, host);
  }
  return report;
}

/** A Host that can also tell file sizes without reading them (bundle estimates over node_modules). */
class DiskSizeHost extends NodeHost {
  private readonly dirSizes = new Map<string, number>();
  fileSize(path: string): number {
    try {
      return fs.statSync(path).size;
    } catch {
      return 0;
    }
  }
  /** Bytes of a folder on disk, nested node_modules excluded (they are separate packages), bounded. */
  dirSize(dir: string, maxEntries = 50_000): number {
    const hit = this.dirSizes.get(dir);
    if (hit !== undefined) return hit;
    let total = 0;
    let entries = 0;
    const stack = [dir];
    while (stack.length && entries < maxEntries) {
      const d = stack.pop()!;
      let list: fs.Dirent[];
      try {
        list = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of list) {
        entries++;
        if (e.name === 'node_modules') continue;
        const p = `${d}/${e.name}`;
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) total += this.fileSize(p);
      }
    }
    this.dirSizes.set(dir, total);
    return total;
  }
}

/** `export const maxDuration = N` in a file, when it is a number literal. */
function declaredMaxDuration(fileName: string, text: string): number | undefined {
  const sf = parseSource(fileName, text);
  if ('error' in sf) return undefined;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === 'maxDuration' && d.initializer && ts.isNumericLiteral(d.initializer)) return Number(d.initializer.text);
    }
  }
  return undefined;
}

/** Fills in configured max duration and memory: the file's own export, vercel.json globs, serverless.yml / SAM. */
function addFunctionSettings(service: LintService, report: WorkspaceReport, read: (f: string) => string | undefined): void {
  for (const fn of report.functions) {
    const project = service.projects.infoFor(dirname(fn.fileName));
    const text = read(fn.fileName);
    const declared = text !== undefined ? declaredMaxDuration(fn.fileName, text) : undefined;
    if (declared !== undefined) fn.maxDuration = { seconds: declared, source: 'export const maxDuration' };
    const vercel = project.markers.find((m) => m.kind === 'vercel.json');
    if (vercel) {
      const data = service.projects.configs.read(vercel.path)?.data as { functions?: Record<string, { maxDuration?: unknown; memory?: unknown }> } | undefined;
      const rel = relativeTo(vercel.dir, fn.fileName);
      for (const [glob, cfg] of Object.entries(data?.functions ?? {})) {
        if (!rel || !cfg || !picomatch(glob, { dot: true })(rel)) continue;
        const source = basename(vercel.path);
        if (typeof cfg.maxDuration === 'number' && declared === undefined) fn.maxDuration = { seconds: cfg.maxDuration, source };
        if (typeof cfg.memory === 'number') fn.memory = { mb: cfg.memory, source };
      }
    }
    const modulePath = fn.fileName.replace(/\.[cm]?[jt]sx?$/, '');
    // A Python module is named with dots in the configuration (`src.handlers.orders.handler`).
    const configured = isPythonFile(fn.fileName)
      ? configuredPythonHandlers(fn.fileName, project.configuredHandlers)[0]
      : project.configuredHandlers.find((h) => h.modulePath === modulePath);
    if (configured) {
      const source = configured.source.slice(configured.source.lastIndexOf('/') + 1);
      if (configured.timeout !== undefined) fn.maxDuration = { seconds: configured.timeout, source };
      if (configured.memory !== undefined) fn.memory = { mb: configured.memory, source };
      fn.route = `${configured.functionName} (${fn.route})`;
    }
  }
}

const WEBSOCKET_LIBRARIES = ['ws', 'socket.io', 'uWebSockets.js', '@fastify/websocket', 'express-ws', 'sockjs'];
const SERVERLESS: ReadonlySet<Platform> = new Set(['vercel', 'netlify', 'aws-lambda', 'cloudflare-workers', 'deno-deploy']);

/** Whether a database URL goes through a pooler (Neon -pooler, Supabase/PgBouncer, Prisma Accelerate, RDS Proxy) or over HTTP. */
export function isPooledUrl(url: string): boolean {
  return /-pooler\.|pgbouncer=true|pooler\.supabase\.com|:6543\b|^prisma(\+postgres)?:\/\/|\.proxy-[a-z0-9]+\.|^https?:\/\/|^libsql:|^mongodb\+srv:|^redis|^rediss/i.test(
    url,
  );
}

/** Package-level and database-level problems of the workspace's projects. */
function dependencyProblems(service: LintService, report: WorkspaceReport, host: Host): DependencyProblem[] {
  const out: DependencyProblem[] = [];
  // Node-only code reachable from edge entries, grouped by the package or builtin at the end of the chain.
  const byCulprit = new Map<string, DependencyProblem>();
  for (const r of report.results) {
    const target = edgeTargetOf(r.context);
    if (!target || r.context.role.value !== 'function-entry') continue;
    const chains = service.graph.nodeOnlyChains(r.fileName, {
      runtime: 'edge',
      platform: r.context.platform.value,
      builtinAllowed: (m) => builtinSupport(`node:${m}`, target)?.supported ?? true,
      includeDirectNative: true,
    });
    for (const chain of chains) {
      const last = chain.hops[chain.hops.length - 1];
      const viaPackage = last.fileName.includes('/node_modules/') || chain.culprit.kind === 'native';
      const key = viaPackage ? chain.culprit.detail.split(' ')[0] : `${last.fileName}|${chain.culprit.module}`;
      const existing = byCulprit.get(key);
      if (existing) {
        if (!existing.functions!.includes(r.fileName)) existing.functions!.push(r.fileName);
        continue;
      }
      byCulprit.set(key, {
        kind: 'edge-node-only-package',
        severity: 'error',
        fileName: last.fileName,
        functions: [r.fileName],
        message: `Reachable from an edge entry but needs Node.js: ${chain.culprit.detail}.`,
      });
    }
  }
  out.push(...byCulprit.values());
  // Per project (package.json): WebSocket servers, aws-sdk v2, database URLs.
  const projects = new Map<string, { platform: Platform; functions: number }>();
  for (const f of report.functions) {
    const root = service.projects.infoFor(dirname(f.fileName)).packageRoot;
    if (!root) continue;
    const p = projects.get(root);
    if (p) p.functions++;
    else projects.set(root, { platform: f.platform, functions: 1 });
  }
  for (const [root, { platform }] of projects) {
    if (!SERVERLESS.has(platform)) continue;
    const pkgFile = joinPath(root, 'package.json');
    const deps = service.projects.infoFor(root).dependencies;
    for (const lib of WEBSOCKET_LIBRARIES.filter((l) => deps.has(l))) {
      out.push({
        kind: 'websocket-library',
        severity: platform === 'vercel' ? 'warning' : 'error',
        fileName: pkgFile,
        message: `${lib} is a WebSocket server library, but ${platform} functions end with each request and cannot hold connections; use a realtime service (Pusher, Ably, Supabase Realtime) or Durable Objects.`,
      });
    }
    if (platform === 'aws-lambda' && deps.has('aws-sdk')) {
      out.push({
        kind: 'aws-sdk-v2',
        severity: 'error',
        fileName: pkgFile,
        message: 'aws-sdk (v2) is not included in the Lambda Node.js 18+ runtimes and is in maintenance mode; use the modular @aws-sdk/client-* packages (v3).',
      });
    }
    for (const name of host.readDirectory(root)) {
      if (!/^\.env.*\.example$|^\.env\.example/.test(name)) continue;
      const file = joinPath(root, name);
      for (const line of (host.readFile(file) ?? '').split('\n')) {
        const m = /^\s*(?:export\s+)?([A-Z0-9_]*(?:DATABASE|POSTGRES|MYSQL|DB)[A-Z0-9_]*URL)\s*=\s*["']?([^"'\s#]+)/.exec(line);
        if (!m || /DIRECT|UNPOOLED|NON_POOLING|MIGRATION|SHADOW/.test(m[1])) continue;
        if (!/^(postgres(ql)?|mysql):\/\//i.test(m[2]) || isPooledUrl(m[2])) continue;
        out.push({
          kind: 'unpooled-database-url',
          severity: 'warning',
          fileName: file,
          message: `${m[1]} points straight at the database (no pooler in the URL); every cold ${platform} instance opens its own connections, so a burst exhausts the database. Use the provider's pooled URL (Neon -pooler host, Supabase port 6543, RDS Proxy, Prisma Accelerate).`,
        });
      }
    }
    const schema = joinPath(root, 'prisma/schema.prisma');
    const prisma = host.readFile(schema);
    if (prisma) {
      const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(prisma);
      const body = block?.[1] ?? '';
      const provider = /provider\s*=\s*"([^"]+)"/.exec(body)?.[1];
      const url = /\burl\s*=\s*"([^"]+)"/.exec(body)?.[1];
      if (provider && /postgres|mysql|cockroach/.test(provider) && !/\bdirectUrl\s*=/.test(body) && !(url && isPooledUrl(url))) {
        out.push({
          kind: 'unpooled-database-url',
          severity: 'warning',
          fileName: schema,
          message: `The Prisma datasource has no directUrl, so its url is used both by the functions and by migrations: point url at a pooled connection (PgBouncer/Supabase pooler/Neon -pooler or Accelerate) and set directUrl to the direct one for migrations.`,
        });
      }
    }
  }
  return out;
}

/** Estimated bundle size per function: reachable local files plus whole reachable packages on disk. */
function bundleEstimates(service: LintService, report: WorkspaceReport, host: DiskSizeHost): BundleEstimate[] {
  const out: BundleEstimate[] = [];
  for (const fn of report.functions) {
    // The module graph follows JavaScript and TypeScript: a Python function's imports and packages are not traced,
    // and an estimate of its one file would read as a fact.
    if (fn.runtime === 'python') continue;
    const { files, packages } = service.graph.reachable(fn.fileName, fn.runtime, fn.platform);
    const contributors: Array<{ name: string; bytes: number }> = [];
    let bytes = 0;
    let local = 0;
    for (const size of files.values()) {
      bytes += size;
      local += size;
    }
    for (const [dir, name] of packages) {
      const size = host.dirSize(dir);
      bytes += size;
      contributors.push({ name, bytes: size });
    }
    contributors.push({ name: 'local modules', bytes: local });
    contributors.sort((a, b) => b.bytes - a.bytes);
    const limit = planLimits(fn.platform, fn.runtime, fn.plan)?.limits.bundle;
    const compressed = !!limit?.note && /(?<!un)compress|gzip/i.test(limit.note);
    // Compressed limits are compared with a typical 3:1 compression of JavaScript.
    const comparable = compressed ? bytes / 3 : bytes;
    out.push({
      fileName: fn.fileName,
      route: fn.route,
      bytes,
      localFiles: files.size,
      packages: packages.size,
      biggest: contributors.filter((c) => c.bytes > 0).slice(0, 5),
      limitMb: limit?.value,
      limitNote: limit ? `${limit.note ?? 'uncompressed'}${compressed ? '; compared at an assumed 3:1 compression' : ''}` : undefined,
      exceeds: limit ? comparable > limit.value * 1024 * 1024 : false,
    });
  }
  return out;
}

/** How many handlers of an entry's modules its row lists before "and N more". */
const MODULE_HANDLERS_SHOWN = 12;

/** Builds the report from per-file results. */
export function summarize(roots: string[], results: AnalysisResult[], configProblems: ConfigProblem[], cancelled: boolean): WorkspaceReport {
  const functions: FunctionInfo[] = [];
  const platforms = new Map<string, PlatformSummary>();
  const totals = { error: 0, warning: 0, info: 0 };
  for (const r of results) {
    const counts = countFindings(r);
    totals.error += counts.error;
    totals.warning += counts.warning;
    totals.info += counts.info;
    const ctx = r.context;
    if (ctx.role.value !== 'function-entry') continue;
    const limits = planLimits(ctx.platform.value, ctx.runtime.value, ctx.plan.value)?.limits;
    functions.push({
      fileName: r.fileName,
      route: routeOf(
        r.fileName,
        ctx.projectRoot,
        ctx.framework.value,
        ctx.handlers.map((h) => h.shape),
      ),
      platform: ctx.platform.value,
      runtime: ctx.runtime.value,
      plan: ctx.plan.value,
      framework: ctx.framework.value,
      // A Netlify background function (`-background` suffix) runs up to 15 minutes rather than the synchronous 60 s.
      defaultDuration: (ctx.platform.value === 'netlify' && isNetlifyBackgroundFunction(r.fileName) ? limits?.backgroundMaxDuration : limits?.defaultDuration)
        ?.value,
      memory: limits?.defaultMemory ? { mb: limits.defaultMemory.value, source: 'platform default' } : undefined,
      handlers: ctx.handlers.map((h) => h.name),
      findings: counts,
    });
    const key = `${ctx.platform.value}\0${ctx.plan.value}\0${ctx.projectRoot ?? ''}`;
    const p = platforms.get(key);
    if (p) p.functions++;
    else platforms.set(key, { platform: ctx.platform.value, plan: ctx.plan.value, reason: ctx.platform.reason, root: ctx.projectRoot, functions: 1 });
  }
  // The handlers of an entry's modules (an Express router, a NestJS controller, Django views, Celery tasks) run in
  // that entry's function: listed with it, after its own, with the module they are in.
  const fromModules = new Map<FunctionInfo, string[]>(functions.map((f) => [f, []]));
  const byEntry = new Map(functions.map((f) => [f.fileName, f]));
  for (const r of results) {
    const { entry, role, handlers, projectRoot } = r.context;
    const f = entry !== undefined && role.value === 'function-module' ? byEntry.get(entry) : undefined;
    if (!f || !handlers.length) continue;
    const where = (projectRoot && relativeTo(projectRoot, r.fileName)) || r.fileName;
    for (const h of handlers) fromModules.get(f)!.push(`${h.name} in ${where}`);
  }
  for (const [f, list] of fromModules) {
    f.handlers.push(...list.slice(0, MODULE_HANDLERS_SHOWN));
    if (list.length > MODULE_HANDLERS_SHOWN) f.handlers.push(`and ${list.length - MODULE_HANDLERS_SHOWN} more in its modules`);
  }
  for (const p of configProblems) totals[p.severity]++;
  return {
    roots,
    cancelled,
    filesAnalyzed: results.length,
    platforms: [...platforms.values()],
    functions,
    results,
    configProblems,
    dependencyProblems: [],
    bundles: [],
    totals,
    skipped: results.filter((r) => r.skipped !== undefined).map((r) => ({ fileName: r.fileName, reason: r.skipped! })),
  };
}

/**
 * Escapes text taken from the workspace (paths, messages, names, configured values) so it cannot inject Markdown
 * or HTML. Line breaks become spaces, so block syntax (`#`, `-`, `>`) cannot start a line from inside the text.
 * Previews linkify bare URLs, domains and e-mail addresses (`evil.example`, `lib.rs`, `a@b.io`), so the `:` of a
 * scheme, every `@` and a `.` followed by a letter or digit are escaped too: workspace text never becomes a link.
 * Takes `unknown` because configuration values (a YAML `timeout: "<b>"`) need not have the type the code expects.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()!|<>~&@]|:(?=\/)|\.(?=[\p{L}\p{N}])/gu, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c));
}

/** Shows a path relative to the report's first root when it is inside it. */
function shown(report: WorkspaceReport, fileName: string): string {
  for (const root of report.roots) {
    const rel = relativeTo(root, fileName);
    if (rel) return rel;
  }
  return fileName;
}

function mb(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The report as Markdown (the editor's report view and `--report --format markdown`). */
export function renderReportMarkdown(report: WorkspaceReport): string {
  const e = escapeMarkdown;
  const out: string[] = ['# Serverless architecture report', ''];
  if (report.cancelled) out.push('> The check was cancelled: this report covers only the files analyzed before that.', '');
  if (report.fileLimit !== undefined)
    out.push(
      `> The workspace has more than ${report.fileLimit.toLocaleString('en-US')} source files: only the first ${report.fileLimit.toLocaleString('en-US')} found were analyzed. Check a folder at a time (\`serverless-lint --report <folder>\`) for the rest.`,
      '',
    );
  out.push(`Analyzed ${report.filesAnalyzed} file(s): ${report.totals.error} error(s), ${report.totals.warning} warning(s), ${report.totals.info} info.`, '');
  if (report.skipped?.length) {
    out.push('## Files not analyzed', '');
    for (const s of report.skipped) out.push(`- ${e(shown(report, s.fileName))}: ${e(s.reason)}.`);
    out.push('');
  }

  out.push('## Platforms', '');
  if (report.platforms.length === 0) out.push('No function entry was found, so no platform applies.', '');
  for (const p of report.platforms) {
    out.push(`- **${e(p.platform)}**, plan ${e(p.plan)}${p.root ? ` (${e(shown(report, p.root) || '.')})` : ''}: ${p.functions} function(s). ${e(p.reason)}.`);
  }
  if (report.platforms.length) out.push('');

  out.push('## Functions', '');
  if (report.functions.length === 0) out.push('No functions found.', '');
  else {
    out.push('| entry | route | runtime | max duration | memory | handlers | findings |', '|---|---|---|---|---|---|---|');
    for (const f of report.functions) {
      const duration = f.maxDuration
        ? `${e(f.maxDuration.seconds)} s (${e(f.maxDuration.source)})`
        : f.defaultDuration !== undefined
          ? `${f.defaultDuration} s (default)`
          : 'n/a';
      // Seconds and megabytes come from configuration files unchecked (YAML may hold any string), so they are escaped too.
      const memory = f.memory ? `${e(f.memory.mb)} MB (${e(f.memory.source)})` : 'n/a';
      const findings = `${f.findings.error} E, ${f.findings.warning} W, ${f.findings.info} I`;
      out.push(
        `| ${e(shown(report, f.fileName))} | ${e(f.route)} | ${e(f.runtime)} | ${duration} | ${memory} | ${e(f.handlers.join(', ') || 'none')} | ${findings} |`,
      );
    }
    out.push('');
  }

  out.push('## Configuration problems', '');
  if (report.configProblems.length === 0) out.push('None.', '');
  else {
    for (const p of report.configProblems) {
      const line = p.range ? `:${p.range.start.line + 1}:${p.range.start.character + 1}` : '';
      out.push(`- ${e(p.severity)} ${e(shown(report, p.fileName))}${line}: ${e(p.message)} (${e(p.ruleId)})`);
    }
    out.push('');
  }

  out.push('## Dependency problems', '');
  if (report.dependencyProblems.length === 0) out.push('None.', '');
  else {
    for (const d of report.dependencyProblems) {
      const fns = d.functions?.length ? ` Affects: ${d.functions.map((f) => e(shown(report, f))).join(', ')}.` : '';
      out.push(`- ${e(d.severity)} ${e(shown(report, d.fileName))}: ${e(d.message)}${fns}`);
    }
    out.push('');
  }

  out.push('## Estimated bundle size per function', '');
  if (report.bundles.length === 0) out.push('No estimates.', '');
  else {
    out.push(
      'Reachable local modules plus every reachable installed package counted whole (an upper bound: bundlers and file tracing drop unused files).',
      '',
      '| function | estimated size | limit | biggest contributors |',
      '|---|---|---|---|',
    );
    for (const b of report.bundles) {
      const limit = b.limitMb !== undefined ? `${b.limitMb} MB${b.limitNote ? ` (${e(b.limitNote)})` : ''}${b.exceeds ? ' **exceeded**' : ''}` : 'n/a';
      const biggest = b.biggest.map((x) => `${e(x.name)} ${mb(x.bytes)}`).join(', ') || 'none';
      out.push(`| ${e(shown(report, b.fileName))} | ${mb(b.bytes)} (${b.localFiles} files, ${b.packages} packages) | ${limit} | ${biggest} |`);
    }
    out.push('');
  }
  if (report.functions.some((f) => f.runtime === 'python')) out.push('Python functions are not estimated: their imports and packages are not traced.', '');
  return out.join('\n');
}

/** The report as plain JSON data (per-file results reduced to findings, paths kept absolute). */
export function reportJson(report: WorkspaceReport): string {
  const { results, ...rest } = report;
  const files = results
    .filter((r) => r.findings.length > 0)
    .map((r) => ({
      fileName: r.fileName,
      runtime: r.context.runtime.value,
      role: r.context.role.value,
      findings: r.findings.map(({ ruleId, severity, message, range, related }) => ({ ruleId, severity, message, range, related })),
    }));
  return JSON.stringify({ ...rest, files }, null, 2);
}
