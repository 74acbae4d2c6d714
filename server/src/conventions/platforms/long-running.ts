// A long-running server (Dockerfile, fly.toml, Procfile, a Render blueprint, a Railway config, and no serverless
// configuration): no function rules apply.
import type { PlatformModule } from '../types';

const longRunning: PlatformModule = {
  id: 'long-running',
  label: 'Long-running',
  markers: [
    { kind: 'Dockerfile', names: ['Dockerfile'] },
    { kind: 'fly.toml', names: ['fly.toml'] },
    { kind: 'Procfile', names: ['Procfile'] },
    // A Render Blueprint: https://render.com/docs/blueprint-spec
    { kind: 'render.yaml', names: ['render.yaml'] },
    // Railway's config as code runs a service as a container: https://docs.railway.com/reference/config-as-code
    { kind: 'railway', names: ['railway.toml', 'railway.json'] },
  ],
  serverless: false,
  runtimes: ['node'],
  runtimeLabels: { node: 'Node', edge: 'Edge' },
  waitUntil: () => 'none',
  limits: () => undefined,
};

export default longRunning;
