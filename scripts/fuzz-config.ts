// Generates hostile workspaces for the config fuzzer (`npm run fuzz -- --configs N`, and a short run in the unit
// tests): configuration files nested thousands of levels deep (JSON, YAML, TOML), symlinks to devices, to `/`, out of
// the workspace and dangling, FIFOs, and tsconfig `extends` graphs with self-references, cycles and outside paths.
// Each workspace is linted by the CLI in-process; a run must end with exit 0 or 1, and nothing from outside may print.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { prng } from './prng';
import { main } from '../server/src/cli';

/** Text that lives only outside the workspaces: finding it in an output is a leak. */
export const SECRET = 'SL-FUZZ-SECRET-6f1d';

const JSON_CONFIGS = ['package.json', 'tsconfig.json', 'jsconfig.json', 'wrangler.jsonc', 'wrangler.json', 'serverless-lint.json', 'vercel.json'];
const YAML_CONFIGS = ['serverless.yml', 'template.yaml'];
const TOML_CONFIGS = ['netlify.toml', 'wrangler.toml'];

export interface ConfigFuzzFailure {
  index: number;
  kind: 'exit-2' | 'leak' | 'exception';
  files: string[];
  detail: string;
}

type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** Nested JSON: brackets and objects mixed, depth from shallow to far past any parser's stack. */
export function deepJson(rand: Rand, depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    if (rand() < 0.5) {
      open += '[';
      close = ']' + close;
    } else {
      open += '{"k":';
      close = '}' + close;
    }
  }
  // Sometimes unbalanced, sometimes with a comment or a string holding brackets.
  const middle = pick(rand, ['1', '"[[[{{{"', '/* [[[ */ 2', 'null']);
  return rand() < 0.1 ? open + middle : open + middle + close;
}

export function deepYaml(rand: Rand, depth: number): string {
  switch (Math.floor(rand() * 4)) {
    case 0:
      return `functions: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    case 1:
      return `Resources:\n  ${'- '.repeat(depth)}a\n`;
    case 2: {
      let s = '';
      for (let i = 0; i < Math.min(depth, 3000); i++) s += `${' '.repeat(i)}k${i}:\n`;
      return s + `${' '.repeat(Math.min(depth, 3000))}v\n`;
    }
    default: {
      // Aliases: a chain, or a "billion laughs" fan-out.
      let s = 'a0: &a0 [x, x, x]\n';
      const n = Math.min(depth, 400);
      for (let i = 1; i < n; i++)
        s += `a${i}: &a${i} [${Array(rand() < 0.5 ? 1 : 9)
          .fill(`*a${i - 1}`)
          .join(', ')}]\n`;
      return `AWSTemplateFormatVersion: "2010-09-09"\n${s}base: &base\n  timeout: 1200\nfunctions:\n  f:\n    <<: *base\n    handler: src/a.handler\n`;
    }
  }
}

export function deepToml(rand: Rand, depth: number): string {
  switch (Math.floor(rand() * 3)) {
    case 0:
      return `a = ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    case 1:
      return `${Array(depth).fill('a').join('.')} = 1\n`;
    default:
      return `[${Array(depth).fill('t').join('.')}]\nx = 1\n`;
  }
}

/** A tsconfig `extends` graph: some configs extend themselves, each other in cycles, or paths outside. */
function extendsGraph(rand: Rand, outside: string): Record<string, string> {
  const n = 1 + Math.floor(rand() * 6);
  const names = ['tsconfig.json', ...Array.from({ length: n }, (_, i) => `configs/c${i}.json`)];
  const files: Record<string, string> = {};
  for (const name of names) {
    const targets = Array.from({ length: Math.floor(rand() * 4) }, () => {
      const r = rand();
      if (r < 0.1) return '/proc/self/environ';
      if (r < 0.2) return `${outside}/secret.json`;
      if (r < 0.3) return '../../../../../../../../etc/passwd';
      const other = pick(rand, names);
      return name.startsWith('configs/') ? (other.startsWith('configs/') ? `./${other.slice(8)}` : '../tsconfig.json') : `./${other}`;
    });
    files[name] = JSON.stringify({
      extends: rand() < 0.3 ? (targets[0] ?? './tsconfig.json') : targets,
      compilerOptions: { baseUrl: '.', paths: { '@/*': [rand() < 0.2 ? `${outside}/*` : './*'] } },
    });
  }
  return files;
}

/** Writes one generated workspace; returns its folder. */
function generate(rand: Rand, root: string, outside: string, special: boolean): string {
  const dir = mkdtempSync(join(root, 'w-'));
  const files: Record<string, string> = {
    'api/a.ts': 'import { x } from "@/lib/x";\nexport default function h(req: any, res: any) { res.end(String(x)); process.exit(1); }\n',
    'lib/x.ts': 'export const x = 1;\n',
    'src/a.ts': 'export const handler = async () => 1;\n',
  };
  const depth = Math.floor(rand() < 0.5 ? rand() * 300 : rand() * 8000);
  const kind = rand();
  if (kind < 0.4) files[pick(rand, JSON_CONFIGS)] = deepJson(rand, depth);
  else if (kind < 0.6) files[pick(rand, YAML_CONFIGS)] = deepYaml(rand, depth);
  else if (kind < 0.7) files[pick(rand, TOML_CONFIGS)] = deepToml(rand, depth);
  else Object.assign(files, extendsGraph(rand, outside));
  if (!files['vercel.json'] && rand() < 0.7) files['vercel.json'] = '{}';
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  if (special && process.platform !== 'win32') {
    // Symlinked and special files where configs and sources are looked for.
    for (let i = 0, n = Math.floor(rand() * 3); i < n; i++) {
      const name = pick(rand, [...JSON_CONFIGS, ...YAML_CONFIGS, ...TOML_CONFIGS, 'api/b.ts', 'lib/y.ts', 'up']);
      const target = join(dir, name);
      if (Object.hasOwn(files, name)) continue;
      mkdirSync(dirname(target), { recursive: true });
      const what = rand();
      try {
        if (what < 0.25) symlinkSync('/dev/zero', target);
        else if (what < 0.4) symlinkSync('/', target);
        else if (what < 0.6) symlinkSync(`${outside}/secret.json`, target);
        else if (what < 0.75) symlinkSync(join(dir, 'missing'), target);
        else if (what < 0.85) mkdirSync(target);
        else execFileSync('mkfifo', [target], { stdio: 'ignore' });
      } catch {
        // A name taken twice: keep the first.
      }
    }
  }
  return dir;
}

/** Lints `count` generated workspaces with the CLI in-process; returns the failures. */
export async function fuzzConfigs(options: {
  seed: number;
  count: number;
  onProgress?: (n: number) => void;
}): Promise<{ inputs: number; failures: ConfigFuzzFailure[] }> {
  const rand = prng(options.seed);
  const root = mkdtempSync(join(tmpdir(), 'sl-fuzz-config-'));
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.json'), `{ "${SECRET}": 1, not json ${SECRET} }\n`);
  const failures: ConfigFuzzFailure[] = [];
  const previous = process.cwd();
  try {
    for (let i = 0; i < options.count; i++) {
      const dir = generate(rand, root, outside, rand() < 0.6);
      const out: string[] = [];
      const err: string[] = [];
      const listing = () =>
        execFileSync('find', [dir, '-maxdepth', '2'], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .map((f) => f.slice(dir.length + 1));
      try {
        process.chdir(dir);
        const format = pick(rand, ['text', 'json', 'sarif']);
        const code = await main(['--format', format, '.'], { out: (s) => out.push(s), err: (s) => err.push(s) });
        const all = out.join('\n') + err.join('\n');
        if (code === 2) failures.push({ index: i, kind: 'exit-2', files: listing(), detail: err.join('\n').slice(0, 2000) });
        else if (all.includes(SECRET) || /PATH=|root:x:0:/.test(all)) failures.push({ index: i, kind: 'leak', files: listing(), detail: all.slice(0, 2000) });
      } catch (e) {
        failures.push({ index: i, kind: 'exception', files: listing(), detail: String((e as Error).stack ?? e).slice(0, 2000) });
      } finally {
        process.chdir(previous);
        rmSync(dir, { recursive: true, force: true });
      }
      options.onProgress?.(i + 1);
    }
  } finally {
    process.chdir(previous);
    rmSync(root, { recursive: true, force: true });
  }
  return { inputs: options.count, failures };
}
