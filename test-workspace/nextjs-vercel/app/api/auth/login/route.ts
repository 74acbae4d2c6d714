import bcrypt from 'bcrypt';
import { PrismaClient } from '@prisma/client/edge';
import { withAccelerate } from '@prisma/extension-accelerate';
import { SignJWT, importPKCS8 } from 'jose';
import { NextResponse } from 'next/server';

// Login runs close to the user.
export const runtime = 'edge';

const prisma = new PrismaClient().$extends(withAccelerate());

export async function POST(request: Request) {
  const { email, password } = (await request.json()) as { email: string; password: string };
  const user = await prisma.user.findUnique({ where: { email: email.toLowerCase() } });
  const valid = user ? await bcrypt.compare(password, user.passwordHash) : false;
  if (!user || !valid) {
    return NextResponse.json({ error: 'Invalid email or password' }, { status: 401 });
  }

  const privateKey = await importPKCS8(process.env.SESSION_PRIVATE_KEY!, 'RS256');
  const token = await new SignJWT({ orgId: user.orgId, email: user.email, role: user.role })
    .setProtectedHeader({ alg: 'RS256' })
    .setSubject(user.id)
    .setIssuedAt()
    .setExpirationTime('7d')
    .sign(privateKey);

  const response = NextResponse.json({ id: user.id, email: user.email });
  response.cookies.set(process.env.SESSION_COOKIE ?? 'session', token, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: '/',
    maxAge: 60 * 60 * 24 * 7,
  });
  return response;
}
