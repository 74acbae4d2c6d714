'use strict';
// Editing in the real workbench: typing a violating line into a Lambda handler adds its squiggle
// (after the server's debounce, without saving), deleting the line removes it, and closing the
// file clears its rows from the Problems panel.

const assert = require('node:assert');
const { startOn, closePanel, closeActiveEditor, expectProblems, squiggleOn } = require('../product');

module.exports = [
  {
    name: 'editing-updates-diagnostics-and-closing-clears-them',
    async run(wb, env) {
      await startOn(wb, env, 'lambda-serverless/src/handlers/getOrder.ts');
      await squiggleOn(wb, 9, 'E'); // process.exit in the handler (EXPECTED row 30)
      assert.deepStrictEqual(await wb.linesContaining('setInterval'), []);

      // A new line 7 inside the handler: a background timer (no-background-timer, a warning).
      await wb.gotoLine(6);
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      const typed = Date.now();
      await wb.page.keyboard.type('setInterval(refresh, 60_000);');
      await wb.waitForEditorText('setInterval(refresh, 60_000);');
      assert.deepStrictEqual(await wb.linesContaining('setInterval(refresh'), [7]);
      await wb.waitForSquiggle('warning', { line: 7 });
      env.log(`  new squiggle ${Date.now() - typed} ms after typing started (not asserted)`);
      await wb.waitForSquiggle('error', { line: 10 }); // the old finding moved down with its line
      await wb.screenshot('editing-new-squiggle');

      // Delete the line again (Ctrl+Shift+K): its squiggle goes, the old one moves back.
      await wb.gotoLine(7);
      await wb.page.keyboard.press('Control+Shift+K');
      await wb.until(async () => (await wb.linesContaining('setInterval')).length === 0, { what: 'the typed line deleted' });
      await wb.waitForNoSquiggle('warning', { line: 7 });
      await wb.waitForSquiggle('error', { line: 9 });

      // The Problems panel lists the file; closing the editor removes its rows.
      await expectProblems(wb, 'getOrder.ts', [
        [9, 'E', 'no-process-exit'],
        [17, 'W', 'no-client-per-invocation'],
      ]);
      await closeActiveEditor(wb, 'getOrder.ts');
      await wb.problemsRows({ until: (rows) => !rows.some((r) => r.text.includes('getOrder.ts')) });
      await wb.screenshot('editing-closed-file-cleared');
      await closePanel(wb);
    },
  },
];
