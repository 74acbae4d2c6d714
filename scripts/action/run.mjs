// The GitHub Action's step (action.yml): runs serverless-lint once with SARIF output, writes the log for the
// code-scanning upload, turns each result into a workflow-command annotation (which GitHub shows on the pull
// request's diff), adds a summary to the job page, and records the CLI's exit code as a step output. It exits 0
// itself, so the upload step still runs; the Action's last step fails the job with the recorded code.
//
// Inputs arrive as environment variables: SL_PATHS (space-separated paths or globs), SL_ARGS (more CLI flags),
// SL_VERSION (the npm version to run when the project has none installed), SL_SARIF (where to write the log),
// SL_ANNOTATE (`false` turns annotations off). SL_COMMAND replaces the whole command (the tests run dist/cli.js).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const env = process.env;
const cwd = process.cwd();
const split = (s) => (s ?? '').split(/\s+/).filter(Boolean);

/** The command to run: the project's own install first (its pinned version), else the published package via npx. */
function command() {
  if (env.SL_COMMAND) return split(env.SL_COMMAND);
  const local = join(cwd, 'node_modules', '.bin', process.platform === 'win32' ? 'serverless-lint.cmd' : 'serverless-lint');
  if (existsSync(local)) return [local];
  return ['npx', '--yes', `serverless-lint@${env.SL_VERSION || 'latest'}`];
}

/** Workflow-command escaping (the runner's own rules): data escapes `%`, CR and LF; properties also `:` and `,`. */
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A SARIF artifact URI as a path relative to the workspace: `%SRCROOT%`-relative URIs are percent-decoded paths. */
function pathOf(location) {
  const uri = location?.uri ?? '';
  if (uri.startsWith('file://')) return decodeURIComponent(uri.slice('file://'.length));
  return uri.split('/').map(decodeURIComponent).join('/');
}

const sarifPath = resolve(env.SL_SARIF || 'serverless-lint.sarif');
const [cmd, ...pre] = command();
const args = [...pre, ...split(env.SL_PATHS || '.'), ...split(env.SL_ARGS), '--format', 'sarif'];
console.log(`serverless-lint: ${[cmd, ...args].join(' ')}`);
const r = spawnSync(cmd, args, {
  cwd,
  encoding: 'utf8',
  maxBuffer: 1024 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'pipe'],
  shell: process.platform === 'win32',
});
if (r.stderr) process.stderr.write(r.stderr);
const code = r.status ?? 2;

let log;
try {
  log = JSON.parse(r.stdout);
} catch {
  log = undefined;
}
const results = log?.runs?.[0]?.results ?? [];
if (log) {
  mkdirSync(dirname(sarifPath), { recursive: true });
  writeFileSync(sarifPath, r.stdout);
}

if (env.SL_ANNOTATE !== 'false') {
  const kind = { error: 'error', warning: 'warning', note: 'notice' };
  for (const result of results) {
    const loc = result.locations?.[0]?.physicalLocation;
    const region = loc?.region ?? {};
    const props = [
      `file=${escapeProperty(pathOf(loc?.artifactLocation))}`,
      region.startLine ? `line=${region.startLine}` : '',
      region.startColumn ? `col=${region.startColumn}` : '',
      region.endLine ? `endLine=${region.endLine}` : '',
      region.endColumn && region.endLine === region.startLine ? `endColumn=${region.endColumn}` : '',
      `title=${escapeProperty(`serverless-lint: ${result.ruleId}`)}`,
    ].filter(Boolean);
    console.log(`::${kind[result.level] ?? 'warning'} ${props.join(',')}::${escapeData(result.message?.text ?? '')}`);
  }
}

const count = (level) => results.filter((x) => x.level === level).length;
const summary = log
  ? `### Serverless Lint\n\n${results.length ? `${count('error')} error(s), ${count('warning')} warning(s), ${count('note')} info in ${new Set(results.map((x) => pathOf(x.locations?.[0]?.physicalLocation?.artifactLocation))).size} file(s).` : 'No problems found.'}\n`
  : `### Serverless Lint\n\nThe CLI failed (exit ${code}); see the step log.\n`;
if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summary);
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\nsarif-file=${log ? sarifPath : ''}\n`);
console.log(`serverless-lint: exit code ${code}${log ? `, SARIF written to ${sarifPath}` : ''}`);
