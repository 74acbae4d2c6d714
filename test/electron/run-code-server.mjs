// `npm run test:electron:code-server`: runs the same extension-host suite as `npm run test:electron`, offline, in
// the VS Code 1.139 server that code-server ships (lib/vscode/out/server-main.js, from the e2e cache), with the
// repository as the development extension. code-server's own CLI rejects --extensionDevelopmentPath and
// --enable-smoke-test-driver, but VS Code's server takes the latter, and then the web workbench honours the
// `payload` URL parameter that carries extensionDevelopmentPath/extensionTestsPath to the Node extension host.
// Headless chromium (playwright-core) opens that URL; the suite writes its results to a file this script follows.
// A machine that cannot set up the e2e tools prints one line and exits 0 (exit 1 with E2E_REQUIRED=1).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildSuite, root } from './build.mjs';
import { prepareRun, requireBuiltExtension } from './workspace.mjs';

const TIMEOUT_MS = Number(process.env.ELECTRON_SUITE_TIMEOUT ?? 900) * 1000;
const log = (line) => console.log(`[test:electron:code-server] ${line}`);

requireBuiltExtension();

// The e2e setup (cached after its first run) provides chromium, Node 24 and code-server; lib.sh knows the paths.
const setup = spawnSync('bash', [join(root, 'scripts/e2e/setup.sh')], { encoding: 'utf8' });
if (setup.status !== 0) {
  const reason = (setup.stdout + setup.stderr).trim().split('\n').pop();
  if (process.env.E2E_REQUIRED === '1') {
    console.log(`test:electron:code-server: FAILED, cannot set up: ${reason}`);
    process.exit(1);
  }
  console.log(`test:electron:code-server: skipped, cannot set up code-server here (${reason}); nothing was tested`);
  process.exit(0);
}
const paths = spawnSync(
  'bash',
  ['-c', `source "${root}/scripts/e2e/lib.sh"; echo "$NODE24_DIR"; echo "$CODE_SERVER_DIR"; echo "$CHROMIUM"; e2e_playwright_home`],
  { encoding: 'utf8' },
)
  .stdout.trim()
  .split('\n');
const [node24Dir, codeServerDir, chromiumPath, playwrightHome] = paths;
const vscodeDir = join(codeServerDir, 'node_modules/code-server/lib/vscode');
const serverMain = join(vscodeDir, 'out/server-main.js');
if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing: the code-server install in the e2e cache is incomplete`);
const vscodeVersion = JSON.parse(readFileSync(join(vscodeDir, 'package.json'), 'utf8')).version;
const { chromium } = createRequire(join(playwrightHome, 'package.json'))('playwright-core');

const extensionTestsPath = await buildSuite();
const { run, workspace, userData } = prepareRun('serverless-lint-cs-suite-');
for (const d of ['home', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp', 'server-data', 'extensions']) mkdirSync(join(run, d));
const resultsFile = join(run, 'results.json');

let server;
let browser;
let exitCode = 1;
try {
  // Its own process group (detached), so the extension host, language server and tsserver it starts all end with it.
  server = spawn(
    join(node24Dir, 'bin/node'),
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--disable-telemetry',
      '--disable-workspace-trust',
      '--user-data-dir',
      userData,
      '--server-data-dir',
      join(run, 'server-data'),
      '--extensions-dir',
      join(run, 'extensions'),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOME: join(run, 'home'),
        XDG_CONFIG_HOME: join(run, 'xdg-config'),
        XDG_DATA_HOME: join(run, 'xdg-data'),
        XDG_CACHE_HOME: join(run, 'xdg-cache'),
        TMPDIR: join(run, 'tmp'),
        PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
        SERVERLESS_LINT_TEST_RESULTS: resultsFile,
      },
    },
  );
  let serverLog = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the VS Code server did not report its port in 120 s:\n${serverLog}`)), 120_000);
    const onData = (chunk) => {
      serverLog += chunk;
      const m = /Server bound to 127\.0\.0\.1:(\d+)/.exec(serverLog);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`the VS Code server exited (${code}) before listening:\n${serverLog}`)));
  });
  server.stdout.on('data', (c) => {
    serverLog += c;
  });
  server.stderr.on('data', (c) => {
    serverLog += c;
  });
  log(`VS Code ${vscodeVersion} server (from code-server) on 127.0.0.1:${port}`);

  const authority = `127.0.0.1:${port}`;
  const remote = (path) => `vscode-remote://${authority}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const url = `http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: { ...process.env, HOME: join(run, 'home'), XDG_CONFIG_HOME: join(run, 'xdg-config'), XDG_CACHE_HOME: join(run, 'xdg-cache') },
  });
  const page = await browser.newPage();
  await page.goto(url);

  // Follow the results file the suite rewrites after every test, until it says done.
  const deadline = Date.now() + TIMEOUT_MS;
  let shown = 0;
  let results;
  while (Date.now() < deadline) {
    try {
      results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      results = undefined; // not written yet, or caught mid-write
    }
    for (const t of results?.tests.slice(shown) ?? []) {
      log(`${t.state === 'passed' ? '✔' : '✘'} ${t.title}${t.error ? `\n${t.error}` : ''}`);
      shown++;
    }
    if (results?.done) break;
    if (server.exitCode !== null) throw new Error(`the VS Code server exited (${server.exitCode}) during the suite`);
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!results?.done) {
    console.log(`test:electron:code-server: FAILED, the suite did not finish in ${TIMEOUT_MS / 1000} s (${shown} tests reported)`);
    await page.screenshot({ path: join(run, 'timeout.png') }).catch(() => {});
    console.log(serverLog.split('\n').slice(-30).join('\n'));
  } else if (results.fatal || results.failures > 0 || results.passes === 0) {
    console.log(`test:electron:code-server: FAILED, ${results.passes} passed, ${results.failures} failed${results.fatal ? `: ${results.fatal}` : ''}`);
  } else {
    console.log(`test:electron:code-server: ${results.passes} passed, 0 failed (extension host of VS Code ${vscodeVersion})`);
    exitCode = 0;
  }
} catch (e) {
  console.log(`test:electron:code-server: FAILED: ${e.message}`);
} finally {
  await browser?.close().catch(() => {});
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  if (process.env.KEEP_RUN === '1' || exitCode !== 0) log(`run folder kept: ${run}`);
  else rmSync(run, { recursive: true, force: true });
}
process.exit(exitCode);
