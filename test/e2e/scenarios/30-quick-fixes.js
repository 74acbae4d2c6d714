'use strict';
// Quick fixes in the real workbench, one of each kind, each applied from the light-bulb menu on
// its squiggle in the workspace copy: the editor text changes as the fix says and the squiggle
// goes away. Then "Serverless: Fix All Auto-fixable Problems" applies only the safe fixes of a file.
// Fixes are never saved; the next scenario's freshEditors() discards them.

const assert = require('node:assert');
const { startOn, writeProbe, expectSquiggles, squiggleOn } = require('../product');

/** Opens the quick-fix menu on a squiggle, optionally screenshots it, and applies `title`. */
async function applyFix(wb, squiggle, title, { shot } = {}) {
  const titles = await wb.openQuickFixMenu({ at: squiggle });
  await wb.waitFor('.action-widget .monaco-list-row', { hasText: title }).catch((e) => {
    throw new Error(`${e.message}; the menu offers: ${titles.join(' | ')}`);
  });
  if (shot) await wb.screenshot(shot);
  await wb.focusRow('.action-widget .monaco-list-row', '.action-widget .monaco-list-row.focused', title);
  await wb.page.keyboard.press('Enter');
  await wb.waitFor('.action-widget', { state: 'hidden' });
}

/** The only rendered line containing `text` (after a fix, lines move). */
async function lineOf(wb, text) {
  const lines = await wb.until(
    async () => {
      const found = await wb.linesContaining(text);
      return found.length ? found : null;
    },
    { what: `a line containing ${text}` },
  );
  assert.strictEqual(lines.length, 1, `one line contains ${text}: ${lines}`);
  return lines[0];
}

module.exports = [
  {
    name: 'quick-fix-move-state-into-handler-and-wrap-in-after',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/api/users/route.ts');
      await expectSquiggles(wb, [
        [17, 'E'],
        [38, 'E'],
      ]);
      const state = await squiggleOn(wb, 17, 'E');
      await applyFix(wb, state, 'Move the binding into the handler as a local', { shot: 'docs-quick-fix-menu' });
      await wb.waitForEditorText('const currentUser: Session | null = await getSession(request);');
      assert.deepStrictEqual(await wb.linesContaining('let currentUser'), [], 'the module-scope declaration is gone');
      await wb.waitForNoSquiggle('error', { line: await lineOf(wb, 'const currentUser') });
      await wb.screenshot('quick-fix-moved-state');

      // The floating promise: Next.js App Router code gets after() from next/server.
      await wb.gotoLine(36); // line 38 before the fix removed the module-scope declaration
      const line = await lineOf(wb, 'sendWelcomeEmail(user)');
      const [floating] = await wb.waitForSquiggle('error', { line });
      await applyFix(wb, floating, 'Wrap in after()');
      await wb.waitForEditorText('after(() => sendWelcomeEmail(user));');
      await wb.waitForNoSquiggle('error', { line: await lineOf(wb, 'after(() => sendWelcomeEmail(user))') });
      await wb.waitForNoSquiggle('error'); // both of the file's errors are fixed
      await wb.screenshot('quick-fix-wrapped-in-after');
    },
  },
  {
    name: 'quick-fix-wrap-in-waitUntil',
    async run(wb, env) {
      await startOn(wb, env, 'express-vercel/api/index.ts');
      const after = await squiggleOn(wb, 33, 'E');
      await applyFix(wb, after, 'Wrap in waitUntil()');
      await wb.gotoLine(1);
      await wb.waitForEditorText("import { waitUntil } from '@vercel/functions';");
      await wb.gotoLine(34);
      const line = await lineOf(wb, 'notifySlack(`New signup');
      assert.match(await wb.editorText(), /waitUntil\(/);
      await wb.waitForNoSquiggle('error', { line });
      await wb.screenshot('quick-fix-wrapped-in-waitUntil');
    },
  },
  {
    name: 'quick-fix-switch-to-node-runtime',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/api/og/route.ts');
      await expectSquiggles(wb, [
        [1, 'E'],
        [7, 'I'],
        [20, 'E'],
      ]);
      const builtin = await squiggleOn(wb, 1, 'E');
      await applyFix(wb, builtin, 'Switch this route to the Node.js runtime');
      await wb.waitForEditorText("export const runtime = 'nodejs';");
      // On Node.js, node:fs, __dirname and the runtime declaration are all fine.
      await wb.waitForNoSquiggle('error');
      await wb.waitForNoSquiggle('info');
      await wb.screenshot('quick-fix-switched-to-node');
    },
  },
  {
    name: 'quick-fix-bcrypt-to-bcryptjs',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/api/auth/login/route.ts');
      await expectSquiggles(wb, [
        [1, 'E'],
        [8, 'I'],
      ]);
      const native = await squiggleOn(wb, 1, 'E');
      await applyFix(wb, native, "Replace 'bcrypt' with 'bcryptjs'");
      await wb.waitForEditorText("import bcrypt from 'bcryptjs';");
      await wb.waitForNoSquiggle('error', { line: 1 });
      await wb.waitForSquiggle('info', { line: 8 }); // the route is still on the edge runtime
      await wb.screenshot('quick-fix-bcryptjs');
    },
  },
  {
    name: 'quick-fix-write-under-tmpdir',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/actions.ts');
      const write = await squiggleOn(wb, 24, 'E');
      await applyFix(wb, write, 'Write under os.tmpdir()');
      const text = await wb.waitForEditorText(/tmpdir\(\)/);
      const line = await lineOf(wb, 'await appendFile(');
      assert.match(text, /appendFile\([^\n]*tmpdir\(\)/, `the write goes under os.tmpdir(): ${text}`);
      await wb.waitForNoSquiggle('error', { line });
      await wb.screenshot('quick-fix-tmpdir');
    },
  },
  {
    name: 'fix-all-applies-only-safe-fixes',
    async run(wb, env) {
      // A route with one safe fix (a maxDuration no Vercel plan accepts, above Pro's 1,800 s,
      // is set to the plan maximum) and one unsafe fix (a floating promise: awaiting it or
      // moving it after the response changes behaviour, so Fix All must leave it).
      const file = 'nextjs-vercel/app/api/fix-all-probe/route.ts';
      writeProbe(env, file, [
        "import { sendWelcomeEmail } from '@/lib/email';",
        '',
        'export const maxDuration = 3600;',
        '',
        'export async function POST(request: Request) {',
        '  const user = (await request.json()) as { id: string; email: string; name: string };',
        '  sendWelcomeEmail(user);',
        '  return Response.json(user, { status: 201 });',
        '}',
        '',
      ]);
      await startOn(wb, env, file);
      await expectSquiggles(wb, [
        [3, 'E'],
        [7, 'E'],
      ]);
      await wb.runCommand('Serverless: Fix All Auto-fixable Problems');
      await wb.waitForEditorText('export const maxDuration = 1800;');
      await wb.waitForNoSquiggle('error', { line: 3 });
      await wb.waitForSquiggle('error', { line: 7 }); // the unsafe fix was not applied
      assert.match(await wb.editorText(), /^ {2}sendWelcomeEmail\(user\);$/m);
      await wb.screenshot('fix-all-safe-only');
    },
  },
];
