// A long-running server (Dockerfile, fly.toml, Procfile, a Render blueprint, and no serverless configuration): no
// function rules apply.
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
  ],
  serverless: false,
  runtimes: ['node'],
  runtimeLabels: { node: 'Node', edge: 'Edge' },
  waitUntil: () => 'none',
  limits: () => undefined,
};

export default longRunning;
