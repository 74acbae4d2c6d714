// The handler shapes a file-per-function platform accepts (Vercel `api/`, Netlify Functions): a default export (a
// function, or an object of Workers-style methods), exported HTTP methods, and the legacy Lambda-style `handler`.
import type { ScanEnv, ShapeId } from '../types';
import { HTTP_METHODS } from '../shared';
import { WORKER_METHODS } from './workers';

/** Adds the handlers of a function file; true when the file is an entry (it has a default export or any handler). */
export function functionFileHandlers(env: ScanEnv, shape: ShapeId): boolean {
  const def = env.exports.get('default') ?? env.exports.get('module.exports');
  if (!env.objectMethods(def, WORKER_METHODS, shape, 'default.')) env.add(shape, 'default', env.unwrap(def), env.nameNodeOf('default'));
  for (const name of env.exports.keys()) if (HTTP_METHODS.has(name)) env.add(shape, name, env.exportedFn(name), env.nameNodeOf(name));
  env.add('netlify-legacy-function', 'handler', env.exportedFn('handler'), env.nameNodeOf('handler'));
  // `export default app` (Express, Hono): the app's route callbacks are the handlers.
  return !!def || env.handlerCount > 0 || env.candidates.length > 0;
}
