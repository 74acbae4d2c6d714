// File contexts: platform, runtime, role and handlers for every convention, each with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import type { FileContext } from '../shared/src/types';
import type { Settings } from '../shared/src/settings';

function contextOf(path: string, files: Record<string, string>, overrides: Partial<Settings> = {}): FileContext {
  const host = new MemoryHost(files);
  const service = new LintService(host, { workspaceRoot: '/repo', rules: [], overrides });
  return service.lint(path, files[path]).context;
}

const route =
  'export async function GET(request: Request) { return Response.json({}); }\nexport async function POST(request: Request) { return Response.json({}); }\n';

test('Next.js App Router route on Vercel (next.config) with two handlers', () => {
  const c = contextOf('/repo/app/api/users/route.ts', { '/repo/next.config.ts': 'export default {};', '/repo/app/api/users/route.ts': route });
  assert.equal(c.platform.value, 'vercel');
  assert.match(c.platform.reason, /next\.config\.ts/);
  assert.equal(c.runtime.value, 'node');
  assert.equal(c.role.value, 'function-entry');
  assert.deepEqual(
    c.handlers.map((h) => h.name),
    ['GET', 'POST'],
  );
  assert.equal(c.waitUntilForm, 'next-after');
  assert.equal(c.plan.value, 'pro');
});

test('runtime declarations: edge via export const runtime and via config.runtime', () => {
  const a = contextOf('/repo/app/api/og/route.ts', { '/repo/vercel.json': '{}', '/repo/app/api/og/route.ts': "export const runtime = 'edge';\n" + route });
  assert.equal(a.runtime.value, 'edge');
  assert.match(a.runtime.reason, /'edge'/);
  const b = contextOf('/repo/pages/api/hello.ts', {
    '/repo/vercel.json': '{}',
    '/repo/pages/api/hello.ts': "export const config = { runtime: 'experimental-edge' };\nexport default function handler(req, res) { res.json({}); }\n",
  });
  assert.equal(b.runtime.value, 'edge');
  assert.equal(b.role.value, 'function-entry');
});

test('middleware is edge unless it sets nodejs; proxy is node', () => {
  const files = { '/repo/next.config.js': '', '/repo/middleware.ts': 'export function middleware(req) { return; }\n' };
  assert.equal(contextOf('/repo/middleware.ts', files).runtime.value, 'edge');
  const node = {
    '/repo/next.config.js': '',
    '/repo/middleware.ts': "export const config = { runtime: 'nodejs' };\nexport function middleware(req) { return; }\n",
  };
  assert.equal(contextOf('/repo/middleware.ts', node).runtime.value, 'node');
  const proxy = { '/repo/next.config.js': '', '/repo/src/proxy.ts': 'export default function proxy(req) { return; }\n' };
  const p = contextOf('/repo/src/proxy.ts', proxy);
  assert.equal(p.runtime.value, 'node');
  assert.equal(p.role.value, 'function-entry');
});

test("'use client' files are client code, 'use server' exports are Server Actions", () => {
  const files = {
    '/repo/next.config.js': '',
    '/repo/components/Counter.tsx': "'use client';\nexport function Counter() { return null; }\n",
    '/repo/app/actions.ts': "'use server';\nexport async function save(form: FormData) {}\nexport const LIMIT = 3;\n",
  };
  assert.equal(contextOf('/repo/components/Counter.tsx', files).role.value, 'client');
  const actions = contextOf('/repo/app/actions.ts', files);
  assert.equal(actions.role.value, 'function-entry');
  assert.deepEqual(
    actions.handlers.map((h) => h.kind),
    ['Server Action'],
  );
});

test('a Dockerfile with no serverless config means long-running; serverless config wins over it', () => {
  const files = {
    '/repo/Dockerfile': 'FROM node:20',
    '/repo/src/server.ts': "import express from 'express';\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(3000);\n",
  };
  const c = contextOf('/repo/src/server.ts', files);
  assert.equal(c.platform.value, 'long-running');
  assert.equal(c.role.value, 'long-running-server');
  assert.deepEqual(c.handlers, []);
  const both = contextOf('/repo/src/server.ts', { ...files, '/repo/vercel.json': '{}' });
  assert.equal(both.platform.value, 'vercel');
  assert.equal(both.role.value, 'function-entry', 'a root server.* with listen() is a function entry on Vercel (server detection)');
  assert.deepEqual(
    both.handlers.map((h) => h.name),
    ["app.get('/')"],
  );
});

test('Express on Vercel api/: default-exported app, route callbacks are handlers', () => {
  const c = contextOf('/repo/api/index.ts', {
    '/repo/vercel.json': '{}',
    '/repo/api/index.ts':
      "import express from 'express';\nconst app = express();\napp.get('/api/users', async (req, res) => { res.json([]); });\napp.post('/api/users', async (req, res) => { res.json({}); });\nexport default app;\n",
  });
  assert.equal(c.role.value, 'function-entry');
  assert.deepEqual(
    c.handlers.map((h) => h.name),
    ["app.get('/api/users')", "app.post('/api/users')"],
  );
  assert.equal(c.waitUntilForm, 'vercel-waitUntil');
});

test('Cloudflare Workers: edge, export default { fetch, scheduled }, nodejs_compat from wrangler.jsonc, Durable Objects', () => {
  const files = {
    '/repo/wrangler.jsonc': '{ // config\n "main": "src/index.ts", "compatibility_flags": ["nodejs_compat"] }',
    '/repo/src/index.ts':
      "export class Room { constructor(state, env) {}\n async fetch(request) { return new Response('x'); } }\nexport default {\n  async fetch(request, env, ctx) { return new Response('ok'); },\n  async scheduled(event, env, ctx) {},\n};\n",
  };
  const c = contextOf('/repo/src/index.ts', files);
  assert.equal(c.platform.value, 'cloudflare-workers');
  assert.equal(c.runtime.value, 'edge');
  assert.equal(c.nodejsCompat, true);
  assert.deepEqual(c.handlers.map((h) => h.name).sort(), ['Room.fetch', 'fetch', 'scheduled']);
  const noCompat = contextOf('/repo/src/index.ts', { ...files, '/repo/wrangler.jsonc': '{ "main": "src/index.ts" }' });
  assert.equal(noCompat.nodejsCompat, false);
});

test('Netlify functions (node) and edge functions (Deno) by folder', () => {
  const files = {
    '/repo/netlify.toml': '[build]\ncommand = "npm run build"\n',
    '/repo/netlify/functions/hello.mts': 'export default async (req: Request, context) => new Response("hi");\n',
    '/repo/netlify/edge-functions/geo.ts': 'export default async (req: Request, context) => new Response(context.geo.city);\n',
  };
  const fn = contextOf('/repo/netlify/functions/hello.mts', files);
  assert.equal(fn.platform.value, 'netlify');
  assert.equal(fn.runtime.value, 'node');
  assert.equal(fn.role.value, 'function-entry');
  const edge = contextOf('/repo/netlify/edge-functions/geo.ts', files);
  assert.equal(edge.runtime.value, 'edge');
  assert.equal(edge.waitUntilForm, 'netlify-context');
});

test('AWS Lambda: handlers named in serverless.yml and in a SAM template', () => {
  const sls = contextOf('/repo/src/handlers/users.ts', {
    '/repo/serverless.yml': 'service: api\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  list:\n    handler: src/handlers/users.list\n',
    '/repo/src/handlers/users.ts': 'export const list = async (event) => ({ statusCode: 200, body: "[]" });\nexport const helper = () => 1;\n',
  });
  assert.equal(sls.platform.value, 'aws-lambda');
  assert.deepEqual(
    sls.handlers.map((h) => h.name),
    ['list'],
  );
  const sam = contextOf('/repo/functions/orders/app.js', {
    '/repo/template.yaml':
      'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: functions/orders/\n      Handler: app.lambdaHandler\n      Timeout: !Ref Timeout\n',
    '/repo/functions/orders/app.js': 'exports.lambdaHandler = async (event, context) => ({ statusCode: 200 });\n',
  });
  assert.equal(sam.platform.value, 'aws-lambda');
  assert.deepEqual(
    sam.handlers.map((h) => h.name),
    ['lambdaHandler'],
  );
});

test('no config: a Lambda-shaped handler infers aws-lambda, Deno.serve infers deno-deploy, plain modules stay other', () => {
  const l = contextOf('/repo/index.mjs', { '/repo/index.mjs': 'export const handler = async (event) => ({ statusCode: 200 });\n' });
  assert.equal(l.platform.value, 'aws-lambda');
  assert.match(l.platform.reason, /Lambda-style/);
  const d = contextOf('/repo/supabase/functions/hello/index.ts', {
    '/repo/supabase/functions/hello/index.ts': 'Deno.serve(async (req) => new Response("hi"));\n',
  });
  assert.equal(d.platform.value, 'deno-deploy');
  assert.equal(d.runtime.value, 'edge', 'Supabase Edge Functions run on Deno isolates');
  assert.equal(d.role.value, 'function-entry');
  // The current Deno Deploy runs the standard Deno runtime: same platform id, the Node.js-like runtime, no edge rules.
  const deploy = contextOf('/repo/main.ts', { '/repo/main.ts': 'Deno.serve(async (req) => new Response("hi"));\n' });
  assert.equal(deploy.platform.value, 'deno-deploy');
  assert.equal(deploy.runtime.value, 'node');
  assert.match(deploy.runtime.reason, /standard Deno runtime/);
  const o = contextOf('/repo/lib/math.ts', { '/repo/lib/math.ts': 'export const add = (a: number, b: number) => a + b;\n' });
  assert.equal(o.role.value, 'other');
});

test('settings override platform and plan, with the reason saying so', () => {
  const c = contextOf('/repo/app/api/x/route.ts', { '/repo/app/api/x/route.ts': route }, { platform: 'vercel', plan: 'hobby' });
  assert.equal(c.platform.value, 'vercel');
  assert.match(c.platform.reason, /settings/);
  assert.equal(c.plan.value, 'hobby');
});
