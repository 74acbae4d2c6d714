// Which files are source files to analyse, by their name: JavaScript, TypeScript, Python, and the file types whose code
// is embedded in another language (the conventions registry's, such as `.astro`). The CLI's walk, the workspace
// check, the language server and the module graph all ask here, so a new embedded language needs no other change.
import { EMBEDDED_LANGUAGES } from './conventions.generated';

const embedded = EMBEDDED_LANGUAGES.map((l) => l.extension.slice(1).replace(/[^\w]/g, '\\$&')).join('|');

/** JavaScript, TypeScript, Python and embedded-code sources. */
export const SOURCE_FILE = new RegExp(`\\.(?:[cm]?[jt]s|[jt]sx|py${embedded ? `|${embedded}` : ''})$`);

/** Sources the TypeScript parser reads: JavaScript, TypeScript and the scripts of embedded-code files (not Python). */
export const SCRIPT_FILE = new RegExp(`\\.(?:[cm]?[jt]sx?${embedded ? `|${embedded}` : ''})$`);

/** The same file name without its source extension (routes, module paths). */
export function withoutSourceExtension(fileName: string): string {
  return fileName.replace(SOURCE_FILE, '');
}
