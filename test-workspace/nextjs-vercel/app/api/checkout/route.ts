import { NextResponse, type NextRequest } from 'next/server';
import { waitUntil } from '@vercel/functions';
import { Pool } from 'pg';
import Stripe from 'stripe';
import { getSession } from '@/lib/session';
import { rateLimit } from '@/lib/store';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

interface CartItem {
  priceId: string;
  quantity: number;
}

export async function POST(request: NextRequest) {
  const ip = request.headers.get('x-forwarded-for')?.split(',')[0] ?? 'unknown';
  const limit = rateLimit(`checkout:${ip}`);
  if (!limit.ok) {
    return NextResponse.json({ error: 'Too many requests' }, { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } });
  }

  const session = await getSession(request);
  if (!session) return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  const { items } = (await request.json()) as { items: CartItem[] };

  const pool = new Pool({ connectionString: process.env.DATABASE_URL });
  const { rows } = await pool.query<{ id: string }>(
    'insert into orders (org_id, user_id, items, status) values ($1, $2, $3, $4) returning id',
    [session.orgId, session.userId, JSON.stringify(items), 'pending'],
  );
  waitUntil(pool.end());

  const checkout = await stripe.checkout.sessions.create({
    mode: 'payment',
    customer_email: session.email,
    line_items: items.map((item) => ({ price: item.priceId, quantity: item.quantity })),
    client_reference_id: rows[0].id,
    success_url: `${request.nextUrl.origin}/orders/${rows[0].id}?paid=1`,
    cancel_url: `${request.nextUrl.origin}/cart`,
  });
  return NextResponse.json({ url: checkout.url });
}
