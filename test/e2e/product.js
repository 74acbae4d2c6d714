'use strict';
// Helpers shared by the product scenarios (test/e2e/scenarios/10-* and later): opening a file of
// the workspace copy from a clean editor area, checking its squiggles and Problems rows against
// test-workspace/EXPECTED.md, and leaving the workbench as the next scenario expects it.

const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

/** The `source` every diagnostic of the extension carries (shown in the Problems panel). */
const SOURCE = 'serverless-lint';
const STATUS_ID = 'serverless-lint.serverless-lint.context';
const SEVERITY = { E: 'error', W: 'warning', I: 'info' };

/**
 * Opens the workspace copy (a no-op when it is open) and closes every editor, discarding unsaved
 * changes, so that the Problems panel shows only what the scenario opens next.
 */
async function freshEditors(wb, env) {
  await wb.openWorkbench(env.workspace);
  await wb.page.keyboard.press('Escape'); // a leftover hover, menu or quick input
  const tabs = wb.page.locator('.editor-group-container .tabs-container .tab');
  if ((await tabs.count()) === 0) return;
  await wb.runCommand('View: Close All Editors');
  // A dirty editor asks whether to save: its changes were the scenario's, so don't.
  const dontSave = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  await wb.until(
    async () => {
      if (
        await dontSave
          .first()
          .isVisible()
          .catch(() => false)
      )
        await dontSave.first().click();
      return (await tabs.count()) === 0;
    },
    { what: 'every editor closed' },
  );
}

/**
 * Checks the squiggles of a file: `findings` is a list of [line, 'E' | 'W' | 'I', rule] from
 * EXPECTED.md; `silent` lists lines that must have no squiggle at all (its deliberately silent
 * patterns). Lines are brought into view first (so earlier positions may be stale after it).
 */
async function expectSquiggles(wb, findings, { silent = [] } = {}) {
  for (const [line, sev] of findings) await squiggleOn(wb, line, sev);
  for (const line of silent) {
    await ensureRendered(wb, line);
    for (const severity of ['error', 'warning', 'info']) {
      const on = (await wb.squiggles(severity)).filter((s) => s.line === line);
      assert.strictEqual(on.length, 0, `line ${line} is a deliberately silent pattern but has a ${severity} squiggle`);
    }
  }
}

/** Scrolls a line into view and returns its squiggles of a severity ('E', 'W', 'I' or a name). */
async function squiggleOn(wb, line, sev) {
  await ensureRendered(wb, line);
  return (await wb.waitForSquiggle(SEVERITY[sev] || sev, { line }))[0];
}

/** Scrolls a line into view (Ctrl+G) when the editor does not render it. */
async function ensureRendered(wb, line) {
  const range = await wb.renderedLineRange();
  // The last rendered lines may be only partly visible: treat the edges as not rendered.
  if (!range || line < range.first + 1 || line > range.last - 2) await wb.gotoLine(line);
}

/**
 * Waits until the Problems panel lists every finding of `file` (its base name) with the source
 * and rule id, at the expected line, with the expected severity. Returns the rows.
 */
async function expectProblems(wb, file, findings) {
  const rowFor = (rows, [line, , rule]) => rows.find((r) => r.text.includes(`${SOURCE} ${rule}`) && r.text.includes(`[Ln ${line},`));
  const rows = await wb
    .problemsRows({
      until: (rows) => rows.some((r) => r.text.includes(file)) && findings.every((f) => rowFor(rows, f)),
    })
    .catch((e) => {
      throw new Error(`${e.message}; expected ${findings.map(([l, , r]) => `${r}@${l}`).join(', ')} in ${file}`);
    });
  for (const f of findings) {
    const row = rowFor(rows, f);
    const severity = { E: /error/i, W: /warning/i, I: /info/i }[f[1]];
    assert.match(row.label, severity, `Problems row for ${f[2]} on line ${f[0]} has the severity ${f[1]}: ${row.label}`);
  }
  return rows;
}

/** Closes the Problems (or any) panel so that the editor gets its full height again. */
async function closePanel(wb) {
  // Ctrl+J toggles the panel ("View: Toggle Panel Visibility"); a key press may be lost while
  // the workbench is busy, so press again until it is hidden.
  for (let i = 0; i < 5 && (await wb.isVisible('.part.panel')); i++) {
    await wb.page.keyboard.press('Control+J');
    await wb.page
      .locator('.part.panel')
      .first()
      .waitFor({ state: 'hidden', timeout: 3000 })
      .catch(() => {});
  }
  if (await wb.isVisible('.part.panel')) throw new Error('Ctrl+J did not hide the panel');
}

/**
 * Picks `text` in the open quick input whose title contains `title` (a command's second picker
 * replaces the first: the title says which one is showing) by typing it as a filter.
 */
async function pickQuickInput(wb, title, text, { last = false } = {}) {
  await wb.waitFor('.quick-input-widget .quick-input-title', { hasText: title });
  await wb.waitFor('.quick-input-widget .quick-input-box input');
  await wb.fillQuickInput(text, text);
  await wb.focusRow('.quick-input-widget .quick-input-list .monaco-list-row', '.quick-input-widget .quick-input-list .monaco-list-row.focused', text);
  await wb.page.keyboard.press('Enter');
  if (last) await wb.waitFor('.quick-input-widget .quick-input-box input', { state: 'hidden' });
}

module.exports = { SOURCE, STATUS_ID, SEVERITY, freshEditors, expectSquiggles, squiggleOn, ensureRendered, expectProblems, closePanel, pickQuickInput };

/** Closes the active editor, discarding its unsaved changes; waits until its tab is gone. */
async function closeActiveEditor(wb, base) {
  const tab = wb.page.locator('.editor-group-container .tabs-container .tab', { hasText: base });
  await wb.runCommand('View: Close Editor');
  const dontSave = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  await wb.until(
    async () => {
      if (
        await dontSave
          .first()
          .isVisible()
          .catch(() => false)
      )
        await dontSave.first().click();
      return (await tab.count()) === 0;
    },
    { what: `the editor of ${base} closed` },
  );
}

module.exports.closeActiveEditor = closeActiveEditor;

/** Writes a file (given as lines) into the scenario's copy of the workspace, creating its folders. */
function writeProbe(env, file, lines) {
  const full = path.join(env.workspace, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, lines.join('\n'));
}
module.exports.writeProbe = writeProbe;

/** A clean start on one file: no editors or panel left by earlier scenarios, then the file opened. */
async function startOn(wb, env, file) {
  await freshEditors(wb, env);
  await closePanel(wb);
  await wb.openFile(file);
}
module.exports.startOn = startOn;
