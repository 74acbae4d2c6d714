'use server';

import { appendFile } from 'node:fs/promises';
import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { query } from '@/lib/db';
import { log } from '@/lib/logger';
import { verifySession } from '@/lib/session';

async function requireSession() {
  const token = (await cookies()).get(process.env.SESSION_COOKIE ?? 'session')?.value;
  const session = token ? await verifySession(token) : null;
  if (!session) redirect('/login');
  return session;
}

export async function joinWaitlist(formData: FormData) {
  const email = String(formData.get('email') ?? '').trim().toLowerCase();
  if (!email.includes('@')) {
    return { error: 'Please enter a valid email address.' };
  }
  await appendFile('./data/waitlist.csv', `${email},${new Date().toISOString()}\n`);
  return { ok: true };
}

export async function updateProfile(formData: FormData) {
  const session = await requireSession();
  const name = String(formData.get('name') ?? '').trim().slice(0, 80);
  await query('update users set name = $1, updated_at = now() where id = $2', [name, session.userId]);
  after(() => log('info', 'profile updated', { userId: session.userId }));
  revalidatePath('/dashboard');
}
