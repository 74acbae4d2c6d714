// The configuration checks: one id per check, with what it finds, why, what to do and an example of each side.
// The one source of their docs (docs/config-checks/, `npm run docs`), the settings schemas (a level per id in
// `rules` of serverless-lint.json and `serverlessLint.rules`), SARIF's rule descriptors, and the example tests.
// Ids are contracts like rule ids: never rename one.
import type { Severity } from '../../../shared/src/types';

export interface ConfigExample {
  fileName: string;
  text: string;
  /** The plan the file is checked against, when the check depends on it. */
  plan?: string;
}

export interface ConfigCheckMeta {
  id: string;
  /** The default severity; some checks report a milder one in some cases (the message says why). */
  severity: Severity;
  /** The files it reads. */
  files: string;
  summary: string;
  why: string;
  action: string;
  /** A file the check reports (its docs example; the tests check it reports exactly this id there). */
  bad?: ConfigExample;
  /** The same file as it should be: the check reports nothing. */
  good?: ConfigExample;
  references: string[];
}

export const CONFIG_CHECKS: readonly ConfigCheckMeta[] = [
  {
    id: 'config-check-failed',
    severity: 'info',
    files: 'vercel.json, serverless.yml, template.yaml, netlify.toml, wrangler.toml/json(c)',
    summary: 'A configuration file whose checks stopped on a shape they did not expect.',
    why: 'The other problems of the file are still reported; the ones the stopped check would have found are not. The platform may read the file differently than expected.',
    action: 'Check the file by hand around the keys the message names, and report the file shape so the check can learn it.',
    references: [],
  },
  {
    id: 'function-memory-limit',
    severity: 'error',
    files: 'vercel.json, serverless.yml, template.yaml',
    summary: 'Function memory above the plan maximum, or below the Lambda minimum.',
    why: 'Vercel rejects a deployment whose `functions[…].memory` exceeds the plan (2,048 MB on Hobby); AWS Lambda takes 128 to 10,240 MB and rejects anything else.',
    action: 'Set the memory within the plan limits, or move to a plan that allows it.',
    bad: { fileName: 'vercel.json', plan: 'hobby', text: '{\n  "functions": {\n    "api/report.ts": { "memory": 3009 }\n  }\n}\n' },
    good: { fileName: 'vercel.json', plan: 'hobby', text: '{\n  "functions": {\n    "api/report.ts": { "memory": 2048 }\n  }\n}\n' },
    references: ['https://vercel.com/docs/functions/configuring-functions/memory', 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html'],
  },
  {
    id: 'invalid-config',
    severity: 'error',
    files: 'vercel.json, serverless.yml, template.yaml, netlify.toml, wrangler.toml/json(c), serverless-lint.json, tsconfig.json, jsconfig.json',
    summary: 'A configuration file that cannot be parsed.',
    why: 'The platform (or TypeScript) refuses the file or reads something else than intended, and Serverless Lint cannot read the platform, plan or paths from it either, so its other checks and the context of your code fall back to guesses.',
    action: 'Fix the syntax at the reported position (a missing comma or bracket, a tab in YAML, a duplicate key).',
    bad: { fileName: 'vercel.json', text: '{\n  "functions": {\n    "api/report.ts": { "maxDuration": 60, }\n  \n}\n' },
    good: { fileName: 'vercel.json', text: '{\n  "functions": {\n    "api/report.ts": { "maxDuration": 60 }\n  }\n}\n' },
    references: [],
  },
  {
    id: 'lambda-deprecated-runtime',
    severity: 'warning',
    files: 'serverless.yml, template.yaml',
    summary: 'A Node.js Lambda runtime AWS has deprecated (nodejs18.x and older).',
    why: 'Deprecated runtimes get no security patches, and AWS blocks creating and then updating functions on them: a deploy that works today fails later without any code change.',
    action: 'Move to nodejs22.x or nodejs20.x and test the function on it.',
    bad: { fileName: 'serverless.yml', text: 'service: orders\nprovider:\n  name: aws\n  runtime: nodejs16.x\n' },
    good: { fileName: 'serverless.yml', text: 'service: orders\nprovider:\n  name: aws\n  runtime: nodejs22.x\n' },
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated'],
  },
  {
    id: 'lint-config-value',
    severity: 'error',
    files: 'serverless-lint.json',
    summary: 'A setting of serverless-lint.json that is unknown or has a value it does not take.',
    why: 'Serverless Lint ignores the setting, so a platform, plan or rule level you meant to set is not in effect (a misspelled rule id leaves the rule at its default level).',
    action:
      'Use the settings and values the schema lists (VS Code completes them in serverless-lint.json); rule ids are those of docs/rules and docs/config-checks.',
    bad: { fileName: 'serverless-lint.json', text: '{\n  "platform": "aws",\n  "rules": { "no-process-exit": "warning" }\n}\n' },
    good: { fileName: 'serverless-lint.json', text: '{\n  "platform": "aws-lambda",\n  "rules": { "no-process-exit": "warn" }\n}\n' },
    references: [],
  },
  {
    id: 'netlify-edge-function-entry',
    severity: 'error',
    files: 'netlify.toml',
    summary: 'An [[edge_functions]] entry without a `function` or without a `path` (or `pattern`).',
    why: 'Netlify skips the entry: the edge function never runs on the path you meant.',
    action: 'Give each entry the function name and the path (or pattern) it serves.',
    bad: { fileName: 'netlify.toml', text: '[[edge_functions]]\n  function = "auth"\n' },
    good: { fileName: 'netlify.toml', text: '[[edge_functions]]\n  function = "auth"\n  path = "/admin/*"\n' },
    references: ['https://docs.netlify.com/edge-functions/declarations/'],
  },
  {
    id: 'tsconfig-extends-not-found',
    severity: 'warning',
    files: 'tsconfig.json, jsconfig.json',
    summary: 'A tsconfig `extends` that names a file or package that cannot be found.',
    why: 'The `paths` and `baseUrl` of the base configuration are not used to resolve imports, so imports such as `@/lib/db` are not followed: an edge route importing a Node-only module through them is not reported.',
    action: 'Fix the path, or install the package that holds the base configuration (`npm install -D @tsconfig/next`).',
    bad: { fileName: 'tsconfig.json', text: '{\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "strict": true }\n}\n' },
    good: { fileName: 'tsconfig.json', text: '{\n  "compilerOptions": { "strict": true, "paths": { "@/*": ["./src/*"] } }\n}\n' },
    references: ['https://www.typescriptlang.org/tsconfig/#extends'],
  },
  {
    id: 'vercel-cron-path',
    severity: 'error',
    files: 'vercel.json',
    summary: 'A Vercel cron `path` that does not start with `/`.',
    why: 'Vercel requests the path on the production deployment; one without a leading slash is rejected at deploy.',
    action: 'Write the path of the route the cron calls, starting with `/`.',
    bad: { fileName: 'vercel.json', text: '{\n  "crons": [{ "path": "api/cleanup", "schedule": "0 3 * * *" }]\n}\n' },
    good: { fileName: 'vercel.json', text: '{\n  "crons": [{ "path": "/api/cleanup", "schedule": "0 3 * * *" }]\n}\n' },
    references: ['https://vercel.com/docs/cron-jobs'],
  },
  {
    id: 'vercel-cron-schedule',
    severity: 'error',
    files: 'vercel.json',
    summary: 'A Vercel cron `schedule` that is not a five-field cron expression.',
    why: 'Vercel takes minute, hour, day of month, month and day of week, in UTC; anything else fails the deployment.',
    action: 'Write five fields, e.g. `0 3 * * *` for 03:00 UTC every day.',
    bad: { fileName: 'vercel.json', text: '{\n  "crons": [{ "path": "/api/cleanup", "schedule": "0 3 * *" }]\n}\n' },
    good: { fileName: 'vercel.json', text: '{\n  "crons": [{ "path": "/api/cleanup", "schedule": "0 3 * * *" }]\n}\n' },
    references: ['https://vercel.com/docs/cron-jobs'],
  },
  {
    id: 'vercel-hobby-cron-frequency',
    severity: 'error',
    files: 'vercel.json',
    summary: 'A cron job that runs more than once a day on the Vercel Hobby plan.',
    why: 'On Hobby, cron jobs run at most once a day: a schedule with a wildcard or a step in the minute or hour field fails the deployment.',
    action: 'Use a fixed minute and hour, or the Pro plan.',
    bad: { fileName: 'vercel.json', plan: 'hobby', text: '{\n  "crons": [{ "path": "/api/sync", "schedule": "*/10 * * * *" }]\n}\n' },
    good: { fileName: 'vercel.json', plan: 'hobby', text: '{\n  "crons": [{ "path": "/api/sync", "schedule": "0 6 * * *" }]\n}\n' },
    references: ['https://vercel.com/docs/cron-jobs/usage-and-pricing'],
  },
  {
    id: 'workers-cpu-limit',
    severity: 'error',
    files: 'wrangler.toml, wrangler.json, wrangler.jsonc',
    summary: 'A Workers `limits.cpu_ms` above the maximum, or raised on the Free plan.',
    why: 'Cloudflare rejects the deployment: the CPU time per request goes up to 5 minutes (300,000 ms) on the Paid plan and cannot be raised on Free (10 ms).',
    action: 'Set `limits.cpu_ms` within the plan, or move the long work to a Queue or a Workflow.',
    bad: { fileName: 'wrangler.toml', text: 'name = "api"\nmain = "src/index.ts"\n\n[limits]\ncpu_ms = 400_000\n' },
    good: { fileName: 'wrangler.toml', text: 'name = "api"\nmain = "src/index.ts"\n\n[limits]\ncpu_ms = 300_000\n' },
    references: ['https://developers.cloudflare.com/workers/platform/limits/#cpu-time'],
  },
  {
    id: 'wrangler-compatibility-flags-type',
    severity: 'error',
    files: 'wrangler.toml, wrangler.json, wrangler.jsonc',
    summary: 'A `compatibility_flags` that is not a list of strings.',
    why: 'Wrangler refuses the configuration, and no flag (nodejs_compat included) is in effect.',
    action: 'Write a list: `compatibility_flags = ["nodejs_compat"]`.',
    bad: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2025-01-01"\ncompatibility_flags = "nodejs_compat"\n' },
    good: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2025-01-01"\ncompatibility_flags = ["nodejs_compat"]\n' },
    references: ['https://developers.cloudflare.com/workers/configuration/compatibility-flags/'],
  },
  {
    id: 'wrangler-node-compat-legacy',
    severity: 'warning',
    files: 'wrangler.toml, wrangler.json, wrangler.jsonc',
    summary: '`node_compat = true`, the legacy polyfill mode current Wrangler no longer supports.',
    why: "Wrangler 4 rejects it; older versions inject polyfills that behave unlike the runtime's own Node.js APIs.",
    action: 'Remove it and set `compatibility_flags = ["nodejs_compat"]` with a recent compatibility date.',
    bad: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2025-01-01"\nnode_compat = true\n' },
    good: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2025-01-01"\ncompatibility_flags = ["nodejs_compat"]\n' },
    references: ['https://developers.cloudflare.com/workers/runtime-apis/nodejs/'],
  },
  {
    id: 'wrangler-nodejs-compat-redundant',
    severity: 'info',
    files: 'wrangler.toml, wrangler.json, wrangler.jsonc',
    summary: 'A `nodejs_compat` flag with a compatibility date on which it is the default.',
    why: 'From the compatibility date 2026-08-04 Node.js compatibility is on by default; workerd itself rejects the redundant flag (Wrangler drops it first, other tools may not).',
    action: 'Remove the flag, or keep it only while other tools need an earlier date.',
    bad: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2026-09-01"\ncompatibility_flags = ["nodejs_compat"]\n' },
    good: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2026-09-01"\n' },
    references: ['https://developers.cloudflare.com/workers/configuration/compatibility-flags/'],
  },
  {
    id: 'wrangler-nodejs-compat-v1',
    severity: 'info',
    files: 'wrangler.toml, wrangler.json, wrangler.jsonc',
    summary: '`nodejs_compat` with a compatibility date before 2024-09-23, the older v1 mode.',
    why: 'v1 offers fewer Node.js modules and no `process` or `Buffer` globals: code that works locally on Node.js fails in the Worker.',
    action: 'Set `compatibility_date` to 2024-09-23 or later (and test), which turns on v2.',
    bad: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2024-01-01"\ncompatibility_flags = ["nodejs_compat"]\n' },
    good: { fileName: 'wrangler.toml', text: 'name = "api"\ncompatibility_date = "2024-09-23"\ncompatibility_flags = ["nodejs_compat"]\n' },
    references: ['https://developers.cloudflare.com/workers/runtime-apis/nodejs/'],
  },
];

export const CONFIG_CHECK_IDS: ReadonlySet<string> = new Set(CONFIG_CHECKS.map((c) => c.id));
