// The .vsix a person installs: packaged by scripts/package.mjs from the built dist/ (no rebuild, so
// tests running the server are never disturbed), it holds the bundled extension and its pages, no
// sources, tests or node_modules, and stays under the 5 MB budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `node ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('the .vsix holds the bundled extension, its pages and icon, and nothing from the source tree', { timeout: 300_000 }, () => {
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/server.bundle.js'])
    assert.ok(existsSync(join(root, f)), `${f} is missing: run npm run build first`);

  // `package.mjs --ls` runs `vsce ls` on the staging folder `vsce package` packages (.vscodeignore, --no-dependencies).
  const files = node([join(root, 'scripts/package.mjs'), '--ls'])
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const f of files) {
    assert.doesNotMatch(f, /(^|\/)node_modules\//, `${f}: node_modules must stay out (everything is bundled)`);
    assert.doesNotMatch(f, /^(test|test-workspace|src|server\/src|client\/src|shared\/src|bench|scripts)\//, `${f}: sources and tests must stay out`);
    assert.doesNotMatch(f, /\.(ts|map)$/, `${f}: no TypeScript sources or source maps`);
  }
  // The rule pages: "Show documentation" opens them in the editor, offline (client/src/docs.ts).
  for (const f of [
    'package.json',
    'dist/client.js',
    'dist/server.js',
    'dist/server.bundle.js',
    'dist/tree-sitter.wasm',
    'dist/tree-sitter-python.wasm',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'images/icon.png',
    'docs/rules/no-process-exit.md',
  ]) {
    assert.ok(files.includes(f), `${f} should be packaged; vsce ls listed:\n${files.join('\n')}`);
  }

  const out = mkdtempSync(join(tmpdir(), 'sl-vsix-'));
  try {
    const vsix = join(out, 'serverless-lint.vsix');
    const log = node([join(root, 'scripts/package.mjs'), '--no-build', '--out', vsix]);
    const bytes = statSync(vsix).size;
    console.log(`vsix: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes), ${files.length} files`);
    assert.match(log, /package: .* MB/, 'the script reports the size');
    assert.ok(bytes < 5 * 1024 * 1024, `the .vsix is ${bytes} bytes, over the 5 MB budget`);
    // Bundling everything but `vscode` makes the server alone several megabytes; far less means a broken build.
    assert.ok(bytes > 200 * 1024, `the .vsix is only ${bytes} bytes: is dist/ empty?`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the bundles are pure ASCII, so V8 keeps their source one byte per character', () => {
  // One non-ASCII character in a comment esbuild keeps makes V8 hold the whole bundle as two-byte source:
  // about 11 MB more resident memory for the server and the CLI (measured on `dist/cli.js --version`).
  for (const f of ['dist/server.js', 'dist/server.bundle.js', 'dist/cli.js', 'dist/cli.bundle.js', 'dist/client.js']) {
    const text = readFileSync(join(root, f), 'utf8');
    const at = text.search(/[^\x00-\x7f]/);
    assert.equal(at, -1, `${f} has a non-ASCII character near: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`);
  }
});
