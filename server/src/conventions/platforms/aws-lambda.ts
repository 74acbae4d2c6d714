// AWS Lambda: recognised by serverless.yml, a SAM template, cdk.json or an Amplify functions folder; no waitUntil.
import { limitsFor } from '../../../../shared/src/limits';
import type { PlatformModule } from '../types';

const awsLambda: PlatformModule = {
  id: 'aws-lambda',
  label: 'AWS Lambda',
  markers: ['serverless.yml', 'sam-template', 'cdk.json', 'amplify'],
  serverless: true,
  runtimes: ['node', 'python'],
  runtimeLabels: { node: 'Node', python: 'Python' },
  waitUntil: () => 'none',
  limits: (runtime) => limitsFor('aws-lambda', runtime),
};

export default awsLambda;
