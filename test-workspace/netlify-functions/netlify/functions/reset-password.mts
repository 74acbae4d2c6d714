import type { Handler } from '@netlify/functions';
import bcrypt from 'bcrypt';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });

// Still on the v1 signature: the mobile app posts to /.netlify/functions/reset-password.
export const handler: Handler = async (event) => {
  if (event.httpMethod !== 'POST') {
    return { statusCode: 405, body: 'Method not allowed' };
  }
  const { token, password } = JSON.parse(event.body ?? '{}') as { token?: string; password?: string };
  if (!token || !password || password.length < 10) {
    return { statusCode: 400, body: JSON.stringify({ error: 'A reset token and a password of at least 10 characters are required.' }) };
  }

  const { rows } = await pool.query<{ user_id: string }>(
    'delete from password_resets where token = $1 and expires_at > now() returning user_id',
    [token],
  );
  if (rows.length === 0) {
    return { statusCode: 410, body: JSON.stringify({ error: 'This reset link has expired.' }) };
  }

  const passwordHash = bcrypt.hashSync(password, 12);
  await pool.query('update users set password_hash = $1, updated_at = now() where id = $2', [passwordHash, rows[0].user_id]);
  return { statusCode: 204, body: '' };
};
