// The launchers' V8 code cache (server/src/boot/code-cache.ts): made by a first start, used by the next, and
// never trusted when it is damaged, made from another source, or in a folder others can write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir, runBundle } from '../server/src/boot/code-cache';
import { CODE_CACHE_CHECKPOINT, CODE_CACHE_ENV } from '../shared/src/env';

/** A CommonJS bundle that reports what `require` gave it, with enough code for V8 to cache. */
function bundle(dir: string, marker: string): string {
  const file = join(dir, 'app.js');
  const helpers = Array.from({ length: 200 }, (_, i) => `function helper${i}(x) { return x * ${i} + ${marker.length}; }`).join('\n');
  writeFileSync(
    file,
    `#!/usr/bin/env node\n${helpers}\nmodule.exports = { marker: ${JSON.stringify(marker)}, isMain: require.main === module, file: __filename, sep: require('node:path').sep, sum: helper7(1) + helper199(2) };\n`,
  );
  return file;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.cache'));

test('a first start writes the cache and the next start uses it; the bundle runs as a main module either way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cache = join(dir, 'cache');
  const file = bundle(dir, 'one');
  const first = runBundle(file, cache);
  assert.equal(first.state, 'none');
  assert.equal(first.save('checkpoint'), true);
  assert.equal(first.save('exit'), false, 'written once per process');
  assert.equal(cacheFiles(cache).length, 1);
  const second = runBundle(file, cache);
  assert.equal(second.state, 'used');
  assert.equal(second.save('checkpoint'), false, 'a complete cache in use is not rewritten');
  assert.equal(second.save('exit'), false);
  const exported = require.cache[file]!.exports as { marker: string; isMain: boolean; file: string; sep: string; sum: number };
  assert.deepEqual(exported, { marker: 'one', isMain: true, file, sep: require('node:path').sep, sum: 7 + 3 + (398 + 3) });
});

/** A bundle with a start-up function run once, whose top level then calls the launcher's checkpoint (as the CLI does after its first file, unless `checkpoint` is false) and runs `after`. */
function startupBundle(dir: string, after = '', checkpoint = true): string {
  const file = join(dir, `startup-${checkpoint}.js`);
  const body = Array.from({ length: 300 }, (_, i) => `  const v${i} = [${i}, ${i} * 2].map((x) => x + 1);`).join('\n');
  const call = checkpoint ? `globalThis[Symbol.for(${JSON.stringify(CODE_CACHE_CHECKPOINT)})]();` : '';
  writeFileSync(file, `function init() {\n${body}\n  return v299;\n}\nmodule.exports = init();\n${call}\n${after}\n`);
  return file;
}

test("the bundle's checkpoint writes the cache while it runs; exit does not write it again", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cache = join(dir, 'cache');
  const file = startupBundle(dir, `module.exports = { written: require('node:fs').readdirSync(${JSON.stringify(cache)}).length };`);
  const start = runBundle(file, cache);
  assert.equal(start.state, 'none');
  assert.equal((require.cache[file]!.exports as { written: number }).written, 1, 'on disk before the bundle went on');
  assert.equal(start.save('exit'), false, 'already written');
  assert.equal(runBundle(file, cache).state, 'used');
});

test('a cache written at exit (a run that analyzed nothing) is replaced at the next checkpoint, and only then', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cache = join(dir, 'cache');
  const file = bundle(dir, 'partial');
  assert.equal(runBundle(file, cache).save('exit'), true);
  const written = () => readFileSync(join(cache, cacheFiles(cache)[0]));
  const partial = written();
  const again = runBundle(file, cache);
  assert.equal(again.state, 'used');
  assert.equal(again.save('exit'), false, 'another run that analyzed nothing leaves it');
  const analyzing = runBundle(file, cache);
  assert.equal(analyzing.save('checkpoint'), true, 'replaced by a complete one');
  assert.notDeepEqual(written(), partial);
  assert.equal(runBundle(file, cache).save('checkpoint'), false, 'which stays');
});

test('a cache written at the checkpoint keeps the start-up code that V8 flushes from a long-running process', () => {
  // Each run in its own process, V8 flushing the bytecode of functions not run since the last full collection (in a
  // real run, since five): \`init\` runs once, so a cache written after the collections of a long run lacks it, and
  // every start from that cache would compile it again.
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cacheSize = (checkpoint: boolean) => {
    const cache = join(dir, `cache-${checkpoint}`);
    const file = startupBundle(dir, 'for (let i = 0; i < 4; i++) gc();', checkpoint);
    const code = `require(${JSON.stringify(resolve(__dirname, '../server/src/boot/code-cache.ts'))}).launch(${JSON.stringify(file)});`;
    execFileSync(process.execPath, ['--expose-gc', '--stress-flush-code', '--bytecode-old-age=1', '--import', 'tsx', '-e', code], {
      env: { ...process.env, [CODE_CACHE_ENV]: cache },
    });
    return readFileSync(join(cache, cacheFiles(cache)[0])).length;
  };
  const atCheckpoint = cacheSize(true);
  const atExit = cacheSize(false);
  assert.ok(atCheckpoint > atExit + 2000, `cache at the checkpoint ${atCheckpoint} bytes, at exit after the collections ${atExit} bytes`);
});

test('a damaged cache, or one of another source, is not given to V8; a new build replaces the old cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cache = join(dir, 'cache');
  const file = bundle(dir, 'two');
  runBundle(file, cache).save('checkpoint');
  const [name] = cacheFiles(cache);
  const bytes = readFileSync(join(cache, name));
  bytes[bytes.length - 10] ^= 0xff;
  writeFileSync(join(cache, name), bytes);
  const damaged = runBundle(file, cache);
  assert.equal(damaged.state, 'invalid');
  assert.equal(damaged.save('exit'), true);
  assert.equal(runBundle(file, cache).state, 'used', 'rewritten whole');
  // Another source (a new build): its own file, and the previous build's cache removed when it is written.
  const rebuilt = bundle(dir, 'three');
  const next = runBundle(rebuilt, cache);
  assert.equal(next.state, 'none');
  next.save('checkpoint');
  assert.equal(cacheFiles(cache).length, 1);
  assert.notEqual(cacheFiles(cache)[0], name);
  // A file of the right name holding another source's cache is refused by the source digest it carries.
  writeFileSync(join(cache, name), readFileSync(join(cache, cacheFiles(cache)[0])));
  assert.equal(runBundle(bundle(dir, 'two'), cache).state, 'invalid');
});

test('a cache folder that others can write is neither read nor written', { skip: typeof process.getuid !== 'function' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-cc-'));
  const cache = join(dir, 'cache');
  const file = bundle(dir, 'four');
  runBundle(file, cache).save('checkpoint');
  chmodSync(cache, 0o777);
  const start = runBundle(file, cache);
  assert.equal(start.state, 'none');
  assert.equal(start.save('checkpoint'), false);
});

test('the cache folder: the environment variable, off, or the per-user cache folder', () => {
  assert.equal(defaultCacheDir({ [CODE_CACHE_ENV]: 'off' }), undefined);
  assert.equal(defaultCacheDir({ [CODE_CACHE_ENV]: '0' }), undefined);
  assert.equal(defaultCacheDir({ [CODE_CACHE_ENV]: '/x/y' }), '/x/y');
  assert.match(defaultCacheDir({ XDG_CACHE_HOME: '/home/u/.cache' }, 'linux')!, /^\/home\/u\/\.cache\/serverless-lint\/code-cache$/);
  assert.match(defaultCacheDir({}, 'darwin')!, /Library\/Caches\/serverless-lint\/code-cache$/);
  assert.match(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')!, /serverless-lint.code-cache$/);
});

test('the built CLI launcher writes its cache at exit and starts from it next time', () => {
  const cli = resolve(__dirname, '../dist/cli.js');
  const cache = mkdtempSync(join(tmpdir(), 'sl-cc-cli-'));
  const env = { ...process.env, [CODE_CACHE_ENV]: cache };
  assert.equal(execFileSync(process.execPath, [cli, '--version'], { env, encoding: 'utf8' }).trim().length > 0, true);
  const written = cacheFiles(cache);
  assert.deepEqual(
    written.map((f) => f.replace(/-[0-9a-f]{16}\.cache$/, '')),
    ['cli.bundle'],
  );
  const size = readFileSync(join(cache, written[0])).length;
  assert.ok(size > 100_000, `cache of ${size} bytes`);
  execFileSync(process.execPath, [cli, '--version'], { env, encoding: 'utf8' });
  assert.deepEqual(cacheFiles(cache), written);
});
