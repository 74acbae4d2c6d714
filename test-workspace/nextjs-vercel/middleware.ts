import { NextResponse, type NextRequest } from 'next/server';
import type { Session } from './lib/session';
import { verifySession } from './lib/session';
import { log } from './lib/logger';

const PUBLIC_PATHS = ['/login', '/signup', '/api/auth/login', '/api/og', '/api/report'];

export async function middleware(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC_PATHS.some((path) => pathname.startsWith(path))) {
    return NextResponse.next();
  }

  const token = request.cookies.get(process.env.SESSION_COOKIE ?? 'session')?.value;
  const session: Session | null = token ? await verifySession(token) : null;
  if (!session) {
    await log('info', 'redirecting unauthenticated request', { pathname });
    const login = new URL('/login', request.url);
    login.searchParams.set('next', pathname);
    return NextResponse.redirect(login);
  }

  const headers = new Headers(request.headers);
  headers.set('x-user-id', session.userId);
  headers.set('x-org-id', session.orgId);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/dashboard/:path*', '/api/:path*'],
};
