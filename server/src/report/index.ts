// The workspace architecture check (spec §4): lints every source file of a workspace and summarizes it as a
// report (platforms, function inventory, configuration and dependency problems, bundle estimates).
// Used by the CLI's `--report` and by the language server's "Check Workspace Architecture" command.
import type { AnalysisResult, ConfigProblem, Platform, Runtime, Severity } from '../../../shared/src/types';
import { planLimits } from '../../../shared/src/limits';
import type { LintService } from '../analysis/service';
import { relativeTo } from '../analysis/host';
import { collectSourceFiles } from '../host/files';
import { NodeHost } from '../host/node-host';

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

/** The route a function entry serves, derived from framework conventions and its path. */
export function routeOf(fileName: string, root: string | undefined, framework: string): string {
  const rel = (root && relativeTo(root, fileName)) || fileName;
  const noExt = rel.replace(/\.[cm]?[jt]sx?$/, '');
  const app = /(?:^|\/)app\/(.*?)\/?route$/.exec(noExt);
  if (app) return '/' + app[1].split('/').filter((s) => !/^\(.*\)$/.test(s)).join('/');
  const pages = /(?:^|\/)pages\/(api\/.*)$/.exec(noExt);
  if (pages) return '/' + pages[1].replace(/\/index$/, '');
  if (/(?:^|\/)(middleware|proxy)$/.test(noExt)) return noExt.replace(/^src\//, '');
  const vercelApi = /^api\/(.*)$/.exec(noExt);
  if (vercelApi && framework.startsWith('vercel')) return ('/api/' + vercelApi[1]).replace(/\/index$/, '').replace(/\/$/, '');
  const netlify = /netlify\/(?:edge-)?functions\/([^/]+)/.exec(noExt);
  if (netlify) return `/.netlify/functions/${netlify[1]}`;
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
  const files = collectSourceFiles(roots, { cancelled: opts.cancelled, maxFiles: opts.maxFiles ?? 20_000 }).filter((f) => !service.isIgnored(f));
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
  return summarize(roots, results, configProblems, cancelled);
}

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
      route: routeOf(r.fileName, ctx.projectRoot, ctx.framework.value),
      platform: ctx.platform.value,
      runtime: ctx.runtime.value,
      plan: ctx.plan.value,
      framework: ctx.framework.value,
      defaultDuration: limits?.defaultDuration?.value,
      memory: limits?.memory ? { mb: limits.memory.value, source: 'platform default' } : undefined,
      handlers: ctx.handlers.map((h) => h.name),
      findings: counts,
    });
    const key = `${ctx.platform.value}\0${ctx.plan.value}\0${ctx.projectRoot ?? ''}`;
    const p = platforms.get(key);
    if (p) p.functions++;
    else platforms.set(key, { platform: ctx.platform.value, plan: ctx.plan.value, reason: ctx.platform.reason, root: ctx.projectRoot, functions: 1 });
  }
  for (const p of configProblems) totals[p.severity]++;
  return {
    roots, cancelled, filesAnalyzed: results.length, platforms: [...platforms.values()], functions, results, configProblems,
    dependencyProblems: [], bundles: [], totals,
  };
}

/**
 * Escapes text taken from the workspace (paths, messages, names) so it cannot inject Markdown or HTML.
 * Line breaks become spaces, so block syntax (`#`, `-`, `>`) cannot start a line from inside the text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()!|<>~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c));
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
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}

/** The report as Markdown (the editor's report view and `--report --format markdown`). */
export function renderReportMarkdown(report: WorkspaceReport): string {
  const e = escapeMarkdown;
  const out: string[] = ['# Serverless architecture report', ''];
  if (report.cancelled) out.push('> The check was cancelled: this report covers only the files analyzed before that.', '');
  out.push(`Analyzed ${report.filesAnalyzed} file(s): ${report.totals.error} error(s), ${report.totals.warning} warning(s), ${report.totals.info} info.`, '');

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
      const duration = f.maxDuration ? `${f.maxDuration.seconds} s (${e(f.maxDuration.source)})` : f.defaultDuration !== undefined ? `${f.defaultDuration} s (default)` : 'n/a';
      const memory = f.memory ? `${f.memory.mb} MB (${e(f.memory.source)})` : 'n/a';
      const findings = `${f.findings.error} E, ${f.findings.warning} W, ${f.findings.info} I`;
      out.push(`| ${e(shown(report, f.fileName))} | ${e(f.route)} | ${e(f.runtime)} | ${duration} | ${memory} | ${e(f.handlers.join(', ') || 'none')} | ${findings} |`);
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
    out.push('| function | estimated size | limit | biggest contributors |', '|---|---|---|---|');
    for (const b of report.bundles) {
      const limit = b.limitMb !== undefined ? `${b.limitMb} MB${b.limitNote ? ` (${e(b.limitNote)})` : ''}${b.exceeds ? ' **exceeded**' : ''}` : 'n/a';
      const biggest = b.biggest.map((x) => `${e(x.name)} ${mb(x.bytes)}`).join(', ') || 'none';
      out.push(`| ${e(shown(report, b.fileName))} | ${mb(b.bytes)} (${b.localFiles} files, ${b.packages} packages) | ${limit} | ${biggest} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The report as plain JSON data (per-file results reduced to findings, paths kept absolute). */
export function reportJson(report: WorkspaceReport): string {
  const { results, ...rest } = report;
  const files = results
    .filter((r) => r.findings.length > 0)
    .map((r) => ({ fileName: r.fileName, runtime: r.context.runtime.value, role: r.context.role.value, findings: r.findings.map(({ ruleId, severity, message, range, related }) => ({ ruleId, severity, message, range, related })) }));
  return JSON.stringify({ ...rest, files }, null, 2);
}
