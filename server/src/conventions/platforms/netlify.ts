// Netlify: recognised by netlify.toml; Functions on Node.js, Edge Functions on Deno; `context.waitUntil`.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const netlify: PlatformModule = {
  id: 'netlify',
  label: 'Netlify',
  markers: [{ kind: 'netlify.toml', names: ['netlify.toml'] }],
  serverless: true,
  runtimes: ['node', 'edge'],
  runtimeLabels: { node: 'Node', edge: 'Edge (Deno)' },
  waitUntil: () => 'netlify-context',
  limits: (runtime) => limitsFor('netlify', runtime),
};

export default netlify;
