import { readFile } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { ImageResponse } from 'next/og';
import { neon } from '@neondatabase/serverless';
import { OgCard } from '@/components/OgCard';

export const runtime = 'edge';

const sql = neon(process.env.DATABASE_URL!);

export async function GET(request: Request) {
  const { searchParams } = new URL(request.url);
  const slug = searchParams.get('slug') ?? '';
  // Campaign links carry a base64url-encoded subtitle, e.g. ?s=TGF1bmNoIHdlZWs
  const subtitle = Buffer.from(searchParams.get('s') ?? '', 'base64url').toString('utf8');

  const [post] = await sql`select title, author_name from posts where slug = ${slug} and published limit 1`;
  if (!post) return new Response('Not found', { status: 404 });

  const inter = await readFile(`${__dirname}/fonts/Inter-SemiBold.ttf`);

  return new ImageResponse(OgCard({ title: post.title, subtitle, author: post.author_name }), {
    width: 1200,
    height: 630,
    fonts: [{ name: 'Inter', data: inter, weight: 600, style: 'normal' }],
    headers: { 'Cache-Control': 'public, max-age=86400, stale-while-revalidate=604800' },
  });
}
