// The `serverless-lint` command: the same engine as the editor, for CI (spec §6).
// Exit codes: 0 clean or warnings only, 1 errors found, 2 usage error or internal failure.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { PLATFORMS, type Platform } from '../../shared/src/types';
import type { Settings } from '../../shared/src/settings';
import { RULES } from './rules';
import { LintService } from './analysis/service';
import { explainContext } from './analysis/context';
import { relativeTo } from './analysis/host';
import { NodeHost, normalizePath } from './host/node-host';
import { collectSourceFiles, isSkippableFile } from './host/files';
import { discoverEntries } from './host/entry-discovery';
import { formatJson, formatSarif, formatText, type FileReport } from './cli/format';
import { checkConfigsFor } from './config-checks';
import { checkWorkspace, renderReportMarkdown, reportJson } from './report';
import { keepHeapNearLiveSet } from './host/heap';

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
  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 no errors, 1 errors found, 2 usage error or internal failure.`;

class UsageError extends Error {}

/** Where the CLI writes: stdout and stderr by default, a capture in tests. */
export interface CliIO {
  out(s: string): void;
  err(s: string): void;
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
    const service = new LintService(host, { rules: RULES, overrides, textsFromHost: true });

    if (values.explain) {
      const file = normalizePath(values.explain);
      const text = host.readFile(file);
      if (text === undefined) throw new UsageError(`cannot read '${values.explain}'`);
      const result = service.lint(file, text);
      io.out(explainContext(result.context));
      return 0;
    }

    const roots = (positionals.length ? positionals : ['.']).map(normalizePath);
    for (const r of roots) if (!fs.existsSync(r)) throw new UsageError(`no such file or folder: ${r}`);
    if (values.report) {
      const report = await checkWorkspace(service, roots, { readText: (f) => host.readFile(f) });
      io.out(format === 'json' ? reportJson(report) : renderReportMarkdown(report));
      return report.totals.error > 0 ? 1 : 0;
    }
    // Minified bundles are recognized from the text read for linting below, not by opening every file twice.
    const named = new Set(roots);
    const files = collectSourceFiles(roots, { readHeads: false }).filter((f) => !service.isIgnored(f));
    // Files named one by one (a pre-commit hook's staged files) get their role from the entries that import them,
    // which are found under the folder the CLI runs in, as the editor does in the background.
    if (roots.some((r) => fs.statSync(r).isFile() && relativeTo(cwd, r) !== undefined)) {
      await discoverEntries([cwd], { serviceFor: async () => service, textOf: (f) => host.readFile(f), cancelled: () => false, isOpen: () => false });
    }
    const reports: FileReport[] = [];
    const configProblemFiles = new Set<string>();
    let failures = 0;
    for (const file of files) {
      let text = host.readFile(file);
      if (text === undefined || (!named.has(file) && isSkippableFile(file, text.slice(0, 2048)))) continue;
      if (values.fix) {
        const fixed = service.fix(file, text);
        if (fixed.applied > 0 && fixed.text !== text) {
          fs.writeFileSync(file, fixed.text);
          text = fixed.text;
        }
      }
      const result = service.lint(file, text);
      for (const f of result.failures) {
        failures++;
        io.err(`serverless-lint: rule ${f.ruleId} failed on ${f.fileName} and was skipped for it: ${f.error}`);
      }
      // Only the text format prints source lines; the others need nothing of the text once it is linted.
      reports.push({ filePath: file, text: format === 'text' ? text : '', findings: result.findings, role: result.context.role.value });
      const config = service.configFor(file.slice(0, file.lastIndexOf('/')));
      if (config.file && config.problems.length && !configProblemFiles.has(config.file)) {
        configProblemFiles.add(config.file);
        reports.push({ filePath: config.file, text: config.text ?? '', findings: [], configProblems: config.problems });
      }
    }
    // Modules linted before the function entry that imports them was seen get their function role now.
    for (const r of reports) {
      if (r.role !== 'other' || !service.graph.entryReaching(r.filePath)) continue;
      const text = host.readFile(r.filePath);
      if (text === undefined) continue;
      const result = service.lint(r.filePath, text);
      r.role = result.context.role.value;
      r.findings = result.findings;
    }
    // Platform configuration files (vercel.json, serverless.yml …) carry their own diagnostics, and so do the
    // tsconfig/jsconfig files import resolution read (syntax errors, a missing `extends`), as in the report.
    const platformProblems = [...checkConfigsFor(service, files, (f) => host.readFile(f), roots), ...service.graph.resolver.configProblems()];
    for (const fileName of [...new Set(platformProblems.map((p) => p.fileName))]) {
      reports.push({ filePath: fileName, text: host.readFile(fileName) ?? '', findings: [], configProblems: platformProblems.filter((p) => p.fileName === fileName) });
    }
    const display = (p: string) => (format === 'text' && p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p);
    const shown = reports.map((r) => ({ ...r, filePath: display(r.filePath) }));
    if (format === 'json') io.out(formatJson(shown));
    else if (format === 'sarif') io.out(formatSarif(shown, RULES, VERSION, cwd));
    else io.out(formatText(shown.filter((r) => r.findings.length || r.configProblems?.length).concat(shown.filter((r) => !r.findings.length && !r.configProblems?.length)), values.color ?? process.stdout.isTTY === true));
    const hasErrors = reports.some((r) => r.findings.some((f) => f.severity === 'error') || r.configProblems?.some((p) => p.severity === 'error'));
    void failures;
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
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
