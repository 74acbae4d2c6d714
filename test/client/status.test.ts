// Unit tests of the client's pure parts: status bar text and tooltip, and the crash restart policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileContextSummary } from '../../shared/src/protocol';
import { CrashPolicy } from '../../client/src/crash-policy';
import { roleLabel, runtimeLabel, statusText, statusTooltip } from '../../client/src/status';

const summary = (over: Partial<FileContextSummary>): FileContextSummary => ({
  uri: 'file:///p/app/api/x/route.ts',
  platform: 'vercel',
  runtime: 'node',
  role: 'function-entry',
  plan: 'pro',
  framework: 'next-app-route',
  handlerKinds: ['route handler'],
  reasons: { platform: 'vercel.json was found in /p', runtime: 'default', role: 'App Router route', plan: 'assumed' },
  ...over,
});

test('status text: platform · runtime · role', () => {
  assert.equal(statusText(summary({})), 'Vercel · Node (Fluid) · route handler');
  assert.equal(statusText(summary({ runtime: 'edge' })), 'Vercel · Edge · route handler');
  assert.equal(
    statusText(summary({ platform: 'cloudflare-workers', runtime: 'edge', handlerKinds: ['Workers fetch handler'] })),
    'Cloudflare Workers · Edge (V8 isolate) · Workers fetch handler',
  );
  assert.equal(statusText(summary({ platform: 'aws-lambda', role: 'function-module', handlerKinds: [] })), 'AWS Lambda · Node · function module');
  assert.equal(statusText(summary({ platform: 'long-running', role: 'long-running-server', handlerKinds: [] })), 'Long-running · Node · long-running server');
  assert.equal(statusText(summary({ skipped: 'too large' })), 'Serverless Lint: skipped');
});

test('labels for every role and runtime', () => {
  assert.equal(roleLabel('function-entry', []), 'function entry');
  assert.equal(roleLabel('client', []), 'client code');
  assert.equal(roleLabel('other', []), 'not function code');
  assert.equal(runtimeLabel('netlify', 'edge'), 'Edge (Deno)');
  assert.equal(runtimeLabel('deno-deploy', 'edge'), 'Edge (Deno)');
  assert.equal(runtimeLabel('deno-deploy', 'node'), 'Deno');
});

test('tooltip explains each decision and the click', () => {
  const t = statusTooltip(summary({}));
  assert.match(t, /^Platform: Vercel — vercel\.json was found in \/p$/m);
  assert.match(t, /^Plan: pro — assumed$/m);
  assert.match(t, /Click to show the runtime constraints/);
});

test('crash policy restarts up to the limit within the window, then gives up with a message; reset starts afresh', () => {
  const policy = new CrashPolicy(2, 60_000);
  assert.equal(policy.onCrash(0).restart, true);
  assert.equal(policy.onCrash(1000).restart, true);
  const third = policy.onCrash(2000);
  assert.equal(third.restart, false);
  assert.match(third.message ?? '', /crashed 3 times in the last 1 minutes.*Restart Server/);
  // Crashes outside the window no longer count.
  assert.equal(new CrashPolicy(2, 60_000).onCrash(0).restart, true);
  const spaced = new CrashPolicy(1, 60_000);
  spaced.onCrash(0);
  assert.equal(spaced.onCrash(61_000).restart, true);
  policy.reset();
  assert.equal(policy.onCrash(3000).restart, true);
});
