import type { Config, Context } from '@netlify/functions';
import { neon } from '@neondatabase/serverless';

async function sendConfirmation(email: string): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const res = await fetch('https://api.resend.com/emails', {
      method: 'POST',
      headers: { Authorization: `Bearer ${Netlify.env.get('RESEND_API_KEY')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: 'Acme Blog <news@acme.dev>', to: email, subject: 'Confirm your subscription', html: '<p>Thanks for subscribing!</p>' }),
    });
    if (res.ok) return;
    await new Promise((resolve) => setTimeout(resolve, attempt * 500));
  }
  throw new Error(`could not send confirmation to ${email}`);
}

export default async (req: Request, context: Context) => {
  if (req.method !== 'POST') return new Response('Method not allowed', { status: 405 });
  const { email } = (await req.json()) as { email?: string };
  if (!email?.includes('@')) return Response.json({ error: 'A valid email is required' }, { status: 400 });

  const sql = neon(Netlify.env.get('DATABASE_URL')!);
  await sql`insert into subscribers (email, country) values (${email}, ${context.geo.country?.code ?? null}) on conflict do nothing`;

  context.waitUntil(sendConfirmation(email));
  fetch(Netlify.env.get('SLACK_WEBHOOK_URL')!, {
    method: 'POST',
    body: JSON.stringify({ text: `New subscriber from ${context.geo.country?.name ?? 'somewhere'}` }),
  });

  return Response.json({ ok: true }, { status: 201 });
};

export const config: Config = { path: '/api/subscribe', method: 'POST' };
