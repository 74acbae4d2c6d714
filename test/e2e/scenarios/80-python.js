'use strict';
// A Python function in the real workbench: test-workspace/fastapi-vercel/api/index.py gets its squiggles
// (EXPECTED.md rows 49-54) from the language server's Python parser, the runtime card on a FastAPI route's name,
// and quick fixes in Python form: the fs write moved under tempfile.gettempdir(), and a `#` disable comment.

const assert = require('node:assert');
const { startOn, expectSquiggles, squiggleOn, ensureRendered } = require('../product');

/** Opens the quick-fix menu on a squiggle and applies `title`. */
async function applyFix(wb, squiggle, title) {
  const titles = await wb.openQuickFixMenu({ at: squiggle });
  await wb.waitFor('.action-widget .monaco-list-row', { hasText: title }).catch((e) => {
    throw new Error(`${e.message}; the menu offers: ${titles.join(' | ')}`);
  });
  await wb.focusRow('.action-widget .monaco-list-row', '.action-widget .monaco-list-row.focused', title);
  await wb.page.keyboard.press('Enter');
  await wb.waitFor('.action-widget', { state: 'hidden' });
}

module.exports = [
  {
    name: 'python-fastapi-squiggles-hover-and-quick-fixes',
    async run(wb, env) {
      await startOn(wb, env, 'fastapi-vercel/api/index.py');
      await expectSquiggles(
        wb,
        [
          [34, 'E'],
          [40, 'W'],
          [47, 'W'],
          [54, 'E'],
          [55, 'E'],
          [63, 'E'],
        ],
        { silent: [15, 66, 75] },
      );

      // The runtime card on the route's name: a Python function on Vercel.
      await ensureRendered(wb, 39);
      const name = await wb.waitForTextBox(39, 'list_notes');
      const card = await wb.hoverAt(name, { expect: /Max duration[\s\S]*Bundle size/ });
      assert.match(card, /Runtime: Python/, card.slice(0, 600));
      assert.match(card, /FastAPI route/, card.slice(0, 600));
      await wb.screenshot('python-hover-runtime-card');

      // The fs write goes under the temporary folder (the file already imports os and tempfile).
      const write = await squiggleOn(wb, 63, 'E');
      await applyFix(wb, write, 'Write under tempfile.gettempdir()');
      await wb.waitForEditorText('open(os.path.join(tempfile.gettempdir(), "exports/notes.json"), "w")');

      // The per-request connection is disabled for its line with a Python comment.
      const client = await squiggleOn(wb, 40, 'W');
      await applyFix(wb, client, 'Disable no-client-per-invocation for this line');
      await wb.waitForEditorText('# serverless-lint-disable-next-line no-client-per-invocation');
      await wb.waitForNoSquiggle('warning', { line: 41 });
      await wb.screenshot('python-quick-fixes');
    },
  },
];
