// The npm package a team installs: `npm pack` of the built dist/ (no rebuild: `--ignore-scripts` skips `prepack`),
// installed from the tarball into a fresh project with `npm install --offline` (it has no runtime dependencies,
// everything is bundled), and both bins run from there: the CLI on a tiny workspace, the language server answering
// `initialize` over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// The bins write a V8 code cache to the user's cache folder by default; the test leaves it alone.
const env = { ...process.env, SERVERLESS_LINT_CODE_CACHE: 'off', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Sends one LSP message and resolves with the first response to `id` read from the server's stdout. */
function initializeOverStdio(bin: string, cwd: string): Promise<{ capabilities: Record<string, unknown>; serverInfo?: { name: string } }> {
  return new Promise((resolveResult, reject) => {
    const server = spawn(process.execPath, [bin, '--stdio'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = Buffer.alloc(0);
    let stderr = '';
    const send = (message: object) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
      server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      server.stdin.write(body);
    };
    server.stderr.on('data', (d) => (stderr += d));
    server.on('error', reject);
    server.on('exit', (code) => reject(new Error(`the language server exited (${code}) before answering:\n${stderr}`)));
    server.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.id === 1) {
          server.removeAllListeners('exit');
          send({ id: 2, method: 'shutdown' });
          send({ method: 'exit' });
          server.on('exit', () => resolveResult(message.result));
          return;
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null } });
  });
}

test('npm pack gives a package that installs offline from its tarball and runs both bins', { timeout: 300_000 }, async () => {
  for (const f of ['dist/cli.js', 'dist/cli.bundle.js', 'dist/server.js', 'dist/server.bundle.js'])
    assert.ok(existsSync(join(root, f)), `${f} is missing: run npm run build first`);
  const tmp = mkdtempSync(join(tmpdir(), 'sl-npm-'));
  try {
    const packed = sh(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root);
    assert.equal(packed.code, 0, packed.err);
    const [info] = JSON.parse(packed.out) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
    const files = info.files.map((f) => f.path).sort();
    console.log(
      `npm package: ${files.length} files, ${(info.size / 1024 / 1024).toFixed(2)} MB packed, ${(info.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked`,
    );
    for (const f of [
      'package.json',
      'dist/cli.js',
      'dist/cli.bundle.js',
      'dist/server.js',
      'dist/server.bundle.js',
      'dist/tree-sitter.wasm',
      'dist/tree-sitter-python.wasm',
      'README.md',
      'LICENSE',
      'docs/rules/no-process-exit.md',
      'docs/config-checks/workers-cpu-limit.md',
      'schemas/serverless-lint.schema.json',
    ]) {
      assert.ok(files.includes(f), `${f} is packed; npm pack listed:\n${files.join('\n')}`);
    }
    for (const f of files) {
      assert.doesNotMatch(f, /^(test|test-workspace|server|client|shared|bench|scripts|node_modules)\//, `${f}: sources, tests and node_modules stay out`);
      assert.doesNotMatch(f, /\.map$/, `${f}: no source maps`);
    }
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    assert.equal(manifest.private, undefined, 'a private package cannot be published');
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'everything the bins need is bundled');

    const project = join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'try-serverless-lint', version: '1.0.0', private: true }));
    const installed = sh(npm, ['install', '--offline', '--no-audit', '--no-fund', join(tmp, info.filename)], project);
    assert.equal(installed.code, 0, `npm install --offline of the tarball failed:\n${installed.out}\n${installed.err}`);
    const bin = join(project, 'node_modules/.bin');

    const version = sh(join(bin, 'serverless-lint'), ['--version'], project);
    assert.equal(version.code, 0, version.err);
    assert.equal(version.out.trim(), manifest.version);

    mkdirSync(join(project, 'app/api/users'), { recursive: true });
    writeFileSync(join(project, 'vercel.json'), '{}');
    writeFileSync(join(project, 'app/api/users/route.ts'), 'export async function POST() {\n  process.exit(1);\n}\n');
    const lint = sh(join(bin, 'serverless-lint'), ['app', '--no-color'], project);
    assert.equal(lint.code, 1, lint.err);
    assert.match(lint.out, /^app\/api\/users\/route\.ts:2:3 {2}error .* no-process-exit$/m);

    const init = await initializeOverStdio(join(bin, 'serverless-lint-language-server'), project);
    assert.ok(init.capabilities.textDocumentSync !== undefined, `capabilities: ${JSON.stringify(init.capabilities)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
