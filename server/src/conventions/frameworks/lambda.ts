// AWS Lambda: handlers named in serverless.yml / a SAM template, or the conventional exported `handler`.
import type { FrameworkModule } from '../types';

const lambda: FrameworkModule = {
  id: 'lambda',
  label: 'AWS Lambda',
  detect: { configFiles: ['serverless.yml', 'template.yaml', 'cdk.json'] },
  shapes: [{ id: 'lambda-handler', label: 'Lambda handler', request: { params: 2 }, responds: { via: 'callback', param: 2 } }],
  entries: [
    // The report puts the configured function's name before it (`getOrder (Lambda)`).
    {
      id: 'lambda',
      route: () => 'Lambda',
      platformFromShape: { value: 'aws-lambda', reason: 'no platform configuration was found, but the file exports a Lambda-style `handler`' },
    },
  ],
  scanFile(env) {
    for (const h of env.configuredHandlers) {
      if (h.modulePath === env.modulePath) {
        env.add('lambda-handler', h.exportName, env.exportedFn(h.exportName), env.nameNodeOf(h.exportName));
        env.setEntry('lambda');
      }
    }
    if ((env.platform === 'aws-lambda' || env.platform === 'unknown') && env.entry === 'none') {
      if (env.add('lambda-handler', 'handler', env.exportedFn('handler'), env.nameNodeOf('handler'))) env.setEntry('lambda');
    }
  },
};

export default lambda;
