// Finds the workspace's function entries in the background, so a module opened on its own (lib/store.ts, a Worker's
// helper) already knows it runs inside a function: without this, its role depended on which routes had been opened.
import type { LintService } from '../analysis/service';
import { dirname, relativeTo } from '../analysis/host';
import { pathEntry } from '../analysis/handlers';
import { collectSourceFiles } from './files';

export interface DiscoveryOptions {
  /** The service a file is analyzed with (its folder's settings). */
  serviceFor(fileName: string): Promise<LintService>;
  /** A file's text: the open buffer when there is one. */
  textOf(fileName: string): string | undefined;
  /** True once a newer discovery superseded this one. */
  cancelled(): boolean;
  /** Resolves when the user is not typing (the language server's keystrokes come first); immediately when absent. */
  whenIdle?(): Promise<void>;
  /** Whether the file is open in the editor (its cached result is kept). */
  isOpen(fileName: string): boolean;
  maxFiles?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Discovery gives the event loop back after this long: a keystroke waits at most about this (plus one file). */
const YIELD_EVERY_MS = 10;

/**
 * Whether a file could be a function entry by where it is: a framework path convention relative to any folder
 * between the workspace folder and the file (the project root is one of them), or a handler or Worker `main` named
 * in the nearest platform config. A cheap over-approximation: analysis decides.
 */
export function isEntryCandidate(service: LintService, folder: string, fileName: string): boolean {
  for (let dir = dirname(fileName); ; dir = dirname(dir)) {
    const rel = relativeTo(dir, fileName);
    if (rel && pathEntry(rel)) return true;
    if (dir === folder || dir === dirname(dir) || relativeTo(folder, dir) === undefined) break;
  }
  const info = service.projects.infoFor(dirname(fileName));
  const noExt = fileName.replace(/\.[cm]?[jt]sx?$/, '');
  return info.workerMain === fileName || info.configuredHandlers.some((h) => h.modulePath === noExt);
}

/**
 * Decides the context of every entry candidate under the folders once, which records the entries in each service's
 * module graph (LintService.contextOf marks them). Yields to the event loop every few milliseconds so editing stays
 * responsive. Returns how many files turned out to be entries.
 */
export async function discoverEntries(folders: readonly string[], opts: DiscoveryOptions): Promise<number> {
  let entries = 0;
  for (const folder of folders) {
    const files = collectSourceFiles([folder], { cancelled: opts.cancelled, maxFiles: opts.maxFiles ?? 20_000 });
    // The folder's service answers the cheap questions; a candidate is analyzed with its own file's settings.
    const probe = await opts.serviceFor(folder);
    let lastYield = -Infinity;
    for (const file of files) {
      // Requests and edits that arrived meanwhile are served between two files, at most a slice apart.
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        await opts.whenIdle?.();
        lastYield = performance.now();
      }
      if (opts.cancelled()) return entries;
      if (probe.isIgnored(file) || !isEntryCandidate(probe, folder, file)) continue;
      const service = await opts.serviceFor(file);
      // A closed file is read through the door with its size limit checked first: a 50 MB generated file is not read.
      const text = opts.isOpen(file) ? opts.textOf(file) : service.readSource(file).text;
      if (text === undefined) continue;
      // Only the context is wanted (the role, which records the entry in the module graph): no rules run.
      if (service.contextOf(file, text).role.value === 'function-entry') entries++;
      // Nothing of a closed file is kept: not its tree, not its text.
      if (!opts.isOpen(file)) service.forget(file);
    }
  }
  return entries;
}
