// Imports of the AWS SDK for JavaScript v2 (`aws-sdk`) in function code: absent from Node.js 18+ Lambda runtimes, heavy at cold start.
import * as ts from 'typescript';
import { defineRule } from '../analysis/rule';
import type { FileFacts, ImportInfo } from '../analysis/facts';
import { packageName } from '../analysis/ast';
import { isFallbackLoad } from '../analysis/guards';
import { own } from '../../../shared/src/records';

/** v2 service class (lowercased, as in `aws-sdk/clients/<name>`) → the v3 package that replaces it. */
// biome-ignore format: a packed list of service names reads better than one service per line.
const V3_PACKAGES: Record<string, string> = {
  apigateway: '@aws-sdk/client-api-gateway', apigatewaymanagementapi: '@aws-sdk/client-apigatewaymanagementapi', appsync: '@aws-sdk/client-appsync',
  athena: '@aws-sdk/client-athena', batch: '@aws-sdk/client-batch', cloudfront: '@aws-sdk/client-cloudfront', cloudwatch: '@aws-sdk/client-cloudwatch',
  cloudwatchevents: '@aws-sdk/client-cloudwatch-events', cloudwatchlogs: '@aws-sdk/client-cloudwatch-logs', cognitoidentity: '@aws-sdk/client-cognito-identity',
  cognitoidentityserviceprovider: '@aws-sdk/client-cognito-identity-provider', comprehend: '@aws-sdk/client-comprehend', dynamodb: '@aws-sdk/client-dynamodb',
  ec2: '@aws-sdk/client-ec2', ecs: '@aws-sdk/client-ecs', elasticache: '@aws-sdk/client-elasticache', eventbridge: '@aws-sdk/client-eventbridge',
  firehose: '@aws-sdk/client-firehose', glue: '@aws-sdk/client-glue', iam: '@aws-sdk/client-iam', iotdata: '@aws-sdk/client-iot-data-plane',
  kinesis: '@aws-sdk/client-kinesis', kms: '@aws-sdk/client-kms', lambda: '@aws-sdk/client-lambda', pinpoint: '@aws-sdk/client-pinpoint',
  polly: '@aws-sdk/client-polly', rds: '@aws-sdk/client-rds', rdsdataservice: '@aws-sdk/client-rds-data', rekognition: '@aws-sdk/client-rekognition',
  route53: '@aws-sdk/client-route-53', s3: '@aws-sdk/client-s3', sagemakerruntime: '@aws-sdk/client-sagemaker-runtime',
  secretsmanager: '@aws-sdk/client-secrets-manager', ses: '@aws-sdk/client-ses', sesv2: '@aws-sdk/client-sesv2', sns: '@aws-sdk/client-sns',
  sqs: '@aws-sdk/client-sqs', ssm: '@aws-sdk/client-ssm', stepfunctions: '@aws-sdk/client-sfn', sts: '@aws-sdk/client-sts',
  textract: '@aws-sdk/client-textract', translate: '@aws-sdk/client-translate',
};
const DOCUMENT_CLIENT = '@aws-sdk/lib-dynamodb';

export default defineRule({
  meta: {
    id: 'no-aws-sdk-v2',
    severity: 'error',
    category: 'platform',
    scope: 'function-code',
    summary: 'Disallow the AWS SDK for JavaScript v2 (`aws-sdk`) in function code.',
    why:
      'The Node.js 18 and later Lambda runtimes ship only the AWS SDK v3 (`@aws-sdk/*`): a function that imports `aws-sdk` without ' +
      'bundling it fails at cold start with "Cannot find module \'aws-sdk\'". Bundled, v2 is one monolithic package that loads every ' +
      'service definition and adds tens of megabytes to the bundle and hundreds of milliseconds to each cold start, on Vercel and ' +
      'Netlify as much as on Lambda; and v2 has reached end of support, so it gets no more fixes.',
    action:
      'Replace it with the modular v3 client for each service (`@aws-sdk/client-s3`, `@aws-sdk/client-dynamodb` with ' +
      '`@aws-sdk/lib-dynamodb` for the DocumentClient …), created once at module scope.',
    bad: [
      {
        fileName: 'src/handlers/upload.ts',
        platform: 'aws-lambda',
        code: [
          "import AWS from 'aws-sdk';",
          '',
          'const s3 = new AWS.S3();',
          '',
          'export const handler = async (event: { key: string; body: string }) => {',
          '  await s3.putObject({ Bucket: process.env.BUCKET!, Key: event.key, Body: event.body }).promise();',
          '  return { statusCode: 204 };',
          '};',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'src/handlers/upload.ts',
        platform: 'aws-lambda',
        code: [
          "import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';",
          '',
          'const s3 = new S3Client({});',
          '',
          'export const handler = async (event: { key: string; body: string }) => {',
          '  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET!, Key: event.key, Body: event.body }));',
          '  return { statusCode: 204 };',
          '};',
        ].join('\n'),
      },
    ],
    fixes: [],
    messages: {
      notInLambdaRuntime: 'aws-sdk (v2) is not included in the Node.js 18+ Lambda runtimes and loads the whole SDK at cold start; use {{use}} (v3).',
      endOfSupport: 'aws-sdk (v2) has reached end of support and loads the whole SDK at every cold start; use {{use}} (v3).',
    },
    limits: [
      'The severity is error on the aws-lambda platform and warning elsewhere; the Lambda runtime version declared in serverless.yml or a SAM template is not read, so a function still on nodejs16.x (which does include v2) is reported as an error too.',
      'The replacement package is named for `aws-sdk/clients/<service>` imports, named imports (`{ S3 }`) and `new AWS.<Service>()` uses; other uses get the generic advice.',
      "A `require('aws-sdk')` inside try/catch (an optional dependency) is not reported.",
    ],
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html',
      'https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/migrating.html',
      'https://aws.amazon.com/blogs/developer/announcing-end-of-support-for-aws-sdk-for-javascript-v2/',
    ],
  },
  create(ctx) {
    const v2 = ctx.facts.imports.filter((i) => packageName(i.specifier) === 'aws-sdk' && !i.typeOnly && !(i.kind !== 'import' && isFallbackLoad(i.node)));
    if (v2.length === 0) return {};
    return {
      end() {
        const onLambda = ctx.context.platform.value === 'aws-lambda';
        for (const info of v2) {
          const packages = replacementsFor(ctx.facts, info);
          const use =
            packages.length > 1
              ? `${packages.slice(0, -1).join(', ')} and ${packages[packages.length - 1]}`
              : (packages[0] ?? 'the matching @aws-sdk/client-* package');
          ctx.report({
            node: info.specifierNode,
            severity: onLambda ? 'error' : 'warning',
            messageId: onLambda ? 'notInLambdaRuntime' : 'endOfSupport',
            data: { use },
          });
        }
      },
    };
  },
});

/** The v3 packages that replace what this import is used for, from its subpath, named bindings and `AWS.<Service>` uses. */
function replacementsFor(facts: FileFacts, info: ImportInfo): string[] {
  const out = new Set<string>();
  const add = (service: string) => {
    const pkg = own(V3_PACKAGES, service.toLowerCase());
    if (pkg) out.add(pkg);
  };
  const sub = /^aws-sdk\/clients\/([a-z0-9]+)/i.exec(info.specifier);
  if (sub) add(sub[1]);
  const objects = new Set<string>();
  for (const b of info.bindings) {
    if (b.imported === '*' || b.imported === 'default') {
      if (sub) continue;
      objects.add(b.local);
    } else add(b.imported);
  }
  // `AWS.S3`, `new AWS.DynamoDB.DocumentClient()`: the service is the member right after the SDK object.
  for (const object of objects) {
    for (const id of facts.identifiersNamed(object)) {
      const access = memberAccessOn(id);
      if (!access) continue;
      add(access.name.text);
      if (ts.isPropertyAccessExpression(access.parent) && access.parent.name.text === 'DocumentClient') out.add(DOCUMENT_CLIENT);
    }
  }
  // `import DynamoDB from 'aws-sdk/clients/dynamodb'` then `new DynamoDB.DocumentClient()`.
  if (sub) {
    for (const local of new Set(info.bindings.map((b) => b.local))) {
      if (facts.identifiersNamed(local).some((id) => memberAccessOn(id)?.name.text === 'DocumentClient')) out.add(DOCUMENT_CLIENT);
    }
  }
  return [...out].sort();
}

/** `id.member` when `id` is the object of a property access. */
function memberAccessOn(id: ts.Identifier): ts.PropertyAccessExpression | undefined {
  const p = id.parent;
  return ts.isPropertyAccessExpression(p) && p.expression === id ? p : undefined;
}
