// Netlify Functions and Edge Functions: netlify/functions and netlify/edge-functions (or the folders netlify.toml
// configures), where a function is a file directly in the folder or a subfolder's `<name>/<name>.ts` or
// `<name>/index.ts` (https://docs.netlify.com/functions/get-started/, verified 2026-12-07); other files there are
// helpers. Scheduled functions say `export const config = { schedule }`, edge functions `config = { path }`.
import * as ts from 'typescript';
import type { FrameworkModule, ScanEnv, ShapeId } from '../types';
import { functionFileHandlers } from './web-function';

const EXT = '\\.(?:[cm]?[jt]sx?)$';
/** `<dir>/<name>.ts`, `<dir>/<name>/<name>.ts`, `<dir>/<name>/index.ts`: the function's name, or undefined. */
function functionName(pathInDir: string): string | undefined {
  const m = /^([^/]+?)\.[cm]?[jt]sx?$/.exec(pathInDir) ?? /^([^/]+)\/(?:index|([^/]+?))\.[cm]?[jt]sx?$/.exec(pathInDir);
  if (!m) return undefined;
  if (m[2] !== undefined && m[2] !== m[1]) return undefined;
  return m[1];
}
const FUNCTION_FILE = (dir: string) => new RegExp(`(^|/)${dir}/(?:[^/]+${EXT}|([^/]+)/(?:index|\\2)${EXT})`);

const route = (rel: string) => {
  const m = /netlify\/(edge-)?functions\/(.+)$/.exec(rel);
  const name = m && functionName(m[2] + '.ts');
  return name ? (m![1] ? `/${name} (edge)` : `/.netlify/functions/${name}`) : undefined;
};

/** `export const config = { schedule: '@hourly' }` or `{ path: '/api/x' }`: the config's literal keys. */
function configKeys(env: ScanEnv): Set<string> {
  const keys = new Set<string>();
  let init = env.exports.get('config');
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (init && ts.isObjectLiteralExpression(init))
    for (const p of init.properties) if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) keys.add(p.name.text);
  return keys;
}

/** The handlers of a Netlify function file, as scheduled functions when its config has a `schedule`. */
function netlifyHandlers(env: ScanEnv, shape: ShapeId): boolean {
  const scheduled = shape === 'netlify-function' && configKeys(env).has('schedule');
  return functionFileHandlers(env, scheduled ? 'netlify-scheduled-function' : shape);
}

/** A file in a folder netlify.toml configures (`[functions] directory`, `[build] edge_functions`), if it is a function. */
function inConfiguredDir(env: ScanEnv, dir: string | undefined): boolean {
  if (!dir || !env.modulePath.startsWith(dir + '/')) return false;
  return functionName(env.modulePath.slice(dir.length + 1) + '.ts') !== undefined;
}
/** `context.waitUntil` on a Netlify handler's second parameter, whose `Context` type comes from `from`. */
function contextWaitUntil(from: string) {
  return {
    'netlify-context': {
      via: 'param',
      param: 1,
      member: 'waitUntil',
      add: { ts: ['context: Context'], js: ['context'], typeImport: { from, name: 'Context' } },
    },
  } as const;
}

const FROM_PATH = { value: 'netlify', reason: 'the file is under netlify/functions or netlify/edge-functions' } as const;

const netlify: FrameworkModule = {
  id: 'netlify',
  label: 'Netlify Functions',
  detect: { configFiles: ['netlify.toml'], paths: ['netlify/functions/**', 'netlify/edge-functions/**'] },
  shapes: [
    {
      id: 'netlify-function',
      label: 'Netlify function',
      request: { params: 2 },
      responds: { via: 'return' },
      waitUntil: contextWaitUntil('@netlify/functions'),
    },
    {
      id: 'netlify-edge-function',
      label: 'Netlify edge function',
      request: { params: 2 },
      responds: { via: 'return' },
      waitUntil: contextWaitUntil('@netlify/edge-functions'),
    },
    {
      // `export const config = { schedule: '@hourly' }`: run on a schedule, not per request (30 s limit).
      id: 'netlify-scheduled-function',
      label: 'Netlify scheduled function',
      request: { params: 2 },
      responds: { via: 'return' },
      waitUntil: contextWaitUntil('@netlify/functions'),
    },
    // exports.handler = async (event, context) => {...}: the Lambda-compatible form, with no waitUntil.
    { id: 'netlify-legacy-function', label: 'Netlify function (legacy)', request: { params: 2 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'netlify-edge-function',
      path: FUNCTION_FILE('netlify/edge-functions'),
      platformFromPath: FROM_PATH,
      route,
      handlers: (env) => netlifyHandlers(env, 'netlify-edge-function'),
      runtime: () => ({ value: 'edge', reason: 'files under netlify/edge-functions run on Deno at the edge' }),
    },
    {
      id: 'netlify-function',
      path: FUNCTION_FILE('netlify/functions'),
      platformFromPath: FROM_PATH,
      route,
      handlers: (env) => netlifyHandlers(env, 'netlify-function'),
    },
    // A function in the folder netlify.toml names (`[functions] directory = "functions"`): decided in scanFile.
    {
      id: 'netlify-configured-function',
      // Named by its file, or by its folder for `<name>/index` and `<name>/<name>`.
      route(rel) {
        const parts = rel.split('/');
        const last = parts[parts.length - 1];
        const folder = parts[parts.length - 2];
        return `/.netlify/functions/${folder !== undefined && (last === 'index' || last === folder) ? folder : last}`;
      },
    },
    {
      id: 'netlify-configured-edge-function',
      runtime: () => ({ value: 'edge', reason: 'the file is in the edge functions folder netlify.toml configures, which runs on Deno at the edge' }),
    },
  ],
  scanFile(env) {
    if (env.entry !== 'none' || env.platform !== 'netlify') return;
    const dirs = env.project.netlifyDirs;
    if (inConfiguredDir(env, dirs?.edge) && netlifyHandlers(env, 'netlify-edge-function')) env.setEntry('netlify-configured-edge-function');
    else if (inConfiguredDir(env, dirs?.functions) && netlifyHandlers(env, 'netlify-function')) env.setEntry('netlify-configured-function');
  },
};

export default netlify;
