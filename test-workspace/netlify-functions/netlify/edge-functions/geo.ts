import type { Config, Context } from '@netlify/edge-functions';

const LOCALES = ['en', 'de', 'fr', 'es'];
const COUNTRY_LOCALE: Record<string, string> = { DE: 'de', AT: 'de', CH: 'de', FR: 'fr', BE: 'fr', ES: 'es', MX: 'es' };

interface Prefs {
  locale?: string;
}

// The settings page stores preferences as base64 JSON in the "prefs" cookie.
function readPrefs(request: Request): Prefs {
  const raw = request.headers.get('cookie')?.match(/(?:^|;\s*)prefs=([^;]+)/)?.[1];
  if (!raw) return {};
  try {
    return JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8'));
  } catch {
    return {};
  }
}

export default async (request: Request, context: Context) => {
  const url = new URL(request.url);
  const first = url.pathname.split('/')[1];
  if (LOCALES.includes(first) || Netlify.env.get('GEO_REDIRECTS') === 'off') {
    return context.next();
  }

  const preferred = readPrefs(request).locale;
  const locale = preferred && LOCALES.includes(preferred) ? preferred : COUNTRY_LOCALE[context.geo.country?.code ?? ''] ?? 'en';
  return Response.redirect(new URL(`/${locale}${url.pathname}${url.search}`, url), 302);
};

export const config: Config = { path: '/*', excludedPath: ['/api/*', '/.netlify/*', '/assets/*'] };
