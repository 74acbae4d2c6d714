// AWS Amplify Gen 2 functions: amplify/functions/<name>/handler.ts exports a Lambda `handler`, or the file a
// `defineFunction({ entry })` in resource.ts names (read as data by analysis/iac-config.ts).
import type { FrameworkModule } from '../types';

const amplify: FrameworkModule = {
  id: 'amplify',
  label: 'AWS Amplify functions',
  detect: { dependencies: ['@aws-amplify/backend'], paths: ['amplify/functions/*/handler.ts'] },
  shapes: [],
  entries: [
    {
      id: 'amplify-function',
      // An Amplify function is a Lambda, invoked by the resource (API, trigger, schedule) that names it.
      route: () => 'Lambda',
      path: /(^|\/)amplify\/functions\/[^/]+\/handler\.[cm]?[jt]s$/,
      platformFromPath: { value: 'aws-lambda', reason: 'the file is an AWS Amplify function (amplify/functions/*/handler.ts)' },
      handlers(env) {
        env.add('lambda-handler', 'handler', env.exportedFn('handler'), env.nameNodeOf('handler'));
        return env.handlerCount > 0;
      },
    },
  ],
  scanFile(env) {
    // A function whose `defineFunction({ entry })` in amplify/**/resource.ts names this file.
    for (const h of env.configuredHandlers) {
      if (h.modulePath !== env.modulePath || !h.source.endsWith('/resource.ts')) continue;
      if (env.add('lambda-handler', h.exportName, env.exportedFn(h.exportName), env.nameNodeOf(h.exportName))) env.setEntry('amplify-function');
    }
    // The amplify/ folder is a project root of its own (its marker), so the path is often relative to it.
    if (env.entry !== 'none' || env.platform !== 'aws-lambda' || !/^functions\/[^/]+\/handler\.[cm]?[jt]s$/.test(env.relPath)) return;
    if (env.add('lambda-handler', 'handler', env.exportedFn('handler'), env.nameNodeOf('handler'))) env.setEntry('amplify-function');
  },
};

export default amplify;
