import { readFile } from 'node:fs/promises';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import type { NextRequest } from 'next/server';

export interface Session {
  userId: string;
  orgId: string;
  email: string;
  role: 'admin' | 'member';
}

type SessionClaims = JwtPayload & Omit<Session, 'userId'>;

// The public half of the signing key is committed in keys/; the private half lives in SESSION_PRIVATE_KEY.
let publicKey: string | undefined;

async function getPublicKey(): Promise<string> {
  if (!publicKey) {
    publicKey = await readFile(process.env.SESSION_PUBLIC_KEY_PATH ?? 'keys/session.pub', 'utf8');
  }
  return publicKey;
}

export async function verifySession(token: string): Promise<Session | null> {
  try {
    const claims = jwt.verify(token, await getPublicKey(), { algorithms: ['RS256'] }) as SessionClaims;
    return { userId: String(claims.sub), orgId: claims.orgId, email: claims.email, role: claims.role };
  } catch {
    return null;
  }
}

export async function getSession(request: NextRequest): Promise<Session | null> {
  const token = request.cookies.get(process.env.SESSION_COOKIE ?? 'session')?.value;
  return token ? verifySession(token) : null;
}
