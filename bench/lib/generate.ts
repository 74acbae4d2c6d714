// A deterministic generator of realistic serverless projects: Next.js route handlers, Express on Vercel `api/`,
// Lambda handlers named in serverless.yml, Cloudflare Workers and Netlify functions. Each handler file mixes the
// good and bad patterns of the rule catalog (docs/rules/) the way real code does, so the engine does real work
// (contexts, handlers, imports, findings, fixes) rather than skimming empty files. Same seed, same bytes.
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng } from '../../scripts/prng';

type Style = 'next' | 'express' | 'lambda' | 'worker' | 'netlify';

interface Snippet {
  /** Import lines (deduplicated per file). */
  imports?: string[];
  /** Module-scope lines (deduplicated per file). */
  module?: string[];
  /** Handler body lines. */
  body: string[];
}

// biome-ignore format: a packed list of nouns reads better than one noun per line.
const NOUNS = ['orders', 'users', 'invoices', 'products', 'carts', 'sessions', 'payments', 'reports', 'webhooks', 'uploads', 'teams',
  'projects', 'comments', 'notifications', 'subscriptions', 'coupons', 'shipments', 'reviews', 'accounts', 'events', 'metrics',
  'files', 'tickets', 'messages', 'bookings', 'listings', 'profiles', 'tokens', 'audits', 'exports'];
const ACTIONS = ['list', 'get', 'create', 'update', 'delete', 'search', 'sync', 'export', 'import', 'notify', 'refresh', 'stats'];

class Ctx {
  constructor(
    readonly rand: () => number,
    readonly style: Style,
    readonly edge: boolean,
    readonly ts: boolean,
  ) {}
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)];
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  /** `: T` in TypeScript files, nothing in JavaScript. */
  t(type: string): string {
    return this.ts ? `: ${type}` : '';
  }
  get req(): string {
    return this.style === 'express' ? 'req' : this.style === 'lambda' ? 'event' : 'request';
  }
  /** An expression reading a request header in this style. */
  header(name: string): string {
    if (this.style === 'express') return `req.get('${name}')`;
    if (this.style === 'lambda') return `event.headers?.['${name}']`;
    return `request.headers.get('${name}')`;
  }
  /** The platform's way to keep work alive after the response (spec: waitUntil forms). */
  keepAlive(expr: string): Snippet {
    switch (this.style) {
      case 'next':
        return { imports: ["import { after } from 'next/server';"], body: [`after(() => ${expr});`] };
      case 'worker':
        return { body: [`ctx.waitUntil(${expr});`] };
      case 'netlify':
        return { body: [`context.waitUntil(${expr});`] };
      case 'express':
        return { imports: ["import { waitUntil } from '@vercel/functions';"], body: [`waitUntil(${expr});`] };
      case 'lambda':
        return { body: [`await ${expr};`] };
    }
  }
}

/** Patterns that are fine everywhere (most real code). */
function goodSnippet(c: Ctx, noun: string): Snippet {
  const v = c.int(0, 9);
  switch (v) {
    case 0:
      return {
        module: [`const API_BASE = process.env.API_BASE ?? 'https://api.internal.example.com';`],
        body: [
          `const upstream = await fetch(\`\${API_BASE}/${noun}?limit=\${limit}\`, { headers: { accept: 'application/json' } });`,
          `if (!upstream.ok) throw new Error(\`upstream ${noun} failed with \${upstream.status}\`);`,
          `const page = await upstream.json();`,
          `items.push(...page.items);`,
        ],
      };
    case 1:
      return {
        imports: ["import { z } from 'zod';"],
        module: [`const Query = z.object({ cursor: z.string().optional(), limit: z.coerce.number().int().min(1).max(100).default(20) });`],
        body: [
          `const query = Query.safeParse({ cursor: ${c.header('x-cursor')} ?? undefined, limit });`,
          `if (!query.success) throw new Error(query.error.issues.map((i) => i.message).join(', '));`,
        ],
      };
    case 2:
      return c.keepAlive(`fetch(ANALYTICS_URL, { method: 'POST', body: JSON.stringify({ event: '${noun}.viewed', count: items.length }) })`);
    case 3:
      return {
        body: [
          `for (let attempt = 0; attempt < 3; attempt++) {`,
          `  const res = await fetch(\`\${STATUS_URL}/${noun}\`);`,
          `  if (res.ok) break;`,
          `  await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));`,
          `}`,
        ],
      };
    case 4:
      return {
        body: [
          `const started = Date.now();`,
          `const total = items.reduce((sum, item) => sum + (Number(item.amount) || 0), 0);`,
          `console.log(JSON.stringify({ route: '${noun}', total, ms: Date.now() - started }));`,
        ],
      };
    case 5:
      return {
        module: [
          `let cachedConfig${c.t('Record<string, string> | undefined')};`,
          `async function loadConfig() {`,
          `  if (!cachedConfig) cachedConfig = await fetch(CONFIG_URL).then((r) => r.json());`,
          `  return cachedConfig;`,
          `}`,
        ],
        body: [`const config = await loadConfig();`, `const region = config?.region ?? 'eu-west-1';`, `console.debug('${noun} region', region);`],
      };
    case 6:
      return c.edge
        ? {
            body: [
              `const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(items)));`,
              `const etag = btoa(String.fromCharCode(...new Uint8Array(digest))).slice(0, 16);`,
              `console.debug('etag', etag);`,
            ],
          }
        : {
            imports: ["import { createHash } from 'node:crypto';"],
            body: [`const etag = createHash('sha1').update(JSON.stringify(items)).digest('hex').slice(0, 16);`, `console.debug('etag', etag);`],
          };
    case 7:
      return c.edge
        ? {
            body: [
              `const signed = await fetch(\`\${API_BASE}/sign\`, { method: 'POST', body: JSON.stringify({ ids: items.map((i) => i.id) }) });`,
              `await signed.text();`,
            ],
            module: [`const API_BASE = process.env.API_BASE ?? 'https://api.internal.example.com';`],
          }
        : {
            imports: ["import bcrypt from 'bcryptjs';"],
            body: [`const secretHash = await bcrypt.hash(${c.header('x-api-key')} ?? '', 10);`, `console.debug('hashed key', secretHash.length);`],
          };
    case 8:
      return c.edge || c.style === 'worker'
        ? {
            body: [
              `const url = new URL(${c.style === 'lambda' ? "'https://example.com'" : c.style === 'express' ? "req.url ?? '/', 'http://localhost'" : 'request.url'});`,
              `const sort = url.searchParams.get('sort') ?? 'createdAt';`,
              `items.sort((a, b) => String(a[sort]).localeCompare(String(b[sort])));`,
            ],
          }
        : {
            imports: ["import { tmpdir } from 'node:os';", "import { join } from 'node:path';", "import { writeFile } from 'node:fs/promises';"],
            body: [`const spool = join(tmpdir(), \`${noun}-\${Date.now()}.json\`);`, `await writeFile(spool, JSON.stringify(items));`],
          };
    default:
      return {
        body: [
          `if (items.length > limit) items.length = limit;`,
          `const byId = new Map(items.map((item) => [item.id, item]));`,
          `console.debug('${noun} unique', byId.size);`,
        ],
      };
  }
}

/** Patterns the catalog flags (and their neighbours that look alike). */
function badSnippet(c: Ctx, noun: string): Snippet {
  const nodeOnly = !c.edge && c.style !== 'worker';
  const v = c.int(0, nodeOnly ? 11 : 7);
  switch (v) {
    case 0:
      return { body: [`fetch(ANALYTICS_URL, { method: 'POST', body: JSON.stringify({ event: '${noun}.viewed' }) });`] };
    case 1:
      return { body: [`if (!process.env.DATABASE_URL) {`, `  console.error('DATABASE_URL is not set');`, `  process.exit(1);`, `}`] };
    case 2:
      return {
        module: [`let currentUserId${c.t('string | undefined')};`],
        body: [`currentUserId = ${c.header('x-user-id')} ?? undefined;`, `console.log('${noun} for', currentUserId);`],
      };
    case 3:
      return {
        module: [`const hitsByKey = new Map${c.ts ? '<string, number>' : ''}();`],
        body: [
          `const key = ${c.header('x-forwarded-for')} ?? 'anonymous';`,
          `hitsByKey.set(key, (hitsByKey.get(key) ?? 0) + 1);`,
          `if ((hitsByKey.get(key) ?? 0) > 100) throw new Error('rate limited');`,
        ],
      };
    case 4:
      return { body: [`setInterval(() => {`, `  console.log('${noun} heartbeat', items.length);`, `}, 10_000);`] };
    case 5:
      return {
        body: [
          `while (true) {`,
          `  const job = await fetch(\`\${STATUS_URL}/${noun}/export\`).then((r) => r.json());`,
          `  if (job.status === 'done') break;`,
          `  await new Promise((resolve) => setTimeout(resolve, 1000));`,
          `}`,
        ],
      };
    case 6:
      return c.edge || c.style === 'worker'
        ? {
            body: [
              `const rule = ${c.header('x-filter')} ?? 'true';`,
              `const keep = new Function('item', \`return \${rule}\`);`,
              `items.splice(0, items.length, ...items.filter((item) => keep(item)));`,
            ],
          }
        : {
            imports: ["import { Pool } from 'pg';"],
            body: [
              `const pool = new Pool({ connectionString: process.env.DATABASE_URL });`,
              `const { rows } = await pool.query('select * from ${noun} order by created_at desc limit $1', [limit]);`,
              `items.push(...rows);`,
            ],
          };
    case 7:
      return c.edge || c.style === 'worker'
        ? {
            imports: ["import { readFile } from 'node:fs/promises';"],
            body: [`const template = await readFile(\`\${process.cwd()}/templates/${noun}.html\`, 'utf8');`, `console.debug(template.length);`],
          }
        : {
            imports: ["import { PrismaClient } from '@prisma/client';"],
            body: [
              `const prisma = new PrismaClient();`,
              `const rows = await prisma.${noun.replace(/s$/, '')}.findMany({ take: limit });`,
              `items.push(...rows);`,
            ],
          };
    case 8:
      return {
        imports: ["import bcrypt from 'bcrypt';"],
        body: [`const secretHash = bcrypt.hashSync(${c.header('x-api-key')} ?? '', 12);`, `console.debug('hashed key', secretHash.length);`],
      };
    case 9:
      return {
        imports: ["import { writeFileSync, mkdirSync } from 'node:fs';"],
        body: [`mkdirSync('./exports', { recursive: true });`, `writeFileSync(\`./exports/${noun}-\${Date.now()}.json\`, JSON.stringify(items));`],
      };
    case 10:
      return {
        imports: ["import { readFileSync } from 'node:fs';"],
        module: [`const rates = JSON.parse(readFileSync('./data/${noun}-rates.json', 'utf8'));`],
        body: [`const rate = rates[${c.header('x-region')} ?? 'default'] ?? 1;`, `for (const item of items) item.amount = Number(item.amount) * rate;`],
      };
    default:
      return c.style === 'lambda'
        ? {
            imports: ["import AWS from 'aws-sdk';"],
            module: ['const s3 = new AWS.S3();'],
            body: [
              `await s3.putObject({ Bucket: process.env.EXPORT_BUCKET${c.ts ? '!' : ''}, Key: \`${noun}/\${Date.now()}.json\`, Body: JSON.stringify(items) }).promise();`,
            ],
          }
        : {
            imports: ["import { execSync } from 'node:child_process';"],
            body: [`const commit = execSync('git rev-parse --short HEAD').toString().trim();`, `console.debug('${noun} at', commit);`],
          };
  }
}

/** One handler's body: locals every snippet may use, then a mix of snippets, then the style's response. */
function handlerBody(c: Ctx, noun: string, bad: number, good: number, acc: { imports: Set<string>; module: Set<string> }): string[] {
  const lines: string[] = [`const limit = Number(${c.header('x-limit')} ?? 20);`, `const items${c.t('Array<Record<string, any>>')} = [];`];
  const chosen: Snippet[] = [];
  for (let i = 0; i < good; i++) chosen.push(goodSnippet(c, noun));
  for (let i = 0; i < bad; i++) chosen.splice(c.int(0, chosen.length), 0, badSnippet(c, noun));
  for (const s of chosen) {
    for (const l of s.imports ?? []) acc.imports.add(l);
    for (const l of s.module ?? []) acc.module.add(l);
    lines.push(...s.body);
  }
  const payload = `{ ${noun}: items.map(to${cap(noun)}Dto), count: items.length }`;
  if (c.style === 'express') {
    lines.push(`res.status(200).json(${payload});`);
    if (bad > 0 && c.chance(0.3)) lines.push(`await fetch(AUDIT_URL, { method: 'POST', body: JSON.stringify({ route: '${noun}', at: Date.now() }) });`);
  } else if (c.style === 'lambda') {
    lines.push(`return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(${payload}) };`);
  } else {
    lines.push(`return Response.json(${payload});`);
  }
  return lines;
}

function cap(s: string): string {
  return s.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase());
}

/** Module-scope lines every handler file shares: constants the snippets reference and a DTO mapper. */
function preamble(c: Ctx, noun: string): string[] {
  const any = c.ts ? ': Record<string, any>' : '';
  return [
    `const ANALYTICS_URL = process.env.ANALYTICS_URL ?? 'https://analytics.example.com/v1/events';`,
    `const STATUS_URL = process.env.STATUS_URL ?? 'https://jobs.example.com/v1';`,
    `const CONFIG_URL = process.env.CONFIG_URL ?? 'https://config.example.com/${noun}.json';`,
    `const AUDIT_URL = process.env.AUDIT_URL ?? 'https://audit.example.com/v1/entries';`,
    '',
    `/** The public shape of one ${noun.replace(/s$/, '')}: never leak internal columns. */`,
    `function to${cap(noun)}Dto(row${any}) {`,
    `  return {`,
    `    id: String(row.id),`,
    `    name: row.name ?? null,`,
    `    amount: typeof row.amount === 'number' ? Math.round(row.amount * 100) / 100 : null,`,
    `    createdAt: row.created_at ? new Date(row.created_at).toISOString() : null,`,
    `  };`,
    `}`,
  ];
}

function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => (l ? pad + l : l));
}

/** One handler file of the given style; `handlers` controls its size. */
export function handlerFile(c: Ctx, noun: string, handlers: number): string {
  const acc = { imports: new Set<string>(), module: new Set<string>() };
  const out: string[] = [];
  const fns: string[] = [];
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  // About one handler in three has a problem; a third of those have two.
  const badCount = () => (c.chance(0.33) ? (c.chance(0.3) ? 2 : 1) : 0);
  for (let h = 0; h < handlers; h++) {
    const body = handlerBody(c, noun, badCount(), c.int(1, 4), acc);
    const tryBody = [
      'try {',
      ...indent(body, 2),
      '} catch (error) {',
      `  console.error('${noun} handler failed', error);`,
      ...indent([errorResponse(c)], 2),
      '}',
    ];
    const m = methods[h % methods.length];
    switch (c.style) {
      case 'next':
        if (h < methods.length) fns.push(`export async function ${m}(request${c.t('NextRequest')}) {`, ...indent(tryBody, 2), '}', '');
        else fns.push(`async function handle${cap(noun)}${h}(request${c.t('NextRequest')}) {`, ...indent(tryBody, 2), '}', '');
        break;
      case 'express':
        fns.push(
          `app.${m.toLowerCase()}('/api/${noun}${h ? `/${h}` : ''}', async (req${c.t('Request')}, res${c.t('Response')}) => {`,
          ...indent(tryBody, 2),
          '});',
          '',
        );
        break;
      case 'lambda':
        fns.push(
          `export const ${h === 0 ? 'handler' : `${m.toLowerCase()}${cap(noun)}${h}`} = async (event${c.t('APIGatewayProxyEventV2')}) => {`,
          ...indent(tryBody, 2),
          '};',
          '',
        );
        break;
      case 'worker':
        fns.push(
          `export async function handle${cap(noun)}${m}${h}(request${c.t('Request')}, env${c.t('Env')}, ctx${c.t('ExecutionContext')}) {`,
          ...indent(tryBody, 2),
          '}',
          '',
        );
        break;
      case 'netlify':
        if (h === 0) fns.push(`export default async (request${c.t('Request')}, context${c.t('Context')}) => {`, ...indent(tryBody, 2), '};', '');
        else fns.push(`async function handle${cap(noun)}${h}(request${c.t('Request')}, context${c.t('Context')}) {`, ...indent(tryBody, 2), '}', '');
        break;
    }
  }
  // Style-specific imports and scaffolding.
  if (c.style === 'next') {
    acc.imports.add(c.ts ? "import { NextResponse, type NextRequest } from 'next/server';" : "import { NextResponse } from 'next/server';");
    acc.imports.add("import { requireUser } from '@/lib/auth';");
  }
  if (c.style === 'express') {
    acc.imports.add(c.ts ? "import express, { type Request, type Response } from 'express';" : "import express from 'express';");
  }
  if (c.style === 'lambda' && c.ts) acc.imports.add("import type { APIGatewayProxyEventV2 } from 'aws-lambda';");
  if (c.style === 'netlify' && c.ts) acc.imports.add("import type { Context, Config } from '@netlify/functions';");
  if (c.style === 'worker' && c.ts) acc.imports.add("import type { Env } from '../env';");
  out.push(`// ${cap(noun)} API: ${handlers} handler${handlers > 1 ? 's' : ''} generated for the Serverless Lint benchmark.`);
  out.push(...acc.imports, '');
  if (c.style === 'next') {
    if (c.edge) out.push(`export const runtime = 'edge';`);
    if (c.chance(0.2)) out.push(`export const maxDuration = ${c.pick([10, 30, 60, 300, 900])};`);
    out.push(`export const dynamic = 'force-dynamic';`, '');
  }
  if (c.style === 'express') {
    out.push('const app = express();', `app.use(express.json({ limit: '${c.pick(['100kb', '1mb', '2mb', '10mb'])}' }));`, '');
  }
  out.push(...preamble(c, noun), '', ...acc.module, '');
  out.push(...fns);
  if (c.style === 'express') {
    if (c.chance(0.1)) out.push(`if (process.env.NODE_ENV !== 'production') app.listen(3000);`);
    else if (c.chance(0.05)) out.push('app.listen(process.env.PORT ?? 3000);');
    out.push('export default app;');
  }
  if (c.style === 'netlify') out.push(`export const config${c.t('Config')} = { path: '/api/${noun}' };`);
  if (c.style === 'next' && c.ts && c.chance(0.2))
    out.push(
      `export async function HEAD(request${c.t('NextRequest')}) {`,
      `  const user = await requireUser(request);`,
      `  return new NextResponse(null, { status: user ? 204 : 401 });`,
      '}',
    );
  return out.join('\n') + '\n';
}

function errorResponse(c: Ctx): string {
  if (c.style === 'express') return `res.status(500).json({ error: 'internal error' });`;
  if (c.style === 'lambda') return `return { statusCode: 500, body: JSON.stringify({ error: 'internal error' }) };`;
  return `return Response.json({ error: 'internal error' }, { status: 500 });`;
}

/** Files of one generated project, relative path → text. */
type Project = Map<string, string>;

function nextProject(c: Ctx, files: number, k: number): Project {
  const p: Project = new Map();
  p.set(
    'package.json',
    JSON.stringify({ name: `shop-web-${k}`, private: true, dependencies: { next: '16.0.0', react: '19.0.0', zod: '4.0.0', pg: '8.16.0' } }, null, 2),
  );
  p.set('next.config.mjs', "/** @type {import('next').NextConfig} */\nexport default { reactStrictMode: true };\n");
  p.set('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, paths: { '@/*': ['./*'] } } }, null, 2));
  p.set(
    'lib/auth.ts',
    "import { cookies } from 'next/headers';\n\n/** The signed-in user of this request, or null. */\nexport async function requireUser(request: Request) {\n  const token = (await cookies()).get('session')?.value ?? request.headers.get('authorization');\n  if (!token) return null;\n  const res = await fetch(`${process.env.AUTH_URL}/verify`, { headers: { authorization: token } });\n  return res.ok ? ((await res.json()) as { id: string }) : null;\n}\n",
  );
  for (let i = 0; p.size - 2 < files; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const action = ACTIONS[Math.floor(i / NOUNS.length) % ACTIONS.length];
    const cc = new Ctx(c.rand, 'next', c.chance(0.15), true);
    p.set(`app/api/${noun}/${action}-${i}/route.ts`, handlerFile(cc, noun, c.int(1, 3)));
  }
  return p;
}

function expressProject(c: Ctx, files: number, k: number): Project {
  const p: Project = new Map();
  p.set('package.json', JSON.stringify({ name: `api-${k}`, private: true, dependencies: { express: '5.1.0', pg: '8.16.0', bcrypt: '6.0.0' } }, null, 2));
  p.set('vercel.json', JSON.stringify({ $schema: 'https://openapi.vercel.sh/vercel.json', functions: { 'api/**/*.ts': { maxDuration: 60 } } }, null, 2));
  for (let i = 0; p.size - 2 < files; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const js = c.chance(0.25);
    const cc = new Ctx(c.rand, 'express', false, !js);
    p.set(`api/${noun}-${ACTIONS[i % ACTIONS.length]}-${i}.${js ? 'js' : 'ts'}`, handlerFile(cc, noun, c.int(1, 4)));
  }
  return p;
}

function lambdaProject(c: Ctx, files: number, k: number): Project {
  const p: Project = new Map();
  const fnLines: string[] = [];
  for (let i = 0; i < files; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const name = `${noun}-${ACTIONS[i % ACTIONS.length]}-${i}`;
    const cc = new Ctx(c.rand, 'lambda', false, true);
    p.set(`src/handlers/${name}.ts`, handlerFile(cc, noun, c.int(1, 2)));
    fnLines.push(
      `  ${cap(name).replace(/-/g, '')}:`,
      `    handler: src/handlers/${name}.handler`,
      `    timeout: ${c.pick([6, 15, 29, 60])}`,
      '    events:',
      `      - httpApi: 'GET /${noun}/${i}'`,
    );
  }
  p.set(
    'package.json',
    JSON.stringify(
      { name: `orders-service-${k}`, private: true, dependencies: { '@aws-sdk/client-s3': '3.800.0', 'aws-sdk': '2.1692.0', pg: '8.16.0' } },
      null,
      2,
    ),
  );
  p.set(
    'serverless.yml',
    [
      `service: orders-service-${k}`,
      "frameworkVersion: '4'",
      '',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      '  memorySize: 1024',
      '',
      'functions:',
      ...fnLines,
      '',
    ].join('\n'),
  );
  return p;
}

function workerProject(c: Ctx, files: number, k: number): Project {
  const p: Project = new Map();
  const routes: string[] = [];
  for (let i = 0; i < files - 2; i++) {
    const noun = NOUNS[(i + k) % NOUNS.length];
    const cc = new Ctx(c.rand, 'worker', true, true);
    const text = handlerFile(cc, noun, c.int(1, 3));
    const fn = /export async function (\w+)/.exec(text)![1];
    p.set(`src/routes/${noun}-${i}.ts`, text);
    routes.push(`import { ${fn} } from './routes/${noun}-${i}';`);
    routes.push(`// route: /${noun}/${i} → ${fn}`);
  }
  const imports = routes.filter((l) => l.startsWith('import'));
  const table = routes
    .filter((l) => l.startsWith('//'))
    .map((l) => {
      const m = /route: (\S+) → (\w+)/.exec(l)!;
      return `  ['${m[1]}', ${m[2]}],`;
    });
  p.set('src/env.ts', 'export interface Env {\n  LINKS: KVNamespace;\n  API_TOKEN: string;\n}\n');
  p.set(
    'src/index.ts',
    [
      '// The Worker entry: routes requests to the modules under routes/.',
      ...imports,
      "import type { Env } from './env';",
      '',
      'const routes = new Map<string, (request: Request, env: Env, ctx: ExecutionContext) => Promise<Response>>([',
      ...table,
      ']);',
      '',
      'export default {',
      '  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {',
      '    const { pathname } = new URL(request.url);',
      '    const route = routes.get(pathname);',
      "    if (!route) return new Response('not found', { status: 404 });",
      '    return route(request, env, ctx);',
      '  },',
      '} satisfies ExportedHandler<Env>;',
      '',
    ].join('\n'),
  );
  const compat = c.chance(0.5) ? 'compatibility_flags = ["nodejs_compat"]\n' : '';
  p.set('wrangler.toml', `name = "edge-api-${k}"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-17"\n${compat}`);
  p.set('package.json', JSON.stringify({ name: `edge-api-${k}`, private: true, devDependencies: { wrangler: '4.20.0' } }, null, 2));
  return p;
}

function netlifyProject(c: Ctx, files: number, k: number): Project {
  const p: Project = new Map();
  p.set('netlify.toml', '[build]\n  command = "npm run build"\n  publish = "dist"\n\n[functions]\n  node_bundler = "esbuild"\n');
  p.set('package.json', JSON.stringify({ name: `site-${k}`, private: true, dependencies: { '@netlify/functions': '4.0.0', zod: '4.0.0' } }, null, 2));
  for (let i = 0; p.size - 2 < files; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const edge = c.chance(0.15);
    const cc = new Ctx(c.rand, 'netlify', edge, true);
    p.set(`netlify/${edge ? 'edge-functions' : 'functions'}/${noun}-${i}.${edge ? 'ts' : 'mts'}`, handlerFile(cc, noun, c.int(1, 3)));
  }
  return p;
}

const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** The generated corpus's size: every bench script uses this one, since another size regenerates the corpus. */
export const GENERATED_FILES = 5000;

/**
 * Writes `total` source files (plus the platform configuration) under `root`: Next.js 28%, Express on Vercel 20%,
 * Lambda 20%, Workers 16%, Netlify 16%, split into projects of realistic size.
 */
export function ensureGeneratedCorpus(root: string, total: number, seed = 20250601): void {
  const stampFile = join(root, '.bench-stamp');
  const stamp = JSON.stringify({ total, seed, v: 3 });
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  rmSync(root, { recursive: true, force: true });
  const rand = prng(seed);
  const c = new Ctx(rand, 'next', false, true);
  const plan: Array<[string, (c: Ctx, files: number, k: number) => Project, number, number]> = [
    ['nextjs', nextProject, Math.round(total * 0.28), 250],
    ['express-vercel', expressProject, Math.round(total * 0.2), 200],
    ['lambda', lambdaProject, Math.round(total * 0.2), 200],
    ['worker', workerProject, Math.round(total * 0.16), 25],
    ['netlify', netlifyProject, 0, 200],
  ];
  plan[4][2] = total - plan.slice(0, 4).reduce((s, p) => s + p[2], 0);
  for (const [name, make, quota, perProject] of plan) {
    let left = quota;
    for (let k = 0; left > 0; k++) {
      const want = Math.min(perProject, left);
      const project = make(c, want, k);
      let sources = 0;
      for (const [rel, text] of project) {
        const full = join(root, `${name}-${k}`, rel);
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
        if (SOURCE.test(rel)) sources++;
      }
      left -= sources;
    }
  }
  writeFileSync(stampFile, stamp);
}

/**
 * A single large Next.js route module of at least `lines` lines (exported method handlers, then request helpers
 * of the same shape), for the per-file and editor sections. Same seed and size, same text.
 */
export function largeHandlerFile(lines: number, seed = 7): string {
  for (let handlers = Math.max(1, Math.floor(lines / 24)); ; handlers++) {
    const text = handlerFile(new Ctx(prng(seed), 'next', false, true), 'orders', handlers);
    if (text.split('\n').length >= lines) return text;
  }
}
