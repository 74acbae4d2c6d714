// `npm run test:electron`: runs the extension-host suite in a VS Code that @vscode/test-electron downloads.
// Where VS Code cannot be downloaded (no route to update.code.visualstudio.com) it prints one line and exits 0
// without claiming a pass; `npm run test:electron:code-server` runs the same suite offline.
import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { buildSuite, root } from './build.mjs';
import { prepareRun, requireBuiltExtension } from './workspace.mjs';

const UPDATE_HOST = 'update.code.visualstudio.com';

/** Resolves with why VS Code cannot be downloaded, or undefined when its update server answers. */
async function unreachable() {
  try {
    await Promise.race([lookup(UPDATE_HOST), new Promise((_, reject) => setTimeout(() => reject(new Error('DNS lookup timed out')), 5000))]);
  } catch (e) {
    return `${e.code ?? ''} ${e.message}`.trim();
  }
  return new Promise((resolve) => {
    const req = request({ host: UPDATE_HOST, path: '/api/releases/stable', method: 'HEAD', timeout: 10_000 }, (res) => {
      res.resume();
      resolve(res.statusCode && res.statusCode < 500 ? undefined : `HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error('HTTPS request timed out')));
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

requireBuiltExtension();
const why = await unreachable();
if (why) {
  console.log(
    `test:electron: skipped, VS Code cannot be downloaded from ${UPDATE_HOST} (${why}); nothing was tested (offline: npm run test:electron:code-server)`,
  );
  process.exit(0);
}

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable');
} catch (e) {
  console.log(`test:electron: skipped, downloading VS Code failed (${e.message.split('\n')[0]}); nothing was tested`);
  process.exit(0);
}

const extensionTestsPath = await buildSuite();
const { run, workspace, userData } = prepareRun('serverless-lint-electron-');
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      userData,
      '--extensions-dir',
      join(run, 'extensions'),
    ],
  });
  console.log('test:electron: passed');
} catch (e) {
  console.error(`test:electron: FAILED (${e.message ?? e})`);
  process.exitCode = 1;
} finally {
  if (!process.env.KEEP_RUN) rmSync(run, { recursive: true, force: true });
}
