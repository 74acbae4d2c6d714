'use strict';
// A small driver for the real VS Code workbench served by code-server, in headless chromium
// through playwright-core. Every helper waits on a condition in the page; the only pauses are
// the short backoffs between polls. Selectors are the ones verified on VS Code 1.139.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

/** CSS classes Monaco gives the squiggle decoration of each diagnostic severity. */
const SQUIGGLE_CLASS = {
  error: 'squiggly-error',
  warning: 'squiggly-warning',
  info: 'squiggly-info',
  information: 'squiggly-info',
  hint: 'squiggly-hint',
};

const SEL = {
  workbench: '.monaco-workbench',
  explorer: '.explorer-folders-view',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickInputFocusedRow: '.quick-input-widget .quick-input-list .monaco-list-row.focused',
  editor: '.editor-group-container.active .editor-instance .monaco-editor',
  editorLines: '.editor-group-container.active .editor-instance .monaco-editor .view-lines',
  activeTab: '.editor-group-container.active .tabs-container .tab.active',
  problemsPanel: '.markers-panel',
  problemsRow: '.markers-panel .monaco-list-row',
  hover: '.monaco-hover:not(.hidden)',
  // The light bulb is a content widget, or a glyph in the gutter when the line has no room for it.
  lightBulb: '.lightBulbWidget, .monaco-editor .glyph-margin-widgets [class*="codicon-gutter-lightbulb"]',
  actionWidget: '.action-widget',
  actionRow: '.action-widget .monaco-list-row',
  actionFocusedRow: '.action-widget .monaco-list-row.focused',
  notification: '.notifications-toasts .notification-list-item-message',
};

const DEFAULT_TIMEOUT = 30000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** innerText with the non-breaking spaces Monaco renders turned back into spaces. */
const clean = (text) => String(text || '').replace(/\u00a0/g, ' ');
/** innerText of a row with its parts (label, source, code, ...) joined by single spaces. */
const oneLine = (text) =>
  clean(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
const matches = (text, expected) => expected == null || (expected instanceof RegExp ? expected.test(text) : text.includes(String(expected)));

class Workbench {
  /**
   * Starts chromium with a fresh profile and returns a driver for one page.
   * @param {{url: string, resultsDir: string, executablePath?: string, log?: (msg: string) => void}} opts
   */
  static async launch(opts) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'serverless-lint-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: opts.executablePath || process.env.E2E_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1280, height: 800 }, // the size of the README's screenshots
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    const page = context.pages()[0] || (await context.newPage());
    return new Workbench(context, page, profile, opts);
  }

  constructor(context, page, profile, { url, resultsDir, log }) {
    this.context = context;
    this.page = page;
    this.profile = profile;
    this.baseUrl = url.endsWith('/') ? url : url + '/';
    this.resultsDir = resultsDir;
    this.log = log || ((msg) => console.log(msg));
    this.currentUrl = null;
    this.lastSelector = null; // what the last wait looked for: the place to dump on failure
    this.shots = 0;
    fs.mkdirSync(resultsDir, { recursive: true });
    const consoleLog = fs.createWriteStream(path.join(resultsDir, 'browser-console.log'), { flags: 'a' });
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
    // A dirty editor makes navigation ask "leave site?": always leave.
    page.on('dialog', (d) => d.accept().catch(() => {}));
  }

  async close() {
    await this.context.close().catch(() => {});
    fs.rmSync(this.profile, { recursive: true, force: true });
  }

  // ---- waiting primitives --------------------------------------------------------------

  /** Waits for a locator (or selector) to reach a state; remembers it for failure dumps. */
  async waitFor(target, { state = 'visible', timeout = DEFAULT_TIMEOUT, hasText } = {}) {
    let locator = typeof target === 'string' ? this.page.locator(target) : target;
    if (hasText != null) locator = locator.filter({ hasText });
    this.lastSelector = typeof target === 'string' ? target : this.lastSelector;
    try {
      await locator.first().waitFor({ state, timeout });
    } catch {
      const what = typeof target === 'string' ? target : String(target);
      throw new Error(`timed out after ${timeout} ms waiting for ${what}` + `${hasText != null ? ` with text ${hasText}` : ''} to be ${state}`);
    }
    return locator.first();
  }

  /** Polls fn() until it returns a truthy value; returns that value. Backoff 50 ms → 500 ms. */
  async until(fn, { timeout = DEFAULT_TIMEOUT, what = 'condition' } = {}) {
    const deadline = Date.now() + timeout;
    let delay = 50;
    let lastError;
    for (;;) {
      try {
        const value = await fn();
        if (value) return value;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeout} ms waiting for ${what}` + (lastError ? ` (last error: ${lastError.message.split('\n')[0]})` : ''));
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
  }

  async isVisible(selector) {
    return this.page
      .locator(selector)
      .first()
      .isVisible()
      .catch(() => false);
  }

  /** Presses a key until selector is visible: a key press before the workbench is ready is lost. */
  async pressUntilVisible(key, selector, { tries = 5, each = 3000 } = {}) {
    this.lastSelector = selector;
    for (let i = 0; i < tries; i++) {
      await this.page.keyboard.press(key);
      const shown = await this.page
        .locator(selector)
        .first()
        .waitFor({ state: 'visible', timeout: each })
        .then(
          () => true,
          () => false,
        );
      if (shown) return;
    }
    throw new Error(`${key} did not show ${selector} after ${tries} tries`);
  }

  // ---- workbench and files ---------------------------------------------------------------

  /**
   * Opens the workbench on a folder (absolute path) or a full URL, and waits until the workbench
   * and the Explorer are rendered. Does nothing when that folder is already open.
   */
  async openWorkbench(folderOrUrl, { timeout = 90000 } = {}) {
    const isUrl = /^https?:/.test(folderOrUrl);
    const url = isUrl ? folderOrUrl : `${this.baseUrl}?folder=${encodeURI(folderOrUrl)}`;
    if (this.currentUrl === url) return;
    this.currentUrl = null;
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout });
    await this.waitFor(SEL.workbench, { state: 'attached', timeout });
    await this.waitFor(SEL.explorer, { timeout });
    const hasFiles = !isUrl && fs.existsSync(folderOrUrl) && fs.readdirSync(folderOrUrl).length > 0;
    if (hasFiles) await this.waitFor(SEL.explorerRow, { timeout });
    this.currentUrl = url;
  }

  /** Names shown in the Explorer's visible rows. */
  async explorerItems() {
    return (await this.page.locator(SEL.explorerRow).allInnerTexts()).map(oneLine);
  }

  /** Opens a file with Quick Open (Ctrl+P); name may be a relative path. Waits for its editor. */
  async openFile(name, { timeout = DEFAULT_TIMEOUT } = {}) {
    const base = path.basename(name);
    const dir = path.dirname(name);
    // Quick Open lists recently opened files first: with several route.ts, the row must also
    // show the file's folder (its description), not just the base name.
    const isTheFile = (text) => text.includes(base) && (dir === '.' || text.includes(dir));
    await this.pressUntilVisible('Control+P', SEL.quickInput);
    await this.fillQuickInput(name, base, { timeout });
    await this.selectQuickInputRow(isTheFile, { timeout });
    await this.waitFor(SEL.activeTab, { hasText: base, timeout });
    await this.waitFor(SEL.editorLines, { timeout });
  }

  /**
   * Puts value into the open quick input and waits for a row containing rowText. The value is
   * filled again while it is not there: a quick input that has just opened may still set its
   * own initial value (e.g. '>') and wipe what was filled.
   */
  async fillQuickInput(value, rowText, { timeout = DEFAULT_TIMEOUT } = {}) {
    const input = this.page.locator(SEL.quickInput).first();
    const row = rowText == null ? null : this.page.locator(SEL.quickInputRow).filter({ hasText: rowText }).first();
    this.lastSelector = row ? SEL.quickInputRow : SEL.quickInput;
    // Commands contributed by an extension appear only once its host has read the manifest, and
    // the palette does not refresh an open query: type the query again every few seconds.
    let typedAt = 0;
    await this.until(
      async () => {
        const stale = row && Date.now() - typedAt > 4000;
        if (stale) await input.fill('');
        if ((await input.inputValue()) !== value) {
          await input.fill(value);
          typedAt = Date.now();
        }
        return (await input.inputValue()) === value && (!row || (await row.isVisible()));
      },
      { timeout, what: `a quick input row "${rowText}" for "${value}"` },
    );
  }

  /** In an open quick input, moves the focus to the row containing text (or for which text(rowText) is true) and accepts it. */
  async selectQuickInputRow(text, { timeout = DEFAULT_TIMEOUT } = {}) {
    if (typeof text === 'function') {
      this.lastSelector = SEL.quickInputRow;
      await this.until(async () => (await this.page.locator(SEL.quickInputRow).allInnerTexts()).map(oneLine).some(text), {
        timeout,
        what: 'the quick input row',
      });
    } else {
      await this.waitFor(SEL.quickInputRow, { hasText: text, timeout });
    }
    await this.focusRow(SEL.quickInputRow, SEL.quickInputFocusedRow, text);
    await this.page.keyboard.press('Enter');
    await this.waitFor(SEL.quickInput, { state: 'hidden', timeout });
  }

  /** Moves a list's keyboard focus with the arrow keys until the focused row contains text. */
  async focusRow(rowSelector, focusedSelector, text) {
    const count = await this.page.locator(rowSelector).count();
    for (let i = 0; i <= count + 1; i++) {
      const focused = oneLine(
        await this.page
          .locator(focusedSelector)
          .first()
          .innerText({ timeout: 1000 })
          .catch(() => ''),
      );
      if (typeof text === 'function' ? text(focused) : focused.includes(text)) return;
      await this.page.keyboard.press('ArrowDown');
    }
    this.lastSelector = rowSelector;
    throw new Error(`could not move the focus to the row "${text}" in ${rowSelector}`);
  }

  /** Moves the cursor to a 1-based line (Ctrl+G), so that the line is rendered. */
  async gotoLine(line, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.pressUntilVisible('Control+G', SEL.quickInput);
    await this.fillQuickInput(`:${line}`, null, { timeout });
    await this.page.keyboard.press('Enter');
    await this.waitFor(SEL.quickInput, { state: 'hidden', timeout });
  }

  /** Text of the active editor's rendered lines. */
  async editorText() {
    return clean(await this.page.locator(SEL.editorLines).first().innerText());
  }

  /** Waits until the active editor's text matches (a RegExp or a substring); returns the text. */
  async waitForEditorText(expected, { timeout = DEFAULT_TIMEOUT } = {}) {
    this.lastSelector = SEL.editorLines;
    let text = '';
    await this.until(async () => matches((text = await this.editorText()), expected), { timeout, what: `editor text ${expected}` });
    return text;
  }

  /**
   * The box of the first occurrence of `text` on a rendered 1-based line of the active editor
   * (or null): a place to hover or click on a word rather than on a squiggle.
   */
  async textBox(line, text) {
    return this.page.evaluate(
      ([editorSel, line, text]) => {
        const editor = document.querySelector(editorSel);
        if (!editor) return null;
        const number = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].find((e) => Number(e.textContent.trim()) === line);
        if (!number) return null;
        const top = number.getBoundingClientRect().top;
        const view = [...editor.querySelectorAll('.view-lines .view-line')].find((e) => Math.abs(e.getBoundingClientRect().top - top) < 4);
        if (!view) return null;
        // Monaco renders spaces as U+00A0; walk the text nodes to map the offset back to a node.
        const walker = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let all = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          nodes.push([n, all.length]);
          all += n.textContent;
        }
        const at = all.replace(/\u00a0/g, ' ').indexOf(text);
        if (at < 0) return null;
        const locate = (offset) => {
          for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
          return null;
        };
        const range = document.createRange();
        const [startNode, startOffset] = locate(at);
        const [endNode, endOffset] = locate(at + text.length - 1);
        range.setStart(startNode, startOffset);
        range.setEnd(endNode, endOffset + 1);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      },
      [SEL.editor, line, text],
    );
  }

  /** Waits until `text` is on a rendered line of the active editor; returns its box (see textBox). */
  async waitForTextBox(line, text, { timeout = DEFAULT_TIMEOUT } = {}) {
    this.lastSelector = SEL.editorLines;
    return this.until(() => this.textBox(line, text), { timeout, what: `"${text}" on line ${line}` });
  }

  /** 1-based numbers of the rendered lines of the active editor that contain `text`. */
  async linesContaining(text) {
    return this.page.evaluate(
      ([editorSel, text]) => {
        const editor = document.querySelector(editorSel);
        if (!editor) return [];
        const numbers = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({
          n: Number(e.textContent.trim()),
          top: e.getBoundingClientRect().top,
        }));
        return [...editor.querySelectorAll('.view-lines .view-line')]
          .filter((e) => e.textContent.replace(/\u00a0/g, ' ').includes(text))
          .map((e) => numbers.find((l) => Math.abs(l.top - e.getBoundingClientRect().top) < 4))
          .filter(Boolean)
          .map((l) => l.n)
          .sort((a, b) => a - b);
      },
      [SEL.editor, text],
    );
  }

  /** The first and last 1-based line numbers the active editor renders. */
  async renderedLineRange() {
    const numbers = (await this.page.locator(`${SEL.editor} .margin-view-overlays .line-numbers`).allInnerTexts())
      .map((t) => Number(t.trim()))
      .filter((n) => n > 0);
    return numbers.length ? { first: Math.min(...numbers), last: Math.max(...numbers) } : null;
  }

  // ---- diagnostics -----------------------------------------------------------------------

  /**
   * Squiggles of one severity in the active editor, each with its 1-based line and its box
   * (only rendered lines have squiggles: use gotoLine first for far-away lines).
   */
  async squiggles(severity) {
    const cls = SQUIGGLE_CLASS[severity];
    if (!cls) throw new Error(`unknown severity ${severity}; use one of ${Object.keys(SQUIGGLE_CLASS)}`);
    return this.page.evaluate(
      ([editorSel, cls]) => {
        const editor = document.querySelector(editorSel);
        if (!editor) return [];
        const lines = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')].map((e) => ({
          n: Number(e.textContent.trim()),
          top: e.getBoundingClientRect().top,
        }));
        return [...editor.querySelectorAll('.' + cls)].map((s) => {
          const r = s.getBoundingClientRect();
          const line = lines.find((l) => Math.abs(l.top - r.top) < 4);
          return { line: line ? line.n : null, x: r.x, y: r.y, width: r.width, height: r.height };
        });
      },
      [SEL.editor, cls],
    );
  }

  /**
   * Waits for squiggles of a severity ('error' | 'warning' | 'info' | 'hint'), optionally on a
   * given 1-based line and at least `count` of them. Returns the matching squiggles.
   */
  async waitForSquiggle(severity, { line, count = 1, timeout = 60000 } = {}) {
    this.lastSelector = `${SEL.editor} .${SQUIGGLE_CLASS[severity]}`;
    return this.until(
      async () => {
        const found = (await this.squiggles(severity)).filter((s) => line == null || s.line === line);
        return found.length >= count ? found : null;
      },
      { timeout, what: `${count} ${severity} squiggle(s)${line != null ? ` on line ${line}` : ''}` },
    );
  }

  /** Waits until there is no squiggle of a severity (on a given line, if any). */
  async waitForNoSquiggle(severity, { line, timeout = DEFAULT_TIMEOUT } = {}) {
    this.lastSelector = `${SEL.editor} .${SQUIGGLE_CLASS[severity]}`;
    await this.until(async () => (await this.squiggles(severity)).filter((s) => line == null || s.line === line).length === 0, {
      timeout,
      what: `no ${severity} squiggle${line != null ? ` on line ${line}` : ''}`,
    });
  }

  /**
   * Opens the Problems panel (Ctrl+Shift+M) if it is closed and returns its visible rows as
   * { text, label } (label is the aria-label, which names the severity). With `until`, waits
   * until until(rows) is true; a number n means "at least n rows".
   */
  async problemsRows({ until, timeout = DEFAULT_TIMEOUT } = {}) {
    if (!(await this.isVisible(SEL.problemsPanel))) {
      await this.pressUntilVisible('Control+Shift+M', SEL.problemsPanel);
    }
    this.lastSelector = SEL.problemsRow;
    const read = () =>
      this.page
        .locator(SEL.problemsRow)
        .evaluateAll((rows) => rows.map((r) => ({ text: r.innerText, label: r.getAttribute('aria-label') || '' })))
        .then((rows) => rows.map((r) => ({ text: oneLine(r.text), label: r.label })));
    if (until == null) return read();
    const ok = typeof until === 'number' ? (rows) => rows.length >= until : until;
    let rows = [];
    await this.until(async () => ok((rows = await read())), { timeout, what: 'Problems panel rows' });
    return rows;
  }

  // ---- hovers, quick fixes, commands, status bar ------------------------------------------

  /** Center of a Locator, a squiggle from squiggles(), or {x, y}. */
  async pointOf(target) {
    if (target && typeof target.boundingBox === 'function') {
      await target.waitFor({ state: 'visible' });
      target = await target.boundingBox();
    }
    if (!target || target.x == null) throw new Error('no position to point at');
    return target.width != null ? { x: target.x + Math.min(target.width / 2, 20), y: target.y + target.height / 2 } : { x: target.x, y: target.y };
  }

  /**
   * Moves the mouse onto target and returns the text of the hover that shows. With `expect`
   * (RegExp or substring), waits until the hover text matches, since hover parts arrive in turn.
   */
  async hoverAt(target, { expect, timeout = DEFAULT_TIMEOUT } = {}) {
    const p = await this.pointOf(target);
    await this.page.mouse.move(1, 1); // off the editor: the old hover closes
    await this.page.mouse.move(p.x, p.y, { steps: 2 });
    await this.waitFor(SEL.hover, { timeout });
    let text = '';
    await this.until(
      async () => {
        text = clean(
          await this.page
            .locator(SEL.hover)
            .first()
            .innerText()
            .catch(() => ''),
        );
        return text.trim() && matches(text, expect);
      },
      { timeout, what: `hover text ${expect || ''}` },
    );
    return text;
  }

  /** Opens the quick-fix menu at target (clicks there first if given) and returns its titles. */
  async openQuickFixMenu({ at, timeout = DEFAULT_TIMEOUT } = {}) {
    // Ctrl+. opens nothing until the light bulb shows that code actions were computed. The workbench asks for code
    // actions when the cursor moves; a request answered while the diagnostics were being replaced can leave no bulb,
    // so, as a person would, click into the word again when it does not show within a few seconds.
    this.lastSelector = SEL.lightBulb;
    const bulb = this.page.locator(SEL.lightBulb).filter({ visible: true }).first();
    const deadline = Date.now() + timeout;
    for (let attempt = 0; ; attempt++) {
      if (at) {
        const p = await this.pointOf(at);
        if (attempt > 0) await this.page.keyboard.press('Home');
        await this.page.mouse.click(p.x, p.y);
      }
      const left = deadline - Date.now();
      const shown = await bulb.waitFor({ state: 'visible', timeout: Math.max(1000, Math.min(left, at ? 8000 : left)) }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      // A person without a light bulb presses Ctrl+. anyway: when the menu opens, the actions were there and only
      // the bulb was not drawn (seen under load); when it does not, the failure below says so.
      const menu = await this.pressUntilVisible('Control+.', SEL.actionWidget, { tries: 1 }).then(
        () => true,
        () => false,
      );
      if (menu) {
        this.log(`  no light bulb after ${attempt + 1} click(s), but Ctrl+. opened the quick-fix menu`);
        await this.waitFor(SEL.actionRow, { timeout });
        return (await this.page.locator(SEL.actionRow).allInnerTexts()).map(oneLine).filter(Boolean);
      }
      if (!at || Date.now() >= deadline)
        throw new Error(`timed out after ${timeout} ms waiting for the light bulb (${SEL.lightBulb}); Ctrl+. opened no menu either`);
      this.log(`  no light bulb after ${attempt + 1} click(s): clicking into the word again`);
    }
    await this.pressUntilVisible('Control+.', SEL.actionWidget, { tries: 3 });
    await this.waitFor(SEL.actionRow, { timeout });
    return (await this.page.locator(SEL.actionRow).allInnerTexts()).map(oneLine).filter(Boolean);
  }

  /** Applies the quick fix whose title contains `title`, at target if given. */
  async quickFix(title, { at, timeout = DEFAULT_TIMEOUT } = {}) {
    await this.openQuickFixMenu({ at, timeout });
    await this.waitFor(SEL.actionRow, { hasText: title, timeout });
    await this.focusRow(SEL.actionRow, SEL.actionFocusedRow, title);
    await this.page.keyboard.press('Enter');
    await this.waitFor(SEL.actionWidget, { state: 'hidden', timeout });
  }

  /** Titles of the quick fixes offered at target; closes the menu again. */
  async quickFixTitles({ at, timeout } = {}) {
    const titles = await this.openQuickFixMenu({ at, timeout });
    await this.page.keyboard.press('Escape');
    await this.waitFor(SEL.actionWidget, { state: 'hidden' });
    return titles;
  }

  /** Command palette rows for a query (e.g. 'Serverless:'), without running any. */
  async commandPaletteEntries(query, { timeout = 10000 } = {}) {
    await this.pressUntilVisible('F1', SEL.quickInput);
    await this.fillQuickInput(`>${query}`, query, { timeout }).catch(() => {}); // no row: none match
    const rows = (await this.page.locator(SEL.quickInputRow).allInnerTexts()).map(oneLine);
    await this.page.keyboard.press('Escape');
    await this.waitFor(SEL.quickInput, { state: 'hidden' });
    return rows;
  }

  /** Runs a command by its palette title (e.g. 'Serverless: Show Context') through F1. */
  async runCommand(title, { timeout = DEFAULT_TIMEOUT } = {}) {
    await this.pressUntilVisible('F1', SEL.quickInput);
    await this.fillQuickInput(`>${title}`, title, { timeout });
    await this.selectQuickInputRow(title, { timeout });
  }

  /** Waits for a notification toast containing text; returns its message. */
  async waitForNotification(text, { timeout = DEFAULT_TIMEOUT } = {}) {
    const toast = await this.waitFor(SEL.notification, { hasText: text, timeout });
    return clean(await toast.innerText());
  }

  /**
   * Text of the status bar item with an id (an extension's item is '<publisher>.<name>.<id>',
   * e.g. 'serverless-lint.serverless-lint.context'). With `expect`, waits until it matches.
   */
  async statusBarText(id, { expect, timeout = DEFAULT_TIMEOUT } = {}) {
    const selector = `.statusbar [id="${id}"]`;
    await this.waitFor(selector, { timeout });
    let text = '';
    await this.until(async () => matches((text = clean(await this.page.locator(selector).first().innerText()).trim()), expect), {
      timeout,
      what: `status bar item ${id} ${expect || ''}`,
    });
    return text;
  }

  /** aria-label (which includes the tooltip-less accessible text) of a status bar item. */
  async statusBarLabel(id) {
    return this.page.locator(`.statusbar [id="${id}"]`).first().getAttribute('aria-label');
  }

  /**
   * Starts recording, until the next page load, every text the status bar or the notification
   * toasts show that matches `pattern` (a RegExp): for things that may show only for a moment,
   * such as the progress of a quick command. Read them with recordedTexts().
   */
  async recordTexts(pattern) {
    await this.page.evaluate(
      ([source, flags]) => {
        const re = new RegExp(source, flags);
        const seen = (window.__e2eRecorded = []);
        const look = () => {
          for (const el of document.querySelectorAll('.part.statusbar .statusbar-item, .notifications-toasts .notification-list-item')) {
            const text = el.innerText.replace(/\s+/g, ' ').trim();
            if (re.test(text) && !seen.includes(text)) seen.push(text);
          }
        };
        if (window.__e2eObserver) window.__e2eObserver.disconnect();
        window.__e2eObserver = new MutationObserver(look);
        window.__e2eObserver.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        look();
      },
      [pattern.source, pattern.flags],
    );
  }

  /** What recordTexts() has seen so far. */
  async recordedTexts() {
    return this.page.evaluate(() => window.__e2eRecorded || []);
  }

  /**
   * Waits until a webview (e.g. a Markdown preview) shows text matching `expected`; returns its
   * text. Webviews are iframes in the page, so every frame is searched.
   */
  async waitForWebviewText(expected, { timeout = DEFAULT_TIMEOUT } = {}) {
    this.lastSelector = 'iframe.webview';
    let found = '';
    await this.until(
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          const text = clean(await frame.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => ''));
          if (text && matches(text, expected)) {
            found = text;
            return true;
          }
        }
        return false;
      },
      { timeout, what: `a webview showing ${expected}` },
    );
    return found;
  }

  /** Titles of the tabs of the active editor group. */
  async tabTitles() {
    return (await this.page.locator('.editor-group-container.active .tabs-container .tab').allInnerTexts()).map(oneLine);
  }

  /** Waits until the panel (Output, Problems, ...) shows text matching `expected`; returns it. */
  async waitForPanelText(expected, { timeout = DEFAULT_TIMEOUT } = {}) {
    this.lastSelector = '.part.panel';
    let text = '';
    await this.until(
      async () =>
        matches(
          (text = clean(
            await this.page
              .locator('.part.panel')
              .first()
              .innerText()
              .catch(() => ''),
          )),
          expected,
        ),
      { timeout, what: `the panel showing ${expected}` },
    );
    return text;
  }

  // ---- evidence ----------------------------------------------------------------------------

  /** Saves a numbered screenshot into the results folder; returns its path. */
  async screenshot(name) {
    const file = path.join(this.resultsDir, `${String(++this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * On a failure: a screenshot, plus the HTML around the selector the last wait looked for
   * (or around the deepest part of it that exists), written next to it and summarized on stdout.
   */
  async captureFailure(name, selector = this.lastSelector) {
    const out = {};
    try {
      out.screenshot = await this.screenshot(`FAILED-${name}`);
    } catch (e) {
      out.screenshotError = e.message;
    }
    try {
      const dump = await this.page.evaluate((sel) => {
        const parts = (sel || '').trim().split(/\s+/).filter(Boolean);
        for (let n = parts.length; n > 0; n--) {
          const tried = parts.slice(0, n).join(' ');
          let found;
          try {
            found = [...document.querySelectorAll(tried)];
          } catch {
            continue;
          }
          if (!found.length) continue;
          const around = n === parts.length ? [...new Set(found.slice(0, 3).map((e) => e.parentElement || e))] : found.slice(0, 1);
          return {
            matched: tried,
            exact: n === parts.length,
            count: found.length,
            text: around
              .map((e) => e.innerText)
              .join('\n---\n')
              .slice(0, 1500),
            html: around
              .map((e) => e.outerHTML)
              .join('\n<!-- ---- -->\n')
              .slice(0, 60000),
          };
        }
        return { matched: null, text: document.body.innerText.slice(0, 1500), html: document.body.outerHTML.slice(0, 60000) };
      }, selector);
      const file = path.join(this.resultsDir, `${String(this.shots).padStart(2, '0')}-FAILED-${name}.dom.html`);
      fs.writeFileSync(
        file,
        `<!-- looked for: ${selector}\n     found: ${dump.matched} (${dump.exact ? 'all of it' : 'only this part'}, ${dump.count || 0} matches) -->\n${dump.html}\n`,
      );
      out.dom = file;
      this.log(
        `  DOM near ${JSON.stringify(selector)}: matched ${JSON.stringify(dump.matched)}; text:\n    ` + dump.text.replace(/\s*\n\s*/g, ' | ').slice(0, 600),
      );
    } catch (e) {
      out.domError = e.message;
    }
    return out;
  }
}

module.exports = { Workbench, SEL, SQUIGGLE_CLASS, clean, oneLine, matches };
