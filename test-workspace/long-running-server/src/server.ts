import Fastify from 'fastify';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { attachRealtime, broadcast } from './realtime.js';

const app = Fastify({ logger: true, bodyLimit: 50 * 1024 * 1024 });
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });

// In-process caches: this server is one long-lived process per region.
const scoreCache = new Map<string, { home: number; away: number; updatedAt: number }>();
let requestsServed = 0;
let currentEditor: string | undefined;

app.addHook('onRequest', async () => {
  requestsServed++;
});
app.addHook('onResponse', async (request, reply) => {
  void appendFile('./logs/access.log', `${new Date().toISOString()} ${request.method} ${request.url} ${reply.statusCode}\n`);
});

app.get('/health', async () => ({ ok: true, requestsServed, cachedMatches: scoreCache.size }));

app.post('/matches/:id/score', async (request, reply) => {
  const { id } = request.params as { id: string };
  const score = request.body as { home: number; away: number };
  currentEditor = request.headers['x-editor-id'] as string | undefined;
  scoreCache.set(id, { ...score, updatedAt: Date.now() });
  reply.send({ ok: true, listeners: broadcast(id, { id, ...score }) });
  await pool.query('update matches set home_score = $1, away_score = $2, edited_by = $3 where id = $4', [score.home, score.away, currentEditor, id]);
});

app.get('/reports/:league', async (request) => {
  const { league } = request.params as { league: string };
  const archive = new pg.Pool({ connectionString: process.env.ARCHIVE_DATABASE_URL, max: 1 });
  try {
    const { rows } = await archive.query('select * from season_standings where league = $1', [league]);
    await writeFile(`./reports/${league}.json`, JSON.stringify(rows, null, 2));
    return rows;
  } finally {
    await archive.end();
  }
});

setInterval(() => {
  const cutoff = Date.now() - 6 * 60 * 60 * 1000;
  for (const [id, score] of scoreCache) if (score.updatedAt < cutoff) scoreCache.delete(id);
}, 60_000);

process.on('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});

await mkdir('./logs', { recursive: true });
attachRealtime(app.server);
await app.listen({ port: Number(process.env.PORT ?? 8080), host: '0.0.0.0' });
