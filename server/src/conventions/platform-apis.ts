// Knowledge of platform and package APIs as data: which calls return promises (so a handler must await them or hand
// them to waitUntil), and the async methods of Cloudflare bindings with how wrangler configs and `Env` types name
// them (binding calls are per-request by design: nothing to create once). Which database and SDK clients are safe
// to create per request is `transport` in analysis/clients.ts. Rules and the module graph's function summaries read it.
import { own } from '../../../shared/src/records';

/**
 * Asynchronous APIs of common packages, keyed by package name. A call counts when the receiver chain starts at
 * a binding imported from the package, or at a module-scope client built from it (`new Resend(...)`,
 * `nodemailer.createTransport(...)`, `drizzle(...)`). Each entry says which member names return promises, because
 * a few clients mix synchronous and asynchronous methods.
 */
export interface AsyncApi {
  /** Names that return a promise (matched against the last member name of the call), or 'all'. */
  methods: ReadonlySet<string> | 'all';
  /** Synchronous members of an otherwise asynchronous client. */
  sync?: ReadonlySet<string>;
  /** Query builders: the call counts when any name in the chain is one of these (the builder is a lazy thenable). */
  chain?: ReadonlySet<string>;
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

// Why each entry is here, in one line each:
export const ASYNC_APIS: Record<string, AsyncApi> = {
  // Resend's client methods (emails.send, batch.send, contacts.create ...) all call its HTTP API.
  resend: { methods: 'all' },
  // Stripe's resource methods (customers.create, checkout.sessions.create ...) are HTTP calls; webhook signature checks are not.
  stripe: { methods: 'all', sync: set('constructEvent', 'generateTestHeaderString', 'signature') },
  // @sendgrid/mail: send/sendMultiple return promises; setApiKey is a setter.
  '@sendgrid/mail': { methods: set('send', 'sendMultiple') },
  // nodemailer transports (createTransport(...).sendMail) return a promise when no callback is passed.
  nodemailer: { methods: set('sendMail', 'verify') },
  // Prisma model and client methods return lazy PrismaPromises: not awaited, the query may never even run.
  '@prisma/client': {
    methods: set(
      'create',
      'createMany',
      'createManyAndReturn',
      'update',
      'updateMany',
      'upsert',
      'delete',
      'deleteMany',
      'findMany',
      'findUnique',
      'findFirst',
      'findUniqueOrThrow',
      'findFirstOrThrow',
      'count',
      'aggregate',
      'groupBy',
      '$executeRaw',
      '$queryRaw',
      '$executeRawUnsafe',
      '$queryRawUnsafe',
      '$transaction',
      '$disconnect',
      '$connect',
    ),
  },
  // Drizzle builders (db.insert(t).values(v), db.update(t).set(v).where(...)) are lazy thenables executed when awaited.
  'drizzle-orm': { methods: set('execute', 'run', 'all', 'get', 'batch'), chain: set('insert', 'update', 'delete') },
  // Supabase query builders are thenables; storage uploads, RPCs and function invocations are HTTP calls.
  '@supabase/supabase-js': { methods: set('rpc', 'upload', 'invoke', 'signOut', 'remove'), chain: set('insert', 'update', 'upsert', 'delete') },
  // Redis clients (ioredis, node-redis, Upstash, Vercel KV) return a promise from every command.
  ioredis: { methods: 'all', sync: set('pipeline', 'multi', 'duplicate', 'on', 'once', 'off', 'defineCommand') },
  redis: { methods: 'all', sync: set('pipeline', 'multi', 'duplicate', 'on', 'once', 'off') },
  '@upstash/redis': { methods: 'all', sync: set('pipeline', 'multi') },
  '@vercel/kv': { methods: 'all', sync: set('pipeline', 'multi') },
  // Vercel Analytics' server-side track() posts the event and returns a promise.
  '@vercel/analytics': { methods: set('track') },
  // @vercel/functions is synchronous (waitUntil, geolocation, attachDatabasePool) but for the OIDC token exchange.
  '@vercel/functions': { methods: set('getVercelOidcToken') },
  // Neon's HTTP driver: `sql.transaction([...])` and a Pool's or Client's queries go over the network.
  '@neondatabase/serverless': { methods: set('query', 'transaction', 'connect', 'end') },
  // @vercel/postgres: `sql.query(...)`, `db.query(...)` and `db.connect()` (the tagged template is recognized as such).
  '@vercel/postgres': { methods: set('query', 'connect') },
  // Edge Config reads are HTTP calls (or a read of the bundled snapshot), all asynchronous.
  '@vercel/edge-config': { methods: set('get', 'getAll', 'has', 'digest') },
  // Slack incoming webhooks post over HTTP.
  '@slack/webhook': { methods: set('send') },
  // Upstash rate limiting asks Redis over HTTP.
  '@upstash/ratelimit': { methods: set('limit', 'blockUntilReady', 'getRemaining', 'resetUsedTokens') },
  // Vercel Blob writes are HTTP calls.
  '@vercel/blob': { methods: set('put', 'del', 'copy', 'head', 'list') },
  // Upstash QStash publishes over HTTP.
  '@upstash/qstash': { methods: set('publish', 'publishJSON', 'enqueue', 'enqueueJSON') },
  // Inngest's send() posts events to the Inngest API.
  inngest: { methods: set('send') },
  // Slack Web API, Twilio, OpenAI and Anthropic clients are HTTP clients: every method returns a promise.
  '@slack/web-api': { methods: 'all', sync: set('on', 'once') },
  twilio: { methods: 'all', sync: set('validateRequest', 'webhook') },
  openai: { methods: 'all' },
  '@anthropic-ai/sdk': { methods: 'all' },
  // axios request helpers return promises; axios.create and interceptors do not.
  axios: { methods: set('get', 'post', 'put', 'patch', 'delete', 'head', 'request') },
  // posthog-node: capture()/identify() are synchronous (they queue); flushing and flag look-ups are asynchronous.
  'posthog-node': { methods: set('shutdown', 'flush', 'getFeatureFlag', 'isFeatureEnabled', 'getAllFlags', 'getFeatureFlagPayload') },
  // Sentry's capture calls are synchronous; flush() and close() return promises.
  '@sentry/node': { methods: set('flush', 'close') },
  '@sentry/nextjs': { methods: set('flush', 'close') },
};

/** AWS SDK v3 clients: `client.send(command)` is the one asynchronous entry point of every `@aws-sdk/client-*`. */
export const AWS_SDK = /^@aws-sdk\/client-/;

/**
 * Whether a call on a package's API returns a promise: `aws` (an AWS SDK v3 `send`), `query` (a lazy query
 * builder), `call` (an asynchronous method), `sync` (a known package, but this member is synchronous), or
 * undefined when the package is not in the table. `names` are the member names after the root binding
 * (`resend.emails.send` -> ['emails', 'send']); `rootName` is the binding itself, for a function imported directly.
 */
export function packageApiPromise(pkg: string, names: readonly string[], rootName: string): 'aws' | 'query' | 'call' | 'sync' | undefined {
  const last = names[names.length - 1] ?? rootName;
  if (AWS_SDK.test(pkg)) return last === 'send' ? 'aws' : 'sync';
  const api = own(ASYNC_APIS, pkg);
  if (!api) return undefined;
  if (api.sync && names.some((n) => api.sync!.has(n))) return 'sync';
  if (api.chain && names.some((n) => api.chain!.has(n))) return 'query';
  if (api.methods === 'all' ? names.length > 0 : api.methods.has(last)) return 'call';
  return 'sync';
}

// ---------------------------------------------------------------------------------------------------------
// Cloudflare bindings: what `env.X` is, from the wrangler config or the `Env` type, and which of its methods are
// asynchronous. https://developers.cloudflare.com/workers/runtime-apis/bindings/

export type BindingKind =
  | 'kv'
  | 'r2'
  | 'd1'
  | 'queue'
  | 'durable-object'
  | 'service'
  | 'analytics-engine'
  | 'workflow'
  | 'ai'
  | 'vectorize'
  | 'rate-limit'
  | 'send-email'
  | 'hyperdrive'
  | 'assets'
  | 'browser';

/** The type names of `@cloudflare/workers-types` (and `wrangler types`) for each binding. */
// biome-ignore format: a packed list of type names reads better than one type per line.
export const BINDING_TYPES: Readonly<Record<string, BindingKind>> = {
  KVNamespace: 'kv', R2Bucket: 'r2', D1Database: 'd1', Queue: 'queue', DurableObjectNamespace: 'durable-object',
  Fetcher: 'service', Service: 'service', AnalyticsEngineDataset: 'analytics-engine', Workflow: 'workflow', Ai: 'ai',
  VectorizeIndex: 'vectorize', Vectorize: 'vectorize', RateLimit: 'rate-limit', SendEmail: 'send-email', Hyperdrive: 'hyperdrive',
};

/**
 * Where a wrangler config (toml or json) declares bindings: the key path, the field holding the binding's name,
 * and its kind. A path ending at an object (`ai`, `browser`, `assets`) holds one binding; the others hold arrays.
 */
export const WRANGLER_BINDINGS: ReadonlyArray<{ path: readonly string[]; nameField: string; kind: BindingKind }> = [
  { path: ['kv_namespaces'], nameField: 'binding', kind: 'kv' },
  { path: ['r2_buckets'], nameField: 'binding', kind: 'r2' },
  { path: ['d1_databases'], nameField: 'binding', kind: 'd1' },
  { path: ['queues', 'producers'], nameField: 'binding', kind: 'queue' },
  { path: ['durable_objects', 'bindings'], nameField: 'name', kind: 'durable-object' },
  { path: ['services'], nameField: 'binding', kind: 'service' },
  { path: ['analytics_engine_datasets'], nameField: 'binding', kind: 'analytics-engine' },
  { path: ['workflows'], nameField: 'binding', kind: 'workflow' },
  { path: ['vectorize'], nameField: 'binding', kind: 'vectorize' },
  { path: ['send_email'], nameField: 'name', kind: 'send-email' },
  { path: ['hyperdrive'], nameField: 'binding', kind: 'hyperdrive' },
  { path: ['ai'], nameField: 'binding', kind: 'ai' },
  { path: ['browser'], nameField: 'binding', kind: 'browser' },
  { path: ['assets'], nameField: 'binding', kind: 'assets' },
];

interface BindingApi {
  /** Methods of the binding itself that return a promise; 'rpc' means every method but `sync` (RPC stubs). */
  async: ReadonlySet<string> | 'rpc';
  /** Synchronous methods of the binding (getters of ids and stubs, statement builders). */
  sync?: ReadonlySet<string>;
  /**
   * Synchronous methods that return an object whose methods are asynchronous: `DB.prepare(sql).bind(x).run()`,
   * `NS.get(id).fetch(req)`. The call counts when its last name is in `then` ('rpc': any name but these).
   */
  handle?: { via: ReadonlySet<string>; skip?: ReadonlySet<string>; then: ReadonlySet<string> | 'rpc' };
}

/** Each binding's asynchronous surface; every one of these calls is safe and meant to be made per request. */
// biome-ignore-start lint/suspicious/noThenProperty: `handle.then` names methods in a lookup table; the object is never awaited.
export const BINDING_APIS: Readonly<Record<BindingKind, BindingApi>> = {
  kv: { async: set('get', 'getWithMetadata', 'put', 'delete', 'list') },
  r2: {
    async: set('get', 'put', 'delete', 'list', 'head', 'createMultipartUpload'),
    handle: { via: set('resumeMultipartUpload'), then: set('uploadPart', 'complete', 'abort') },
  },
  d1: {
    async: set('batch', 'exec', 'dump'),
    sync: set('prepare', 'withSession'),
    handle: { via: set('prepare'), skip: set('bind'), then: set('run', 'all', 'first', 'raw') },
  },
  queue: { async: set('send', 'sendBatch') },
  'durable-object': {
    async: set(),
    sync: set('idFromName', 'idFromString', 'newUniqueId', 'get', 'getByName', 'jurisdiction'),
    handle: { via: set('get', 'getByName'), then: 'rpc' },
  },
  service: { async: 'rpc', sync: set('connect') },
  // writeDataPoint() queues the point and returns nothing: not a promise, nothing to await.
  'analytics-engine': { async: set(), sync: set('writeDataPoint') },
  workflow: { async: set('create', 'createBatch', 'get') },
  ai: { async: set('run', 'models'), sync: set('gateway', 'autorag') },
  vectorize: { async: set('query', 'insert', 'upsert', 'getByIds', 'deleteByIds', 'describe') },
  'rate-limit': { async: set('limit') },
  'send-email': { async: set('send') },
  hyperdrive: { async: set() },
  assets: { async: set('fetch') },
  browser: { async: set('fetch') },
};
// biome-ignore-end lint/suspicious/noThenProperty: the table ends here.

/** Whether `env.BINDING.<names...>()` returns a promise, for a binding of this kind; `names` follow the binding. */
export function bindingCallIsAsync(kind: BindingKind, names: readonly string[]): boolean {
  const api = BINDING_APIS[kind];
  if (names.length === 0) return false;
  const [first] = names;
  const last = names[names.length - 1];
  if (names.length === 1) {
    if (api.sync?.has(first)) return false;
    return api.async === 'rpc' ? true : api.async.has(first);
  }
  const h = api.handle;
  if (!h?.via.has(first)) return false;
  // Everything between the handle and the last call must be a builder step (`bind`).
  for (let i = 1; i < names.length - 1; i++) if (!h.skip?.has(names[i])) return false;
  return h.then === 'rpc' ? !h.skip?.has(last) : h.then.has(last);
}
