import bcrypt from 'bcryptjs';
import type { Env } from './index';

interface NewLink {
  url: string;
  slug?: string;
  password?: string;
  ttlDays?: number;
}

const SLUG_PATTERN = /^[a-z0-9-]{3,32}$/;

export async function createLink(request: Request, env: Env): Promise<Response> {
  const body = await request.json<NewLink>();
  if (!URL.canParse(body.url)) {
    return Response.json({ error: 'url must be an absolute URL' }, { status: 400 });
  }
  const slug = body.slug ?? crypto.randomUUID().slice(0, 8);
  if (!SLUG_PATTERN.test(slug)) {
    return Response.json({ error: 'slug must be 3-32 lowercase letters, digits or dashes' }, { status: 400 });
  }
  if (await env.LINKS.get(slug)) {
    return Response.json({ error: 'slug is already taken' }, { status: 409 });
  }

  // Password-protected links are checked on the /go page.
  const passwordHash = body.password ? await bcrypt.hash(body.password, 10) : undefined;
  await env.LINKS.put(slug, body.url, {
    expirationTtl: (body.ttlDays ?? 30) * 86_400,
    metadata: { passwordHash, createdAt: Date.now() },
  });
  return Response.json({ slug, shortUrl: `${env.APP_ORIGIN}/${slug}` }, { status: 201 });
}
