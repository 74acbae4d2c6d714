// Reads the function folders a netlify.toml configures (`[functions] directory`, `[build] functions` and
// `[build] edge_functions`), as data, so that functions outside netlify/functions are entries too.
import { joinPath } from './host';
import type { ParsedConfig } from './project';

/** The configured function folders, absolute; undefined fields keep Netlify's defaults. */
export function netlifyFunctionDirs(parsed: ParsedConfig | undefined, dir: string): { functions?: string; edge?: string } | undefined {
  const data = parsed?.data as { functions?: { directory?: unknown }; build?: { functions?: unknown; edge_functions?: unknown; base?: unknown } } | undefined;
  if (!data || typeof data !== 'object') return undefined;
  // Paths in netlify.toml are relative to the base directory, which is the netlify.toml's folder unless `base` moves it.
  const base = typeof data.build?.base === 'string' ? joinPath(dir, data.build.base.replace(/^\.\//, '').replace(/\/$/, '')) : dir;
  const at = (v: unknown) => (typeof v === 'string' && v.trim() ? joinPath(base, v.replace(/^\.\//, '').replace(/\/$/, '')) : undefined);
  const functions = at(data.functions?.directory) ?? at(data.build?.functions);
  const edge = at(data.build?.edge_functions);
  return functions || edge ? { functions, edge } : undefined;
}
