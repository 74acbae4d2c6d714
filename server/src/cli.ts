// The `serverless-lint` command: the same engine as the editor, for CI; docs/cli.md is its contract.
// Exit codes: 0 clean or warnings only, 1 errors found, 2 usage error or internal failure.
import { ensurePythonParser, isPythonFile } from './python/parser';
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
import { workspaceRootFor } from './host/files';
import { Boundary } from './host/guarded-read';
import { discoverEntries } from './host/entry-discovery';
import { formatSarif, jsonLines, placePositions, reportLines, SARIF_DESCRIPTORS, summarizeFixes, textLines, unifiedDiff, type FileReport } from './cli/format';
import { NoSuchPath, selectFiles } from './cli/select';
import { checkConfigsFor, withConfiguredLevels } from './config-checks';
import { CONFIG_CHECK_IDS } from './config-checks/meta';
import { checkWorkspace, renderReportMarkdown, reportJson } from './report';
import { holdYoungGeneration, keepHeapNearLiveSet, pinYoungGeneration } from './host/heap';
import { batchService, lintInParallel, lintPartition, PARALLEL_MIN_FILES, runPartitionJob, type FixRun, type PartitionJob } from './cli/partition';
import { lintText } from './cli/stdin';
import { VERSION } from './version';

const USAGE = `Usage: serverless-lint [paths or quoted globs…] [options]

Finds code that breaks on serverless and edge platforms. Paths default to the current folder; a quoted glob
('app/**/route.ts') is matched by serverless-lint, not the shell.

Output:
  --format <text|json|sarif>  Output format (default: text); with --report: markdown (default) or json
  --quiet                     Report errors only (warnings still count for --max-warnings)
  --max-warnings <n>          Exit 1 when there are more than n warnings (default: no limit)
  --color, --no-color         Force or turn off colors (also NO_COLOR=1, FORCE_COLOR=1; default: on a terminal)

Files:
  --ignore-pattern <pattern>  Skip files matching this .gitignore-style pattern, relative to the current
                              folder; repeatable (adds to "ignore" in serverless-lint.json)
  --stdin                     Lint the text on standard input …
  --stdin-filename <path>     … as the file at this path (its platform and role come from the path)

Rules and platform:
  --platform <platform>       Override platform detection: ${PLATFORMS.join(', ')}
  --plan <plan>               Plan or tier, e.g. hobby, pro, enterprise (Vercel), free, paid (Cloudflare)
  --rule <id=level>           Set a rule's level (off, info, warn, error); repeatable

Fixes:
  --fix                       Apply safe fixes, repeatedly until stable, and print how many were applied
  --fix-dry-run               Report what would remain after the safe fixes, without writing files
  --diff                      Print the safe fixes as a unified diff, without writing files; exit 1 if any

Other modes:
  --report                    Print the workspace architecture report: platforms, function inventory,
                              configuration and dependency problems, bundle size estimates
  --explain <file>            Print the file's detected context (platform, runtime, role, plan, handlers) and why
  --jobs <n>                  Threads for large workspaces (default: 1 on up to 2 CPUs, else CPUs - 1, at most 4)
  --max-skipped <n>           Exit 1 when more than n files could not be analyzed (too large, unreadable,
                              minified, too deeply nested, failed); they are always listed
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no errors (and no more warnings than --max-warnings), 1 errors found, too many warnings, or
--diff changes; 2 usage error, paths that match no lintable file, or internal failure.`;

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
  /** The text of standard input (`--stdin`); tests supply it. */
  readStdin?(): Promise<string>;
  /** The environment the color decision reads (`NO_COLOR`, `FORCE_COLOR`); `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Whether standard output is a terminal; `process.stdout.isTTY` by default. */
  isTTY?: boolean;
}

/** Reads standard input to its end. */
async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Whether to color the text output, by the conventions of ESLint, Ruff and no-color.org: `--color`/`--no-color`
 * win, then `NO_COLOR` (any non-empty value turns colors off), then `FORCE_COLOR` (`0` or `false` off, any other
 * value on), then whether standard output is a terminal.
 */
export function colorEnabled(flag: boolean | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTTY;
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

export async function main(
  argv: string[],
  io: CliIO = { out: (s: string) => void process.stdout.write(s + '\n'), err: (s: string) => void process.stderr.write(s + '\n') },
): Promise<number> {
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
        'max-skipped': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        quiet: { type: 'boolean', default: false },
        'max-warnings': { type: 'string' },
        stdin: { type: 'boolean', default: false },
        'stdin-filename': { type: 'string' },
        'ignore-pattern': { type: 'string', multiple: true },
        'fix-dry-run': { type: 'boolean', default: false },
        diff: { type: 'boolean', default: false },
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
    if (values.platform && !(PLATFORMS as readonly string[]).includes(values.platform))
      throw new UsageError(`unknown platform '${values.platform}' (use one of ${PLATFORMS.join(', ')})`);
    const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs expects a whole number from 1 to 64, got '${values.jobs}'`);
    const maxWarnings = values['max-warnings'] === undefined ? -1 : Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1)
      throw new UsageError(`--max-warnings expects a whole number (-1 for no limit), got '${values['max-warnings']}'`);
    const fixModes = (['fix', 'fix-dry-run', 'diff'] as const).filter((k) => values[k]);
    if (fixModes.length > 1) throw new UsageError(`--${fixModes[0]} and --${fixModes[1]} cannot be used together`);
    const fixMode = values.diff ? 'diff' : values['fix-dry-run'] ? 'dry-run' : values.fix ? 'write' : undefined;
    if (values.stdin && !values['stdin-filename']) throw new UsageError('--stdin needs --stdin-filename: the platform and role of code come from its path');
    if (values['stdin-filename'] !== undefined && !values.stdin) throw new UsageError('--stdin-filename goes with --stdin');
    if (values.stdin && positionals.length) throw new UsageError('--stdin lints standard input: give no paths with it');
    if (values.stdin && values.fix) throw new UsageError('--fix writes files; with --stdin use --fix-dry-run (JSON output) or --diff');
    if ((values.stdin || fixMode) && (values.report || values.explain))
      throw new UsageError('--stdin, --fix, --fix-dry-run and --diff lint files: not with --report or --explain');
    if (values.color && values['no-color']) throw new UsageError('--color and --no-color cannot be used together');
    const color = colorEnabled(values['no-color'] ? false : values.color, io.env ?? process.env, io.isTTY ?? process.stdout.isTTY === true);
    const maxSkipped = values['max-skipped'] === undefined ? undefined : Number(values['max-skipped']);
    if (maxSkipped !== undefined && (!/^\d+$/.test(values['max-skipped']!) || !Number.isSafeInteger(maxSkipped)))
      throw new UsageError(`--max-skipped expects a whole number of files, got '${values['max-skipped']}'`);
    const overrides: Partial<Settings> = {};
    if (values.platform) overrides.platform = values.platform as Platform;
    if (values.plan) overrides.plan = values.plan;
    if (values.rule?.length) {
      overrides.rules = {};
      for (const r of values.rule) {
        const m = /^([\w-]+)=(off|info|warn|error)$/.exec(r);
        if (!m) throw new UsageError(`--rule expects id=level (off, info, warn, error), got '${r}'`);
        if (!RULES.some((x) => x.meta.id === m[1]) && !CONFIG_CHECK_IDS.has(m[1])) throw new UsageError(`unknown rule '${m[1]}'`);
        overrides.rules[m[1]] = m[2] as 'off';
      }
    }
    const cwd = normalizePath(process.cwd());
    const pathArgs = (positionals.length ? positionals : ['.']).map(normalizePath);
    if (values.explain) pathArgs.push(normalizePath(values.explain));
    // The workspace: the git work tree holding the paths (or their folder). Nothing outside it is read into the
    // output (a tsconfig `extends: "/proc/self/environ"`, a symlink to a home folder) and --fix writes only inside.
    const workspace = [workspaceRootFor(values.stdin ? [normalizePath(values['stdin-filename']!)] : pathArgs, cwd)];
    const host = new NodeHost(new Boundary(workspace));
    const service = batchService(overrides, workspace);
    // The report and entry discovery read each file before they analyze it: between files, as the lint loop does;
    // through the door, with each file's size limit checked before reading.
    const readBetweenFiles = (f: string) => {
      holdYoungGeneration();
      return service.readSource(f).text;
    };

    if (values.explain) {
      const file = normalizePath(values.explain);
      const got = service.readSource(file);
      if (got.text === undefined) throw new UsageError(`cannot read '${values.explain}': ${got.reason}`);
      const text = got.text;
      if (isPythonFile(file)) await ensurePythonParser();
      // A module's role comes from the entries that import it (a router, a controller): they are found first, under
      // the folder the CLI runs in (as for files named one by one), else under the file's package.
      const folder = relativeTo(cwd, file) !== undefined ? cwd : (service.projects.infoFor(dirname(file)).packageRoot ?? dirname(file));
      await discoverEntries([folder], { serviceFor: async () => service, textOf: readBetweenFiles, cancelled: () => false, isOpen: () => false });
      const result = service.lint(file, text);
      io.out(explainContext(result.context));
      return 0;
    }

    if (values.report) {
      const roots = (positionals.length ? positionals : ['.']).map(normalizePath);
      for (const r of roots) if (!fs.existsSync(r)) throw new UsageError(`no such file or folder: ${r}`);
      const report = await checkWorkspace(service, roots, { readText: readBetweenFiles });
      io.out(format === 'json' ? reportJson(report) : renderReportMarkdown(report));
      return report.totals.error > 0 ? 1 : 0;
    }

    // The lint: which files (paths, globs, --stdin), then the fixes, then the output and the exit code.
    const fixRun: FixRun | undefined = fixMode && { write: fixMode === 'write', keepTexts: fixMode !== 'write', fixed: [] };
    let files: string[];
    let roots: string[];
    // Sources the walk could not look at (a FIFO, a broken symlink, a symlink out of the workspace, an unreadable
    // folder) are reported as skipped, with the reason, never dropped silently.
    const walkSkipped: Array<[string, string]> = [];
    if (values.stdin) {
      files = roots = [normalizePath(values['stdin-filename']!)];
    } else {
      let selection;
      try {
        selection = selectFiles(positionals.length ? positionals : ['.'], {
          cwd,
          ignorePatterns: values['ignore-pattern'] ?? [],
          isIgnored: (f) => service.isIgnored(f),
          boundary: host.boundary,
          onSkipped: (f, why) => walkSkipped.push([f, why]),
        });
      } catch (e) {
        if (e instanceof NoSuchPath) throw new UsageError(e.message);
        throw e;
      }
      // ESLint's rule: an argument that matches no lintable file is an error, so a typo or an ignored path cannot
      // pass CI as "no problems".
      if (selection.unmatched.length) {
        for (const m of selection.unmatched) io.err(`serverless-lint: ${m}.`);
        return 2;
      }
      ({ files, roots } = selection);
    }
    // Files named one by one (a pre-commit hook's staged files) get their role from the entries that import them,
    // which are found under the folder the CLI runs in, as the editor does in the background.
    const namesFiles = values.stdin || roots.some((r) => fs.statSync(r).isFile() && relativeTo(cwd, r) !== undefined);
    if (namesFiles) {
      await discoverEntries([cwd], { serviceFor: async () => service, textOf: readBetweenFiles, cancelled: () => false, isOpen: () => false });
    }
    // The Python parser (WebAssembly) is loaded only when a .py file is linted: a TypeScript-only run never loads it.
    if (files.some(isPythonFile)) await ensurePythonParser();
    const options = { keepLines: format === 'text', named: roots, workspace };
    let linted;
    if (values.stdin) linted = lintText(service, files[0], await (io.readStdin ?? readAllStdin)(), options, fixRun);
    else {
      // Large workspaces are split over threads (with --jobs, any workspace); fixes (they may write files) and
      // files named one by one (their roles come from the entries discovered above, in this thread's service) use one.
      const threads = fixRun || namesFiles || files.length < (values.jobs ? 2 : PARALLEL_MIN_FILES) ? 1 : Math.min(jobs, files.length);
      linted = threads > 1 ? await lintInParallel(service, files, threads, __filename, overrides, options) : lintPartition(service, files, options, fixRun);
    }
    for (const line of linted.failures) io.err(line);
    const display = (p: string) => (p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p);
    if (fixRun && fixMode === 'diff') {
      for (const f of fixRun.fixed) io.out(unifiedDiff(display(f.file), f.before!, f.after!));
      return fixRun.fixed.length ? 1 : 0;
    }
    const reports: FileReport[] = linted.reports;
    for (const [file, why] of walkSkipped) {
      if (service.isIgnored(file)) continue;
      const skipped = service.skipped(file, why);
      reports.push({ filePath: file, findings: skipped.findings, role: skipped.context.role.value, skipped: why });
    }
    // Platform configuration files (vercel.json, serverless.yml …) carry their own diagnostics, and so do the
    // tsconfig/jsconfig files import resolution read (syntax errors, a missing `extends`), as in the report.
    // package.json files the project walk could not use (not a regular file, too large, nested too deeply) too.
    const platformProblems = [
      ...checkConfigsFor(service, files, (f) => host.readFile(f), roots),
      ...withConfiguredLevels(linted.resolverProblems, (f) => service.settingsFor(f)),
      ...service.projects.problems(),
    ];
    // Lines and columns for what carries only an offset (config problems, related places in other files).
    placePositions([...platformProblems, ...reports.flatMap((r) => r.findings.flatMap((f) => f.related ?? []))], (f) => host.readFile(f));
    for (const fileName of [...new Set(platformProblems.map((p) => p.fileName))]) {
      const configProblems = platformProblems.filter((p) => p.fileName === fileName);
      reports.push({
        filePath: fileName,
        lines: reportLines(options.keepLines, host.readFile(fileName) ?? '', [], configProblems),
        findings: [],
        configProblems,
      });
    }
    // The counts the exit code reads are taken before --quiet hides warnings (ESLint counts them too).
    const all = reports.flatMap((r) => [...r.findings, ...(r.configProblems ?? [])]);
    const hasErrors = all.some((f) => f.severity === 'error');
    const warnings = all.filter((f) => f.severity === 'warning').length;
    if (fixRun && fixMode === 'dry-run') {
      // ESLint's `output`: the text --fix would write, for editors that lint a buffer through --stdin.
      const outputs = new Map(fixRun.fixed.map((f) => [f.file, f.after!]));
      for (const r of reports) if (outputs.has(r.filePath)) r.output = outputs.get(r.filePath);
    }
    const shownFile = (p: string) => (format === 'text' ? display(p) : p);
    const shown = reports.map((r) => {
      const keep = <T extends { severity: string }>(xs: T[]) => (values.quiet ? xs.filter((x) => x.severity === 'error') : xs);
      const findings = keep(r.findings).map((f) =>
        format === 'text' && f.related ? { ...f, related: f.related.map((x) => ({ ...x, fileName: display(x.fileName) })) } : f,
      );
      return { ...r, filePath: shownFile(r.filePath), findings, ...(r.configProblems ? { configProblems: keep(r.configProblems) } : {}) };
    });
    // A line on what the fixes did, where it cannot spoil a machine-read format.
    const fixSummary = fixRun && summarizeFixes(fixRun);
    if (format === 'json') outLines(io, jsonLines(shown));
    else if (format === 'sarif') io.out(formatSarif(shown, RULES, VERSION, cwd, SARIF_DESCRIPTORS));
    else {
      outLines(
        io,
        textLines(
          shown.filter((r) => r.findings.length || r.configProblems?.length).concat(shown.filter((r) => !r.findings.length && !r.configProblems?.length)),
          color,
        ),
      );
      if (fixSummary) io.out(fixSummary);
    }
    if (fixSummary && format !== 'text') io.err(fixSummary);
    if (maxWarnings >= 0 && warnings > maxWarnings) {
      io.err(`serverless-lint: ${warnings} warning(s) found, more than --max-warnings ${maxWarnings} allows.`);
      return 1;
    }
    // Files that could not be analyzed are listed by every format; CI can also fail on them.
    const skipped = reports.filter((r) => r.skipped !== undefined).length;
    if (maxSkipped !== undefined && skipped > maxSkipped) {
      io.err(`serverless-lint: ${skipped} file(s) could not be analyzed, more than --max-skipped ${maxSkipped}.`);
      return 1;
    }
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
    const job = workerData as PartitionJob;
    // A worker loads the Python parser itself when its files include Python (each thread has its own WebAssembly instance).
    void (job.files.some(isPythonFile) ? ensurePythonParser() : Promise.resolve(true)).then(() => parentPort!.postMessage(runPartitionJob(job)));
  }
}
