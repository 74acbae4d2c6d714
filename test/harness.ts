// The one fixture harness: a fixture is a source file whose comments say where it lives and what must fire.
//
//   // @path app/api/users/route.ts          the file's path in a virtual project rooted at /project
//   // @platform vercel                      optional settings override (also @plan)
//   // @file vercel.json {"functions": {}}   an extra file of the project (`\n` for line breaks)
//   process.exit(1);
//   // ^^^^^^^^^^^^^^ no-process-exit       carets under the previous code line: rule id, exact columns
//   doWork(); // expect: rule-a, rule-b     or a trailing expectation: a finding of each rule starts on this line
//   doWork(); // expect: rule-a/messageId   either form may name the finding's message id (`meta.messages`)
//   // @message rule-a use @aws-sdk/client-s3 (v3)   a finding of rule-a has this text in its message
//   // @expect-role function-entry          what the file's context must say (framework fixtures, any fixture):
//   // @expect-framework next-app-route      role, framework (entry id), platform, runtime, handlers (names in
//   // @expect-handlers GET, POST            order, or `none`), shapes (handler shape ids in order), route (report)
//
// Every finding must be annotated and every annotation matched.
import { readFileSync } from 'node:fs';
import type { AnalysisResult, Finding } from '../shared/src/types';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import type { Rule } from '../server/src/analysis/rule';
import { RULES } from '../server/src/rules';
import { routeOf } from '../server/src/report';
import { PROJECT_ROOT, parseFixture, type Fixture } from '../scripts/fixture-format';
import { SCRIPT_FILE } from '../shared/src/source-files';

// The fixture format lives in scripts/fixture-format.ts, so that the fuzzer can read fixtures without the harness.
export { PROJECT_ROOT, parseFixture, type Expectation, type Fixture, type MessageExpectation } from '../scripts/fixture-format';

export function loadFixture(file: string): Fixture {
  return parseFixture(file, readFileSync(file, 'utf8'));
}

/** A service over a memory project holding the fixture's file and its extra files. */
export function serviceFor(fixture: Pick<Fixture, 'path' | 'text' | 'files' | 'overrides'>, rules: readonly Rule[] = RULES): LintService {
  const host = new MemoryHost({ [fixture.path]: fixture.text });
  for (const [rel, content] of Object.entries(fixture.files)) host.write(`${PROJECT_ROOT}/${rel}`, content);
  return new LintService(host, { workspaceRoot: PROJECT_ROOT, rules, overrides: fixture.overrides });
}

export function analyzeFixture(fixture: Fixture, rules: readonly Rule[] = RULES): AnalysisResult {
  const service = serviceFor(fixture, rules);
  // The extra source files are seen first, as the CLI's entry discovery would: an entry among them reaches the
  // fixture's file through the module graph (a router module, a controller).
  for (const [rel, content] of Object.entries(fixture.files)) {
    if (SCRIPT_FILE.test(rel)) service.contextOf(`${PROJECT_ROOT}/${rel}`, content);
  }
  return service.lint(fixture.path, fixture.text);
}

/** Matches findings to expectations; returns human-readable mismatches (empty when all is well). */
export function compare(fixture: Fixture, findings: Finding[]): string[] {
  const problems: string[] = [];
  const unmatched = [...findings];
  for (const exp of fixture.expectations) {
    const i = unmatched.findIndex(
      (f) =>
        f.ruleId === exp.ruleId &&
        f.range.start.line === exp.line &&
        (exp.messageId === undefined || f.messageId === exp.messageId) &&
        (exp.startCol === undefined ||
          (f.range.start.character === exp.startCol && (f.range.end.line !== f.range.start.line || f.range.end.character === exp.endCol))),
    );
    if (i >= 0) unmatched.splice(i, 1);
    else {
      const near = findings
        .filter((f) => f.ruleId === exp.ruleId)
        .map((f) => `${f.range.start.line + 1}:${f.range.start.character}-${f.range.end.line + 1}:${f.range.end.character}`);
      problems.push(
        `${exp.source}: expected ${exp.ruleId}${exp.messageId ? `/${exp.messageId}` : ''} on line ${exp.line + 1}${exp.startCol !== undefined ? ` columns ${exp.startCol}-${exp.endCol}` : ''}, not reported${near.length ? ` (reported at ${near.join(', ')})` : ''}`,
      );
    }
  }
  for (const f of unmatched) {
    problems.push(`${fixture.name}:${f.range.start.line + 1}:${f.range.start.character}: unexpected ${f.ruleId}: ${f.message}`);
  }
  for (const m of fixture.messages) {
    const said = findings.filter((f) => f.ruleId === m.ruleId).map((f) => f.message);
    if (!said.some((text) => text.includes(m.text)))
      problems.push(`${m.source}: no ${m.ruleId} finding says "${m.text}"${said.length ? ` (it says: ${said.join(' | ')})` : ''}`);
  }
  return problems;
}

/** Checks a result's context against the fixture's `@expect-*` headers; returns human-readable mismatches. */
export function compareContext(fixture: Fixture, result: AnalysisResult): string[] {
  const ctx = result.context;
  const actual: Record<string, () => string> = {
    role: () => ctx.role.value,
    framework: () => ctx.framework.value,
    platform: () => ctx.platform.value,
    runtime: () => ctx.runtime.value,
    handlers: () => ctx.handlers.map((h) => h.name).join(', ') || 'none',
    shapes: () => ctx.handlers.map((h) => h.shape).join(', ') || 'none',
    route: () =>
      routeOf(
        ctx.fileName,
        ctx.projectRoot,
        ctx.framework.value,
        ctx.handlers.map((h) => h.shape),
      ),
  };
  const problems: string[] = [];
  for (const [key, want] of Object.entries(fixture.context ?? {})) {
    const get = actual[key];
    if (!get) problems.push(`${fixture.name}: unknown header @expect-${key}`);
    else if (get() !== want)
      problems.push(
        `${fixture.name}: @expect-${key} ${want}, but it is ${get()} (${key === 'role' ? ctx.role.reason : key === 'framework' ? ctx.framework.reason : ''})`,
      );
  }
  return problems;
}

/** A compact line diff of two texts: the changed lines with one line of context. */
export function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const out: string[] = [];
  if (start > 0) out.push(`  ${a[start - 1]}`);
  for (let i = start; i <= endA; i++) out.push(`- ${a[i]}`);
  for (let i = start; i <= endB; i++) out.push(`+ ${b[i]}`);
  if (endA + 1 < a.length) out.push(`  ${a[endA + 1]}`);
  return out.join('\n');
}
