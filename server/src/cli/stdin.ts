// `--stdin --stdin-filename F`: lints a text that is not on disk (an editor's unsaved buffer) as the file at F, as a
// partition lints the files it reads, with the safe fixes of --fix-dry-run and --diff applied in memory.
import type { LintService } from '../analysis/service';
import { reportLines } from './format';
import type { FixRun, PartitionOptions, PartitionResult } from './partition';

export function lintText(service: LintService, file: string, text: string, options: PartitionOptions, fix?: FixRun): PartitionResult {
  if (fix) {
    const fixed = service.fix(file, text);
    if (fixed.applied > 0 && fixed.text !== text) {
      fix.fixed.push({ file, applied: fixed.applied, before: text, after: fixed.text });
      text = fixed.text;
    }
  }
  const result = service.lint(file, text);
  const failures = result.failures.map((f) => `serverless-lint: rule ${f.ruleId} failed on ${f.fileName} and was skipped for it: ${f.error}`);
  const reports: PartitionResult['reports'] = [
    { filePath: file, lines: reportLines(options.keepLines, text, result.findings), findings: result.findings, role: result.context.role.value },
  ];
  // The folder's serverless-lint.json is read from disk, as for any file there.
  const config = service.configFor(file.slice(0, file.lastIndexOf('/')));
  if (config.file && config.problems.length) {
    reports.push({
      filePath: config.file,
      lines: reportLines(options.keepLines, config.text ?? '', [], config.problems),
      findings: [],
      configProblems: config.problems,
    });
  }
  return { reports, failures, reach: [], resolverProblems: service.graph.resolver.configProblems() };
}
