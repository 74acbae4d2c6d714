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
  fileExists(p: string): boolean {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  }
  directoryExists(p: string): boolean {
    try {
      return fs.statSync(p).isDirectory();
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
