// Environment variables the client, the launchers and the CLI share. No imports: the launchers bundle this file and
// must stay small (server/src/boot/).

/**
 * The folder of the V8 code cache the launchers (dist/server.js, dist/cli.js) start their bundle through, or `off`.
 * Unset, it is the user's cache folder; the VS Code client sets the extension's own storage.
 */
export const CODE_CACHE_ENV = 'SERVERLESS_LINT_CODE_CACHE';

/**
 * The global (`Symbol.for`) under which a launcher leaves its code cache's save for the bundle it started: the
 * bundle calls it once its start-up code and a first analysis have run (server/src/host/code-cache-checkpoint.ts).
 */
export const CODE_CACHE_CHECKPOINT = 'serverless-lint.code-cache.checkpoint';

/**
 * `off` turns off the language server's warm-up: synthetic keystrokes in a copy of the first opened file while the
 * user is not typing yet, so V8 optimizes the keystroke path before the first real one (server/src/lsp/warm-up.ts).
 */
export const WARM_UP_ENV = 'SERVERLESS_LINT_WARM_UP';
