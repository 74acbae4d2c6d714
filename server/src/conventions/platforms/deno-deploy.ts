// Deno Deploy and Supabase Edge Functions: recognised by a supabase/functions folder or deno.json; Deno isolates.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const denoDeploy: PlatformModule = {
  id: 'deno-deploy',
  label: 'Deno Deploy',
  markers: ['supabase', 'deno.json'],
  serverless: true,
  runtimes: ['edge'],
  runtimeLabels: { node: 'Node', edge: 'Edge (Deno)' },
  defaultRuntime: () => ({ value: 'edge', reason: 'Deno Deploy and Supabase Edge Functions run on Deno isolates' }),
  waitUntil: () => 'none',
  limits: (runtime) => limitsFor('deno-deploy', runtime),
};

export default denoDeploy;
