// Vercel: recognised by vercel.json, a .vercel/ folder or a Next.js config; Node.js functions on Fluid compute or edge.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const vercel: PlatformModule = {
  id: 'vercel',
  label: 'Vercel',
  markers: ['vercel.json', '.vercel', 'next.config'],
  serverless: true,
  runtimes: ['node', 'edge', 'python'],
  runtimeLabels: { node: 'Node (Fluid)', edge: 'Edge', python: 'Python (Fluid)' },
  // Next.js code hands work on with after() from next/server; everything else with waitUntil from @vercel/functions.
  waitUntil: (framework) => (framework?.id === 'nextjs' ? 'next-after' : 'vercel-waitUntil'),
  limits: (runtime) => limitsFor('vercel', runtime),
};

export default vercel;
