// Types of scripts/esbuild-typescript.mjs for the TypeScript sources that import it (the benchmark).
import type { Plugin } from 'esbuild';
export function directTypescript(filter?: RegExp): Plugin;
