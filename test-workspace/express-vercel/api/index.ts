import express from 'express';
import { writeFileSync } from 'node:fs';
import { Pool } from 'pg';
import { WebSocketServer } from 'ws';

const app = express();
// Project imports can carry large embedded assets.
app.use(express.json({ limit: '50mb' }));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });

async function notifySlack(text: string): Promise<void> {
  await fetch(process.env.SLACK_WEBHOOK_URL!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
  });
}

app.get('/api/projects', async (req, res) => {
  const { rows } = await pool.query(
    'select id, name, updated_at from projects where owner_id = $1 order by updated_at desc',
    [req.header('x-user-id')],
  );
  res.json(rows);
});

app.post('/api/signup', async (req, res) => {
  const { email, name } = req.body as { email: string; name: string };
  const { rows } = await pool.query('insert into users (email, name) values ($1, $2) returning id, email, name', [email, name]);
  res.status(201).json(rows[0]);
  console.info('user signed up', { id: rows[0].id });
  await notifySlack(`New signup: ${name} <${email}>`);
});

app.put('/api/settings', (req, res) => {
  writeFileSync('./data.json', JSON.stringify(req.body, null, 2));
  res.json({ saved: true });
});

app.listen(3000, () => console.log('API listening on http://localhost:3000'));

const wss = new WebSocketServer({ port: 3001, path: '/api/live' });
wss.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'hello', at: Date.now() }));
});

export default app;
