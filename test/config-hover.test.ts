// Hovers in platform config files, on the keys each platform uses for timeouts, memory and Workers limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';
import { configHoverAt } from '../server/src/lsp/config-hover';

function hover(path: string, text: string, needle: string, files: Record<string, string> = {}): string | undefined {
  const service = new LintService(new MemoryHost({ [path]: text, ...files }), { workspaceRoot: '/repo', rules: RULES });
  const doc = TextDocument.create(`file://${path}`, 'plaintext', 1, text);
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const h = configHoverAt(service, path, doc, doc.positionAt(offset + 1));
  return h ? (h.contents as { value: string }).value : undefined;
}

test('SAM template: Globals.Function.Timeout and a function resource MemorySize', () => {
  const sam = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Function:',
    '    Timeout: 20',
    'Resources:',
    '  Orders:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Handler: src/orders.list',
    '      MemorySize: 256',
    '      CodeUri: !Ref Code',
  ].join('\n');
  assert.match(hover('/repo/template.yaml', sam, 'Timeout') ?? '', /`Globals\.Function\.Timeout`[\s\S]*Max duration on AWS Lambda/);
  assert.match(hover('/repo/template.yaml', sam, 'MemorySize') ?? '', /`Resources\.Orders\.Properties\.MemorySize`[\s\S]*Memory on AWS Lambda/);
  assert.equal(hover('/repo/template.yaml', sam, 'Handler'), undefined);
});

test('netlify.toml: [functions] shows the Netlify duration table; [[edge_functions]] the edge CPU limit', () => {
  const toml = '[build]\ncommand = "npm run build"\n\n[functions]\nnode_bundler = "esbuild"\n\n[[edge_functions]]\nfunction = "geo"\npath = "/geo"\n';
  assert.match(
    hover('/repo/netlify.toml', toml, 'node_bundler') ?? '',
    /not in netlify\.toml[\s\S]*Max duration on Netlify Functions[\s\S]*\| pro \(this project\) \| 60 s/,
  );
  assert.match(hover('/repo/netlify.toml', toml, '[functions]') ?? '', /Max duration on Netlify Functions/);
  assert.match(hover('/repo/netlify.toml', toml, 'function = "geo"') ?? '', /CPU time per request on Netlify Edge Functions[\s\S]*50 ms/);
  assert.equal(hover('/repo/netlify.toml', toml, 'command'), undefined);
});

test('wrangler.jsonc: limits.cpu_ms and whether nodejs_compat is on, and why', () => {
  const jsonc =
    '{\n  // the API worker\n  "name": "api",\n  "compatibility_date": "2025-01-01",\n  "compatibility_flags": ["nodejs_compat"],\n  "limits": { "cpu_ms": 50000 },\n}\n';
  assert.match(hover('/repo/wrangler.jsonc', jsonc, 'cpu_ms') ?? '', /`limits\.cpu_ms`[\s\S]*\| paid \(this project\) \| 30,000 ms/);
  assert.match(hover('/repo/wrangler.jsonc', jsonc, 'nodejs_compat') ?? '', /Node\.js compatibility: on\*\* — "nodejs\\_compat" is in compatibility\\_flags/);
  assert.match(
    hover('/repo/wrangler.toml', 'compatibility_date = 2026-09-01\n', 'compatibility_date') ?? '',
    /on\*\* — compatibility date 2026-09-01 is on or after/,
  );
});

test('the plan in the settings is the one marked', () => {
  const vercel = '{ "functions": { "api/*.ts": { "maxDuration": 60 } } }';
  const marked = hover('/repo/vercel.json', vercel, 'maxDuration', { '/repo/serverless-lint.json': '{ "plan": "hobby" }' });
  assert.match(marked ?? '', /\| hobby \(this project\) \|/);
});

test('vercel.ts: the duration table on functions[…].maxDuration of the exported config', () => {
  const text =
    "import type { VercelConfig } from '@vercel/config/v1';\n\nexport const config: VercelConfig = {\n  functions: { 'api/*.ts': { maxDuration: 900 } },\n};\n";
  assert.match(hover('/repo/vercel.ts', text, 'maxDuration') ?? '', /`functions\["api\/\*\.ts"\]\.maxDuration`[\s\S]*1,800 s/);
  assert.equal(hover('/repo/vercel.ts', text, 'VercelConfig ='), undefined);
});
