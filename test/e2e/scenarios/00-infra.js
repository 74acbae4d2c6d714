'use strict';
// Scenarios that prove the e2e machinery itself, independent of what the language server does:
// the workbench loads with the packaged extension installed, and the driver's helpers work
// against VS Code's built-in TypeScript support (squiggles, Problems, hover, quick fix, commands).

const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

module.exports = [
  {
    name: 'workbench-loads-with-extension-installed',
    async run(wb, env) {
      const expected = `${env.extensionId}@${env.extensionVersion}`;
      assert.ok(env.installedExtensions.includes(expected), `code-server --list-extensions shows ${JSON.stringify(env.installedExtensions)}, not ${expected}`);

      await wb.openWorkbench(env.workspace);
      const folder = path.basename(env.workspace).toUpperCase();
      await wb.waitFor('.explorer-viewlet .pane-header', { hasText: folder });
      await wb.screenshot('workbench-explorer');

      // The Extensions view lists it as installed (and so the workbench accepted the manifest).
      await wb.runCommand('View: Show Extensions');
      await wb.waitFor('.extensions-viewlet .monaco-list-row', { hasText: env.manifest.displayName });
      await wb.screenshot('extensions-installed');
    },
  },
  {
    name: 'driver-self-test-with-builtin-typescript',
    async run(wb, env) {
      const folder = path.join(env.runDir, 'driver-self-test');
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'sample.js'), '// @ts-check\nconst count = 3;\nconsole.log(count.toFixd(1));\n');

      await wb.openWorkbench(folder);
      assert.deepStrictEqual(await wb.explorerItems(), ['sample.js']);
      await wb.openFile('sample.js');
      const [squiggle] = await wb.waitForSquiggle('error', { line: 3 });

      const rows = await wb.problemsRows({ until: (r) => r.some((row) => /toFixd.* ts 2551/.test(row.text)) });
      const row = rows.find((r) => r.text.includes('toFixd'));
      assert.match(row.label, /error/i, `Problems row aria-label names the severity: ${row.label}`);
      assert.match(await wb.statusBarText('status.problems'), /1/);

      const hover = await wb.hoverAt(squiggle, { expect: /toFixd/ });
      assert.match(hover, /Did you mean 'toFixed'/);
      await wb.screenshot('self-test-hover');

      assert.ok((await wb.quickFixTitles({ at: squiggle })).some((t) => t.includes("Change spelling to 'toFixed'")));
      await wb.quickFix("Change spelling to 'toFixed'", { at: squiggle });
      await wb.waitForEditorText('count.toFixed(1)');
      await wb.waitForNoSquiggle('error');
      await wb.screenshot('self-test-quick-fix-applied');

      await wb.runCommand('File: Revert File');
      await wb.waitForEditorText('count.toFixd(1)');
      await wb.waitForSquiggle('error', { line: 3 });
    },
  },
];
