// The one guarded door through which the CLI, the language server, the module graph and every configuration read
// reach a file's text: regular files only (never a device, FIFO or socket), a size cap checked before a byte is read,
// and, when a workspace boundary is set, nothing whose real path leaves the workspace or installed packages.
import * as fs from 'node:fs';
import type { ReadResult } from '../analysis/host';

/** A FIFO opened for reading without a writer would block the thread forever; non-blocking, it opens and is refused. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** A real path, `/`-separated (Windows gives back `\`). */
function realPathOf(p: string): string {
  const real = fs.realpathSync.native(p);
  return process.platform === 'win32' ? real.replace(/\\/g, '/') : real;
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith('/') ? root : root + '/');
}

/** What a file system entry is, in words, for a refusal message. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The folders reads may reach: the workspace folders and, anywhere, files inside a `node_modules` folder (installed
 * packages, hoisted above a workspace folder in a monorepo). Checked on the path as written and on its real path, so a
 * symlink committed to a repository cannot lead a read (or a write) out of it.
 */
export class Boundary {
  readonly roots: string[] = [];
  private readonly realRoots: string[] = [];
  /** Real paths of folders already looked up: one lookup per folder, not per file. */
  private readonly realDirs = new Map<string, string>();

  constructor(roots: readonly string[] = []) {
    for (const r of roots) this.add(r);
  }

  add(root: string): void {
    if (this.roots.includes(root)) return;
    this.roots.push(root);
    let real = root;
    try {
      real = realPathOf(root);
    } catch {
      // A root that does not exist (yet) keeps its own name.
    }
    if (!this.realRoots.includes(real)) this.realRoots.push(real);
  }

  /** Whether the boundary restricts anything: a host without roots reads everywhere (tests, tools). */
  get active(): boolean {
    return this.roots.length > 0;
  }

  /** Whether a path, as written, is inside a workspace folder or an installed package. */
  allows(p: string): boolean {
    return !this.active || p.includes('/node_modules/') || this.roots.some((r) => isInside(r, p));
  }

  /** Whether a real path is inside a workspace folder (by its real path) or, with `packages`, an installed package. */
  allowsReal(real: string, packages = true): boolean {
    return (
      !this.active ||
      (packages && real.includes('/node_modules/')) ||
      this.realRoots.some((r) => isInside(r, real)) ||
      this.roots.some((r) => isInside(r, real))
    );
  }

  /**
   * The real path of a folder, cached; undefined when it cannot be resolved. A folder that is not a link itself is
   * its parent's real path and its name: one lstat per folder instead of a realpath of every component (a Next.js
   * app has a folder per route).
   */
  realDir(dir: string): string | undefined {
    let real = this.realDirs.get(dir);
    if (real === undefined) {
      try {
        real = this.resolveDir(dir);
      } catch {
        return undefined;
      }
      this.realDirs.set(dir, real);
    }
    return real;
  }

  /** `realDir` uncached; throws when the folder does not exist. */
  private resolveDir(dir: string): string {
    const slash = dir.lastIndexOf('/');
    if (process.platform === 'win32' || slash < 0 || dir === '/' || fs.lstatSync(dir).isSymbolicLink()) return realPathOf(dir);
    const parent = this.realDir(slash === 0 ? '/' : dir.slice(0, slash));
    return parent === undefined ? realPathOf(dir) : `${parent === '/' ? '' : parent}/${dir.slice(slash + 1)}`;
  }

  /**
   * Why a path may not be read or written (outside the workspace, or a symlink out of it); undefined when it may.
   * `lst` is the path's own lstat when the caller has it (undefined: it does not exist).
   */
  check(p: string, lst?: fs.Stats | null): string | undefined {
    if (!this.active) return undefined;
    if (!this.allows(p)) return 'it is outside the workspace and its installed packages';
    if (lst === undefined) lst = fs.lstatSync(p, { throwIfNoEntry: false }) ?? null;
    if (!lst) return undefined;
    return this.checkReal(p, lst.isSymbolicLink());
  }

  /** `check` of a path that exists, known to be a symbolic link or not. */
  checkReal(p: string, isLink: boolean): string | undefined {
    let real: string;
    if (isLink) {
      try {
        real = realPathOf(p);
      } catch {
        return undefined;
      }
    } else {
      // Not a link itself: its real path is its folder's (looked up once per folder) and its name.
      const slash = p.lastIndexOf('/');
      const realDir = this.realDir(slash <= 0 ? '/' : p.slice(0, slash));
      if (realDir === undefined) return undefined;
      real = `${realDir === '/' ? '' : realDir}/${p.slice(slash + 1)}`;
    }
    return this.allowsReal(real) ? undefined : `it is a symbolic link to ${real}, outside the workspace`;
  }
}

/** Opening a link with this flag fails (ELOOP; EMLINK on FreeBSD) instead of following it; 0 where there is none (Windows). */
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Reads a file's text through the door. `maxBytes` is checked on the open file's size before reading, and the read
 * stops one byte past it (a file that grows, or a /proc file whose size says 0, is refused, not read whole).
 *
 * `listed`: the caller found the path in a folder listing as a file (the CLI's source files), so it is opened at
 * once, without following a link, instead of being looked at first: one system call less per source file. A link,
 * or anything else the open refuses, takes the looking path.
 */
export function guardedRead(p: string, maxBytes: number, boundary?: Boundary, listed = false): ReadResult {
  if (boundary?.active && !boundary.allows(p)) return { refused: 'outside-workspace', reason: 'it is outside the workspace and its installed packages' };
  if (listed && NO_FOLLOW) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, OPEN_FLAGS | NO_FOLLOW);
    } catch {
      // A link (ELOOP), gone since the listing, or unreadable: the looking path below says which.
    }
    if (fd !== undefined) {
      const outside = boundary?.active ? boundary.checkReal(p, false) : undefined;
      if (outside) {
        fs.closeSync(fd);
        return { refused: 'outside-workspace', reason: outside };
      }
      return readOpen(fd, p, maxBytes);
    }
  }
  // An lstat first: most probes miss (a tsconfig.json in every folder up), and a miss answered without an exception
  // costs no stack trace; a device, FIFO or socket is refused on its type without being opened at all.
  let lst: fs.Stats | undefined;
  let st: fs.Stats | undefined;
  try {
    lst = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!lst) return MISSING;
    st = lst.isSymbolicLink() ? fs.statSync(p, { throwIfNoEntry: false }) : lst;
  } catch (e) {
    return failure(p, e as NodeJS.ErrnoException);
  }
  if (!st) return { refused: 'unreadable', reason: 'it is a broken symbolic link' };
  const outside = boundary?.check(p, lst);
  if (outside) return { refused: 'outside-workspace', reason: outside };
  if (!st.isFile()) return { refused: 'not-regular', reason: `it is ${kindOf(st)}, not a regular file` };
  if (st.size > maxBytes) return tooLarge(st.size, maxBytes);
  let fd: number;
  try {
    fd = fs.openSync(p, OPEN_FLAGS);
  } catch (e) {
    return failure(p, e as NodeJS.ErrnoException);
  }
  return readOpen(fd, p, maxBytes);
}

/** Reads an open file (and closes it): a regular file only, never past `maxBytes`. */
function readOpen(fd: number, p: string, maxBytes: number): ReadResult {
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { refused: 'not-regular', reason: `it is ${kindOf(st)}, not a regular file` };
    if (st.size > maxBytes) return tooLarge(st.size, maxBytes);
    // Never past the cap: a file is read up to the size its open descriptor reported (checked against the cap
    // above), and a file whose size says 0 grows its buffer only to one byte past the cap, which refuses it.
    // The buffer is the file's own size (plus one byte): a 64 KB floor per read had made every
    // source file a fresh 64 KB external allocation, which V8 counts toward its collection heuristics (the CLI's
    // garbage collection doubled on 1,000 small files). A file whose size says 0 (/proc) starts at 8 KB and grows.
    let buf = Buffer.allocUnsafe(Math.min(maxBytes, st.size > 0 ? st.size : 8 * 1024) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > maxBytes) return { refused: 'too-large', reason: `it is larger than the size limit (more than ${megabytes(maxBytes)})` };
        // A file whose size says 0 (/proc) and has more: grow, never past the cap.
        const bigger = Buffer.allocUnsafe(Math.min(2 * buf.length, maxBytes + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      // The size the open file reported is read: done, as readFileSync is, without one more read to see the end.
      if (n === st.size) break;
    }
    return { text: buf.toString('utf8', 0, n) };
  } catch (e) {
    return failure(p, e as NodeJS.ErrnoException);
  } finally {
    fs.closeSync(fd);
  }
}

const MISSING: ReadResult = { refused: 'missing', reason: 'it does not exist' };

function tooLarge(size: number, maxBytes: number): ReadResult {
  return { refused: 'too-large', reason: `it is larger than the size limit (${megabytes(size)} > ${megabytes(maxBytes)})`, size };
}

function failure(p: string, e: NodeJS.ErrnoException): ReadResult {
  if (e.code === 'ENOENT' || e.code === 'ENOTDIR') {
    // A dangling symlink exists as an entry but has nothing behind it: say so, it is not simply absent.
    try {
      if (fs.lstatSync(p).isSymbolicLink()) return { refused: 'unreadable', reason: 'it is a broken symbolic link' };
    } catch {
      // Absent indeed.
    }
    return MISSING;
  }
  if (e.code === 'ENXIO' || e.code === 'EOPNOTSUPP') return { refused: 'not-regular', reason: 'it is a socket, not a regular file' };
  if (e.code === 'EISDIR') return { refused: 'not-regular', reason: 'it is a folder, not a regular file' };
  return { refused: 'unreadable', reason: `it cannot be read (${e.code ?? e.message})` };
}

/**
 * Writes a file through the door (`--fix`): only over an existing regular file inside the boundary, atomically — a
 * temporary file in the same folder, then a rename over the original — so a crash never leaves half a file and a
 * symlink is never written through. Returns why not, when it did not write.
 */
export function guardedWrite(p: string, text: string, boundary?: Boundary): string | undefined {
  // Writes stay inside the workspace folders themselves (installed packages are read, never written).
  const outside = boundary?.active && !boundary.roots.some((r) => isInside(r, p)) ? 'it is outside the workspace' : boundary?.check(p);
  if (outside) return outside;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (e) {
    return `it cannot be read (${(e as NodeJS.ErrnoException).code})`;
  }
  if (st.isSymbolicLink() && !boundary?.active) return 'it is a symbolic link and no workspace is known';
  if (boundary?.active) {
    // By its real path too (a symlinked file or folder): fixes are never written outside the workspace folders.
    let real: string;
    try {
      real = realPathOf(p);
    } catch (e) {
      return `it is a broken symbolic link (${(e as NodeJS.ErrnoException).code})`;
    }
    if (!boundary.allowsReal(real, false)) return `its real path ${real} is outside the workspace`;
    if (st.isSymbolicLink()) {
      // Renaming over a symlink would replace the link: the fix goes to its target.
      p = real;
      st = fs.statSync(p);
    }
  }
  if (!st.isFile()) return `it is ${kindOf(st)}, not a regular file`;
  const slash = p.lastIndexOf('/');
  const tmp = `${p.slice(0, slash)}/.${p.slice(slash + 1)}.serverless-lint-${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, { mode: st.mode & 0o7777, flag: 'wx' });
    fs.renameSync(tmp, p);
    return undefined;
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // Nothing to clean up.
    }
    return `it could not be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}
