'use strict';
// Crash recovery in the real workbench: the language server process (found by its bundle path
// under this run's extensions folder) is killed with SIGKILL; the client's restart policy
// (client/src/crash-policy.ts) starts a new one, the status bar comes back, and the new server
// analyses edits: a crashed server is restarted, not left dead.

const assert = require('node:assert');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { startOn, squiggleOn, STATUS_ID } = require('../product');

/** Pids of this run's language servers: node processes running <runDir>/extensions/<ext>/dist/server.js. */
function serverPids(env) {
  const dir = path.join(env.runDir, 'extensions').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = `${dir}/[^ ]*/dist/server\\.js`;
  try {
    return execFileSync('pgrep', ['-f', '--', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch (e) {
    if (e.status === 1) return []; // pgrep: no process matched
    throw e;
  }
}

module.exports = [
  {
    name: 'server-crash-is-restarted-by-the-client',
    async run(wb, env) {
      await startOn(wb, env, 'lambda-serverless/src/handlers/getOrder.ts');
      await squiggleOn(wb, 9, 'E');
      await wb.statusBarText(STATUS_ID, { expect: /AWS Lambda/ });
      const before = await wb.until(
        () => {
          const p = serverPids(env);
          return p.length === 1 ? p : null;
        },
        { what: 'exactly one language server process' },
      );
      env.log(`  killing the language server, pid ${before[0]}`);
      process.kill(before[0], 'SIGKILL');

      const after = await wb.until(
        () => {
          const p = serverPids(env);
          return p.length === 1 && p[0] !== before[0] ? p : null;
        },
        { timeout: 60000, what: 'a new language server process' },
      );
      env.log(`  restarted as pid ${after[0]}`);
      await wb.statusBarText(STATUS_ID, { expect: /AWS Lambda/ });

      // The new server analyses an edit: a new violating line gets its squiggle.
      await wb.gotoLine(6);
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.type('setInterval(refresh, 60_000);');
      await wb.waitForSquiggle('warning', { line: 7 });
      await wb.waitForSquiggle('error', { line: 10 });
      assert.ok(
        !(await wb.isVisible('.notifications-toasts .notification-list-item')) ||
          !/crashed .* times/.test(await wb.page.locator('.notifications-toasts').innerText()),
        'no give-up message',
      );
      await wb.screenshot('server-restarted-after-crash');

      // A file opened after the restart gets its diagnostics too (the client asks for them: see
      // the didOpen middleware in client/src/extension.ts).
      await wb.openFile('cloudflare-worker/src/index.ts');
      await squiggleOn(wb, 14, 'E');
    },
  },
];
