// The alternative a user would pick: ESLint with the typescript-eslint parser and one rule
// (no-restricted-imports), linting exactly the files of the list through ESLint's Node API.
// Usage: node eslint.mjs <tools-dir> <cwd> <file-list>. Prints {"files","problems","fatal"} on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [toolsDir, cwd, listFile] = process.argv.slice(2);
const req = createRequire(join(toolsDir, 'package.json'));
const load = async (name) => {
  const mod = await import(pathToFileURL(req.resolve(name)).href);
  return mod.default && !mod.ESLint ? mod.default : mod;
};
const { ESLint } = await load('eslint');
const parser = await load('@typescript-eslint/parser');
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

const eslint = new ESLint({
  cwd,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
      languageOptions: { parser, ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
      linterOptions: { reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
      rules: { 'no-restricted-imports': ['error', { paths: ['fs', 'child_process', 'node:fs', 'node:child_process'] }] },
    },
  ],
});
const results = await eslint.lintFiles(files);
let problems = 0;
let fatal = 0;
for (const r of results) {
  problems += r.messages.length;
  fatal += r.messages.filter((m) => m.fatal).length;
}
process.stdout.write(JSON.stringify({ files: results.length, problems, fatal }) + '\n');
