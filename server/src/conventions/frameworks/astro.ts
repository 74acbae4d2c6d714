// Astro: endpoints (`src/pages/**/*.{js,ts}` exporting GET/POST/…/ALL, one `APIContext`) and middleware
// (`onRequest` of `src/middleware`), which run per request only with an SSR adapter and when not prerendered.
// Whether pages render on demand comes from astro.config's `output` and `adapter`, read from its syntax, never run.
import * as ts from 'typescript';
import type { EntryConvention, FrameworkModule, ScanEnv, WaitUntilVia } from '../types';
import { HTTP_METHODS } from '../shared';

const CONFIGS = ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts', 'astro.config.cjs'];
const METHODS = new Set([...HTTP_METHODS, 'ALL']);

type AdapterPlatform = { value: 'vercel' | 'cloudflare-workers' | 'netlify' | 'long-running'; reason: string };
/** Adapter packages, by the platform they build for (`@astrojs/vercel/serverless` is Astro 4's spelling). */
const ADAPTERS: readonly [RegExp, string, AdapterPlatform][] = [
  [/^@astrojs\/vercel(\/|$)/, 'vercel', { value: 'vercel', reason: 'no platform configuration was found, but astro.config uses the @astrojs/vercel adapter' }],
  [
    /^@astrojs\/cloudflare(\/|$)/,
    'cloudflare',
    { value: 'cloudflare-workers', reason: 'no platform configuration was found, but astro.config uses the @astrojs/cloudflare adapter' },
  ],
  [
    /^@astrojs\/netlify(\/|$)/,
    'netlify',
    { value: 'netlify', reason: 'no platform configuration was found, but astro.config uses the @astrojs/netlify adapter' },
  ],
  [/^@astrojs\/node(\/|$)/, 'node', { value: 'long-running', reason: 'astro.config uses the @astrojs/node adapter, a long-running Node.js server' }],
];

/**
 * Facts of an astro.config: `astro:output=<literal>` and `astro:adapter=<vercel|cloudflare|netlify|node>` when the
 * `adapter` property calls the default import of an adapter package. Anything computed is left out (unknown).
 */
function settings(sf: ts.SourceFile): string[] {
  const imports = new Map<string, string>();
  let config: ts.Node | undefined;
  const locals = new Map<string, ts.Expression>();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause?.name) {
      const adapter = ADAPTERS.find(([re]) => re.test((st.moduleSpecifier as ts.StringLiteral).text));
      if (adapter) imports.set(st.importClause.name.text, adapter[1]);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) locals.set(d.name.text, d.initializer);
    } else if (ts.isExportAssignment(st)) config = st.expression;
  }
  // `defineConfig({ … })`, `{ … } satisfies AstroUserConfig`, or a local holding either.
  for (let i = 0; i < 4 && config && !ts.isObjectLiteralExpression(config); i++) {
    if (ts.isIdentifier(config)) config = locals.get(config.text);
    else if (ts.isCallExpression(config)) config = config.arguments[0];
    else if (ts.isAsExpression(config) || ts.isSatisfiesExpression(config) || ts.isParenthesizedExpression(config)) config = config.expression;
    else config = undefined;
  }
  if (!config || !ts.isObjectLiteralExpression(config)) return [];
  const out: string[] = [];
  for (const p of config.properties) {
    if (!ts.isPropertyAssignment(p) || !p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) continue;
    if (p.name.text === 'output' && ts.isStringLiteralLike(p.initializer)) out.push(`astro:output=${p.initializer.text}`);
    if (p.name.text === 'adapter' && ts.isCallExpression(p.initializer) && ts.isIdentifier(p.initializer.expression)) {
      const adapter = imports.get(p.initializer.expression.text);
      if (adapter) out.push(`astro:adapter=${adapter}`);
    }
  }
  return out;
}

/** The nearest astro.config's value of a setting. */
function setting(env: ScanEnv, key: string): string | undefined {
  const hit = env.project.frameworkSettings.find((s) => s.startsWith(`astro:${key}=`));
  return hit?.slice(key.length + 7);
}

function isAstro(env: ScanEnv): boolean {
  return env.project.dependencies.has('astro') || env.project.frameworkConfigs.some((c) => CONFIGS.includes(c));
}

/** `export const prerender = true | false`, if the file says. */
function prerenderOf(env: ScanEnv): boolean | undefined {
  let init = env.exports.get('prerender');
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (init?.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (init?.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/**
 * Renders on demand: an adapter is configured, and the file opts out of prerendering (`prerender = false`) or the
 * project's `output` is 'server' and the file does not opt in. Astro's default output ('static', and Astro 4's
 * 'hybrid') prerenders everything else at build time.
 */
function onDemand(env: ScanEnv, prerender: boolean | undefined): boolean {
  if (!isAstro(env) || !setting(env, 'adapter')) return false;
  if (prerender !== undefined) return !prerender;
  return setting(env, 'output') === 'server';
}

const platformFromProject: EntryConvention['platformFromProject'] = (project) => {
  const adapter = project.frameworkSettings.find((s) => s.startsWith('astro:adapter='))?.slice(14);
  return ADAPTERS.find(([, id]) => id === adapter)?.[2];
};

/** `src/pages/api/users/[id].ts` → `/api/users/[id]`; `index` is the folder; `rss.xml.js` → `/rss.xml`. */
function route(rel: string): string | undefined {
  const m = /(?:^|\/)src\/pages\/(.+)$/.exec(rel);
  if (!m) return /(?:^|\/)src\/middleware(\/index)?$/.test(rel) ? 'middleware (every on-demand request)' : undefined;
  return ('/' + m[1].replace(/(^|\/)index$/, '')).replace(/\/$/, '') || '/';
}

// On Cloudflare the adapter exposes the Workers ExecutionContext as `context.locals.runtime.ctx`; on Vercel the
// platform default applies (`waitUntil` from @vercel/functions).
const LOCALS_CTX: WaitUntilVia = { via: 'param', param: 0, member: 'locals.runtime.ctx.waitUntil' };

const astro: FrameworkModule = {
  id: 'astro',
  label: 'Astro',
  detect: { dependencies: ['astro'], configFiles: CONFIGS, generatedDirs: ['.astro'], paths: ['src/pages/**/*.ts', 'src/middleware.ts'], settings },
  shapes: [
    { id: 'astro-endpoint-handler', label: 'Astro endpoint', request: { params: 1 }, responds: { via: 'return' }, waitUntil: { 'workers-ctx': LOCALS_CTX } },
    {
      id: 'astro-middleware-handler',
      label: 'Astro middleware',
      request: { params: 1 },
      responds: { via: 'return' },
      waitUntil: { 'workers-ctx': LOCALS_CTX },
    },
  ],
  entries: [
    {
      id: 'astro-endpoint',
      path: /(^|\/)src\/pages\/.+(?<!\.d)\.[cm]?[jt]s$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!onDemand(env, prerenderOf(env))) return false;
        for (const name of env.exports.keys()) if (METHODS.has(name)) env.add('astro-endpoint-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
    {
      // Middleware runs for every on-demand request; with the default static output it runs at build time only.
      id: 'astro-middleware',
      path: /(^|\/)src\/middleware(\/index)?\.[cm]?[jt]s$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!onDemand(env, undefined)) return false;
        return env.add('astro-middleware-handler', 'onRequest', env.exportedFn('onRequest'), env.nameNodeOf('onRequest'));
      },
    },
  ],
};

export default astro;
