// Platform limits as data: every value with its unit, source and the date it was last verified.
// Rules, hovers and reports read these; no rule hard-codes a limit. Source: ../shared/spec/platform-limits.md.
import type { Platform } from './types';

export interface LimitValue {
  value: number;
  unit: 's' | 'ms' | 'MB' | 'GB' | 'count';
  source: string;
  verified: string;
  note?: string;
}

export interface PlanLimits {
  /** Default max duration in seconds when none is configured. */
  defaultDuration?: LimitValue;
  /** Maximum configurable duration in seconds. */
  maxDuration?: LimitValue;
  /** A higher maximum available only by opting in (e.g. Vercel's extended-duration beta), in seconds. */
  extendedMaxDuration?: LimitValue;
  /** Maximum duration of background (asynchronous) functions, in seconds, where they differ (Netlify). */
  backgroundMaxDuration?: LimitValue;
  /** Memory in MB. */
  memory?: LimitValue;
  /** Request body limit in MB. */
  requestBody?: LimitValue;
  /** Response body limit in MB. */
  responseBody?: LimitValue;
  /** Unzipped bundle limit in MB. */
  bundle?: LimitValue;
  /** CPU time per request in ms (Workers, Netlify edge). */
  cpuTime?: LimitValue;
}

export interface PlatformLimits {
  platform: Platform;
  displayName: string;
  runtime: 'node' | 'edge';
  plans: Record<string, PlanLimits>;
  defaultPlan: string;
  filesystem: string;
  concurrency: string;
  connections: string;
  background: string;
  docs: string[];
}

const V = '2026-11-01';
const VERCEL_LIMITS = 'https://vercel.com/docs/functions/limitations';
const VERCEL_EDGE = 'https://vercel.com/docs/functions/runtimes/edge';
const VERCEL_CHANGELOG = 'https://vercel.com/changelog';
const VERCEL_PAYLOAD = 'https://vercel.com/docs/errors/FUNCTION_PAYLOAD_TOO_LARGE';
const LAMBDA_LIMITS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const CF_LIMITS = 'https://developers.cloudflare.com/workers/platform/limits/';
const NETLIFY_FN = 'https://docs.netlify.com/build/functions/configuration';
const NETLIFY_EDGE = 'https://docs.netlify.com/edge-functions/limits/';

const s = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 's', source, verified: V, note });
const mb = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 'MB', source, verified: V, note });
const ms = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 'ms', source, verified: V, note });

const vercelNode = (maxDuration: number, memory: number, extendedMaxDuration?: number): PlanLimits => ({
  defaultDuration: s(300, VERCEL_LIMITS, 'Fluid compute default on every plan'),
  maxDuration: s(maxDuration, VERCEL_LIMITS),
  ...(extendedMaxDuration ? { extendedMaxDuration: s(extendedMaxDuration, VERCEL_CHANGELOG, 'extended-duration beta above 800 s, opt-in (check)') } : {}),
  memory: mb(memory, VERCEL_LIMITS),
  requestBody: mb(4.5, VERCEL_PAYLOAD, '413 FUNCTION_PAYLOAD_TOO_LARGE'),
  responseBody: mb(4.5, VERCEL_PAYLOAD, 'a streamed response avoids the response cap'),
  bundle: mb(250, VERCEL_LIMITS, 'uncompressed, layers included'),
});

export const LIMITS: Record<string, PlatformLimits> = {
  vercel: {
    platform: 'vercel',
    displayName: 'Vercel Functions (Node.js, Fluid compute)',
    runtime: 'node',
    defaultPlan: 'pro',
    plans: { hobby: vercelNode(300, 2048), pro: vercelNode(800, 4096, 1800), enterprise: vercelNode(800, 4096, 1800) },
    filesystem: 'Read-only except /tmp (per instance, not shared, lost on recycle).',
    concurrency: 'Fluid compute: one instance serves many requests at once, so module scope is shared between concurrent requests.',
    connections: 'Create database clients once at module scope and reuse them; use a pooler (or attachDatabasePool from @vercel/functions).',
    background: 'waitUntil from @vercel/functions, or after() from next/server, keeps work alive after the response up to the max duration.',
    docs: [VERCEL_LIMITS, 'https://vercel.com/docs/fluid-compute'],
  },
  'vercel-edge': {
    platform: 'vercel',
    displayName: 'Vercel Edge runtime',
    runtime: 'edge',
    defaultPlan: 'pro',
    plans: {
      hobby: { memory: mb(128, VERCEL_EDGE), bundle: mb(1, VERCEL_EDGE, 'gzipped code size'), defaultDuration: s(25, VERCEL_EDGE, 'the response must begin within 25 s') },
      pro: { memory: mb(128, VERCEL_EDGE), bundle: mb(2, VERCEL_EDGE, 'gzipped code size'), defaultDuration: s(25, VERCEL_EDGE, 'the response must begin within 25 s') },
      enterprise: { memory: mb(128, VERCEL_EDGE), bundle: mb(4, VERCEL_EDGE, 'gzipped code size'), defaultDuration: s(25, VERCEL_EDGE, 'the response must begin within 25 s') },
    },
    filesystem: 'No filesystem.',
    concurrency: 'Isolates are reused across requests: module scope is shared.',
    connections: 'Only HTTP or WebSocket drivers; a connection must not outlive the request.',
    background: 'waitUntil from @vercel/functions or after() from next/server.',
    docs: [VERCEL_EDGE, 'https://nextjs.org/docs/messages/edge-runtime-deprecated'],
  },
  'aws-lambda': {
    platform: 'aws-lambda',
    displayName: 'AWS Lambda (Node.js)',
    runtime: 'node',
    defaultPlan: 'standard',
    plans: {
      standard: {
        defaultDuration: s(3, LAMBDA_LIMITS, 'default function timeout'),
        maxDuration: s(900, LAMBDA_LIMITS),
        memory: mb(10240, LAMBDA_LIMITS, '128 to 10,240 MB'),
        requestBody: mb(6, LAMBDA_LIMITS, 'synchronous invocation; asynchronous 1 MB'),
        responseBody: mb(6, LAMBDA_LIMITS, 'streamed responses up to 200 MB'),
        bundle: mb(250, LAMBDA_LIMITS, 'unzipped with layers; 50 MB zipped direct upload'),
      },
    },
    filesystem: 'Read-only except /tmp (512 MB default, up to 10,240 MB), per execution environment.',
    concurrency: 'One request at a time per execution environment, but module scope survives between invocations.',
    connections: 'Create clients outside the handler; use RDS Proxy for relational databases.',
    background: 'Work after the handler returns is frozen with the environment; finish it before returning.',
    docs: [LAMBDA_LIMITS, 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html'],
  },
  'cloudflare-workers': {
    platform: 'cloudflare-workers',
    displayName: 'Cloudflare Workers',
    runtime: 'edge',
    defaultPlan: 'paid',
    plans: {
      free: { cpuTime: ms(10, CF_LIMITS), memory: mb(128, CF_LIMITS, 'per isolate, shared by concurrent requests'), bundle: mb(3, CF_LIMITS, 'compressed (check)'), requestBody: mb(100, CF_LIMITS) },
      paid: { cpuTime: ms(30000, CF_LIMITS, 'default; up to 5 min with limits.cpu_ms'), memory: mb(128, CF_LIMITS, 'per isolate, shared by concurrent requests'), bundle: mb(10, CF_LIMITS, 'compressed (check)'), requestBody: mb(100, CF_LIMITS, '200 MB on Business') },
    },
    filesystem: 'No writable filesystem.',
    concurrency: 'One isolate serves many requests at once; I/O objects cannot be shared across requests.',
    connections: 'Connect per request (Hyperdrive, HTTP drivers) and close before the response ends.',
    background: 'ctx.waitUntil(promise) keeps work alive after the response.',
    docs: [CF_LIMITS, 'https://developers.cloudflare.com/workers/runtime-apis/nodejs/'],
  },
  netlify: {
    platform: 'netlify',
    displayName: 'Netlify Functions',
    runtime: 'node',
    defaultPlan: 'pro',
    plans: {
      starter: { defaultDuration: s(60, NETLIFY_FN, 'synchronous'), maxDuration: s(60, NETLIFY_FN, 'synchronous; background functions 15 min'), backgroundMaxDuration: s(900, NETLIFY_FN, 'background functions (-background suffix): 15 min'), requestBody: mb(6, NETLIFY_FN, 'buffered; binary about 4.5 MB after base64'), memory: mb(1024, NETLIFY_FN) },
      pro: { defaultDuration: s(60, NETLIFY_FN, 'synchronous'), maxDuration: s(60, NETLIFY_FN, 'synchronous; background functions 15 min'), backgroundMaxDuration: s(900, NETLIFY_FN, 'background functions (-background suffix): 15 min'), requestBody: mb(6, NETLIFY_FN, 'buffered; binary about 4.5 MB after base64'), memory: mb(1024, NETLIFY_FN) },
    },
    filesystem: 'Read-only except /tmp.',
    concurrency: 'Instances are reused between invocations: module scope survives.',
    connections: 'Create clients at module scope; use a pooler.',
    background: 'context.waitUntil(promise), or a background function (-background suffix).',
    docs: [NETLIFY_FN],
  },
  'netlify-edge': {
    platform: 'netlify',
    displayName: 'Netlify Edge Functions (Deno)',
    runtime: 'edge',
    defaultPlan: 'pro',
    plans: { pro: { cpuTime: ms(50, NETLIFY_EDGE), memory: mb(512, NETLIFY_EDGE), bundle: mb(20, NETLIFY_EDGE, 'compressed') } },
    filesystem: 'No filesystem.',
    concurrency: 'Isolates are reused across requests.',
    connections: 'HTTP drivers only.',
    background: 'context.waitUntil(promise).',
    docs: [NETLIFY_EDGE],
  },
  'deno-deploy': {
    platform: 'deno-deploy',
    displayName: 'Deno Deploy / Supabase Edge Functions',
    runtime: 'edge',
    defaultPlan: 'free',
    plans: { free: {} },
    filesystem: 'No writable filesystem.',
    concurrency: 'Isolates are reused across requests.',
    connections: 'HTTP drivers or per-request connections.',
    background: 'EdgeRuntime.waitUntil (Supabase).',
    docs: ['https://docs.deno.com/deploy/'],
  },
};

/** The limits entry for a platform and runtime, or undefined for `long-running`/`unknown`. */
export function limitsFor(platform: Platform, runtime: 'node' | 'edge'): PlatformLimits | undefined {
  if (platform === 'vercel') return runtime === 'edge' ? LIMITS['vercel-edge'] : LIMITS.vercel;
  if (platform === 'netlify') return runtime === 'edge' ? LIMITS['netlify-edge'] : LIMITS.netlify;
  return LIMITS[platform];
}

/** The plan's limits, falling back to the platform's default plan when the plan is not one of its own. */
export function planLimits(platform: Platform, runtime: 'node' | 'edge', plan: string | undefined): { plan: string; limits: PlanLimits } | undefined {
  const entry = limitsFor(platform, runtime);
  if (!entry) return undefined;
  const name = plan && entry.plans[plan] ? plan : entry.defaultPlan;
  return { plan: name, limits: entry.plans[name] };
}

/** The plans a platform knows, for pickers and hovers. */
export function plansOf(platform: Platform): string[] {
  const entry = limitsFor(platform, 'node');
  return entry ? Object.keys(entry.plans) : [];
}

export function formatLimit(v: LimitValue | undefined): string {
  if (!v) return 'n/a';
  return `${v.value.toLocaleString('en-US')} ${v.unit}`;
}
