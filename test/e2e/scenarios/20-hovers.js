'use strict';
// Hovers in the real workbench: a diagnostic's hover carries the rule's rationale and a link to its
// documentation; `export const runtime = 'edge'` shows the runtime card (platform, runtime, plan,
// limits with their sources); `maxDuration` shows the plan table of max durations.

const assert = require('node:assert');
const { startOn, squiggleOn } = require('../product');

/** href of every link in the visible hover. */
const hoverLinks = (wb) =>
  wb.page
    .locator('.monaco-hover:not(.hidden) a')
    .evaluateAll((links) => links.map((a) => ({ text: a.innerText.trim(), href: a.getAttribute('href') || a.dataset.href || '' })));

module.exports = [
  {
    name: 'hover-diagnostic-rationale-and-doc-link',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/api/users/route.ts');
      const squiggle = await squiggleOn(wb, 17, 'E');
      const text = await wb.hoverAt(squiggle, { expect: /no-request-state-in-module-scope[\s\S]*Documentation/ });
      // The Problems message, then the rule's summary and rationale (from its metadata).
      assert.match(text, /A module-scope variable is shared by all of them/, `the hover explains why: ${text.slice(0, 400)}`);
      const docs = (await hoverLinks(wb)).find((l) => l.text === 'Documentation');
      assert.ok(docs, 'the hover has a Documentation link');
      assert.match(docs.href, /docs\/rules\/no-request-state-in-module-scope\.md$/, `doc link: ${docs.href}`);
      await wb.screenshot('docs-hover-diagnostic');
    },
  },
  {
    name: 'hover-runtime-card-and-max-duration',
    async run(wb, env) {
      await startOn(wb, env, 'nextjs-vercel/app/api/og/route.ts');
      await squiggleOn(wb, 7, 'I'); // the analysis has run
      // On the identifier `runtime` (the info squiggle spans the whole declaration, and its
      // hover part comes first; the card follows it).
      const runtimeWord = await wb.waitForTextBox(7, 'runtime');
      const card = await wb.hoverAt(runtimeWord, { expect: /Max duration[\s\S]*Bundle size/ });
      assert.match(card, /Platform: Vercel/, card.slice(0, 600));
      assert.match(card, /Runtime: Edge/, card.slice(0, 600));
      assert.match(card, /Plan: pro/i, card.slice(0, 600));
      assert.match(card, /Filesystem:/);
      const links = await hoverLinks(wb);
      const sources = links.filter((l) => l.text === 'source');
      assert.ok(sources.length >= 3, `every limit links its source: ${JSON.stringify(links)}`);
      assert.ok(
        sources.every((l) => /^https:\/\/(vercel\.com|nextjs\.org)\//.test(l.href)),
        JSON.stringify(sources),
      );
      assert.match(card, /verified \d{4}-\d{2}-\d{2}/, 'each limit says when its source was verified');
      await wb.screenshot('docs-hover-runtime-card');

      await wb.openFile('nextjs-vercel/app/api/report/route.ts');
      await squiggleOn(wb, 5, 'E'); // max-duration-exceeds-limit on the value
      const word = await wb.waitForTextBox(5, 'maxDuration');
      const table = await wb.hoverAt(word, { expect: /Max duration on Vercel[\s\S]*hobby[\s\S]*pro/i });
      assert.match(table, /Plan\s+Default\s+Maximum\s+Source/, table);
      assert.match(table, /pro \(this project\)/, `the project's plan (the default, Pro) is marked: ${table}`);
      assert.ok((await hoverLinks(wb)).some((l) => l.text === 'source' && /^https:\/\/vercel\.com\//.test(l.href)));
      await wb.screenshot('hover-max-duration');
    },
  },
];
