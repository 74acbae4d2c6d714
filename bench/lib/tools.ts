// The comparison tools, installed from the npm registry into bench/.tools (git-ignored) on first use:
// ESLint and the typescript-eslint parser, pinned, so the comparison is repeatable.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS } from './paths';

/** ESLint 10 (the latest major on the registry when this was written) and its TypeScript parser. */
export const TOOL_VERSIONS: Record<string, string> = {
  eslint: '10.15.0',
  '@typescript-eslint/parser': '8.73.0',
  typescript: '6.0.3',
};

export function ensureTools(log: (s: string) => void): void {
  mkdirSync(TOOLS, { recursive: true });
  const pkgJson = JSON.stringify({ name: 'serverless-lint-bench-tools', private: true, dependencies: TOOL_VERSIONS }, null, 2);
  const pkgFile = join(TOOLS, 'package.json');
  if (existsSync(pkgFile) && readFileSync(pkgFile, 'utf8') === pkgJson && existsSync(join(TOOLS, 'node_modules/eslint/package.json'))) return;
  writeFileSync(pkgFile, pkgJson);
  log(
    `installing ${Object.entries(TOOL_VERSIONS)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')} into bench/.tools …`,
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: TOOLS, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function installedVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(TOOLS, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
