import { readFileSync } from 'node:fs';
import { checkConfigFile } from './server/src/config-checks';
import { defaultSettings } from './shared/src/settings';
for (const f of process.argv.slice(2)) console.log(f, JSON.stringify(checkConfigFile(f, readFileSync(f, 'utf8'), defaultSettings()).map(p => [p.range!.start.line + 1, p.range!.start.character, p.ruleId, p.message])));
