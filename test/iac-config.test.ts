// Lambda functions declared in infrastructure code (CDK stacks, Amplify `defineFunction`) are read from the
// TypeScript syntax tree as data: their entry files become Lambda entries, and their timeouts and memory are
// checked against the Lambda limits like serverless.yml's, at the key in the .ts file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { amplifyHandlersInFile, cdkHandlersInFile } from '../server/src/analysis/iac-config';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { checkConfigsFor } from '../server/src/config-checks';
import { RULES } from '../server/src/rules';

const STACK = [
  "import { Duration, Stack } from 'aws-cdk-lib';",
  "import * as lambda from 'aws-cdk-lib/aws-lambda';",
  "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
  "import * as path from 'path';",
  'export class ApiStack extends Stack {',
  '  constructor(scope: any, id: string) {',
  '    super(scope, id);',
  "    new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '../lambda/orders.ts'), handler: 'main', timeout: Duration.minutes(20), memorySize: 1024 });",
  "    new NodejsFunction(this, 'Defaults');",
  "    new lambda.Function(this, 'Legacy', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('lambda/legacy'), timeout: Duration.seconds(30) });",
  "    new NodejsFunction(this, 'Computed', { entry: process.env.ENTRY!, timeout: Duration.seconds(Number(process.env.T)) });",
  '  }',
  '}',
].join('\n');

test('CDK: NodejsFunction and lambda.Function props are read as data, never run', () => {
  const found = cdkHandlersInFile('/app/lib/api-stack.ts', STACK, '/app');
  assert.deepEqual(
    found.map((h) => [h.functionName, h.modulePath, h.exportName, h.timeout, h.memory]),
    [
      ['Orders', '/app/lambda/orders', 'main', 1200, 1024],
      // No entry: CDK derives `<defining file>.<id>.ts` next to the stack file.
      ['Defaults', '/app/lib/api-stack.Defaults', 'handler', undefined, undefined],
      // A string path is relative to the folder the CDK CLI runs in (cdk.json's).
      ['Legacy', '/app/lambda/legacy/index', 'handler', 30, undefined],
    ],
  );
});

test('Amplify: defineFunction entry (default ./handler.ts), timeoutSeconds and memoryMB', () => {
  const text =
    "import { defineFunction } from '@aws-amplify/backend';\nexport const a = defineFunction({ name: 'a', timeoutSeconds: 60 });\nexport const b = defineFunction({ entry: './src/main.ts', memoryMB: 64 });";
  const found = amplifyHandlersInFile('/p/amplify/functions/a/resource.ts', text);
  assert.deepEqual(
    found.map((h) => [h.functionName, h.modulePath, h.timeout, h.memory]),
    [
      ['a', '/p/amplify/functions/a/handler', 60, undefined],
      ['a', '/p/amplify/functions/a/src/main', undefined, 64],
    ],
  );
});

test('CDK and Amplify timeouts and memory are checked like serverless.yml, at the key in the .ts file', () => {
  const files = {
    '/app/cdk.json': '{"app": "npx ts-node bin/app.ts"}',
    '/app/package.json': '{"name": "app"}',
    '/app/lib/api-stack.ts': STACK,
    '/app/lambda/orders.ts': 'export const main = async () => ({ statusCode: 200 });',
    '/web/package.json': '{"name": "web", "devDependencies": {"@aws-amplify/backend": "1.0.0"}}',
    '/web/amplify/functions/slow/resource.ts':
      "import { defineFunction } from '@aws-amplify/backend';\nexport const slow = defineFunction({ name: 'slow', timeoutSeconds: 901 });",
    '/web/amplify/functions/slow/handler.ts': 'export const handler = async () => 1;',
  };
  const host = new MemoryHost(files);
  const service = new LintService(host, { workspaceRoot: '/', rules: RULES });
  const problems = checkConfigsFor(service, ['/app/lambda/orders.ts', '/web/amplify/functions/slow/handler.ts'], (f) => host.readFile(f));
  const shown = problems
    .map((p) => `${p.fileName}:${p.range?.start.line} ${p.ruleId} ${files[p.fileName as keyof typeof files].slice(p.span.start, p.span.end)}`)
    .sort();
  assert.deepEqual(shown, [
    '/app/lib/api-stack.ts:7 max-duration-exceeds-limit timeout: Duration.minutes(20)',
    '/web/amplify/functions/slow/resource.ts:1 max-duration-exceeds-limit timeoutSeconds: 901',
  ]);
  const orders = service.lint('/app/lambda/orders.ts', files['/app/lambda/orders.ts']);
  assert.equal(orders.context.role.value, 'function-entry');
  assert.deepEqual(
    orders.context.handlers.map((h) => h.name),
    ['main'],
  );
});
