'use strict';
// Runs the end-to-end scenarios of test/e2e/scenarios/*.js in sequence in one workbench, and
// closes with the line "N passed, N failed". Started by scripts/e2e/run.sh, which provides
// code-server and the E2E_* variables; run `bash scripts/e2e/run.sh`, not this file directly.
//
// A scenario file exports an array of { name, run: async (wb, env) => {} }: wb is the
// Workbench driver (test/e2e/workbench.js), env is described below. A scenario fails by throwing.

const fs = require('node:fs');
const path = require('node:path');
const { Workbench } = require('./workbench');

const need = (name) => {
  if (!process.env[name]) {
    console.error(`scenarios.js: ${name} is not set; run the suite with: bash scripts/e2e/run.sh`);
    process.exit(2);
  }
  return process.env[name];
};

const resultsDir = need('E2E_RESULTS');
const logFile = fs.createWriteStream(path.join(resultsDir, 'scenarios.log'), { flags: 'a' });
const t0 = Date.now();
const log = (msg) => {
  const line = `[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${msg}`;
  console.log(line);
  logFile.write(line + '\n');
};

/** What every scenario gets besides the driver. */
const env = {
  url: need('E2E_URL'),
  workspace: need('E2E_WORKSPACE'), // a temporary copy of test-workspace/, open by default
  runDir: need('E2E_RUN_DIR'), // a temporary folder for scratch workspaces
  resultsDir,
  extensionId: need('E2E_EXTENSION_ID'), // publisher.name
  extensionVersion: need('E2E_EXTENSION_VERSION'),
  manifest: JSON.parse(fs.readFileSync(path.join(need('E2E_EXT_DIR'), 'package.json'), 'utf8')),
  installedExtensions: fs.readFileSync(need('E2E_INSTALLED_EXTENSIONS'), 'utf8').split('\n').filter(Boolean),
  log,
};

function loadScenarios() {
  const dir = path.join(__dirname, 'scenarios');
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .flatMap((f) => require(path.join(dir, f)).map((s) => ({ ...s, file: f })));
  const names = new Set();
  for (const s of all) {
    if (names.has(s.name)) throw new Error(`two scenarios are named ${s.name}`);
    names.add(s.name);
  }
  const wanted = (process.env.E2E_SCENARIOS || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((w) => !names.has(w));
  if (unknown.length) throw new Error(`no scenario named ${unknown.join(', ')}; known: ${[...names].join(', ')}`);
  return wanted.length ? all.filter((s) => wanted.includes(s.name)) : all;
}

async function main() {
  const scenarios = loadScenarios();
  let passed = 0;
  let failed = 0;
  const summary = [];
  let wb;
  try {
    wb = await Workbench.launch({ url: env.url, resultsDir, log });
    log(`chromium started; running ${scenarios.length} scenario(s)`);
  } catch (e) {
    log(`FAILED to start chromium: ${e.message.split('\n')[0]}`);
    console.log(`0 passed, ${scenarios.length} failed`);
    return 1;
  }
  // A failed scenario runs once more on a freshly loaded workbench (E2E_RETRIES, default 1), as browser suites do:
  // the workbench under load sometimes does not draw what it computed. A pass on retry is logged and counted apart.
  const retries = Number(process.env.E2E_RETRIES ?? 1);
  let retried = 0;
  for (const s of scenarios) {
    const start = Date.now();
    log(`--- ${s.name}`);
    let error;
    for (let attempt = 0; attempt <= retries; attempt++) {
      error = undefined;
      try {
        await s.run(wb, env);
      } catch (e) {
        error = e;
      }
      if (!error) {
        if (attempt > 0) retried++;
        break;
      }
      if (attempt < retries) {
        log(`  attempt ${attempt + 1} failed: ${String(error.message || error).split('\n')[0]}`);
        const evidence = await wb.captureFailure(`${s.name}-attempt-${attempt + 1}`);
        log(
          `  evidence: ${[evidence.screenshot, evidence.dom]
            .filter(Boolean)
            .map((f) => path.relative(process.cwd(), f))
            .join(', ')}; retrying on a fresh workbench`,
        );
        wb.currentUrl = null;
      }
    }
    const secs = ((Date.now() - start) / 1000).toFixed(1);
    if (!error) {
      passed++;
      log(`ok   ${s.name} (${secs}s)`);
    } else {
      failed++;
      log(`FAIL ${s.name} (${secs}s): ${String(error.message || error).split('\n')[0]}`);
      const evidence = await wb.captureFailure(s.name);
      log(
        `  evidence: ${[evidence.screenshot, evidence.dom]
          .filter(Boolean)
          .map((f) => path.relative(process.cwd(), f))
          .join(', ')}`,
      );
      wb.currentUrl = null; // the next scenario starts from a freshly loaded workbench
    }
    summary.push({ name: s.name, file: s.file, ok: !error, seconds: Number(secs), error: error && String(error.stack || error) });
  }
  await wb.close();
  fs.writeFileSync(path.join(resultsDir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  const closing = `${passed} passed${retried ? ` (${retried} on a retry)` : ''}, ${failed} failed`;
  logFile.write(closing + '\n');
  console.log(closing);
  return failed ? 1 : 0;
}

main().then(
  (code) => logFile.end(() => process.exit(code)),
  (e) => {
    console.error(`scenarios.js: ${e.message || e}`);
    process.exit(1);
  },
);
