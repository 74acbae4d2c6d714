// The `serverless-lint` command: the same engine as the editor, for CI (spec §6).
// Exit codes: 0 clean or warnings only, 1 errors found, 2 usage error or internal failure.
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { PLATFORMS, type Platform } from '../../shared/src/types';
import type { Settings } from '../../shared/src/settings';
import { RULES } from './rules';
import { explainContext } from './analysis/context';
import { dirname, relativeTo } from './analysis/host';
import { NodeHost, normalizePath } from './host/node-host';
import { collectSourceFiles } from './host/files';
import { discoverEntries } from './host/entry-discovery';
import { formatSarif, jsonLines, reportLines, textLines, type FileReport } from './cli/format';
import { checkConfigsFor } from './config-checks';
import { checkWorkspace, renderReportMarkdown, reportJson } from './report';
import { holdYoungGeneration, keepHeapNearLiveSet, pinYoungGeneration } from './host/heap';
import { batchService, lintInParallel, lintPartition, PARALLEL_MIN_FILES, runPartitionJob, type PartitionJob } from './cli/partition';

const VERSION = '0.1.0';
const USAGE = `Usage: serverless-lint [paths…] [options]

Finds code that breaks on serverless and edge platforms.

Options:
  --format <text|json|sarif>  Output format (default: text); with --report: markdown (default) or json
  --platform <platform>       Override platform detection: ${PLATFORMS.join(', ')}
  --plan <plan>               Plan or tier, e.g. hobby, pro, enterprise (Vercel), free, paid (Cloudflare)
  --fix                       Apply safe fixes, repeatedly until stable
  --report                    Print the workspace architecture report: platforms, function inventory,
                              configuration and dependency problems, bundle size estimates
  --explain <file>            Print the file's detected context (platform, runtime, role, plan, handlers) and why
  --rule <id=level>           Set a rule's level (off, info, warn, error); repeatable
  --jobs <n>                  Threads for large workspaces (default: 1 on up to 2 CPUs, else CPUs - 1, at most 4)
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no errors, 1 errors found, 2 usage error or internal failure.`;

class UsageError extends Error {}

/**
 * Threads for a large workspace. V8's own background threads (concurrent marking, parallel scavenges, optimizing
 * compilers) already keep a second core busy: on the 2-core bench machine the one-thread CLI used 10.4 s of CPU in
 * 7.4 s, and a second thread gained 14% of wall time for 35% more memory (a second TypeScript and heap). So one
 * thread up to 2 CPUs, and one per CPU beyond the first above that.
 */
function defaultJobs(): number {
  const cpus = availableParallelism();
  return cpus <= 2 ? 1 : Math.min(4, cpus - 1);
}

/** Where the CLI writes: stdout and stderr by default, a capture in tests. */
export interface CliIO {
  out(s: string): void;
  err(s: string): void;
}

/** Characters per write of a report made line by line. */
const OUT_PIECE = 64 * 1024;

/** Writes `lines` (the output is them joined by newlines) in pieces of about `OUT_PIECE` characters. */
function outLines(io: CliIO, lines: Iterable<string>): void {
  let piece: string[] = [];
  let size = 0;
  for (const line of lines) {
    piece.push(line);
    size += line.length + 1;
    if (size < OUT_PIECE) continue;
    io.out(piece.join('\n'));
    piece = [];
    size = 0;
  }
  if (piece.length) io.out(piece.join('\n'));
}

export async function main(argv: string[], io: CliIO = { out: (s: string) => void process.stdout.write(s + '\n'), err: (s: string) => void process.stderr.write(s + '\n') }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        report: { type: 'boolean', default: false },
        platform: { type: 'string' },
        plan: { type: 'string' },
        fix: { type: 'boolean', default: false },
        explain: { type: 'string' },
        rule: { type: 'string', multiple: true },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        color: { type: 'boolean' },
      },
    });
  } catch (e) {
    io.err(`serverless-lint: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.version) {
    io.out(VERSION);
    return 0;
  }
  try {
    const format = values.format ?? (values.report ? 'markdown' : 'text');
    if (values.report && !['markdown', 'json'].includes(format)) throw new UsageError(`unknown report format '${format}' (use markdown or json)`);
    if (!values.report && !['text', 'json', 'sarif'].includes(format)) throw new UsageError(`unknown format '${format}' (use text, json or sarif)`);
    if (values.platform && !(PLATFORMS as readonly string[]).includes(values.platform)) throw new UsageError(`unknown platform '${values.platform}' (use one of ${PLATFORMS.join(', ')})`);
    const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs expects a whole number from 1 to 64, got '${values.jobs}'`);
    const overrides: Partial<Settings> = {};
    if (values.platform) overrides.platform = values.platform as Platform;
    if (values.plan) overrides.plan = values.plan;
    if (values.rule?.length) {
      overrides.rules = {};
      for (const r of values.rule) {
        const m = /^([\w-]+)=(off|info|warn|error)$/.exec(r);
        if (!m) throw new UsageError(`--rule expects id=level (off, info, warn, error), got '${r}'`);
        if (!RULES.some((x) => x.meta.id === m[1])) throw new UsageError(`unknown rule '${m[1]}'`);
        overrides.rules[m[1]] = m[2] as 'off';
      }
    }
    const cwd = normalizePath(process.cwd());
    const host = new NodeHost();
    // The report and entry discovery read each file before they analyze it: between files, as the lint loop does.
    const readBetweenFiles = (f: string) => {
      holdYoungGeneration();
      return host.readFile(f);
    };
    const service = batchService(overrides);

    if (values.explain) {
      const file = normalizePath(values.explain);
      const text = host.readFile(file);
      if (text === undefined) throw new UsageError(`cannot read '${values.explain}'`);
      // A module's role comes from the entries that import it (a router, a controller): they are found first, under
      // the folder the CLI runs in (as for files named one by one), else under the file's package.
      const folder = relativeTo(cwd, file) !== undefined ? cwd : service.projects.infoFor(dirname(file)).packageRoot ?? dirname(file);
      await discoverEntries([folder], { serviceFor: async () => service, textOf: readBetweenFiles, cancelled: () => false, isOpen: () => false });
      const result = service.lint(file, text);
      io.out(explainContext(result.context));
      return 0;
    }

    const roots = (positionals.length ? positionals : ['.']).map(normalizePath);
    for (const r of roots) if (!fs.existsSync(r)) throw new UsageError(`no such file or folder: ${r}`);
    if (values.report) {
      const report = await checkWorkspace(service, roots, { readText: readBetweenFiles });
      io.out(format === 'json' ? reportJson(report) : renderReportMarkdown(report));
      return report.totals.error > 0 ? 1 : 0;
    }
    const files = collectSourceFiles(roots, { readHeads: false }).filter((f) => !service.isIgnored(f));
    // Files named one by one (a pre-commit hook's staged files) get their role from the entries that import them,
    // which are found under the folder the CLI runs in, as the editor does in the background.
    const namesFiles = roots.some((r) => fs.statSync(r).isFile() && relativeTo(cwd, r) !== undefined);
    if (namesFiles) {
      await discoverEntries([cwd], { serviceFor: async () => service, textOf: readBetweenFiles, cancelled: () => false, isOpen: () => false });
    }
    const options = { keepLines: format === 'text', named: roots };
    // Large workspaces are split over threads (with --jobs, any workspace); --fix (it writes files) and files
    // named one by one (their roles come from the entries discovered above, in this thread's service) use one.
    const threads = values.fix || namesFiles || files.length < (values.jobs ? 2 : PARALLEL_MIN_FILES) ? 1 : Math.min(jobs, files.length);
    const linted = threads > 1 ? await lintInParallel(service, files, threads, __filename, overrides, options) : lintPartition(service, files, options, values.fix);
    for (const line of linted.failures) io.err(line);
    const reports: FileReport[] = linted.reports;
    // Platform configuration files (vercel.json, serverless.yml …) carry their own diagnostics, and so do the
    // tsconfig/jsconfig files import resolution read (syntax errors, a missing `extends`), as in the report.
    const platformProblems = [...checkConfigsFor(service, files, (f) => host.readFile(f), roots), ...linted.resolverProblems];
    for (const fileName of [...new Set(platformProblems.map((p) => p.fileName))]) {
      const configProblems = platformProblems.filter((p) => p.fileName === fileName);
      reports.push({ filePath: fileName, lines: reportLines(options.keepLines, host.readFile(fileName) ?? '', [], configProblems), findings: [], configProblems });
    }
    const display = (p: string) => (format === 'text' && p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p);
    const shown = reports.map((r) => ({ ...r, filePath: display(r.filePath) }));
    if (format === 'json') outLines(io, jsonLines(shown));
    else if (format === 'sarif') io.out(formatSarif(shown, RULES, VERSION, cwd));
    else outLines(io, textLines(shown.filter((r) => r.findings.length || r.configProblems?.length).concat(shown.filter((r) => !r.findings.length && !r.configProblems?.length)), values.color ?? process.stdout.isTTY === true));
    const hasErrors = reports.some((r) => r.findings.some((f) => f.severity === 'error') || r.configProblems?.some((p) => p.severity === 'error'));
    return hasErrors ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`serverless-lint: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`serverless-lint: internal error: ${(e as Error).stack ?? e}`);
    return 2;
  }
}

if (require.main === module) {
  keepHeapNearLiveSet();
  // The same bundle is the entry of the CLI's lint workers (cli/partition.ts).
  if (isMainThread) {
    // A reader that stops early (`serverless-lint . | head`) closes the pipe: the rest of the report has nowhere to
    // go, which is no error of the lint (its exit code stays the findings'). Any other write error still throws.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    });
    pinYoungGeneration();
    main(process.argv.slice(2)).then((code) => {
      process.exitCode = code;
    });
  } else {
    parentPort!.postMessage(runPartitionJob(workerData as PartitionJob));
  }
}
