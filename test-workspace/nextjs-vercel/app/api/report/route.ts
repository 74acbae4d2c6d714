import { NextResponse } from 'next/server';
import { query } from '@/lib/db';

// The warehouse export takes a while on month boundaries.
export const maxDuration = 3600;

const WAREHOUSE_URL = process.env.WAREHOUSE_URL!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function GET(request: Request) {
  if (request.headers.get('authorization') !== `Bearer ${process.env.CRON_SECRET}`) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }

  const started = await fetch(`${WAREHOUSE_URL}/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.WAREHOUSE_TOKEN}` },
    body: JSON.stringify({ report: 'daily-revenue' }),
  });
  const { id } = (await started.json()) as { id: string };

  while (true) {
    const res = await fetch(`${WAREHOUSE_URL}/jobs/${id}`, {
      headers: { Authorization: `Bearer ${process.env.WAREHOUSE_TOKEN}` },
    });
    const { status } = (await res.json()) as { status: 'queued' | 'running' | 'done' | 'failed' };
    if (status === 'done') break;
    if (status === 'failed') throw new Error(`Warehouse job ${id} failed`);
    await sleep(5_000);
  }

  await query('insert into report_runs (job_id, finished_at) values ($1, now())', [id]);
  return NextResponse.json({ id, status: 'done' });
}
