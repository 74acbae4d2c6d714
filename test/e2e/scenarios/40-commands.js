'use strict';
// The "Serverless" commands of the palette, run in the real workbench: the palette lists every
// command of package.json (contributes.commands) that is not hidden; Check Workspace Architecture
// shows progress, opens the report and fills the Problems panel; Show Runtime Constraints opens
// the card as a document; Select Target Platform and Plan changes the diagnostics (maxDuration 600
// is an error on Hobby and fine on Pro); Restart Server and Show Output work.

const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { freshEditors, closePanel, pickQuickInput, squiggleOn, writeProbe, STATUS_ID } = require('../product');

/** Palette titles of the manifest's commands, and those it hides from the palette (`when: false`). */
function manifestCommands(manifest) {
  const hidden = new Set((manifest.contributes.menus?.commandPalette || []).filter((m) => m.when === 'false').map((m) => m.command));
  return manifest.contributes.commands.map((c) => ({
    id: c.command,
    title: `${c.category}: ${c.title}`,
    hidden: hidden.has(c.command),
  }));
}

/** The error / warning / info counts of the status bar's Problems item. */
async function problemCounts(wb) {
  const text = await wb.statusBarText('status.problems');
  const [errors = 0, warnings = 0] = (text.match(/\d+/g) || []).map(Number);
  return { errors, warnings, text };
}

/** Runs Select Target Platform and Plan and picks a platform and (when asked) a plan. */
async function selectPlatform(wb, platform, plan) {
  // Not runCommand(): it waits for the palette to close, and this command's own picker replaces it.
  const title = 'Serverless: Select Target Platform and Plan';
  await wb.pressUntilVisible('F1', '.quick-input-widget .quick-input-box input');
  await wb.fillQuickInput(`>${title}`, title);
  await wb.focusRow('.quick-input-widget .quick-input-list .monaco-list-row', '.quick-input-widget .quick-input-list .monaco-list-row.focused', title);
  await wb.page.keyboard.press('Enter');
  await pickQuickInput(wb, 'Serverless: target platform', platform, { last: plan == null });
  if (plan != null) await pickQuickInput(wb, `Serverless: ${platform} plan`, plan, { last: true });
}

module.exports = [
  {
    name: 'commands-palette-lists-every-serverless-command',
    async run(wb, env) {
      await freshEditors(wb, env);
      await wb.openFile('nextjs-vercel/app/api/users/route.ts'); // some commands need a JS/TS editor
      const rows = await wb.commandPaletteEntries('Serverless:');
      env.log(`  palette: ${rows.join(' | ')}`);
      for (const c of manifestCommands(env.manifest)) {
        const listed = rows.some((r) => r.startsWith(c.title));
        assert.strictEqual(listed, !c.hidden, `${c.title} (${c.id}) ${c.hidden ? 'is hidden but' : 'is not'} in the palette`);
      }
    },
  },
  {
    name: 'command-check-workspace-architecture',
    async run(wb, env) {
      await freshEditors(wb, env);
      await closePanel(wb);
      await wb.recordTexts(/checking workspace/i);
      await wb.runCommand('Serverless: Check Workspace Architecture');
      const report = await wb.waitForWebviewText('Serverless architecture report', { timeout: 120000 });
      // The report names the projects' platforms and dependency problems: the Node-only chain
      // middleware.ts → lib/session.ts → node:fs, bcrypt imported by the edge login route, ws in a
      // serverless project, aws-sdk v2 on Lambda.
      for (const expected of [
        'vercel',
        'aws-lambda',
        'cloudflare-workers',
        'session.ts imports node:fs',
        'bcrypt is a C++ addon',
        'ws is a WebSocket server library',
        'aws-sdk (v2)',
      ]) {
        assert.ok(report.includes(expected), `the report mentions ${expected}`);
      }
      const progress = await wb.recordedTexts();
      env.log(`  progress seen: ${JSON.stringify(progress)}`);
      assert.ok(progress.length > 0, 'the check showed its progress ("Serverless Lint: checking workspace")');
      assert.ok(
        (await wb.tabTitles()).some((t) => /Workspace.architecture/i.test(t)),
        `report tab: ${await wb.tabTitles()}`,
      );
      await wb.screenshot('docs-workspace-report');

      // Every finding of the workspace is in the Problems panel now, with no file open:
      // EXPECTED.md has 23 errors outside the quick-fix probes.
      const counts = await wb.until(
        async () => {
          const c = await problemCounts(wb);
          return c.errors >= 23 ? c : null;
        },
        { timeout: 60000, what: 'the workspace findings in the Problems counts' },
      );
      env.log(`  Problems after the check: ${counts.text}`);
    },
  },
  {
    name: 'command-show-runtime-constraints',
    async run(wb, env) {
      await freshEditors(wb, env);
      await wb.openFile('cloudflare-worker/src/index.ts');
      await squiggleOn(wb, 14, 'E');
      await wb.runCommand('Serverless: Show Runtime Constraints for This File');
      const card = await wb.waitForWebviewText(/Runtime constraints[\s\S]*nodejs_compat/);
      assert.match(card, /Cloudflare Workers/);
      assert.match(card, /CPU time/);
      await wb.screenshot('runtime-constraints-document');
    },
  },
  {
    name: 'command-select-platform-and-plan-changes-diagnostics',
    async run(wb, env) {
      const file = 'nextjs-vercel/app/api/plan-probe/route.ts';
      writeProbe(env, file, [
        'export const maxDuration = 600;',
        '',
        'export async function POST(request: Request) {',
        '  const { month } = (await request.json()) as { month: string };',
        "  return Response.json({ month, status: 'done' });",
        '}',
        '',
      ]);
      // The command writes the workspace settings; whatever happens, the next scenarios get
      // them back as they were (detection, default plans).
      const settingsFile = path.join(env.workspace, '.vscode', 'settings.json');
      const settings = fs.readFileSync(settingsFile, 'utf8');
      try {
        await freshEditors(wb, env);
        await closePanel(wb);
        await wb.openFile(file);
        // Analysed (the status bar shows its context) and silent on the default plan, Pro (1,800 s).
        await wb.statusBarText(STATUS_ID, { expect: /Vercel/ });
        assert.deepStrictEqual(await wb.squiggles('error'), [], '600 s is within the Pro maximum');
        assert.deepStrictEqual(await wb.squiggles('warning'), [], '600 s is within the Pro maximum');

        await selectPlatform(wb, 'Vercel', 'hobby');
        await wb.waitForNotification('checking for Vercel (hobby)');
        const [squiggle] = await wb.waitForSquiggle('error', { line: 1 });
        const hover = await wb.hoverAt(squiggle, { expect: /max-duration-exceeds-limit/ });
        assert.match(hover, /300/, `the Hobby maximum is named: ${hover.slice(0, 300)}`);
        await wb.screenshot('plan-hobby-max-duration-error');

        await selectPlatform(wb, 'Vercel', 'pro');
        await wb.waitForNoSquiggle('error', { line: 1 });

        // Back to detection, as the other scenarios expect.
        await selectPlatform(wb, 'Auto-detect');
        await wb.waitForNotification('checking for Auto-detect');
        await wb.statusBarText(STATUS_ID, { expect: /Vercel/ });
      } finally {
        fs.writeFileSync(settingsFile, settings);
      }
    },
  },
  {
    name: 'command-restart-server-and-show-output',
    async run(wb, env) {
      await freshEditors(wb, env);
      await closePanel(wb);
      await wb.runCommand('Serverless: Show Output');
      await wb.waitForPanelText('Serverless Lint');
      await wb.runCommand('Serverless: Restart Server');
      // The client's line, then the old server's exit (the output follows its end).
      await wb.waitForPanelText(/Restarting the Serverless Lint server[\s\S]*Server process exited with code 0/);
      await wb.screenshot('output-after-restart');
      await closePanel(wb);
      // A file opened now is analysed by the restarted server.
      await wb.openFile('lambda-serverless/src/handlers/getOrder.ts');
      await squiggleOn(wb, 9, 'E');
      await wb.statusBarText(STATUS_ID, { expect: /AWS Lambda/ });
    },
  },
];
