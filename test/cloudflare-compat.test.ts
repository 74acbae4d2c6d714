// Node.js compatibility on Cloudflare Workers: the flag, the 2026-08-04 default and the opt-out, through the pure
// resolver and through a whole project's context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveNodejsCompat } from '../server/src/analysis/cloudflare-compat';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { checkConfigFile } from '../server/src/config-checks';
import { defaultSettings, mergeSettings } from '../shared/src/settings';

test('the flag turns nodejs_compat on whatever the date', () => {
  assert.equal(resolveNodejsCompat('2024-01-01', ['nodejs_compat']).on, true);
  assert.equal(resolveNodejsCompat(undefined, ['nodejs_compat_v2']).on, true);
});

test('a compatibility date from 2026-08-04 turns it on by default, and only both opt-out flags turn it off', () => {
  assert.equal(resolveNodejsCompat('2026-08-03', []).on, false);
  const on = resolveNodejsCompat('2026-08-04', []);
  assert.equal(on.on, true);
  assert.match(on.reason, /2026-08-04/);
  assert.equal(resolveNodejsCompat('2026-11-01', ['no_nodejs_compat', 'no_nodejs_compat_v2']).on, false);
  // Each flag has its own default: with one opted out, the other still provides the node: modules.
  const half = resolveNodejsCompat('2026-11-01', ['no_nodejs_compat']);
  assert.equal(half.on, true);
  assert.match(half.reason, /nodejs_compat_v2 still provides/);
  assert.equal(resolveNodejsCompat('2026-11-01', ['no_nodejs_compat_v2']).on, true);
  assert.equal(resolveNodejsCompat('not a date', []).on, false);
});

function lint(wrangler: string, fileName = 'wrangler.toml') {
  const host = new MemoryHost({
    [`/w/${fileName}`]: wrangler,
    '/w/package.json': '{"name":"w"}',
    '/w/src/index.ts': [
      "import { createHash } from 'node:crypto';",
      'export default {',
      '  async fetch(request: Request): Promise<Response> {',
      "    return new Response(createHash('sha256').update(await request.text()).digest('hex'));",
      '  },',
      '};',
      '',
    ].join('\n'),
  });
  const service = new LintService(host, { workspaceRoot: '/w', rules: RULES });
  return service.lint('/w/src/index.ts', host.readFile('/w/src/index.ts')!);
}

test('a Worker on a 2026-08-04+ date may import node:crypto without the flag; before that date it may not', () => {
  const recent = lint('name = "hash"\nmain = "src/index.ts"\ncompatibility_date = "2026-09-01"\n');
  assert.equal(recent.context.nodejsCompat, true);
  assert.deepEqual(
    recent.findings.map((f) => f.ruleId),
    [],
  );
  const bareDate = lint('name = "hash"\nmain = "src/index.ts"\ncompatibility_date = 2026-09-01\n');
  assert.equal(bareDate.context.nodejsCompat, true, 'a TOML date literal is read too');
  const jsonc = lint('{ "name": "hash", "main": "src/index.ts", "compatibility_date": "2026-09-01" }', 'wrangler.jsonc');
  assert.equal(jsonc.context.nodejsCompat, true);
  const old = lint('name = "hash"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-17"\n');
  assert.equal(old.context.nodejsCompat, false);
  assert.deepEqual(
    old.findings.map((f) => f.ruleId),
    ['edge-no-node-builtin'],
  );
  const optOut = lint(
    'name = "hash"\nmain = "src/index.ts"\ncompatibility_date = "2026-09-01"\ncompatibility_flags = ["no_nodejs_compat", "no_nodejs_compat_v2"]\n',
  );
  assert.equal(optOut.context.nodejsCompat, false);
  assert.deepEqual(
    optOut.findings.map((f) => f.ruleId),
    ['edge-no-node-builtin'],
  );
});

test('wrangler config: the nodejs_compat flag on a 2026-08-04+ date is reported as redundant (information)', () => {
  const settings = mergeSettings(defaultSettings(), { platform: 'cloudflare-workers' });
  const redundant = checkConfigFile('/w/wrangler.toml', 'name = "a"\ncompatibility_date = "2026-09-01"\ncompatibility_flags = ["nodejs_compat"]\n', settings);
  assert.deepEqual(
    redundant.map((p) => [p.severity, /redundant/.test(p.message)]),
    [['info', true]],
  );
  assert.deepEqual(
    checkConfigFile('/w/wrangler.toml', 'name = "a"\ncompatibility_date = "2025-09-01"\ncompatibility_flags = ["nodejs_compat"]\n', settings),
    [],
  );
});
