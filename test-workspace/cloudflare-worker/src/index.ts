import { Pool } from '@neondatabase/serverless';
import { evaluateFlag, type FlagRule } from './flags';
import { createLink } from './links';

export { ClickCounter } from './counter';

export interface Env {
  LINKS: KVNamespace;
  CLICKS: DurableObjectNamespace;
  APP_ORIGIN: string;
  DATABASE_URL: string;
}

const INSTANCE_ID = crypto.randomUUID();
const i18n = { locale: 'en-US' };
let flagRules: Promise<FlagRule[]> | undefined;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    i18n.locale = request.headers.get('accept-language')?.split(',')[0] ?? 'en-US';
    if (url.pathname === '/api/links' && request.method === 'POST') {
      return createLink(request, env);
    }

    const target = await env.LINKS.get(url.pathname.slice(1));
    if (!target) {
      return new Response('Link not found', { status: 404, headers: { 'x-served-by': INSTANCE_ID } });
    }

    const counter = env.CLICKS.get(env.CLICKS.idFromName(url.pathname));
    ctx.waitUntil(counter.fetch('https://clicks/increment', { method: 'POST' }));

    if (!flagRules) flagRules = fetch(`${env.APP_ORIGIN}/flags.json`).then((res) => res.json<FlagRule[]>());
    const country = String(request.cf?.country ?? 'US');
    const interstitial = (await flagRules).some((rule) => rule.name === 'interstitial' && evaluateFlag(rule.condition, { country }));
    if (interstitial) {
      return Response.redirect(`${env.APP_ORIGIN}/go?to=${encodeURIComponent(target)}&lang=${i18n.locale}`, 302);
    }
    return Response.redirect(target, 301);
  },

  async scheduled(controller: ScheduledController, env: Env): Promise<void> {
    const pool = new Pool({ connectionString: env.DATABASE_URL });
    const { rows } = await pool.query<{ slug: string }>('delete from links where expires_at < now() returning slug');
    await Promise.all(rows.map((row) => env.LINKS.delete(row.slug)));
    console.log(`[${INSTANCE_ID}] cron ${controller.cron}: purged ${rows.length} expired links`);
  },
} satisfies ExportedHandler<Env>;
