// The Node.js implementation of the core's Host: real file reads, always with `/`-separated paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Host } from '../analysis/host';

export class NodeHost implements Host {
  readFile(p: string): string | undefined {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
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
