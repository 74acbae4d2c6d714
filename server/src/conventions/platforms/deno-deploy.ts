// Deno Deploy and Supabase Edge Functions: recognised by a supabase/functions folder or deno.json; Deno isolates.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const denoDeploy: PlatformModule = {
  id: 'deno-deploy',
  label: 'Deno Deploy',
  markers: [
    {
      kind: 'supabase',
      names: ['supabase'],
      find: (f) => (f.has('supabase') && f.isDirectory('supabase/functions') ? 'supabase' : undefined),
      describe: 'a supabase/functions folder',
    },
    { kind: 'deno.json', names: ['deno.json'] },
  ],
  serverless: true,
  runtimes: ['node', 'edge'],
  // The current Deno Deploy runs the standard Deno runtime, which the analysis models as the Node.js-like runtime.
  runtimeLabels: { node: 'Deno', edge: 'Edge (Deno)' },
  // One platform id, two products: Supabase Edge Functions (files under supabase/functions/) run on Deno isolates with
  // edge limits, while the current Deno Deploy runs standard Deno, with a file system, subprocesses, npm packages and
  // node: builtins.
  defaultRuntime: (_entry, fileName) =>
    /(^|\/)supabase\/functions\//.test(fileName)
      ? { value: 'edge', reason: 'Supabase Edge Functions (supabase/functions/) run on Deno isolates' }
      : {
          value: 'node',
          reason: 'the current Deno Deploy runs the standard Deno runtime (file system, subprocesses, npm packages, node: builtins), not an edge isolate',
        },
  waitUntil: () => 'none',
  limits: (runtime) => limitsFor('deno-deploy', runtime),
};

export default denoDeploy;
