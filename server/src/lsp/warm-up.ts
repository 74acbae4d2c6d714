// The first keystrokes after the language server starts are its slowest: V8 has compiled the keystroke path
// (incremental reparse, the rules, the diagnostics) to bytecode only, and optimizes it over the next few dozen edits
// on threads that compete with the main thread for the CPU. In the bench, the first 40 edits read p95 32–60 ms
// against 20–36 ms for the next 160. So once per process, after the first source file's diagnostics and while the
// user is not typing, the warm-up types into a copy of that file: a statement, one character at a time (the states
// between do not parse, as when typing), removed in one edit — in a service of its own, dropped afterwards, so the
// user's document, caches and module graph are untouched. It stops at the user's first keystroke. Measured (bench,
// typing 3 s after the open): p95 19.1 ms against 23.8 ms typing at once and 23.6 ms with the warm-up off; with one
// core kept busy by another process, 24.8–31.3 ms against 33.9–42.4 ms.
import type { AnalysisResult } from '../../../shared/src/types';
import type { LintService } from '../analysis/service';

export interface WarmUpOptions {
  /** A new service like the document's (same folder and settings); nothing of it is kept. */
  service(): LintService;
  path: string;
  text: string;
  /** Where typing goes: the file's first handler's span, when it has one. */
  handler?: { start: number; end: number };
  /** Resolves once the user has paused typing. */
  whenIdle(): Promise<void>;
  /** True when the user typed (or opened a file) after `since` (a `Date.now()` value). */
  activeSince(since: number): boolean;
  /** Each synthetic result, handled as the server handles a real one (converted to diagnostics), to warm that too. */
  consume?(result: AnalysisResult, text: string): void;
  /** How many typing rounds (default WARM_UP_ROUNDS) and the time they may take (default WARM_UP_MAX_MS). */
  rounds?: number;
  maxMs?: number;
}

/** Typed one character at a time: a declaration, a call, an object and an array literal, a string. */
export const WARM_UP_STATEMENT = "const value = compute({ id: 'warm-up' }, [1, 2]);\n";
export const WARM_UP_ROUNDS = 2;
/** About 100 edits take 1–2 s on a quiet 2-core machine; on a slow or loaded one the warm-up stops here. */
export const WARM_UP_MAX_MS = 4000;
/**
 * A larger first file is not used (a later one is): a keystroke that arrives during a synthetic edit waits for it,
 * and the bench's 1,000-line file (48 KB) takes about 15 ms an edit once warm, its 5,000-line one (240 KB) 37 ms.
 */
export const WARM_UP_MAX_CHARS = 100_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface WarmUpReport {
  edits: number;
  ms: number;
  /** Why it ended before all rounds: the user typed, or the time cap. */
  stopped?: 'typing' | 'time';
}

/** Runs the warm-up; stops as soon as the user types. */
export async function warmUp(opts: WarmUpOptions): Promise<WarmUpReport> {
  await opts.whenIdle();
  const started = Date.now();
  const { text, path } = opts;
  const at = typingOffset(text, opts.handler);
  const rounds = opts.rounds ?? WARM_UP_ROUNDS;
  const maxMs = opts.maxMs ?? WARM_UP_MAX_MS;
  let service: LintService | undefined;
  let edits = 0;
  for (let round = 0; round < rounds; round++) {
    // Typed up to i characters; i = length + 1 is the removal (the original text again).
    for (let i = 1; i <= WARM_UP_STATEMENT.length + 1; i++) {
      await yieldToEventLoop();
      if (opts.activeSince(started)) return { edits, ms: Date.now() - started, stopped: 'typing' };
      if (Date.now() - started > maxMs) return { edits, ms: Date.now() - started, stopped: 'time' };
      service ??= opts.service();
      const variant = i > WARM_UP_STATEMENT.length ? text : text.slice(0, at) + WARM_UP_STATEMENT.slice(0, i) + text.slice(at);
      opts.consume?.(service.lint(path, variant), variant);
      edits++;
    }
  }
  return { edits, ms: Date.now() - started };
}

/**
 * The start of the line after the handler's first line (inside its body for a one-line signature), else of a line
 * in the middle of the file. A statement typed where it does not belong only makes the copy not parse: still typing.
 */
export function typingOffset(text: string, handler?: { start: number; end: number }): number {
  if (handler) {
    const nl = text.indexOf('\n', handler.start);
    if (nl >= 0 && nl + 1 < handler.end) return nl + 1;
  }
  const nl = text.indexOf('\n', text.length >> 1);
  return nl >= 0 ? nl + 1 : text.length;
}
