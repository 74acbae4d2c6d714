// AWS Amplify Gen 2 functions: amplify/functions/<name>/handler.ts exports a Lambda `handler`.
import type { FrameworkModule } from '../types';

const amplify: FrameworkModule = {
  id: 'amplify',
  label: 'AWS Amplify functions',
  detect: { dependencies: ['@aws-amplify/backend'], paths: ['amplify/functions/*/handler.ts'] },
  shapes: [],
  entries: [
    {
      id: 'amplify-function', path: /(^|\/)amplify\/functions\/[^/]+\/handler\.[cm]?[jt]s$/,
      platformFromPath: { value: 'aws-lambda', reason: 'the file is an AWS Amplify function (amplify/functions/*/handler.ts)' },
      handlers(env) {
        env.add('lambda-handler', 'handler', env.exportedFn('handler'), env.nameNodeOf('handler'));
        return env.handlerCount > 0;
      },
    },
  ],
};

export default amplify;
