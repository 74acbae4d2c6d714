// The platform registry against the places a new platform must also reach (CONTRIBUTING.md, "How to add a
// platform"): the ids of shared/src/types.ts, the `serverlessLint.platform` setting in package.json (from which
// `npm run docs` makes the serverless-lint.json schema), the configuration markers each module declares (found by analysis/project.ts, watched by the server), and limits
// with a source for every runtime a serverless platform runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_MODULES } from '../server/src/conventions';
import { MARKER_PLATFORM, ProjectIndex, type MarkerKind } from '../server/src/analysis/project';
import { MemoryHost } from '../server/src/analysis/host';
import { WATCHED_FILES } from '../server/src/lsp/lifecycle';
import { PLATFORMS } from '../shared/src/types';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
const setting = manifest.contributes.configuration.properties['serverlessLint.platform'];

test('every platform id has one module in the registry, and every module one id', () => {
  assert.deepEqual(PLATFORM_MODULES.map((p) => p.id).sort(), [...PLATFORMS].sort());
});

test('the platform setting offers every platform but `unknown`, each with a description', () => {
  assert.deepEqual(setting.enum, ['auto', ...PLATFORMS.filter((p) => p !== 'unknown')]);
  assert.equal(setting.enumDescriptions.length, setting.enum.length);
});

test('every marker kind is declared by one platform, and the language server watches its names', () => {
  const kinds = PLATFORM_MODULES.flatMap((p) => p.markers.map((m) => m.kind));
  assert.equal(new Set(kinds).size, kinds.length, `a marker kind declared twice: ${kinds.join(', ')}`);
  for (const p of PLATFORM_MODULES) for (const m of p.markers) assert.equal(MARKER_PLATFORM[m.kind], p.id, m.kind);
  for (const p of PLATFORM_MODULES) for (const m of p.markers) for (const name of m.names) assert.ok(WATCHED_FILES.includes(name), `${name} is not watched`);
});

/** A folder that holds what a marker looks for: its file, or a folder with functions, or a template with a Lambda. */
const MARKER_FILES: Partial<Record<MarkerKind, Record<string, string>>> = {
  '.vercel': { '.vercel/project.json': '{}' },
  supabase: { 'supabase/functions/hello/index.ts': '' },
  amplify: { 'amplify/functions/hello/handler.ts': '' },
  'sam-template': { 'template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n' },
};

test("each platform's markers are found in a folder that has them, the serverless one first", () => {
  for (const p of PLATFORM_MODULES) {
    for (const m of p.markers) {
      const files = MARKER_FILES[m.kind] ?? { [m.names[0]]: '' };
      const host = new MemoryHost(Object.fromEntries(Object.entries({ ...files, Dockerfile: '' }).map(([k, v]) => [`/app/${k}`, v])));
      const found = new ProjectIndex(host).markersIn('/app').map((x) => x.kind);
      assert.ok(found.includes(m.kind), `${m.kind} not found in ${Object.keys(files).join(', ')}: ${found.join(', ')}`);
      if (p.serverless) assert.equal(found[0], m.kind, `${m.kind} comes before a Dockerfile`);
    }
  }
  // A template.yaml without Lambda functions is not a SAM project.
  const plain = new MemoryHost({ '/app/template.yaml': 'name: docs\n' });
  assert.deepEqual(new ProjectIndex(plain).markersIn('/app'), []);
});

test('a serverless platform has limits, with their sources, for every runtime it runs', () => {
  for (const p of PLATFORM_MODULES.filter((m) => m.serverless)) {
    for (const runtime of p.runtimes) {
      const limits = p.limits(runtime);
      assert.ok(limits, `${p.id} (${runtime}): no limits in shared/src/limits.ts`);
      assert.ok(limits.docs.length > 0, `${p.id} (${runtime}): limits without a source`);
    }
  }
});
