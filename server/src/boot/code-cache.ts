// Starts a bundle (the language server, the CLI) through a V8 code cache. Each start of a 4 MB bundle otherwise
// parses and compiles it again, then compiles lazily every function that runs; the code cache written by an earlier
// start holds the bytecode of all of them. Measured on `cli.js --version`: 0.80 s -> 0.30 s, peak RSS 96 -> 79 MB.
// This module is the whole of the small launcher bundles (dist/server.js, dist/cli.js): it must not import the engine.
//
// Safety. The cache is V8 bytecode that this process runs, so it is only read from a folder of the user's own
// (the editor's extension storage, or the user's cache folder; never a shared temporary folder), it names the
// SHA-1 of the source it was made from, and it carries the SHA-1 of its own bytes, checked before V8 sees it.
// V8 checks its version and flags on top of that and rejects a cache that does not match (it is then rewritten).
// Any failure to read or write the cache only means a start without it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { keepHeapNearLiveSet, withStartFlags } from '../host/heap';
import { CODE_CACHE_CHECKPOINT, CODE_CACHE_ENV } from '../../../shared/src/env';

const MAGIC = Buffer.from('SLCC2\n');
const DIGEST = 20;
/** The byte after the magic: whether the cache was written at the bundle's checkpoint (complete) or at exit. */
const COMPLETE = 1;
const PARTIAL = 0;

/** When a cache is written: at the bundle's checkpoint (its first analysis has run), or at exit or a timer (it may not have). */
export type SavePoint = 'checkpoint' | 'exit';

export type CodeCacheState = 'disabled' | 'none' | 'used' | 'rejected' | 'invalid';

export interface CodeCacheStart {
  state: CodeCacheState;
  /** The cache file (when enabled). */
  file?: string;
  /**
   * Writes the cache now: when this start had none, or one V8 rejected; or, at the checkpoint, when the one it used
   * was written at exit by a run that analyzed nothing (`--version`), so lacks the analysis. A complete cache in use
   * is never serialized again (that costs megabytes of memory in the run). At most once per process; whether it wrote.
   */
  save(point: SavePoint): boolean;
}

/** The per-user cache folder: `$XDG_CACHE_HOME`, `~/Library/Caches`, `%LOCALAPPDATA%`, or `~/.cache`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | undefined {
  const configured = env[CODE_CACHE_ENV];
  if (configured === 'off' || configured === '0') return undefined;
  if (configured) return configured;
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'serverless-lint', 'code-cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'serverless-lint', 'code-cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'serverless-lint', 'code-cache');
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest();

/** A cache file's bytes: magic, complete or partial, SHA-1 of the source, SHA-1 of the payload, payload. */
function frame(sourceDigest: Buffer, payload: Buffer, complete: boolean): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([complete ? COMPLETE : PARTIAL]), sourceDigest, sha1(payload), payload]);
}

/** The V8 payload of a cache file made from this source, and whether it is complete; undefined when it is not one. */
function unframe(bytes: Buffer, sourceDigest: Buffer): { payload: Buffer; complete: boolean } | undefined {
  const digests = MAGIC.length + 1;
  const head = digests + 2 * DIGEST;
  if (bytes.length <= head || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const kind = bytes[MAGIC.length];
  if (kind !== COMPLETE && kind !== PARTIAL) return undefined;
  if (!bytes.subarray(digests, digests + DIGEST).equals(sourceDigest)) return undefined;
  const payload = bytes.subarray(head);
  return sha1(payload).equals(bytes.subarray(digests + DIGEST, head)) ? { payload, complete: kind === COMPLETE } : undefined;
}

/** Whether a folder is the current user's and writable by no one else (POSIX); always true where there are no uids. */
function ownedByUser(dir: string): boolean {
  if (typeof process.getuid !== 'function') return true;
  const st = statSync(dir);
  return st.isDirectory() && st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/**
 * The bundle's script, compiled with the code cache of `cacheDir` when there is a valid one. A function of its own
 * so that the bundle's text lives only in the script: `runBundle`'s frame stays on the stack for as long as the
 * bundle's top level runs (a CLI run, whole), and locals holding the text there kept a second copy of it alive
 * (seen in a heap snapshot of the CLI: two 4 MB strings in the production build, 11 MB in the development one).
 */
function compileBundle(bundle: string, cacheDir: string | undefined): { script: Script; start: CodeCacheStart } {
  const source = readFileSync(bundle);
  const wrapped = Module.wrap(source.toString('utf8').replace(/^#!.*/, ''));
  let state: CodeCacheState = cacheDir ? 'none' : 'disabled';
  let file: string | undefined;
  let cachedData: Buffer | undefined;
  let complete = false;
  let sourceDigest: Buffer | undefined;
  if (cacheDir) {
    try {
      // The digest of the file's bytes and Node's module wrapper, which make the wrapped text: SHA-1 of the 4.6 MB
      // text took 40 ms at every start (its UTF-8 encoding, mostly), of the bytes 3 ms.
      sourceDigest = createHash('sha1').update(Module.wrap('')).update(source).digest();
      file = join(cacheDir, `${basename(bundle, '.js')}-${sourceDigest.toString('hex').slice(0, 16)}.cache`);
      const bytes = ownedByUser(cacheDir) ? readFileSync(file) : undefined;
      const found = bytes && unframe(bytes, sourceDigest);
      if (found) ({ payload: cachedData, complete } = found);
      else if (bytes) state = 'invalid';
    } catch {
      // No folder or no file yet: made at the checkpoint, or at exit.
    }
  }
  const script = new Script(wrapped, { filename: bundle, cachedData });
  if (cachedData) state = script.cachedDataRejected ? 'rejected' : 'used';
  return { script, start: saver(bundle, script, state, cacheDir, file, sourceDigest, state === 'used' && complete) };
}

/** The start's record, with the `save` that writes the cache of `script`. */
function saver(
  bundle: string,
  script: Script,
  state: CodeCacheState,
  cacheDir: string | undefined,
  file: string | undefined,
  sourceDigest: Buffer | undefined,
  usedComplete: boolean,
): CodeCacheStart {
  let saved = false;
  return {
    state,
    file,
    save: (point) => {
      if (saved || !cacheDir || !file || !sourceDigest) return false;
      // A cache in use is replaced only by a complete one, and a complete one never: measured on the real-code bench
      // corpus, serializing the bundle's bytecode at the first file to compare it with the cache in use raised the
      // CLI's peak RSS by 5-7 MB.
      if (state === 'used' && (usedComplete || point === 'exit')) return false;
      saved = true;
      try {
        const data = withStartFlags(() => script.createCachedData());
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        if (!ownedByUser(cacheDir)) return false;
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, frame(sourceDigest, data, point === 'checkpoint'), { mode: 0o600 });
        renameSync(tmp, file);
        // Caches of earlier builds of this bundle are of no further use.
        const prefix = `${basename(bundle, '.js')}-`;
        for (const f of readdirSync(cacheDir))
          if (f.startsWith(prefix) && f.endsWith('.cache') && join(cacheDir, f) !== file) rmSync(join(cacheDir, f), { force: true });
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Compiles and runs a CommonJS bundle as `require` would (its own `module`, `require` resolving from its folder,
 * `require.main` set to it), with the code cache of `cacheDir` when there is a valid one. The cache's `save` is left
 * at `CODE_CACHE_CHECKPOINT` for the bundle to call (see `launch`).
 */
export function runBundle(bundle: string, cacheDir: string | undefined = defaultCacheDir()): CodeCacheStart {
  // The code cache records V8's flags and is rejected when they differ; the bundle sets this one at start, so it is
  // set before compiling, whether the cache is being made or read (setting it again to the same value changes nothing).
  keepHeapNearLiveSet();
  const { script, start } = compileBundle(bundle, cacheDir);
  // The bundle's checkpoint: set before it runs, since a CLI run happens within its top level.
  (globalThis as Record<symbol, unknown>)[Symbol.for(CODE_CACHE_CHECKPOINT)] = () => start.save('checkpoint');
  const mod = new Module(bundle, undefined);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = ((request: string, options?: { paths?: string[] }) =>
    (Module as unknown as { _resolveFilename(r: string, m: Module, isMain: boolean, o?: unknown): string })._resolveFilename(
      request,
      mod,
      false,
      options,
    )) as NodeJS.RequireResolve;
  req.main = mod;
  req.cache = (Module as unknown as { _cache: NodeJS.Require['cache'] })._cache;
  req.cache[bundle] = mod;
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  fn.call(mod.exports, mod.exports, req, mod, bundle, dirname(bundle));
  mod.loaded = true;
  return start;
}

/**
 * The launchers' entry: runs `bundle` and writes its cache at the bundle's checkpoint (`CODE_CACHE_CHECKPOINT`:
 * its start-up and a first analysis have run, so their functions are compiled and go into the cache), else when the
 * process exits (a run that analyzed nothing: `--version`), or after `saveAfterMs` for a process that may be
 * killed rather than exit. Those two write a partial cache, which the next run that reaches its checkpoint replaces
 * with a complete one; a complete cache stays until the bundle changes.
 *
 * Not at the exit of a long run: V8 flushes the bytecode of functions that have not run for a few full collections,
 * and start-up code (the bundle's top level, TypeScript's module body) runs once. A cache written at the end of a
 * CLI run over the 5,000-file bench corpus was 1.9 MB against 3.4 MB for one written after a short run, and
 * every start from it compiled TypeScript's module body again: peak RSS 117 MB against 82 MB for `--version`,
 * 220 MB against 185 MB on the corpus (more than with no cache at all, 197 MB).
 */
export function launch(bundle: string, saveAfterMs?: number): void {
  const start = runBundle(bundle);
  if (start.state === 'disabled') return;
  process.once('exit', () => start.save('exit'));
  if (saveAfterMs) setTimeout(() => start.save('exit'), saveAfterMs).unref();
}
