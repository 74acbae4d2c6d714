// Reads `serverless-lint.json` (JSON with comments) into Settings. Data only: never evaluates workspace code.
// Every problem (syntax, unknown key, bad value) becomes a ConfigProblem at its position in the file.
import * as jsonc from 'jsonc-parser';
import { PLATFORMS, type ConfigProblem, type Platform, type RuleLevel } from '../../../shared/src/types';
import type { Settings } from '../../../shared/src/settings';
import { isRuleLevel } from '../../../shared/src/severity';
import { jsonErrorMessage, offsetToPosition } from './project';
import { configDepthProblem } from './config-depth';
import { CONFIG_CHECK_IDS } from '../config-checks/meta';

export const CONFIG_FILE_NAME = 'serverless-lint.json';

export interface ConfigReadResult {
  settings: Partial<Settings>;
  problems: ConfigProblem[];
}

/** Parses the text of a `serverless-lint.json`. Unknown rule ids are reported when `knownRules` is given. */
export function parseConfigFile(fileName: string, text: string, knownRules?: ReadonlySet<string>): ConfigReadResult {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const problems: ConfigProblem[] = [];
  // Syntax errors are `invalid-config` (the file cannot be read); a setting it does not know or a value it does not
  // take is `lint-config-value`.
  const report = (offset: number, length: number, message: string, severity: ConfigProblem['severity'] = 'error', ruleId = 'lint-config-value') => {
    const span = { start: offset, end: offset + Math.max(length, 1) };
    problems.push({
      fileName,
      span,
      range: { start: offsetToPosition(starts, span.start), end: offsetToPosition(starts, span.end) },
      message,
      severity,
      ruleId,
    });
  };
  // The parser recurses per level: a file nested thousands of levels deep is refused before it runs.
  const deep = configDepthProblem(text, 'json');
  if (deep) {
    report(0, 0, `serverless-lint.json: ${deep}.`);
    return { settings: {}, problems };
  }
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true });
  for (const e of errors) report(e.offset, e.length, `serverless-lint.json: ${jsonErrorMessage(e.error)}.`, 'error', 'invalid-config');
  const settings: Partial<Settings> = {};
  if (!root) return { settings, problems };
  if (root.type !== 'object') {
    report(root.offset, root.length, 'serverless-lint.json must contain an object.', 'error', 'invalid-config');
    return { settings, problems };
  }
  for (const prop of root.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const value = jsonc.getNodeValue(valueNode);
    switch (key) {
      case '$schema':
        break;
      case 'platform':
        if (typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value)) settings.platform = value as Platform;
        else report(valueNode.offset, valueNode.length, `"platform" must be one of ${PLATFORMS.join(', ')}.`);
        break;
      case 'plan':
        if (typeof value === 'string' && value.length > 0) settings.plan = value;
        else report(valueNode.offset, valueNode.length, '"plan" must be a string such as "hobby", "pro" or "enterprise".');
        break;
      case 'maxFileSize':
        if (typeof value === 'number' && value > 0) settings.maxFileSize = value;
        else report(valueNode.offset, valueNode.length, '"maxFileSize" must be a positive number of bytes.');
        break;
      case 'ignore':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) settings.ignore = value;
        else report(valueNode.offset, valueNode.length, '"ignore" must be an array of glob strings.');
        break;
      case 'rules': {
        if (valueNode.type !== 'object') {
          report(valueNode.offset, valueNode.length, '"rules" must be an object of rule ids to "off" | "info" | "warn" | "error".');
          break;
        }
        const rules: Record<string, RuleLevel> = {};
        for (const rp of valueNode.children ?? []) {
          const [rk, rv] = rp.children ?? [];
          if (!rk || !rv) continue;
          const id = String(rk.value);
          // The configuration checks take levels too, whichever rule list the caller knows.
          if (knownRules && !knownRules.has(id) && !CONFIG_CHECK_IDS.has(id)) report(rk.offset, rk.length, `Unknown rule "${id}".`, 'warning');
          if (isRuleLevel(rv.value)) rules[id] = rv.value;
          else report(rv.offset, rv.length, `The level of "${id}" must be "off", "info", "warn" or "error".`);
        }
        settings.rules = rules;
        break;
      }
      default:
        report(keyNode.offset, keyNode.length, `Unknown setting "${key}" (known: platform, plan, rules, ignore, maxFileSize).`, 'warning');
    }
  }
  return { settings, problems };
}
