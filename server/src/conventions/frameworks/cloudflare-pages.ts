// Cloudflare Pages Functions: functions/**, exporting onRequest / onRequestGet … handlers that take one `context`.
import type { FrameworkModule } from '../types';

const PAGES_FUNCTIONS = /^onRequest(Get|Post|Put|Patch|Delete|Head|Options)?$/;

const cloudflarePages: FrameworkModule = {
  id: 'cloudflare-pages',
  label: 'Cloudflare Pages Functions',
  detect: { paths: ['functions/**'] },
  shapes: [
    {
      id: 'pages-function', label: 'Pages Function', request: { params: 2 }, responds: { via: 'return' },
      waitUntil: { 'workers-ctx': { via: 'param', param: 0, member: 'waitUntil' } },
    },
  ],
  entries: [
    {
      id: 'cloudflare-pages-function', path: /^functions\/.+\.[cm]?[jt]sx?$/,
      handlers(env) {
        for (const name of env.exports.keys()) if (PAGES_FUNCTIONS.test(name)) env.add('pages-function', name, env.exportedFn(name), env.nameNodeOf(name));
        return env.handlerCount > 0;
      },
    },
  ],
};

export default cloudflarePages;
