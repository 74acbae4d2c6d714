// Platform limits as data: every value with its unit, source and the date it was last verified.
// Rules, hovers and reports read these; no rule hard-codes a limit.
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
  /**
   * The part of `maxDuration` above which the platform calls durations a beta (Vercel: above 800 s up to 1,800 s on
   * Pro/Enterprise, Node.js and Python with Fluid compute), in seconds. Values up to `maxDuration` deploy; hovers say so.
   */
  betaAbove?: LimitValue;
  /** Maximum duration of background (asynchronous) functions, in seconds, where they differ (Netlify). */
  backgroundMaxDuration?: LimitValue;
  /** Maximum configurable memory in MB (what a configured value is checked against). */
  memory?: LimitValue;
  /** Memory in MB a function gets when none is configured (what the report shows as the platform default). */
  defaultMemory?: LimitValue;
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

/** The date every value below was last checked against the source it names. */
const V = '2026-12-07';
const VERCEL_LIMITS = 'https://vercel.com/docs/functions/limitations';
const VERCEL_DURATION = 'https://vercel.com/docs/functions/configuring-functions/duration';
const VERCEL_30_MIN = 'https://vercel.com/changelog/vercel-functions-can-now-run-up-to-30-minutes';
const VERCEL_FLUID_DEFAULTS = 'https://vercel.com/changelog/higher-defaults-and-limits-for-vercel-functions-running-fluid-compute';
const VERCEL_EDGE = 'https://vercel.com/docs/functions/runtimes/edge';
const VERCEL_PAYLOAD = 'https://vercel.com/docs/errors/FUNCTION_PAYLOAD_TOO_LARGE';
const VERCEL_WEBSOCKETS = 'https://vercel.com/docs/functions/websockets';
const LAMBDA_LIMITS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LAMBDA_MEMORY = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html';
const CF_LIMITS = 'https://developers.cloudflare.com/workers/platform/limits/';
const CF_NODEJS_DEFAULT = 'https://developers.cloudflare.com/changelog/post/2026-08-04-nodejs-compat-default/';
const NETLIFY_FN = 'https://docs.netlify.com/build/functions/configuration';
const NETLIFY_BACKGROUND = 'https://docs.netlify.com/build/functions/background-functions';
const NETLIFY_EDGE = 'https://docs.netlify.com/build/edge-functions/limits';
const DENO_DEPLOY_RUNTIME = 'https://docs.deno.com/deploy/reference/runtime';
const SUPABASE_LIMITS = 'https://supabase.com/docs/guides/functions/limits';

const s = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 's', source, verified: V, note });
const mb = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 'MB', source, verified: V, note });
const ms = (value: number, source: string, note?: string): LimitValue => ({ value, unit: 'ms', source, verified: V, note });

// Vercel Functions with Fluid compute: 300 s default on every plan; Hobby up to 300 s; Pro and Enterprise up to
// 1,800 s since 2026-06-15 (Node.js and Python; above 800 s is a beta that needs Fluid compute, opted into by setting
// maxDuration, with no enrolment). Memory: Standard 2 GB by default, Performance 4 GB on Pro/Enterprise.
const vercelNode = (maxDuration: number, memory: number, betaAbove?: number): PlanLimits => ({
  defaultDuration: s(300, VERCEL_FLUID_DEFAULTS, 'Fluid compute default on every plan'),
  maxDuration: s(
    maxDuration,
    maxDuration > 800 ? VERCEL_30_MIN : VERCEL_LIMITS,
    maxDuration > 800 ? 'Node.js and Python runtimes with Fluid compute; 800 s for other runtimes' : undefined,
  ),
  ...(betaAbove ? { betaAbove: s(betaAbove, VERCEL_30_MIN, 'durations above 800 s are in beta and require Fluid compute') } : {}),
  memory: mb(memory, VERCEL_LIMITS, memory > 2048 ? 'Performance instance (2 vCPU / 4 GB)' : 'Standard instance (1 vCPU / 2 GB)'),
  defaultMemory: mb(2048, VERCEL_FLUID_DEFAULTS, 'Standard instance (1 vCPU / 2 GB)'),
  requestBody: mb(4.5, VERCEL_PAYLOAD, '413 FUNCTION_PAYLOAD_TOO_LARGE'),
  responseBody: mb(4.5, VERCEL_PAYLOAD, 'a streamed response avoids the response cap'),
  bundle: mb(250, VERCEL_LIMITS, 'uncompressed, layers included'),
});

const vercelEdge = (bundle: number): PlanLimits => ({
  memory: mb(128, VERCEL_EDGE),
  bundle: mb(bundle, VERCEL_EDGE, 'gzipped code size'),
  defaultDuration: s(25, VERCEL_EDGE, 'the response must begin within 25 s'),
});

const netlify = (): PlanLimits => ({
  defaultDuration: s(60, NETLIFY_FN, 'synchronous'),
  maxDuration: s(60, NETLIFY_FN, 'synchronous functions; not configurable; background functions 15 min'),
  backgroundMaxDuration: s(900, NETLIFY_BACKGROUND, 'background functions (-background suffix): 15 min'),
  requestBody: mb(6, NETLIFY_FN, 'buffered; binary about 4.5 MB after base64'),
  responseBody: mb(6, NETLIFY_FN, 'buffered; streamed responses up to 20 MB'),
  defaultMemory: mb(1024, NETLIFY_FN, 'configurable per function'),
});

// Supabase Edge Functions: the wall clock is how long a worker stays alive (150 s Free, 400 s on paid plans),
// with 2 s of CPU per request and 256 MB of memory.
const supabase = (wallClock: number): PlanLimits => ({
  maxDuration: s(wallClock, SUPABASE_LIMITS, 'wall clock a worker stays active; a request with no response after 150 s gets 504'),
  cpuTime: ms(2000, SUPABASE_LIMITS, 'CPU time per request, async I/O excluded'),
  memory: mb(256, SUPABASE_LIMITS),
  bundle: mb(20, SUPABASE_LIMITS, 'after bundling with the CLI'),
});

export const LIMITS: Record<string, PlatformLimits> = {
  vercel: {
    platform: 'vercel',
    displayName: 'Vercel Functions (Node.js, Fluid compute)',
    runtime: 'node',
    defaultPlan: 'pro',
    plans: { hobby: vercelNode(300, 2048), pro: vercelNode(1800, 4096, 800), enterprise: vercelNode(1800, 4096, 800) },
    filesystem: 'Read-only except /tmp (per instance, not shared, lost on recycle).',
    concurrency: 'Fluid compute: one instance serves many requests at once, so module scope is shared between concurrent requests.',
    connections: `Create database clients once at module scope and reuse them; use a pooler (or attachDatabasePool from @vercel/functions). WebSockets are in public beta: each connection is pinned to one instance (${VERCEL_WEBSOCKETS}).`,
    background: 'waitUntil from @vercel/functions, or after() from next/server, keeps work alive after the response up to the max duration.',
    docs: [VERCEL_LIMITS, VERCEL_DURATION, 'https://vercel.com/docs/fluid-compute'],
  },
  'vercel-edge': {
    platform: 'vercel',
    displayName: 'Vercel Edge runtime',
    runtime: 'edge',
    defaultPlan: 'pro',
    plans: { hobby: vercelEdge(1), pro: vercelEdge(2), enterprise: vercelEdge(4) },
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
        memory: mb(10240, LAMBDA_MEMORY, 'configurable from 128 to 10,240 MB'),
        defaultMemory: mb(128, LAMBDA_MEMORY, 'the lowest setting; the Serverless Framework deploys 1,024 MB unless memorySize is set'),
        requestBody: mb(6, LAMBDA_LIMITS, 'synchronous invocation; asynchronous 1 MB'),
        responseBody: mb(6, LAMBDA_LIMITS, 'streamed responses up to 200 MB'),
        bundle: mb(250, LAMBDA_LIMITS, 'unzipped with layers; 50 MB zipped direct upload'),
      },
    },
    filesystem: 'Read-only except /tmp (512 MB default, up to 10,240 MB), per execution environment.',
    concurrency: 'One request at a time per execution environment, but module scope survives between invocations.',
    connections: 'Create clients outside the handler; use RDS Proxy for relational databases.',
    background: 'Work after the handler returns is frozen with the environment; finish it before returning.',
    docs: [LAMBDA_LIMITS, LAMBDA_MEMORY, 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html'],
  },
  'cloudflare-workers': {
    platform: 'cloudflare-workers',
    displayName: 'Cloudflare Workers',
    runtime: 'edge',
    defaultPlan: 'paid',
    plans: {
      free: {
        cpuTime: ms(10, CF_LIMITS),
        memory: mb(128, CF_LIMITS, 'per isolate, shared by concurrent requests'),
        bundle: mb(3, CF_LIMITS, 'compressed (check)'),
        requestBody: mb(100, CF_LIMITS),
      },
      paid: {
        cpuTime: ms(30000, CF_LIMITS, 'default; up to 5 min with limits.cpu_ms'),
        memory: mb(128, CF_LIMITS, 'per isolate, shared by concurrent requests'),
        bundle: mb(10, CF_LIMITS, 'compressed (check)'),
        requestBody: mb(100, CF_LIMITS, '200 MB on Business'),
      },
    },
    filesystem: 'No writable filesystem (with Node.js compatibility, node:fs is a virtual per-request file system).',
    concurrency: 'One isolate serves many requests at once; I/O objects cannot be shared across requests.',
    connections: 'Connect per request (Hyperdrive, HTTP drivers) and close before the response ends.',
    background: 'ctx.waitUntil(promise) keeps work alive after the response.',
    docs: [CF_LIMITS, 'https://developers.cloudflare.com/workers/runtime-apis/nodejs/', CF_NODEJS_DEFAULT],
  },
  netlify: {
    platform: 'netlify',
    displayName: 'Netlify Functions',
    runtime: 'node',
    defaultPlan: 'pro',
    plans: { starter: netlify(), pro: netlify() },
    filesystem: 'Read-only except /tmp.',
    concurrency: 'Instances are reused between invocations: module scope survives.',
    connections: 'Create clients at module scope; use a pooler.',
    background: 'context.waitUntil(promise), or a background function (-background suffix, up to 15 min).',
    docs: [NETLIFY_FN, NETLIFY_BACKGROUND],
  },
  'netlify-edge': {
    platform: 'netlify',
    displayName: 'Netlify Edge Functions (Deno)',
    runtime: 'edge',
    defaultPlan: 'pro',
    plans: {
      starter: {
        cpuTime: ms(50, NETLIFY_EDGE, 'CPU time per request; waiting on I/O is not counted'),
        memory: mb(512, NETLIFY_EDGE, 'per set of deployed edge functions'),
        bundle: mb(20, NETLIFY_EDGE, 'compressed'),
      },
      pro: {
        cpuTime: ms(50, NETLIFY_EDGE, 'CPU time per request; waiting on I/O is not counted'),
        memory: mb(512, NETLIFY_EDGE, 'per set of deployed edge functions'),
        bundle: mb(20, NETLIFY_EDGE, 'compressed'),
      },
    },
    filesystem: 'No filesystem.',
    concurrency: 'Isolates are reused across requests.',
    connections: 'HTTP drivers only.',
    background: 'context.waitUntil(promise).',
    docs: [NETLIFY_EDGE],
  },
  // Platform id `deno-deploy` covers two products, told apart by the runtime decision: the current Deno Deploy runs
  // the standard Deno runtime (runtime `node` here: file system, subprocesses, npm packages, node: builtins), and
  // Supabase Edge Functions run on Deno isolates with edge limits (runtime `edge`).
  'deno-deploy': {
    platform: 'deno-deploy',
    displayName: 'Deno Deploy (the standard Deno runtime)',
    runtime: 'node',
    defaultPlan: 'pro',
    plans: { free: {}, pro: {} },
    filesystem: 'Full Deno file system access, but each instance has its own disk: writes are not shared and are lost when the instance stops.',
    concurrency: 'An instance serves many requests and is stopped after idling (5 s to 10 min); several instances run at once, each with its own memory.',
    connections: 'Create clients once per instance; an instance can be evicted at any time.',
    background: 'Work after the response lives only as long as the instance; it is sent SIGINT and killed 5 s later.',
    docs: [DENO_DEPLOY_RUNTIME],
  },
  'supabase-edge': {
    platform: 'deno-deploy',
    displayName: 'Supabase Edge Functions (Deno isolates)',
    runtime: 'edge',
    defaultPlan: 'pro',
    plans: { free: supabase(150), pro: supabase(400) },
    filesystem: 'Ephemeral /tmp storage only; no Web Worker or Node vm API.',
    concurrency: 'A worker serves several requests during its wall-clock lifetime: module scope is shared.',
    connections: 'HTTP drivers or per-request connections; outgoing ports 25 and 587 are blocked.',
    background: 'EdgeRuntime.waitUntil(promise), within the wall-clock limit.',
    docs: [SUPABASE_LIMITS],
  },
};

/**
 * Whether a file is a Netlify background function: its function name ends in `-background`
 * (`netlify/functions/report-background.mts` or `netlify/functions/report-background/index.ts`). Those are invoked
 * asynchronously and run up to `backgroundMaxDuration` (15 min) instead of the synchronous 60 s.
 */
export function isNetlifyBackgroundFunction(fileName: string): boolean {
  return /(^|\/)netlify\/functions\/[^/]+-background(?:\.[cm]?[jt]sx?$|\/)/.test(fileName);
}

/** The limits entry for a platform and runtime, or undefined for `long-running`/`unknown`. */
export function limitsFor(platform: Platform, runtime: 'node' | 'edge' | 'python'): PlatformLimits | undefined {
  // Python functions get the platform's function limits (Vercel runs them on Fluid compute like Node.js; Lambda's are per function).
  if (platform === 'vercel') return runtime === 'edge' ? LIMITS['vercel-edge'] : LIMITS.vercel;
  if (platform === 'netlify') return runtime === 'edge' ? LIMITS['netlify-edge'] : LIMITS.netlify;
  if (platform === 'deno-deploy') return runtime === 'edge' ? LIMITS['supabase-edge'] : LIMITS['deno-deploy'];
  return LIMITS[platform];
}

/** The plan's limits, falling back to the platform's default plan when the plan is not one of its own. */
export function planLimits(
  platform: Platform,
  runtime: 'node' | 'edge' | 'python',
  plan: string | undefined,
): { plan: string; limits: PlanLimits } | undefined {
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
