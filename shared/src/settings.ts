// The settings type both sides use: `serverless-lint.json` and the VS Code `serverlessLint.*` settings resolve to it.
import type { Platform, RuleLevel } from './types';

export interface Settings {
  /** Overrides platform detection when set. */
  platform?: Platform;
  /** The plan or tier, e.g. `hobby`, `pro`, `enterprise` (Vercel), `free`, `paid` (Cloudflare). */
  plan?: string;
  /** Per-rule levels; rules not named keep their default severity. */
  rules: Record<string, RuleLevel>;
  /** Globs (relative to the workspace root) of files never analyzed. */
  ignore: string[];
  /** Files larger than this many bytes are skipped with a visible note. */
  maxFileSize: number;
}

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export function defaultSettings(): Settings {
  return { rules: {}, ignore: [], maxFileSize: DEFAULT_MAX_FILE_SIZE };
}

/** Later layers win; `rules` are merged key by key. */
export function mergeSettings(base: Settings, override: Partial<Settings>): Settings {
  return {
    platform: override.platform ?? base.platform,
    plan: override.plan ?? base.plan,
    rules: { ...base.rules, ...(override.rules ?? {}) },
    ignore: [...base.ignore, ...(override.ignore ?? [])],
    maxFileSize: override.maxFileSize ?? base.maxFileSize,
  };
}
