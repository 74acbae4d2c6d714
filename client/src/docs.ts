// Where "Show documentation" finds a rule's page inside the installed extension (docs/rules/<id>.md, packaged by
// scripts/package.mjs), so the page opens in the editor without a network; the web page is the fallback.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Rule ids are file names of lowercase words and dashes; anything else never names a bundled page. */
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The path of the bundled page of `ruleId` under the extension folder, when there is one. */
export function bundledRulePage(extensionPath: string, ruleId: unknown): string | undefined {
  if (typeof ruleId !== 'string' || !RULE_ID.test(ruleId)) return undefined;
  const page = join(extensionPath, 'docs', 'rules', `${ruleId}.md`);
  return existsSync(page) ? page : undefined;
}
