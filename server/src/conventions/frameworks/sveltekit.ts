// SvelteKit: `+server` endpoints (method exports), `+page.server` / `+layout.server` (`load`, `actions`) and
// `hooks.server` (`handle`, `handleFetch`, `handleError`); each handler takes one `RequestEvent`
// (`{ request, params, url, cookies, locals, platform }`). Prerendered files are static, not functions.
import * as ts from 'typescript';
import type { EntryConvention, FrameworkModule, ScanEnv, WaitUntilVia } from '../types';
import { HTTP_METHODS } from '../shared';

const CONFIGS = ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts'];
const HOOKS = new Set(['handle', 'handleFetch', 'handleError']);
const ENDPOINT_EXPORTS = new Set([...HTTP_METHODS, 'fallback']);

/** The adapter package decides where the server code runs when no platform configuration says. */
const ADAPTERS: readonly [string, { value: 'vercel' | 'cloudflare-workers' | 'netlify' | 'long-running'; reason: string }][] = [
  ['@sveltejs/adapter-vercel', { value: 'vercel', reason: 'no platform configuration was found, but the project uses @sveltejs/adapter-vercel' }],
  [
    '@sveltejs/adapter-cloudflare',
    { value: 'cloudflare-workers', reason: 'no platform configuration was found, but the project uses @sveltejs/adapter-cloudflare' },
  ],
  [
    '@sveltejs/adapter-cloudflare-workers',
    { value: 'cloudflare-workers', reason: 'no platform configuration was found, but the project uses @sveltejs/adapter-cloudflare-workers' },
  ],
  ['@sveltejs/adapter-netlify', { value: 'netlify', reason: 'no platform configuration was found, but the project uses @sveltejs/adapter-netlify' }],
  ['@sveltejs/adapter-node', { value: 'long-running', reason: 'the project uses @sveltejs/adapter-node, a long-running Node.js server' }],
];

/**
 * A SvelteKit project whose server code runs in functions: not one whose only adapter is adapter-static (everything
 * prerendered at build time) or adapter-node (a long-running server, where the function rules do not apply).
 */
function isSvelteKit(env: ScanEnv): boolean {
  const deps = env.project.dependencies;
  if (!deps.has('@sveltejs/kit') && !env.project.frameworkConfigs.some((c) => CONFIGS.includes(c))) return false;
  const serverless = deps.has('@sveltejs/adapter-auto') || ADAPTERS.some(([name, p]) => p.value !== 'long-running' && deps.has(name));
  return serverless || !(deps.has('@sveltejs/adapter-static') || deps.has('@sveltejs/adapter-node'));
}

/** `export const prerender = true`: SvelteKit renders the file at build time, so it runs in no function. */
function prerendered(env: ScanEnv): boolean {
  let init = env.exports.get('prerender');
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  return !!init && init.kind === ts.SyntaxKind.TrueKeyword;
}

/** `src/routes/blog/(app)/[slug]/+page.server` → `/blog/[slug]`; route groups `(…)` are not part of the URL. */
function routeOf(rel: string): string | undefined {
  const m = /(?:^|\/)src\/routes\/(?:(.*)\/)?\+(?:server|page\.server|layout\.server)$/.exec(rel);
  if (!m) return undefined;
  return (
    '/' +
    (m[1] ?? '')
      .split('/')
      .filter((s) => s && !/^\(.*\)$/.test(s))
      .join('/')
  );
}

// On Cloudflare the adapter puts the Workers ExecutionContext on `event.platform.ctx` (`context` is its deprecated alias);
// on Vercel and Netlify the platform default applies (`waitUntil` from @vercel/functions).
const PLATFORM_CTX: WaitUntilVia = { via: 'param', param: 0, member: 'platform?.ctx.waitUntil' };
const WAIT_UNTIL = { 'workers-ctx': PLATFORM_CTX };

const platformFromProject: EntryConvention['platformFromProject'] = (project) => ADAPTERS.find(([name]) => project.dependencies.has(name))?.[1];

const sveltekit: FrameworkModule = {
  id: 'sveltekit',
  label: 'SvelteKit',
  detect: {
    dependencies: ['@sveltejs/kit'],
    configFiles: CONFIGS,
    generatedDirs: ['.svelte-kit'],
    paths: ['src/routes/**/+server.ts', 'src/routes/**/+page.server.ts', 'src/routes/**/+layout.server.ts', 'src/hooks.server.ts'],
  },
  shapes: [
    { id: 'sveltekit-request-handler', label: 'SvelteKit endpoint', request: { params: 1 }, responds: { via: 'return' }, waitUntil: WAIT_UNTIL },
    { id: 'sveltekit-load', label: 'SvelteKit server load', request: { params: 1 }, responds: { via: 'return' }, waitUntil: WAIT_UNTIL },
    { id: 'sveltekit-action', label: 'SvelteKit form action', request: { params: 1 }, responds: { via: 'return' }, waitUntil: WAIT_UNTIL },
    { id: 'sveltekit-hook', label: 'SvelteKit server hook', request: { params: 1 }, responds: { via: 'return' }, waitUntil: WAIT_UNTIL },
  ],
  entries: [
    {
      id: 'sveltekit-endpoint',
      path: /(^|\/)src\/routes\/(.+\/)?\+server\.[cm]?[jt]s$/,
      route: routeOf,
      platformFromProject,
      handlers(env) {
        if (!isSvelteKit(env) || prerendered(env)) return false;
        for (const name of env.exports.keys())
          if (ENDPOINT_EXPORTS.has(name)) env.add('sveltekit-request-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
    {
      id: 'sveltekit-page-server',
      path: /(^|\/)src\/routes\/(.+\/)?\+(page|layout)\.server\.[cm]?[jt]s$/,
      route: routeOf,
      platformFromProject,
      handlers(env) {
        if (!isSvelteKit(env) || prerendered(env)) return false;
        env.add('sveltekit-load', 'load', env.exportedFn('load'), env.nameNodeOf('load'));
        // SvelteKit 1.0 betas (before form actions) took POST/PATCH/DELETE exports here; vercel/examples still has one.
        for (const name of env.exports.keys())
          if (HTTP_METHODS.has(name)) env.add('sveltekit-request-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        // Every named action of the `actions` object (`default`, `create` …) handles a form POST.
        let actions = env.exports.get('actions');
        if (actions && ts.isIdentifier(actions)) actions = env.locals.get(actions.text);
        while (actions && (ts.isAsExpression(actions) || ts.isSatisfiesExpression(actions) || ts.isParenthesizedExpression(actions)))
          actions = actions.expression;
        if (actions && ts.isObjectLiteralExpression(actions)) {
          const names = new Set(actions.properties.flatMap((p) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? [p.name.text] : [])));
          env.objectMethods(actions, names, 'sveltekit-action', 'actions.');
        }
        return env.handlerCount > 0;
      },
    },
    {
      id: 'sveltekit-hooks',
      path: /(^|\/)src\/hooks\.server\.[cm]?[jt]s$/,
      platformFromProject,
      route: (rel) => (/(?:^|\/)src\/hooks\.server$/.test(rel) ? 'hooks.server (every request)' : undefined),
      handlers(env) {
        if (!isSvelteKit(env)) return false;
        for (const name of HOOKS) env.add('sveltekit-hook', name, env.exportedFn(name), env.nameNodeOf(name));
        // A hook built by a factory (`export const handle = createHandle({ … })`) still runs on every request: the file
        // is an entry even when no handler function can be pointed at.
        return env.handlerCount > 0 || [...HOOKS].some((name) => env.exports.has(name));
      },
    },
  ],
};

export default sveltekit;
