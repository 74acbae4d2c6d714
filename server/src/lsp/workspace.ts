// The server's view of the workspace: URI ↔ path conversion and one LintService per (workspace folder, overrides).
// Keeping a service per distinct set of editor overrides lets folders with different settings share nothing
// and lets files with identical settings share the service's caches.
import { isAbsolute } from 'node:path';
import { URI } from 'vscode-uri';
import type { Settings } from '../../../shared/src/settings';
import { LintService } from '../analysis/service';
import { relativeTo } from '../analysis/host';
import { NodeHost, normalizePath } from '../host/node-host';
import { gitRootOf } from '../host/files';
import { RULES } from '../rules';
import { ConfigOverlayHost } from './config-documents';

export { SOURCE_FILE } from '../../../shared/src/source-files';
export const CONFIG_FILE = /(?:^|\/)serverless-lint\.json$/;

/**
 * The `/`-separated absolute path of a `file:` URI, or undefined for anything else: other schemes (untitled,
 * virtual), a string that is not a URI (vscode-uri would read `a.ts` as `file:///a.ts`), a path that is not absolute
 * once decoded (`file:///c%3A/x` on Linux would resolve against the server's working folder), a NUL byte. Never throws.
 */
export function uriToPath(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !/^file:/i.test(uri)) return undefined;
  let fsPath: string;
  try {
    const parsed = URI.parse(uri, true);
    if (parsed.scheme !== 'file') return undefined;
    fsPath = parsed.fsPath;
  } catch {
    return undefined;
  }
  if (fsPath.includes('\0') || !isAbsolute(fsPath)) return undefined;
  return normalizePath(fsPath);
}

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

export class ServiceRegistry {
  /** Disk reads, except open configuration documents, whose unsaved text wins (see config-documents.ts). */
  /** The disk, bounded by the workspace folders: nothing outside them (or installed packages) is read. */
  private readonly disk = new NodeHost();
  readonly host = new ConfigOverlayHost(this.disk);
  private folders: string[] = [];
  private readonly services = new Map<string, LintService>();

  setFolders(uris: readonly unknown[]): void {
    this.folders = uris
      .map(uriToPath)
      .filter((p): p is string => !!p)
      .sort((a, b) => b.length - a.length);
    for (const f of this.folders) this.disk.boundary.add(f);
    this.services.clear();
  }

  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** The innermost workspace folder holding a file. */
  folderOf(path: string): string | undefined {
    return this.folders.find((f) => relativeTo(f, path) !== undefined);
  }

  /** The service for a file (or folder) under the given overrides. */
  serviceFor(path: string, overrides: Partial<Settings>): LintService {
    const root = this.folderOf(path);
    const key = `${root ?? ''}\0${JSON.stringify(overrides)}`;
    let service = this.services.get(key);
    if (!service) {
      service = this.newService(path, overrides);
      this.services.set(key, service);
    }
    return service;
  }

  /** A new service as `serviceFor` would make it, that the registry does not keep (the warm-up's, dropped after use). */
  newService(path: string, overrides: Partial<Settings>): LintService {
    const folder = this.folderOf(path);
    // A file outside every workspace folder (opened alone) bounds reads by its repository, or its own folder.
    if (!folder) this.disk.boundary.add(gitRootOf(path.slice(0, path.lastIndexOf('/')) || '/') ?? (path.slice(0, path.lastIndexOf('/')) || '/'));
    return new LintService(this.host, { rules: RULES, workspaceRoot: folder, overrides });
  }

  /** Changes whenever any service's module graph changes its edges (a sum of versions that only grow). */
  graphVersion(): number {
    let sum = 0;
    for (const s of this.services.values()) sum += s.graph.version;
    return sum;
  }

  /** A platform or serverless-lint config file changed: every cached project, config and result is stale. */
  invalidate(): void {
    for (const s of this.services.values()) s.invalidate();
  }

  /** Settings changed: drop every service (they are keyed by the old overrides) so none lingers. */
  reset(): void {
    this.services.clear();
  }

  /** A file closed: cached results for it are no longer worth keeping. */
  forget(path: string): void {
    for (const s of this.services.values()) s.forget(path);
  }
}
