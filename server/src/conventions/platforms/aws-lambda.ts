// AWS Lambda: recognised by serverless.yml, a SAM template, cdk.json or an Amplify functions folder; no waitUntil.
import { limitsFor } from '../../../../shared/src/limits';
import type { ParsedConfig } from '../../analysis/project';
import type { PlatformModule } from '../types';

const SERVERLESS = ['serverless.yml', 'serverless.yaml'];

const awsLambda: PlatformModule = {
  id: 'aws-lambda',
  label: 'AWS Lambda',
  markers: [
    // The Serverless Framework also deploys to Azure, Google Cloud and others: only an `aws` provider (the default)
    // makes a Lambda project.
    { kind: 'serverless.yml', names: SERVERLESS, find: (f) => SERVERLESS.find((n) => f.has(n) && awsProvider(f.config(n))) },
    // template.yaml is a common name: it marks a SAM project only when it declares Lambda functions.
    {
      kind: 'sam-template',
      names: ['template.yaml', 'template.yml'],
      find: (f) => ['template.yaml', 'template.yml'].find((n) => f.has(n) && isSamTemplate(f.config(n))),
    },
    { kind: 'cdk.json', names: ['cdk.json'] },
    // Amplify Gen 2: an amplify/ folder with functions (or that folder itself, for a file inside it).
    {
      kind: 'amplify',
      names: ['amplify'],
      find: (f) => (f.dir.endsWith('/amplify') || (f.has('amplify') && f.isDirectory('amplify/functions')) ? 'amplify' : undefined),
      describe: 'an amplify/functions folder',
    },
  ],
  serverless: true,
  runtimes: ['node', 'python'],
  runtimeLabels: { node: 'Node', python: 'Python' },
  waitUntil: () => 'none',
  limits: (runtime) => limitsFor('aws-lambda', runtime),
};

/**
 * Whether a serverless.yml deploys to AWS: `provider: aws`, `provider: { name: aws }`, no provider (AWS is the
 * default), or a name computed from variables (`${opt:provider}`), which is not known here. A file that cannot be
 * parsed still counts, so it gets its diagnostics.
 */
function awsProvider(parsed: ParsedConfig | undefined): boolean {
  const provider = (parsed?.data as { provider?: unknown } | undefined)?.provider;
  const name = typeof provider === 'string' ? provider : provider && typeof provider === 'object' ? (provider as { name?: unknown }).name : undefined;
  return typeof name !== 'string' || name === 'aws' || name.includes('${');
}

/** Whether a template.yaml is a SAM or CloudFormation template declaring Lambda functions. */
function isSamTemplate(parsed: ParsedConfig | undefined): boolean {
  const data = parsed?.data as { AWSTemplateFormatVersion?: unknown; Transform?: unknown; Resources?: Record<string, { Type?: string }> } | undefined;
  // A template that cannot be parsed (a syntax error, too many aliases, nested too deeply) is still a SAM template when
  // its text says so: it gets its diagnostics instead of silently going unchecked.
  if (parsed && parsed.data === undefined && parsed.problems.length)
    return /AWSTemplateFormatVersion|AWS::Serverless|AWS::Lambda::Function/.test(parsed.text) || parsed.text === '';
  if (!data || typeof data !== 'object') return false;
  const transform = JSON.stringify(data.Transform ?? '');
  if (transform.includes('AWS::Serverless')) return true;
  return Object.values(data.Resources ?? {}).some((r) => r && typeof r === 'object' && /^AWS::(Serverless|Lambda)::Function$/.test(String(r.Type)));
}

export default awsLambda;
