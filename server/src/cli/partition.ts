// The CLI's linting of a list of files, in one thread or split over worker threads.
//
// A partition is linted as the sequential CLI always did: each file once, then the modules that were linted before
// an entry importing them was seen are linted again with their function role. With several partitions, a module of
// one may be reached only by an entry of another: every partition reports which entry reaches each module it knows
// of (its module graph follows imports into files of other partitions through the disk), and the main thread lints
// again the modules that no entry of their own partition reached but some entry of another does.
import { Worker } from 'node:worker_threads';
import type { ConfigProblem } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import { LintService } from '../analysis/service';
import { NodeHost } from '../host/node-host';
import { Boundary, guardedWrite } from '../host/guarded-read';
import { HEAD_BYTES, isSkippedByName, minifiedReason } from '../host/files';
import { failedResult } from '../analysis/engine';
import { codeCacheCheckpoint } from '../host/code-cache-checkpoint';
import { RULES } from '../rules';
import { reportLines, skippedReport, type FileReport } from './format';
import { BATCH_SEMI_SPACE_MB, holdYoungGeneration, releaseYoungGeneration } from '../host/heap';

/**
 * The service a CLI thread lints with: texts read from disk through the guarded door, bounded by the run's workspace
 * (none: no boundary), so it keeps no copies of them.
 */
export function batchService(overrides: Partial<Settings>, workspace: readonly string[] = []): LintService {
  return new LintService(new NodeHost(new Boundary(workspace)), { rules: RULES, overrides, textsFromHost: true });
}

export interface PartitionOptions {
  /** Keep the source lines of each file's findings in its report (the text format prints them). */
  keepLines: boolean;
  /** Paths named on the command line: never skipped as minified. */
  named: readonly string[];
  /** The workspace folders reads and `--fix` writes stay inside (the CLI's repository); none: no boundary. */
  workspace?: readonly string[];
}

export interface PartitionResult {
  reports: FileReport[];
  /** `rule X failed on F` lines for stderr. */
  failures: string[];
  /** For every module an entry of this partition reaches: that entry (the first by name). */
  reach: Array<[file: string, entry: string]>;
  /** tsconfig/jsconfig problems the partition's import resolution read. */
  resolverProblems: ConfigProblem[];
}

/**
 * What `--fix`, `--fix-dry-run` and `--diff` ask of a partition (one thread only): apply the safe fixes before
 * linting, write them or not, and record each file they changed.
 */
export interface FixRun {
  write: boolean;
  /** Keep each changed file's text before and after (for --diff, and the JSON `output` of --fix-dry-run). */
  keepTexts: boolean;
  fixed: Array<{ file: string; applied: number; before?: string; after?: string }>;
}

/** Lints `files` with `service`; `fix` applies safe fixes first (see `FixRun`). */
export function lintPartition(service: LintService, files: readonly string[], options: PartitionOptions, fix?: FixRun): PartitionResult {
  const named = new Set(options.named);
  const reports: FileReport[] = [];
  const failures: string[] = [];
  const configProblemFiles = new Set<string>();
  const boundary = new Boundary(options.workspace ?? []);
  for (const file of files) {
    // A module an entry's imports reached is parsed already, and its text is kept with the tree. Otherwise the file
    // is read through the door, its size limit checked before a byte is read: what it refuses is reported, not dropped.
    let text = service.graph.spareText(file);
    if (text === undefined) {
      // Files of the listing are opened at once; a path named on the command line is looked at first (it may be a device).
      const got = service.readSource(file, !named.has(file));
      if (got.refused === 'missing') continue;
      if (got.text === undefined) {
        const reason = got.refused === 'too-large' ? got.reason.replace('the size limit', 'serverlessLint.maxFileSize') : got.reason;
        const skipped = service.skipped(file, reason);
        reports.push({ filePath: file, lines: undefined, findings: skipped.findings, role: skipped.context.role.value, skipped: reason });
        continue;
      }
      text = got.text;
    }
    // Minified bundles are recognized from the text read for linting, not by opening every file twice; they are
    // listed as not analyzed, with the reason.
    if (!named.has(file)) {
      if (isSkippedByName(file)) continue;
      const minified = minifiedReason(text.length > HEAD_BYTES ? text.slice(0, HEAD_BYTES) : text);
      if (minified !== undefined) {
        reports.push(skippedReport(file, minified));
        continue;
      }
    }
    let result;
    try {
      if (fix) {
        const fixed = service.fix(file, text);
        if (fixed.applied > 0 && fixed.text !== text) {
          // Regular files inside the workspace only, written atomically, never through a symlink.
          const refused = fix.write ? guardedWrite(file, fixed.text, boundary) : undefined;
          if (refused) failures.push(`serverless-lint: --fix did not write ${file}: ${refused}`);
          else {
            fix.fixed.push({ file, applied: fixed.applied, ...(fix.keepTexts ? { before: text, after: fixed.text } : {}) });
            text = fixed.text;
          }
        }
      }
      result = service.lint(file, text);
    } catch (e) {
      // The service guards its analysis; this is for the rest (the fix loop, the write): the file, not the run.
      result = failedResult(file, e);
    }
    codeCacheCheckpoint('now');
    holdYoungGeneration();
    for (const f of result.failures) failures.push(`serverless-lint: rule ${f.ruleId} failed on ${f.fileName} and was skipped for it: ${f.error}`);
    reports.push({
      filePath: file,
      lines: reportLines(options.keepLines, text, result.findings),
      findings: result.findings,
      role: result.context.role.value,
      ...(result.skipped !== undefined ? { skipped: result.skipped } : {}),
    });
    const config = service.configFor(file.slice(0, file.lastIndexOf('/')));
    if (config.file && config.problems.length && !configProblemFiles.has(config.file)) {
      configProblemFiles.add(config.file);
      reports.push({
        filePath: config.file,
        lines: reportLines(options.keepLines, config.text ?? '', [], config.problems),
        findings: [],
        configProblems: config.problems,
      });
    }
  }
  // Modules linted before the function entry that imports them was seen get their function role now.
  for (const r of reports) {
    if (r.role !== 'other' || !service.graph.entryReaching(r.filePath)) continue;
    relint(service, r, options);
  }
  return { reports, failures, reach: [...service.graph.reachedModules()], resolverProblems: service.graph.resolver.configProblems() };
}

function relint(service: LintService, r: FileReport, options: PartitionOptions, reachableFrom?: string): void {
  const text = service.readSource(r.filePath).text;
  if (text === undefined) return;
  const result = service.lint(r.filePath, text, reachableFrom);
  r.role = result.context.role.value;
  r.findings = result.findings;
  r.skipped = result.skipped;
  r.lines = reportLines(options.keepLines, text, result.findings);
}

/** What a worker thread is given. */
export interface PartitionJob {
  files: string[];
  overrides: Partial<Settings>;
  options: PartitionOptions;
}

/** The worker thread's side: lint the job's files and post the result. */
export function runPartitionJob(job: PartitionJob): PartitionResult {
  return lintPartition(batchService(job.overrides, job.options.workspace), job.files, job.options);
}

/** Fewer files than this are linted in one thread: starting a worker (a second TypeScript) costs more than it saves. */
export const PARALLEL_MIN_FILES = 400;

/**
 * Lints `files` over `threads` threads: this one and `threads - 1` workers started from `script` (the CLI bundle,
 * which runs `runPartitionJob` when it is not the main thread). A worker that fails has its files linted here.
 */
export async function lintInParallel(
  service: LintService,
  files: readonly string[],
  threads: number,
  script: string,
  overrides: Partial<Settings>,
  options: PartitionOptions,
): Promise<PartitionResult> {
  // Contiguous chunks of the sorted list keep a project's files together, so most roles are settled in-partition.
  const size = Math.ceil(files.length / threads);
  const chunks: string[][] = [];
  for (let i = 0; i < files.length; i += size) chunks.push(files.slice(i, i + size));
  releaseYoungGeneration();
  const started = chunks.slice(1).map((chunk) => {
    const job: PartitionJob = { files: chunk, overrides, options };
    return new Promise<PartitionResult>((resolve, reject) => {
      // A worker's young generation is capped by its own limit (V8 counts three semi-spaces' worth in it): the
      // growth factor that the one-thread run holds is the process's, shared by every thread.
      const worker = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 3 * BATCH_SEMI_SPACE_MB } });
      let done = false;
      worker.once('message', (m: PartitionResult) => {
        done = true;
        resolve(m);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        if (!done) reject(new Error(`a lint worker exited with code ${code}`));
      });
    }).catch(() => lintPartition(batchService(overrides, options.workspace), chunk, options));
  });
  const own = lintPartition(service, chunks[0] ?? [], options);
  const parts = [own, ...(await Promise.all(started))];

  const reach = new Map<string, string>();
  for (const p of parts) {
    for (const [file, entry] of p.reach) {
      const current = reach.get(file);
      if (current === undefined || entry < current) reach.set(file, entry);
    }
  }
  const reports: FileReport[] = [];
  const seenConfig = new Set<string>();
  for (const p of parts) {
    for (const r of p.reports) {
      // A serverless-lint.json governs files of several partitions: its problems are listed once.
      if (r.configProblems) {
        if (seenConfig.has(r.filePath)) continue;
        seenConfig.add(r.filePath);
      } else if (r.role === 'other' && reach.has(r.filePath)) {
        relint(service, r, options, reach.get(r.filePath));
      }
      reports.push(r);
    }
  }
  const problems = new Map<string, ConfigProblem>();
  for (const p of parts) for (const c of p.resolverProblems) problems.set(`${c.fileName}\0${c.span?.start}\0${c.message}`, c);
  return { reports, failures: parts.flatMap((p) => p.failures), reach: [...reach], resolverProblems: [...problems.values()] };
}
