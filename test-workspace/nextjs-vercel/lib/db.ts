import { Pool, type QueryResultRow } from 'pg';
import { attachDatabasePool } from '@vercel/functions';

// One pool per function instance, created on first use and shared by every request it serves.
let pool: Pool | undefined;

export function getPool(): Pool {
  if (!pool) {
    pool = new Pool({
      connectionString: process.env.DATABASE_URL,
      max: 5,
      idleTimeoutMillis: 5_000,
    });
    // Lets Vercel close idle clients before the instance is suspended.
    attachDatabasePool(pool);
  }
  return pool;
}

export async function query<T extends QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const { rows } = await getPool().query<T>(text, params);
  return rows;
}
