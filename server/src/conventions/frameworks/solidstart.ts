// SolidStart: API routes (`src/routes/**` files exporting GET/POST/…, one `APIEvent` `{ request, params, locals }`),
// server functions (`"use server"` at the top of a file or of a function body, often inside `query()`/`action()`) and
// the SSR entry (`src/entry-server.tsx`: `export default createHandler(() => <StartServer … />)`, which renders every
// page request on the server).
import * as ts from 'typescript';
import type { EntryConvention, FrameworkModule, FunctionNode, ScanEnv } from '../types';
import { HTTP_METHODS, hasModifier } from '../shared';
import { nodesOfKindIn } from '../../analysis/tree';

const isSolidStart = (env: ScanEnv) => env.project.dependencies.has('@solidjs/start');

const CONFIGS = ['app.config.ts', 'app.config.js', 'app.config.mjs'];

/**
 * The Nitro preset of `app.config`'s `defineConfig({ server: { preset } })` (SolidStart 1 builds with Vinxi and Nitro),
 * as `solidstart:preset=<literal>`; anything computed is left out. Nuxt's own `app.config.ts` has no such key.
 */
function settings(sf: ts.SourceFile): string[] {
  let config: ts.Expression | undefined;
  for (const st of sf.statements) if (ts.isExportAssignment(st)) config = st.expression;
  if (config && ts.isCallExpression(config)) config = config.arguments[0];
  if (!config || !ts.isObjectLiteralExpression(config)) return [];
  const property = (obj: ts.ObjectLiteralExpression, name: string) =>
    obj.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
    )?.initializer;
  const server = property(config, 'server');
  const preset = server && ts.isObjectLiteralExpression(server) ? property(server, 'preset') : undefined;
  return preset && ts.isStringLiteralLike(preset) ? [`solidstart:preset=${preset.text}`] : [];
}

/** Nitro presets by the platform they build for (`vercel-edge` and `vercel_edge` are one preset). */
const PRESETS: readonly [RegExp, 'vercel' | 'netlify' | 'cloudflare-workers' | 'aws-lambda' | 'deno-deploy' | 'long-running'][] = [
  [/^vercel([-_]edge)?$/, 'vercel'],
  [/^netlify([-_](edge|legacy))?$/, 'netlify'],
  [/^cloudflare([-_](pages|module|durable))?$/, 'cloudflare-workers'],
  [/^aws[-_]lambda$/, 'aws-lambda'],
  [/^deno[-_]deploy$/, 'deno-deploy'],
  [/^(node([-_](server|cluster))?|bun|deno[-_]server)$/, 'long-running'],
];

const platformFromProject: EntryConvention['platformFromProject'] = (project) => {
  const preset = project.frameworkSettings.find((s) => s.startsWith('solidstart:preset='))?.slice(18);
  const value = preset === undefined ? undefined : PRESETS.find(([re]) => re.test(preset))?.[1];
  if (!value) return undefined;
  const reason =
    value === 'long-running'
      ? `app.config builds with the Nitro preset '${preset}', a long-running server`
      : `no platform configuration was found, but app.config builds with the Nitro preset '${preset}'`;
  return { value, reason };
};

/** `src/routes/api/users/[id].ts` → `/api/users/[id]`; groups `(…)` and `index` leave the URL. */
function route(rel: string): string | undefined {
  const m = /(?:^|\/)src\/routes\/(.+)$/.exec(rel);
  if (!m) return undefined;
  return (
    '/' +
    m[1]
      .split('/')
      .filter((s) => !/^\(.*\)$/.test(s) && s !== 'index')
      .join('/')
  );
}

/** A function whose body opens with the "use server" directive. */
function hasUseServer(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return false;
  for (const st of body.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === 'use server') return true;
  }
  return false;
}

/** The name people call a server function by: its variable (`const getUser = query(async () => …)`) or declaration. */
function nameOf(fn: ts.FunctionLikeDeclaration): { name: string; node: ts.Node } {
  if (fn.name && ts.isIdentifier(fn.name)) return { name: fn.name.text, node: fn.name };
  let node: ts.Node = fn.parent;
  // Up through the wrapper calls (query(fn, key), action(fn)) to the declaration: a fixed, small number of steps.
  for (let i = 0; i < 3 && node; i++, node = node.parent) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) return { name: node.name.text, node: node.name };
    if (!ts.isCallExpression(node) && !ts.isParenthesizedExpression(node) && !ts.isAsExpression(node)) break;
  }
  return { name: 'server function', node: fn };
}

/**
 * The callback of `export default createHandler(fn)` (directly or through a local), when `createHandler` is imported
 * from `@solidjs/start/server`: SolidStart calls it with the request's `PageEvent` to render each page request.
 */
function ssrCallback(env: ScanEnv): { fn: FunctionNode; callee: ts.Identifier } | undefined {
  let def = env.exports.get('default');
  if (def && ts.isIdentifier(def)) def = env.locals.get(def.text);
  if (!def || !ts.isCallExpression(def) || !ts.isIdentifier(def.expression)) return undefined;
  const callee = def.expression;
  for (const st of env.sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== '@solidjs/start/server') continue;
    const named = st.importClause?.namedBindings;
    if (!named || !ts.isNamedImports(named)) continue;
    if (!named.elements.some((el) => el.name.text === callee.text && (el.propertyName ?? el.name).text === 'createHandler')) continue;
    const fn = env.unwrap(def.arguments[0]);
    return fn ? { fn, callee } : undefined;
  }
  return undefined;
}

const solidstart: FrameworkModule = {
  id: 'solidstart',
  label: 'SolidStart',
  detect: {
    dependencies: ['@solidjs/start'],
    configFiles: CONFIGS,
    paths: ['src/routes/**/*.ts', 'src/routes/**/*.tsx', 'src/entry-server.tsx'],
    settings,
  },
  shapes: [
    // createHandler's callback: called with the request's PageEvent, it returns the document to render.
    { id: 'solid-ssr-handler', label: 'SolidStart SSR entry', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'solid-api-handler', label: 'SolidStart API route', request: { params: 1 }, responds: { via: 'return' } },
    { id: 'solid-server-function', label: 'SolidStart server function', request: { params: 1 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'solid-entry-server',
      path: /(^|\/)src\/entry-server\.[cm]?[jt]sx?$/,
      route: (rel) => (/(^|\/)src\/entry-server$/.test(rel) ? 'entry-server (every page request)' : undefined),
      platformFromProject,
      handlers(env) {
        const ssr = ssrCallback(env);
        return !!ssr && env.add('solid-ssr-handler', 'default', ssr.fn, ssr.callee);
      },
    },
    {
      id: 'solid-api-route',
      path: /(^|\/)src\/routes\/.+\.[cm]?[jt]sx?$/,
      route,
      platformFromProject,
      handlers(env) {
        if (!isSolidStart(env)) return false;
        for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) env.add('solid-api-handler', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
    { id: 'solid-server-function', route: () => '(server functions: a POST from the calling page)', platformFromProject },
  ],
  scanFile(env) {
    // Runs before Next.js's Server Action scan in the registry, so a SolidStart 'use server' file is SolidStart's.
    if (!isSolidStart(env) || !env.sf.text.includes('use server')) return;
    const before = env.handlerCount;
    if (env.useServer) {
      for (const [name, node] of env.exports) {
        const fn = env.unwrap(node);
        if (fn && hasModifier(fn, ts.SyntaxKind.AsyncKeyword)) env.add('solid-server-function', name, fn, env.nameNodeOf(name));
      }
    }
    for (const kind of [ts.SyntaxKind.ArrowFunction, ts.SyntaxKind.FunctionExpression, ts.SyntaxKind.FunctionDeclaration]) {
      for (const fn of nodesOfKindIn<ts.FunctionLikeDeclaration>(env.sf, env.sf, kind)) {
        if (!hasUseServer(fn)) continue;
        const { name, node } = nameOf(fn);
        env.add('solid-server-function', name, fn, node);
      }
    }
    if (env.handlerCount > before) env.setEntry('solid-server-function');
  },
};

export default solidstart;
