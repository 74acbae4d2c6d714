import { Buffer } from 'node:buffer';
import { execSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Client } from 'pg';

interface Env {
  HYPERDRIVE: Hyperdrive;
  FORWARD_URL: string;
  GITHUB_WEBHOOK_SECRET: string;
}

// Tag every stored delivery with the commit that relayed it.
const RELEASE = execSync('git rev-parse --short HEAD').toString().trim();

function verifySignature(body: string, header: string | null, secret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const received = Buffer.from(header);
  return expected.length === received.length && timingSafeEqual(expected, received);
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (request.method !== 'POST') return new Response('Method not allowed', { status: 405 });

    const body = await request.text();
    if (!verifySignature(body, request.headers.get('x-hub-signature-256'), env.GITHUB_WEBHOOK_SECRET)) {
      return new Response('Invalid signature', { status: 401 });
    }
    const delivery = request.headers.get('x-github-delivery') ?? crypto.randomUUID();

    const client = new Client({ connectionString: env.HYPERDRIVE.connectionString });
    await client.connect();
    try {
      await client.query(
        'insert into webhook_deliveries (id, event, payload, release) values ($1, $2, $3, $4) on conflict (id) do nothing',
        [delivery, request.headers.get('x-github-event'), body, RELEASE],
      );
    } finally {
      ctx.waitUntil(client.end());
    }

    ctx.waitUntil(fetch(env.FORWARD_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-delivery-id': delivery },
      body,
    }));
    return new Response('Accepted', { status: 202 });
  },
} satisfies ExportedHandler<Env>;
