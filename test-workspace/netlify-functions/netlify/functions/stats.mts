import type { Config, Context } from '@netlify/functions';

// Page-view counters for the "popular posts" sidebar.
const viewsBySlug = new Map<string, number>();
let totalViews = 0;

export default async (req: Request, context: Context) => {
  const slug = new URL(req.url).searchParams.get('slug');
  if (!slug) {
    return Response.json({ error: 'slug is required' }, { status: 400 });
  }

  totalViews++;
  viewsBySlug.set(slug, (viewsBySlug.get(slug) ?? 0) + 1);

  return Response.json(
    { slug, views: viewsBySlug.get(slug), totalViews },
    { headers: { 'Cache-Control': 'no-store', 'x-request-id': context.requestId } },
  );
};

export const config: Config = { path: '/api/stats' };
