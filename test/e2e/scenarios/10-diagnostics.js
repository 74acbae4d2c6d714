'use strict';
// Squiggles and Problems rows in the real workbench for the Next.js, Express-on-Vercel, Lambda and
// Workers projects of test-workspace/: every finding of test-workspace/EXPECTED.md in these files
// shows on its line with its severity, the Problems panel lists it with the source and rule id,
// and the deliberately silent lines have no squiggle.

const { freshEditors, expectSquiggles, expectProblems, closePanel } = require('../product');

/** [file, findings as [line, severity, rule] (EXPECTED.md rows), silent lines]. */
const FILES = {
  nextjs: [
    [
      'nextjs-vercel/app/api/users/route.ts',
      [
        [17, 'E', 'no-request-state-in-module-scope'], // row 1
        [38, 'E', 'no-floating-promise-in-handler'], // row 2
      ],
      [39],
    ],
    [
      'nextjs-vercel/middleware.ts',
      [
        [3, 'E', 'edge-transitive-node-import'], // row 12
      ],
      [2, 4, 14],
    ],
    [
      'nextjs-vercel/app/api/og/route.ts',
      [
        [1, 'E', 'edge-no-node-builtin'], // row 7
        [7, 'I', 'prefer-node-runtime'], // row 8
        [20, 'E', 'edge-no-node-global'], // row 9
      ],
      [2, 5, 9],
    ],
  ],
  express: [
    [
      'express-vercel/api/index.ts',
      [
        [8, 'W', 'no-large-upload-in-function'], // row 15
        [33, 'E', 'no-work-after-response'], // row 16
        [37, 'E', 'no-fs-write-outside-tmp'], // row 17
        [41, 'W', 'no-server-listen-in-function'], // row 18
        [43, 'E', 'no-websocket-server'], // row 19
      ],
      [10, 32],
    ],
  ],
  lambda: [
    [
      'lambda-serverless/src/handlers/getOrder.ts',
      [
        [9, 'E', 'no-process-exit'], // row 30
        [17, 'W', 'no-client-per-invocation'], // row 31
      ],
      [],
    ],
    [
      'lambda-serverless/src/handlers/createOrder.ts',
      [
        [16, 'I', 'no-heavy-module-init'], // row 27
        [23, 'W', 'no-background-timer'], // row 28
        [47, 'E', 'no-floating-promise-in-handler'], // row 29
      ],
      [14, 21, 46],
    ],
  ],
  workers: [
    [
      'cloudflare-worker/src/index.ts',
      [
        [14, 'E', 'workers-io-across-requests'], // row 38
        [21, 'E', 'no-request-state-in-module-scope'], // row 39
        [34, 'E', 'workers-io-across-requests'], // row 40
        [44, 'E', 'edge-connection-outlives-request'], // row 41
      ],
      [32, 46],
    ],
  ],
};

const scenario = (project, screenshotName) => ({
  name: `diagnostics-${project}`,
  async run(wb, env) {
    await freshEditors(wb, env);
    for (const [file, findings, silent] of FILES[project]) {
      await closePanel(wb);
      await wb.openFile(file);
      await expectSquiggles(wb, findings, { silent });
      const base = file.split('/').pop();
      await expectProblems(wb, base, findings);
      env.log(`  ${file}: ${findings.length} squiggles and Problems rows as expected`);
    }
    await wb.screenshot(screenshotName);
  },
});

module.exports = [
  // The README's squiggle screenshot: the Next.js edge route with the Problems panel open.
  scenario('nextjs', 'docs-squiggles-problems'),
  scenario('express', 'diagnostics-express'),
  scenario('lambda', 'diagnostics-lambda'),
  scenario('workers', 'diagnostics-workers'),
];
