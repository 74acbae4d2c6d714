// Diagnostics inside platform configuration files: exact key positions, plan-dependent limits, broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfigFile } from '../../server/src/config-checks';
import { locateTomlKeys } from '../../server/src/config-checks/toml-keys';
import { ConfigCache, parseJsonc, parseYaml } from '../../server/src/analysis/project';
import { MemoryHost } from '../../server/src/analysis/host';
import { defaultSettings, mergeSettings } from '../../shared/src/settings';

const settings = (plan?: string) => mergeSettings(defaultSettings(), { plan });
const at = (text: string, p: { span: { start: number; end: number } }) => text.slice(p.span.start, p.span.end);

test('vercel.json: maxDuration and memory above the plan, crons on Hobby, at the exact key', () => {
  const text = [
    '{',
    '  // comments are allowed',
    '  "functions": {',
    '    "api/report.ts": { "maxDuration": 900, "memory": 3009 },',
    '    "api/ok.ts": { "maxDuration": 60 }',
    '  },',
    '  "crons": [{ "path": "/api/cron", "schedule": "*/10 * * * *" }, { "path": "api/bad", "schedule": "0 3 * *" }]',
    '}',
  ].join('\n');
  const hobby = checkConfigFile('/p/vercel.json', text, settings('hobby'));
  assert.deepEqual(
    hobby.map((p) => [p.ruleId, at(text, p), p.range!.start.line]),
    [
      ['max-duration-exceeds-limit', '"maxDuration": 900', 3],
      ['function-memory-limit', '"memory": 3009', 3],
      ['vercel-cron-path', '"path": "api/bad"', 6],
      ['vercel-cron-schedule', '"schedule": "0 3 * *"', 6],
      ['vercel-hobby-cron-frequency', '"schedule": "*/10 * * * *"', 6],
    ],
  );
  assert.equal(hobby[0].severity, 'error');
  // On Pro the same memory fits, and 900 s is within the 1,800 s maximum (a beta above 800 s, but it deploys).
  const pro = checkConfigFile('/p/vercel.json', text, settings('pro'));
  assert.deepEqual(
    pro.map((p) => [p.ruleId, p.severity]),
    [
      ['vercel-cron-path', 'error'],
      ['vercel-cron-schedule', 'error'],
    ],
  );
});

test('serverless.yml: provider and function timeouts, memory and deprecated runtimes', () => {
  const text = [
    'service: orders',
    'provider:',
    '  name: aws',
    '  runtime: nodejs16.x',
    '  timeout: 30',
    'functions:',
    '  export:',
    '    handler: src/export.handler',
    '    timeout: 1200 # month-end',
    '    memorySize: 20480',
  ].join('\n');
  const problems = checkConfigFile('/p/serverless.yml', text, settings());
  assert.deepEqual(
    problems.map((p) => [p.ruleId, at(text, p), p.range!.start.line, p.range!.start.character]),
    [
      ['lambda-deprecated-runtime', 'runtime: nodejs16.x', 3, 2],
      ['max-duration-exceeds-limit', 'timeout: 1200', 8, 4],
      ['function-memory-limit', 'memorySize: 20480', 9, 4],
    ],
  );
});

test('serverless.yml: checked from the parse the project walk cached, with the same problems', () => {
  const text = 'service: orders\nprovider:\n  name: aws\n  timeout: 30\nfunctions:\n  export:\n    handler: src/export.handler\n    timeout: 1200\n';
  const host = new MemoryHost();
  host.write('/p/serverless.yml', text);
  const configs = new ConfigCache(host);
  const walked = configs.read('/p/serverless.yml');
  assert.equal(configs.parse('/p/serverless.yml', text), walked, 'the same text is parsed once');
  assert.notEqual(configs.parse('/p/serverless.yml', text + '\n'), walked, 'another text (an unsaved buffer) is parsed again');
  const viaCache = checkConfigFile('/p/serverless.yml', text, settings(), configs);
  assert.deepEqual(viaCache, checkConfigFile('/p/serverless.yml', text, settings()));
  assert.deepEqual(
    viaCache.map((p) => p.ruleId),
    ['max-duration-exceeds-limit'],
  );
});

test('SAM template.yaml: Globals and function properties, CloudFormation tags accepted', () => {
  const text = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Function:',
    '    Timeout: 901',
    'Resources:',
    '  Api:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Handler: app.handler',
    '      Role: !GetAtt ApiRole.Arn',
    '      MemorySize: 512',
  ].join('\n');
  const problems = checkConfigFile('/p/template.yaml', text, settings());
  assert.deepEqual(
    problems.map((p) => [p.ruleId, at(text, p)]),
    [['max-duration-exceeds-limit', 'Timeout: 901']],
  );
});

test('wrangler.toml and wrangler.jsonc: limits.cpu_ms, legacy node_compat, nodejs_compat v1 dates', () => {
  const toml = [
    'name = "w"',
    'compatibility_date = "2024-01-01"',
    'compatibility_flags = [',
    '  "nodejs_compat",',
    ']',
    'node_compat = true',
    '',
    '[limits]',
    'cpu_ms = 400_000',
  ].join('\n');
  const problems = checkConfigFile('/p/wrangler.toml', toml, settings());
  assert.deepEqual(
    problems.map((p) => [p.severity, at(toml, p)]),
    [
      ['error', 'cpu_ms = 400_000'],
      ['warning', 'node_compat = true'],
      ['info', 'compatibility_date = "2024-01-01"'],
    ],
  );
  const json = '{\n  // worker\n  "name": "w",\n  "limits": { "cpu_ms": 50 }\n}';
  assert.deepEqual(
    checkConfigFile('/p/wrangler.jsonc', json, settings('free')).map((p) => at(json, p)),
    ['"cpu_ms": 50'],
  );
  assert.deepEqual(checkConfigFile('/p/wrangler.jsonc', json, settings('paid')), []);
});

test('broken files get one diagnostic at the parse error; rules turned off stay off', () => {
  const json = '{ "functions": { "api/a.ts": { "maxDuration": 900, } ';
  const [p] = checkConfigFile('/p/vercel.json', json, settings());
  assert.equal(p.ruleId, 'invalid-config');
  assert.equal(p.range!.start.line, 0);
  const yml = 'functions:\n  a:\n    timeout: [1, 2\n';
  const y = checkConfigFile('/p/serverless.yml', yml, settings());
  assert.equal(y.length >= 1, true);
  assert.ok(y.every((x) => x.ruleId === 'invalid-config' && x.span.start >= yml.indexOf('[')));
  const toml = 'name = "w"\n[limits\ncpu_ms = 1';
  const t = checkConfigFile('/p/wrangler.toml', toml, settings());
  assert.equal(t.length, 1);
  assert.equal(t[0].range!.start.line, 1);
  const off = mergeSettings(defaultSettings(), { rules: { 'max-duration-exceeds-limit': 'off' } });
  assert.deepEqual(checkConfigFile('/p/serverless.yml', 'functions:\n  a:\n    timeout: 5000\n', off), []);
  assert.deepEqual(checkConfigFile('/p/package.json', '{', settings()), []);
});

test('netlify.toml: edge function entries need a function and a path', () => {
  const text = '[build]\n  publish = "dist"\n\n[[edge_functions]]\n  path = "/geo"\n  function = "geo"\n\n[[edge_functions]]\n  function = "auth"\n';
  const problems = checkConfigFile('/p/netlify.toml', text, settings());
  assert.deepEqual(
    problems.map((p) => [at(text, p), p.range!.start.line]),
    [['[[edge_functions]]', 7]],
  );
});

test('TOML key locator: tables, dotted and quoted keys, inline tables, multi-line values', () => {
  const text = 'a = """\nx = 1\n"""\n[t]\n"q.k" = 1\nd.e = 2\ninl = { cpu_ms = 5, y = "z" }\narr = [\n  1,\n]\nafter = 3\n';
  const keys = locateTomlKeys(text);
  assert.equal(keys.has('x'), false);
  assert.equal(text.slice(keys.get('t.q.k')!.start, keys.get('t.q.k')!.end), '"q.k" = 1');
  assert.equal(text.slice(keys.get('t.d.e')!.start, keys.get('t.d.e')!.end), 'd.e = 2');
  assert.equal(text.slice(keys.get('t.inl.cpu_ms')!.start, keys.get('t.inl.cpu_ms')!.end), 'cpu_ms = 5');
  assert.equal(text.slice(keys.get('t.after')!.start, keys.get('t.after')!.end), 'after = 3');
});

test('config parse errors read as words, and a duplicate YAML key is a warning that keeps the file', () => {
  const json = parseJsonc('/p/vercel.json', '{ "functions": {} "crons": [] }');
  assert.deepEqual(
    json.problems.map((p) => p.message),
    ['vercel.json: comma expected.'],
  );
  const yaml = parseYaml('/p/serverless.yml', 'service: a\nservice: b\nprovider:\n  name: aws\n');
  assert.deepEqual(
    yaml.problems.map((p) => [p.severity, p.range?.start.line]),
    [['warning', 1]],
  );
  assert.deepEqual(yaml.data, { service: 'b', provider: { name: 'aws' } });
});
