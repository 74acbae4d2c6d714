// The framework config file names of the registry (`detect.configFiles`), which `project.ts` notes walking up, and
// the facts modules read from those files' syntax (never executed).
import * as ts from 'typescript';
import { FRAMEWORKS } from './index';

export const FRAMEWORK_CONFIG_FILES: ReadonlySet<string> = new Set(FRAMEWORKS.flatMap((f) => f.detect.configFiles ?? []));

/** Folders frameworks generate (`.svelte-kit`, `.nuxt`), absent from a fresh checkout until the first build. */
export const GENERATED_DIRS: ReadonlySet<string> = new Set(FRAMEWORKS.flatMap((f) => f.detect.generatedDirs ?? []));

const READERS = FRAMEWORKS.filter((f) => f.detect.settings && f.detect.configFiles?.length);

/** The settings the modules that own config file `name` read from its TypeScript AST; the text is read only if one does. */
export function frameworkSettingsOf(name: string, read: () => string | undefined): string[] {
  const readers = READERS.filter((f) => f.detect.configFiles!.includes(name));
  if (!readers.length) return [];
  const text = read();
  if (text === undefined) return [];
  const sf = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, /\.[cm]?tsx?$/.test(name) ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  return readers.flatMap((f) => f.detect.settings!(sf));
}
