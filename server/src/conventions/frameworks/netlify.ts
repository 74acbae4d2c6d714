// Netlify Functions and Edge Functions: files under netlify/functions and netlify/edge-functions.
import type { FrameworkModule } from '../types';
import { functionFileHandlers } from './web-function';

const route = (rel: string) => {
  const m = /netlify\/(?:edge-)?functions\/([^/]+)/.exec(rel);
  return m ? `/.netlify/functions/${m[1]}` : undefined;
};
const FROM_PATH = { value: 'netlify', reason: 'the file is under netlify/functions or netlify/edge-functions' } as const;

const netlify: FrameworkModule = {
  id: 'netlify',
  label: 'Netlify Functions',
  detect: { configFiles: ['netlify.toml'], paths: ['netlify/functions/**', 'netlify/edge-functions/**'] },
  shapes: [
    {
      id: 'netlify-function', label: 'Netlify function', request: { params: 2 }, responds: { via: 'return' },
      waitUntil: { 'netlify-context': { via: 'param', param: 1, member: 'waitUntil', add: { ts: ['context: Context'], js: ['context'], typeImport: { from: '@netlify/functions', name: 'Context' } } } },
    },
    {
      id: 'netlify-edge-function', label: 'Netlify edge function', request: { params: 2 }, responds: { via: 'return' },
      waitUntil: { 'netlify-context': { via: 'param', param: 1, member: 'waitUntil', add: { ts: ['context: Context'], js: ['context'], typeImport: { from: '@netlify/edge-functions', name: 'Context' } } } },
    },
    // exports.handler = async (event, context) => {...}: the Lambda-compatible form, with no waitUntil.
    { id: 'netlify-legacy-function', label: 'Netlify function (legacy)', request: { params: 2 }, responds: { via: 'return' } },
  ],
  entries: [
    {
      id: 'netlify-edge-function', path: /(^|\/)netlify\/edge-functions\/.+\.[cm]?[jt]sx?$/, platformFromPath: FROM_PATH, route,
      handlers: (env) => functionFileHandlers(env, 'netlify-edge-function'),
      runtime: () => ({ value: 'edge', reason: 'files under netlify/edge-functions run on Deno at the edge' }),
    },
    {
      id: 'netlify-function', path: /(^|\/)netlify\/functions\/.+\.[cm]?[jt]sx?$/, platformFromPath: FROM_PATH, route,
      handlers: (env) => functionFileHandlers(env, 'netlify-function'),
    },
  ],
};

export default netlify;
