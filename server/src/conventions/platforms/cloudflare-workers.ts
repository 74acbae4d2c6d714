// Cloudflare Workers: recognised by a wrangler config; V8 isolates (the edge runtime); `ctx.waitUntil`.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const cloudflareWorkers: PlatformModule = {
  id: 'cloudflare-workers',
  label: 'Cloudflare Workers',
  markers: [{ kind: 'wrangler', names: ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'] }],
  serverless: true,
  runtimes: ['edge'],
  runtimeLabels: { node: 'Node', edge: 'Edge (V8 isolate)' },
  defaultRuntime: () => ({ value: 'edge', reason: 'Cloudflare Workers run on V8 isolates (the edge runtime)' }),
  waitUntil: () => 'workers-ctx',
  limits: (runtime) => limitsFor('cloudflare-workers', runtime),
};

export default cloudflareWorkers;
