// What both runners of the extension-host suite share: a throwaway copy of test-workspace/ with editor
// settings that keep the workbench quiet, and the check that the extension is built.
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './build.mjs';

/** Settings for the user-data folder: no tips, updates, trust prompts or AI features in the way of the tests. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
};

export function requireBuiltExtension() {
  for (const f of ['dist/client.js', 'dist/server.js']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
}

/** A run folder holding `workspace/test-workspace` (a copy) and `user-data/User/settings.json`. */
export function prepareRun(prefix) {
  const run = mkdtempSync(join(tmpdir(), prefix));
  const workspace = join(run, 'workspace', 'test-workspace');
  cpSync(join(root, 'test-workspace'), workspace, { recursive: true });
  mkdirSync(join(run, 'user-data', 'User'), { recursive: true });
  writeFileSync(join(run, 'user-data', 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  return { run, workspace, userData: join(run, 'user-data') };
}
