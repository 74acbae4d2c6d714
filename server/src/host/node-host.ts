// The Node.js implementation of the core's Host: real file reads, always with `/`-separated paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_CONFIG_BYTES, type Host, type ReadResult } from '../analysis/host';
import { Boundary, guardedRead } from './guarded-read';

/** The cap of a read that names none (`readFile`): above any default size limit, far below what exhausts memory. */
const DEFAULT_MAX_BYTES = 16 * MAX_CONFIG_BYTES;

export class NodeHost implements Host {
  /**
   * Where reads may go: the workspace folders and installed packages once a front end sets them (the CLI its
   * repository, the server its workspace folders); everywhere while it has no roots.
   */
  constructor(readonly boundary: Boundary = new Boundary()) {}

  readonly caseSensitive = process.platform === 'linux';

  /** Every read goes through the guarded door: regular files only, size checked first, inside the boundary. */
  read(p: string, maxBytes: number, listed?: boolean): ReadResult {
    return guardedRead(p, maxBytes, this.boundary, listed);
  }

  readFile(p: string): string | undefined {
    return guardedRead(p, DEFAULT_MAX_BYTES, this.boundary).text;
  }

  allows(p: string): boolean {
    return this.boundary.allows(p);
  }

  // Most probes miss (module resolution tries each extension, package lookup each node_modules up to the root):
  // `throwIfNoEntry: false` answers a miss without building an exception and its stack trace.
  fileExists(p: string): boolean {
    try {
      return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      return false;
    }
  }
  directoryExists(p: string): boolean {
    try {
      return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    } catch {
      return false;
    }
  }
  readDirectory(p: string): string[] {
    // Folders above the workspace are not looked into: their configuration is not the workspace's.
    if (!this.boundary.allows(p)) return [];
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  }
}

/** An absolute, `/`-separated path. */
export function normalizePath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}
