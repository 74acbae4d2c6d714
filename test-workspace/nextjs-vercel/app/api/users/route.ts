import { NextResponse, after, type NextRequest } from 'next/server';
import { query } from '@/lib/db';
import { sendWelcomeEmail } from '@/lib/email';
import { log } from '@/lib/logger';
import { getSession, type Session } from '@/lib/session';

interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
}

let currentUser: Session | null = null;

export async function GET(request: NextRequest) {
  currentUser = await getSession(request);
  if (!currentUser) {
    return NextResponse.json({ error: 'Unauthorized' }, { status: 401 });
  }
  const users = await query<User>(
    'select id, email, name, role from users where org_id = $1 order by name',
    [currentUser.orgId],
  );
  return NextResponse.json(users);
}

export async function POST(request: NextRequest) {
  const session = await getSession(request);
  if (session?.role !== 'admin') {
    return NextResponse.json({ error: 'Forbidden' }, { status: 403 });
  }
  const { email, name } = (await request.json()) as Pick<User, 'email' | 'name'>;
  const [user] = await query<User>(
    'insert into users (email, name, role, org_id) values ($1, $2, $3, $4) returning id, email, name, role',
    [email.toLowerCase(), name, 'member', session.orgId],
  );
  sendWelcomeEmail(user);
  after(() => log('info', 'user invited', { invitedBy: session.userId, userId: user.id }));
  return NextResponse.json(user, { status: 201 });
}
