// Vercel: recognised by vercel.json, a .vercel/ folder or a Next.js config; Node.js functions on Fluid compute or edge.
import { limitsFor } from '../../../../shared/src/limits';
import { VERCEL_CONFIG_FILES } from '../../analysis/vercel-config';
import type { PlatformModule } from '../types';

const vercel: PlatformModule = {
  id: 'vercel',
  label: 'Vercel',
  markers: [
    // vercel.toml and vercel.ts/.mts hold the same settings as vercel.json (one per project): one marker kind.
    { kind: 'vercel.json', names: VERCEL_CONFIG_FILES },
    { kind: '.vercel', names: ['.vercel'], find: (f) => (f.has('.vercel') && f.isDirectory('.vercel') ? '.vercel' : undefined), describe: 'a .vercel/ folder' },
    { kind: 'next.config', names: ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs', 'next.config.mts'] },
  ],
  serverless: true,
  runtimes: ['node', 'edge', 'python'],
  runtimeLabels: { node: 'Node (Fluid)', edge: 'Edge', python: 'Python (Fluid)' },
  // Next.js code hands work on with after() from next/server; everything else with waitUntil from @vercel/functions.
  waitUntil: (framework) => (framework?.id === 'nextjs' ? 'next-after' : 'vercel-waitUntil'),
  limits: (runtime) => limitsFor('vercel', runtime),
};

export default vercel;
