// The only door between the analysis core and the outside world: the caller supplies file reads.
// The core itself never touches `fs`; the CLI and the server pass a Node host, tests pass a memory host.

/** Why a read through the guarded door (host/guarded-read.ts) gave no text. */
export type Refusal = 'missing' | 'not-regular' | 'too-large' | 'outside-workspace' | 'unreadable';

/** A file's text, or why there is none (`reason` completes "…was not read: "). */
export type ReadResult = { text: string; refused?: undefined } | { text?: undefined; refused: Refusal; reason: string; size?: number };

/** The cap on a configuration file's size (platform configs, package.json, tsconfig, serverless-lint.json): 2 MB, as sources by default. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

export interface Host {
  /** The file's text, or undefined when it does not exist or cannot be read (or the door refused it). */
  readFile(path: string): string | undefined;
  /**
   * The file's text through the guarded door, at most `maxBytes` long, or why not. Hosts without it (in-memory
   * ones) are read through `readText`, which checks the same cap on the text. `listed`: the caller found the path as
   * a file in a folder listing (the door may then open it before looking at it).
   */
  read?(path: string, maxBytes: number, listed?: boolean): ReadResult;
  /** Whether names that differ only in case name different files (Linux): a folder's listing then tells absence. */
  readonly caseSensitive?: boolean;
  /** Whether a path is inside the workspace or an installed package (module resolution stops at the boundary). */
  allows?(path: string): boolean;
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  /** Names (not paths) of the entries of a folder; empty when it does not exist. */
  readDirectory(path: string): string[];
}

/** Whether a refusal means "not part of the workspace" (a path above or beside it), which walks up treat as absent. */
export function isAbsent(host: Host, path: string, got: ReadResult): boolean {
  return got.refused === 'missing' || (got.refused === 'outside-workspace' && !!host.allows && !host.allows(path));
}

/** A file's text through the host's door, capped at `maxBytes`, with the reason when it gives none. */
export function readText(host: Host, path: string, maxBytes: number, listed?: boolean): ReadResult {
  if (host.read) return host.read(path, maxBytes, listed);
  const text = host.readFile(path);
  if (text === undefined) return { refused: 'missing', reason: 'it does not exist' };
  if (text.length > maxBytes)
    return {
      refused: 'too-large',
      reason: `it is larger than the limit (${(text.length / 1024 / 1024).toFixed(1)} MB > ${(maxBytes / 1024 / 1024).toFixed(1)} MB)`,
      size: text.length,
    };
  return { text };
}

/** POSIX-style path helpers: the core works on `/`-separated absolute paths on every OS. */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  if (i <= 0) return '/';
  return path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** `child` relative to `parent`, or undefined when `child` is not inside `parent`. */
export function relativeTo(parent: string, child: string): string | undefined {
  if (child === parent) return '';
  const prefix = parent.endsWith('/') ? parent : parent + '/';
  return child.startsWith(prefix) ? child.slice(prefix.length) : undefined;
}

export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

/** An in-memory host: `files` maps absolute paths to contents. Folders are implied by the paths. */
export class MemoryHost implements Host {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Map<string, Set<string>>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    this.files.set(path, text);
    let child = path;
    let dir = dirname(path);
    for (;;) {
      let entries = this.dirs.get(dir);
      if (!entries) this.dirs.set(dir, (entries = new Set()));
      entries.add(basename(child));
      if (dir === '/') break;
      child = dir;
      dir = dirname(dir);
    }
  }

  readFile(path: string): string | undefined {
    return this.files.get(path);
  }
  fileExists(path: string): boolean {
    return this.files.has(path);
  }
  directoryExists(path: string): boolean {
    return this.dirs.has(path);
  }
  readDirectory(path: string): string[] {
    return [...(this.dirs.get(path) ?? [])];
  }
}
