// Vercel Functions outside a framework: files under `api/`, and a root `server.ts` that listens (Vercel's server detection).
import type { FrameworkModule } from '../types';
import { functionFileHandlers } from './web-function';

const vercel: FrameworkModule = {
  id: 'vercel',
  label: 'Vercel Functions',
  detect: { configFiles: ['vercel.json'], paths: ['api/**', 'server.ts', 'src/server.ts'] },
  shapes: [
    { id: 'vercel-function', label: 'Vercel function', request: { params: 2 }, responds: { via: 'res', param: 1 } },
  ],
  entries: [
    {
      id: 'vercel-api', path: /^api\/.+\.[cm]?[jt]sx?$/,
      // A Workers project's api/ folder holds the Worker's modules (its `main` names the entry), not Vercel Functions.
      handlers: (env) => env.platform !== 'cloudflare-workers' && functionFileHandlers(env, 'vercel-function'),
      route(rel) {
        const m = /^api\/(.*)$/.exec(rel);
        return m ? ('/api/' + m[1]).replace(/\/index$/, '').replace(/\/$/, '') : undefined;
      },
    },
    {
      // A root server.ts that listens runs as one Vercel function; its route callbacks are the handlers.
      id: 'vercel-server', path: /^(src\/)?server\.[cm]?[jt]s$/,
      handlers: (env) => env.marked('listens') && env.platform === 'vercel',
    },
  ],
};

export default vercel;
