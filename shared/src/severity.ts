// The one severity vocabulary and its conversions: people configure a level (`off`, `info`, `warn`, `error`: settings,
// serverless-lint.json, `--rule id=warn`), findings carry a severity (`info`, `warning`, `error`), and each output
// boundary converts a severity here (the language server's DiagnosticSeverity, in lsp/diagnostics.ts, is the one
// conversion kept out of this file, because only lsp/ may know LSP).
import type { RuleLevel, Severity } from './types';

/** Every level a setting, serverless-lint.json or `--rule id=level` accepts, in the order the docs list them. */
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'info', 'warn', 'error'];

/** Whether a value from settings or a config file is a level. */
export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}

/** A configured level as a severity (`'off'`: turned off); the default severity for anything else, absent included. */
export function severityOfLevel(level: RuleLevel | string | undefined, fallback: Severity): Severity | 'off' {
  switch (level) {
    case 'off':
      return 'off';
    case 'info':
      return 'info';
    case 'warn':
      return 'warning';
    case 'error':
      return 'error';
    default:
      return fallback;
  }
}

/** The level that names a severity in settings and docs (a rule whose default severity is `warning` is `warn`). */
export function levelOfSeverity(severity: Severity): Exclude<RuleLevel, 'off'> {
  return severity === 'warning' ? 'warn' : severity;
}

/** SARIF 2.1.0's `level` of a severity (SARIF has no `info`: its `note` is the closest). */
export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'info' ? 'note' : severity;
}

/** ESLint's JSON severity number (2 error, 1 warning); info findings are 1 too, marked `level: "info"` beside it. */
export function eslintSeverity(severity: Severity): 1 | 2 {
  return severity === 'error' ? 2 : 1;
}
