import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import Counter from '@/components/Counter';
import { query } from '@/lib/db';
import { verifySession } from '@/lib/session';

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export default async function DashboardPage() {
  const token = (await cookies()).get(process.env.SESSION_COOKIE ?? 'session')?.value;
  const session = token ? await verifySession(token) : null;
  if (!session) redirect('/login?next=/dashboard');

  const [stats] = await query<{ revenue: number; orders: number; members: number }>(
    `select coalesce(sum(total), 0) as revenue, count(*) as orders,
            (select count(*) from users where org_id = $1) as members
       from orders where org_id = $1 and created_at > now() - interval '30 days'`,
    [session.orgId],
  );

  return (
    <main className="mx-auto max-w-5xl space-y-8 p-8">
      <h1 className="text-2xl font-semibold">Welcome back, {session.email}</h1>
      <section className="grid grid-cols-3 gap-4">
        <div className="rounded-lg border p-4">
          <p className="text-sm text-zinc-500">Revenue (30 days)</p>
          <p className="text-3xl font-semibold">{currency.format(stats.revenue)}</p>
        </div>
        <div className="rounded-lg border p-4">
          <p className="text-sm text-zinc-500">Orders (30 days)</p>
          <p className="text-3xl font-semibold">{stats.orders}</p>
        </div>
        <Counter label="Team members" initial={stats.members} />
      </section>
    </main>
  );
}
