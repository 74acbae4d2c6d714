// Editor settings (`serverlessLint.*`) on the server side: pulled per resource with `workspace/configuration`,
// cached per URI, cleared when the client says they changed, and turned into engine overrides.
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_DEBOUNCE_MS, SETTINGS_SECTION, type EditorSettings } from '../../../shared/src/protocol';
import { DEFAULT_MAX_FILE_SIZE, type Settings } from '../../../shared/src/settings';
import { PLATFORMS, type Platform } from '../../../shared/src/types';
import { isRuleLevel } from '../../../shared/src/severity';

export function defaultEditorSettings(): EditorSettings {
  return { platform: 'auto', plan: '', rules: {}, ignore: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, debounceMs: DEFAULT_DEBOUNCE_MS };
}

/** Reads whatever the client sent, keeping only well-formed values: a bad setting falls back to its default. */
export function normalizeEditorSettings(raw: unknown): EditorSettings {
  const out = defaultEditorSettings();
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.platform === 'string' && (PLATFORMS as readonly string[]).includes(r.platform)) out.platform = r.platform as Platform;
  if (typeof r.plan === 'string') out.plan = r.plan.trim();
  if (r.rules && typeof r.rules === 'object') {
    for (const [id, level] of Object.entries(r.rules as Record<string, unknown>)) {
      if (isRuleLevel(level)) out.rules[id] = level;
    }
  }
  if (Array.isArray(r.ignore)) out.ignore = r.ignore.filter((g): g is string => typeof g === 'string' && g.length > 0);
  if (typeof r.maxFileSize === 'number' && r.maxFileSize > 0) out.maxFileSize = r.maxFileSize;
  if (typeof r.debounceMs === 'number' && r.debounceMs >= 0) out.debounceMs = Math.min(r.debounceMs, 10_000);
  return out;
}

/** The engine overrides the editor settings amount to: only what the user actually set wins over serverless-lint.json. */
export function toOverrides(s: EditorSettings): Partial<Settings> {
  const o: Partial<Settings> = {};
  if (s.platform !== 'auto') o.platform = s.platform;
  if (s.plan) o.plan = s.plan;
  if (Object.keys(s.rules).length) o.rules = s.rules;
  if (s.ignore.length) o.ignore = s.ignore;
  if (s.maxFileSize !== DEFAULT_MAX_FILE_SIZE) o.maxFileSize = s.maxFileSize;
  return o;
}

/**
 * Settings per document URI. With the `workspace/configuration` capability they are pulled per resource and
 * cached until `clear()`; without it (some editors) the last `didChangeConfiguration` payload applies everywhere.
 */
export class SettingsCache {
  private readonly byUri = new Map<string, Promise<EditorSettings>>();
  private global: EditorSettings = defaultEditorSettings();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  get(uri: string): Promise<EditorSettings> {
    if (!this.canPull) return Promise.resolve(this.global);
    let hit = this.byUri.get(uri);
    if (!hit) {
      hit = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })
        .then(normalizeEditorSettings, () => defaultEditorSettings());
      this.byUri.set(uri, hit);
    }
    return hit;
  }

  /** Forgets every cached value; `pushed` is the `didChangeConfiguration` payload, used when settings cannot be pulled. */
  clear(pushed?: unknown): void {
    this.byUri.clear();
    if (!this.canPull && pushed && typeof pushed === 'object') {
      this.global = normalizeEditorSettings((pushed as Record<string, unknown>)[SETTINGS_SECTION]);
    }
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
