// A long-running server (Dockerfile, fly.toml, Procfile, a Render blueprint, and no serverless configuration): no
// function rules apply.
import type { PlatformModule } from '../types';

const longRunning: PlatformModule = {
  id: 'long-running',
  label: 'Long-running',
  markers: ['Dockerfile', 'fly.toml', 'Procfile', 'render.yaml'],
  serverless: false,
  runtimes: ['node'],
  runtimeLabels: { node: 'Node', edge: 'Edge' },
  waitUntil: () => 'none',
  limits: () => undefined,
};

export default longRunning;
