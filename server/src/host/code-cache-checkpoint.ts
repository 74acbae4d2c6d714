// The bundle's side of the launchers' code cache (server/src/boot/code-cache.ts): the moment to write it, once
// start-up and a first analysis have compiled the functions every run needs and before V8 has flushed the bytecode
// of any of them. Without a launcher (tests, the development build run directly) there is nothing to do.
import { CODE_CACHE_CHECKPOINT } from '../../../shared/src/env';

let reached = false;

/**
 * Asks the launcher to write its code cache (it decides whether one is needed). `now` writes before returning, for
 * the CLI's synchronous loop; `soon` after the current work (the server: once the diagnostics are sent). Once per
 * process; later calls are free.
 */
export function codeCacheCheckpoint(when: 'now' | 'soon'): void {
  if (reached) return;
  reached = true;
  const save = (globalThis as Record<symbol, unknown>)[Symbol.for(CODE_CACHE_CHECKPOINT)];
  if (typeof save !== 'function') return;
  if (when === 'now') save();
  else setImmediate(() => save());
}
