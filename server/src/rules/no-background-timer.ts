// Timers in function code whose callbacks outlive the invocation: setInterval, and setTimeout nobody waits for.
import * as ts from 'typescript';
import type { Platform } from '../../../shared/src/types';
import { defineRule } from '../analysis/rule';
import { enclosingFunction } from '../analysis/facts';
import { isPromiseConsumed, isTimerCleared, promiseExecutor, timerCall } from '../analysis/timers';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PythonRuleContext } from '../analysis/rule';
import { chainedCall, assignedName, usesOf } from '../python/facts';

/** Modules whose import (even of a type) marks code that serves live WebSocket connections. */
const WEBSOCKET_MODULES = new Set(['ws', 'socket.io', 'crossws']);

/**
 * Whether the file serves WebSocket connections on Vercel's Node.js runtime: it imports a WebSocket server library
 * (a `WebSocket` type from ws counts) or `experimental_upgradeWebSocket` from @vercel/functions. An open connection
 * keeps its pinned instance running, so an interval there (a heartbeat, presence) runs while there is someone to serve.
 */
function servesVercelWebSockets(imports: ReadonlyArray<{ specifier: string; bindings: ReadonlyArray<{ imported: string }> }>): boolean {
  return imports.some(
    (i) =>
      WEBSOCKET_MODULES.has(i.specifier) ||
      i.specifier.startsWith('crossws/') ||
      (i.specifier === '@vercel/functions' && i.bindings.some((b) => b.imported === 'experimental_upgradeWebSocket')),
  );
}

/** The scheduler to suggest, in the platform's own words. */
function schedulerFor(platform: Platform): string {
  switch (platform) {
    case 'vercel':
      return 'a Vercel cron job (`crons` in vercel.json) or a queue';
    case 'cloudflare-workers':
      return 'a Cron Trigger (`triggers.crons` in wrangler config), a Durable Object alarm or a Queue';
    case 'aws-lambda':
      return 'an EventBridge schedule or an SQS queue';
    case 'netlify':
      return 'a Netlify scheduled function or a background function';
    case 'deno-deploy':
      return 'Deno.cron or a queue';
    default:
      return 'a scheduled job (vercel.json crons, Cloudflare Cron Triggers, EventBridge schedules, Netlify scheduled functions) or a queue';
  }
}

export default defineRule({
  meta: {
    id: 'no-background-timer',
    severity: 'warning',
    category: 'async',
    scope: 'function-code',
    summary: 'Disallow setInterval and un-awaited setTimeout in function code.',
    why:
      'A function instance only runs while it handles a request. Once the response is sent, Lambda freezes the instance, Vercel and ' +
      'Netlify suspend or recycle it, and Cloudflare ends the request context, so a timer callback runs late (when a later request ' +
      "thaws the instance), runs in the middle of someone else's request, or never runs at all; instances are also discarded without " +
      "warning, taking pending timers with them. Periodic work belongs to the platform's scheduler: vercel.json `crons`, Cloudflare Cron " +
      'Triggers, EventBridge schedules, Netlify scheduled functions — and deferred work to a queue.',
    action:
      'Move periodic work to a cron (vercel.json crons, Cloudflare Cron Triggers, EventBridge schedules, Netlify scheduled functions) and ' +
      'deferred work to a queue; to wait inside a request, await the delay (`await new Promise((r) => setTimeout(r, ms))`).',
    bad: [
      {
        fileName: 'app/api/metrics/route.ts',
        platform: 'vercel',
        code: [
          'const buffer: Array<{ name: string; value: number }> = [];',
          '',
          'setInterval(async () => {',
          "  await fetch('https://metrics.example.com/ingest', { method: 'POST', body: JSON.stringify(buffer.splice(0)) });",
          '}, 10_000);',
          '',
          'export async function POST(request: Request) {',
          '  buffer.push(await request.json());',
          '  return new Response(null, { status: 202 });',
          '}',
        ].join('\n'),
      },
      {
        fileName: 'src/handlers/signup.ts',
        platform: 'aws-lambda',
        code: [
          "import { sendWelcomeEmail } from '../lib/mail';",
          '',
          'export const handler = async (event: { body: string }) => {',
          '  const user = JSON.parse(event.body);',
          '  setTimeout(() => sendWelcomeEmail(user.email), 60_000);',
          '  return { statusCode: 201, body: JSON.stringify({ id: user.id }) };',
          '};',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'handler.py',
        platform: 'aws-lambda',
        code: [
          'import threading',
          '',
          '',
          'def refresh():',
          '    print("refresh")',
          '',
          '',
          'def handler(event, context):',
          '    threading.Timer(60, refresh).start()',
          '    return {"statusCode": 202}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/status/route.ts',
        platform: 'vercel',
        code: [
          'const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));',
          '',
          'export async function GET() {',
          '  const controller = new AbortController();',
          '  const timer = setTimeout(() => controller.abort(), 5_000);',
          '  try {',
          "    const res = await fetch('https://status.example.com/api', { signal: controller.signal });",
          '    await sleep(100);',
          '    return Response.json(await res.json());',
          '  } finally {',
          '    clearTimeout(timer);',
          '  }',
          '}',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'handler.py',
        platform: 'aws-lambda',
        code: [
          'def refresh():',
          '    print("refresh")',
          '',
          '',
          'def handler(event, context):',
          '    # Called by an EventBridge schedule: the platform runs it on time.',
          '    refresh()',
          '    return {"statusCode": 200}',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      setInterval:
        'setInterval keeps running after the response, but the instance is frozen or recycled between requests, so its callback runs late or never; use {{scheduler}}.',
      setTimeout:
        'This setTimeout callback outlives the invocation: the instance is frozen or recycled after the response, so it runs late or never; await the delay inside the request, or use {{scheduler}}.',
      pythonTimer:
        "{{call}}() schedules work on a timer, but a function instance is frozen between invocations and recycled when idle: the job runs late, never, or on an instance about to be discarded. Use the platform's scheduler (Vercel Cron Jobs, EventBridge Scheduler) to call a function instead.",
    },
    limits: [
      'A timer counts as contained when it sits in a `new Promise` executor whose promise is awaited, returned, raced or handed to waitUntil, or when its handle is passed to clearTimeout/clearInterval in the same scope; a handle cleared through another variable or object is not followed.',
      'Timers created through wrappers (a scheduler library, `queueMicrotask` chains) are not recognized.',
      "On Vercel's Node.js runtime, `setInterval` in a module that serves WebSockets (imports ws, socket.io or crossws, or `experimental_upgradeWebSocket` from @vercel/functions) is taken for a connection heartbeat and not reported: open connections keep the pinned instance running.",
    ],
    references: [
      'https://vercel.com/docs/cron-jobs',
      'https://developers.cloudflare.com/workers/configuration/cron-triggers/',
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html',
      'https://docs.netlify.com/build/functions/scheduled-functions/',
    ],
  },
  // The Python part of the rule (server/src/python/): see pythonBackgroundTimer at the end of this file.
  python: pythonBackgroundTimer,
  create(ctx) {
    const websocketHeartbeat = ctx.context.platform.value === 'vercel' && ctx.context.runtime.value === 'node' && servesVercelWebSockets(ctx.facts.imports);
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          const kind = timerCall(ctx.facts, call);
          if (!kind) return;
          if (kind === 'setInterval' && websocketHeartbeat) return;
          if (isTimerCleared(ctx.facts, call)) return;
          // `await new Promise((r) => setTimeout(r, ms))` and sleep helpers returning such a promise: the timer ends before the caller goes on.
          for (let fn = enclosingFunction(call); fn; fn = enclosingFunction(fn)) {
            const promise = fn.parent;
            if (promiseExecutor(ctx.facts, promise) === fn) {
              if (isPromiseConsumed(ctx.facts, promise)) return;
              break;
            }
          }
          const scheduler = schedulerFor(ctx.context.platform.value);
          ctx.report({
            node: call.expression,
            messageId: kind === 'setInterval' ? 'setInterval' : 'setTimeout',
            data: { scheduler },
          });
        },
      },
    };
  },
});

// The Python part: timers and schedulers started in function code (`threading.Timer`, APScheduler, `schedule`):
// the instance is frozen between invocations and recycled when idle, so they fire late, never, or on a stale instance.

const PY_TIMERS =
  /^(threading\.Timer|sched\.scheduler|apscheduler\.schedulers\.(background|asyncio|gevent|tornado)\.\w+Scheduler|apscheduler\.schedulers\.\w+\.\w+|schedule\.every)$/;

function pythonBackgroundTimer(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const q = facts.callee(call) ?? '';
    if (!PY_TIMERS.test(q) || facts.underMainGuard(call)) continue;
    // A Timer or scheduler that is never started does nothing; `Timer(…).start()` or `x = …; x.start()` does.
    if (q !== 'schedule.every' && !started(facts, call)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonTimer',
      data: { call: q },
    });
  }
}

/** Whether the object a call creates is started: `Timer(…).start()`, or a name assigned from it with `.start()` called on it. */
function started(facts: PythonRuleContext['facts'], call: PyNode): boolean {
  if (chainedCall(call, 'start')) return true;
  const name = assignedName(call);
  if (!name) return false;
  const scope = facts.enclosingFunction(call) ?? facts.root;
  return usesOf(facts, scope, name).some((id) => chainedCall(id, 'start') !== undefined);
}
