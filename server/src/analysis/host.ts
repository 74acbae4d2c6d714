// The only door between the analysis core and the outside world: the caller supplies file reads.
// The core itself never touches `fs`; the CLI and the server pass a Node host, tests pass a memory host.

export interface Host {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  /** Names (not paths) of the entries of a folder; empty when it does not exist. */
  readDirectory(path: string): string[];
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
