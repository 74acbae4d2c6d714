// Cloudflare Pages Functions: functions/** of a Pages project, exporting onRequest / onRequestGet … handlers (or, in
// `_middleware`, an array of them) that take one `context` ({ request, env, params, waitUntil, next, data }).
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv } from '../types';

const PAGES_FUNCTIONS = /^onRequest(Get|Post|Put|Patch|Delete|Head|Options)?$/;
/** Packages only a Cloudflare project has: with one of them, functions/ is Pages' folder. */
const CLOUDFLARE_PACKAGES = /^(wrangler|@cloudflare\/(workers-types|pages-plugin-.+|next-on-pages)|cloudflare)$/;

/**
 * Whether functions/ is a Pages Functions folder: the wrangler config says Pages (`pages_build_output_dir`) or has no
 * `main` (a Worker names its module there), or, with no wrangler config, the project depends on Cloudflare tooling or
 * the file types its handlers as Pages Functions. A functions/ folder of another Node project stays silent.
 */
function isPagesProject(env: ScanEnv): boolean {
  const p = env.project;
  if (p.pagesProject) return true;
  const wrangler = p.markers?.find((m) => m.kind === 'wrangler');
  if (wrangler) return !p.workerMain;
  for (const dep of p.dependencies) if (CLOUDFLARE_PACKAGES.test(dep)) return true;
  return /\bPagesFunction\b|\bEventContext</.test(env.sf.text);
}

/** `functions/api/users/[id].ts` → `/api/users/:id`; `[[path]]` → `*`; `index` → the folder; `_middleware` → `folder/*`. */
function route(rel: string): string | undefined {
  const m = /^functions\/(.+)$/.exec(rel);
  if (!m) return undefined;
  const segments = m[1].split('/');
  const last = segments[segments.length - 1];
  if (last === '_middleware') return `/${segments.slice(0, -1).join('/')}${segments.length > 1 ? '/' : ''}* (middleware)`;
  if (last === 'index') segments.pop();
  const path = segments.map((s) => s.replace(/^\[\[.+\]\]$/, '*').replace(/^\[(.+)\]$/, ':$1')).join('/');
  return `/${path}`;
}

const cloudflarePages: FrameworkModule = {
  id: 'cloudflare-pages',
  label: 'Cloudflare Pages Functions',
  detect: { dependencies: ['wrangler', '@cloudflare/workers-types'], paths: ['functions/**'] },
  shapes: [
    {
      // One `context`, whole or destructured: request, env, params, data and next all carry request data.
      id: 'pages-function',
      label: 'Pages Function',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'waitUntil' } },
    },
  ],
  entries: [
    {
      id: 'cloudflare-pages-function',
      path: /^functions\/.+\.[cm]?[jt]sx?$/,
      route,
      platformFromShape: {
        value: 'cloudflare-workers',
        reason: 'no platform configuration was found, but the file is a Cloudflare Pages Function (functions/, onRequest exports)',
      },
      handlers(env) {
        // Helpers under functions/ (a `_lib/` or `utils/` module) export no onRequest and are no routes.
        if (![...env.exports.keys()].some((n) => PAGES_FUNCTIONS.test(n)) || !isPagesProject(env)) return false;
        for (const name of env.exports.keys()) {
          if (!PAGES_FUNCTIONS.test(name)) continue;
          if (env.add('pages-function', name, env.exportedFn(name), env.nameNodeOf(name))) continue;
          // `export const onRequest = [errorHandling, auth]`: each middleware of the chain is a handler.
          let list: ts.Node | undefined = env.exports.get(name);
          if (list && ts.isIdentifier(list)) list = env.locals.get(list.text);
          while (list && (ts.isAsExpression(list) || ts.isSatisfiesExpression(list) || ts.isParenthesizedExpression(list))) list = list.expression;
          if (list && ts.isArrayLiteralExpression(list)) {
            list.elements.forEach((el, i) => {
              const fn = env.unwrap(el);
              const label = ts.isIdentifier(el) ? el.text : String(i);
              env.add('pages-function', `${name}[${label}]`, fn, el);
            });
          }
        }
        return env.handlerCount > 0;
      },
    },
  ],
};

export default cloudflarePages;
