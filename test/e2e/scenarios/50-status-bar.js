'use strict';
// The status bar item (id serverless-lint.serverless-lint.context) follows the active editor: a
// Vercel Node.js route, a Vercel edge route, a Worker, a Lambda handler, a shared module, client
// code and a long-running server each show their own platform, runtime and role, and its tooltip
// gives the reasons.

const assert = require('node:assert');
const { freshEditors, closePanel, STATUS_ID } = require('../product');

const FILES = [
  ['nextjs-vercel/app/api/users/route.ts', /^Vercel · Node \(Fluid\) · \S/],
  ['nextjs-vercel/app/api/og/route.ts', /^Vercel · Edge · \S/],
  ['cloudflare-worker/src/index.ts', /^Cloudflare Workers · Edge \(V8 isolate\) · \S/],
  ['lambda-serverless/src/handlers/getOrder.ts', /^AWS Lambda · Node · \S/],
  // The server learns that lib/store.ts is a function module from its importer (the editor's
  // module graph knows the entries it has analysed, or all of them after Check Workspace).
  ['nextjs-vercel/app/api/checkout/route.ts', /^Vercel · Node \(Fluid\) · \S/],
  ['nextjs-vercel/lib/store.ts', /^Vercel · Node \(Fluid\) · function module$/],
  ['nextjs-vercel/components/Counter.tsx', / · client code$/],
  ['long-running-server/src/server.ts', /^Long-running · Node · /],
];

module.exports = [
  {
    name: 'status-bar-follows-the-active-file',
    async run(wb, env) {
      await freshEditors(wb, env);
      await closePanel(wb);
      for (const [file, expected] of FILES) {
        await wb.openFile(file);
        const text = await wb.statusBarText(STATUS_ID, { expect: expected });
        env.log(`  ${file}: ${text}`);
      }
      // Switching back to an editor that is already open updates it too (Ctrl+P reuses the tab).
      await wb.openFile('cloudflare-worker/src/index.ts');
      await wb.statusBarText(STATUS_ID, { expect: /^Cloudflare Workers · Edge \(V8 isolate\) · / });
      const tooltip = await wb.hoverAt(wb.page.locator(`.statusbar [id="${STATUS_ID}"]`), { expect: /Platform: Cloudflare Workers/ });
      assert.match(tooltip, /Runtime: Edge \(V8 isolate\) — /, tooltip);
      assert.match(tooltip, /wrangler/i, `the reason names the config file: ${tooltip}`);
      await wb.screenshot('docs-status-bar');
    },
  },
];
