// Nothing skipped silently, terminal-safe output, ignore globs compiled once (docs/reliability.md: "Nothing is skipped silently", "Nothing outside the workspace is printed"): the
// minified test, the listing of files that were not analyzed in every format, --max-skipped, escaping, BOM and CR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../server/src/cli';
import { compileGitignore, minifiedReason, collectSourceFiles } from '../server/src/host/files';
import ignore from 'ignore';
import { sourceLines, terminalSafe, textLines } from '../server/src/cli/format';
import { MemoryHost } from '../server/src/analysis/host';
import { LintService } from '../server/src/analysis/service';
import { RULES } from '../server/src/rules';

async function run(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

/** A bundle as a minifier writes it: a one-line license banner, then the code on a few very long lines. */
function minifiedBundle(): string {
  const body = '!function(e,t){"object"==typeof exports?module.exports=t():e.lib=t()}(this,function(){var n={};return n.a=function(r){return r+1},n});';
  return `/*! lib v1.2.3 | MIT License | github.com/example/lib */\n${body.repeat(200)}\n${body.repeat(150)}\n//# sourceMappingURL=lib.js.map\n`;
}

/** An ordinary handler under a long license comment that sits on the first line. */
function longLicense(style: 'block' | 'line'): string {
  const license = 'Copyright (c) 2024 Example Corp. Permission is hereby granted, free of charge, to any person obtaining a copy of this software. '.repeat(12);
  const header = style === 'block' ? `/* ${license} */` : `// ${license}`;
  return `${header}\nexport default function handler(req, res) {\n  process.exit(1);\n}\n`;
}

test('a long license comment on the first line is not "minified"; a real minified bundle is', () => {
  assert.equal(minifiedReason(longLicense('block')), undefined);
  assert.equal(minifiedReason(longLicense('line')), undefined);
  // One long data line among ordinary ones is analyzed too.
  const data = `export const LOGO = "${'A'.repeat(5000)}";\n${'export const n = 1;\n'.repeat(300)}`;
  assert.equal(minifiedReason(data), undefined);
  // Generated long expressions are code to analyze, not minified bundles.
  assert.equal(minifiedReason(`export const v = ${Array(2000).fill('req.query.k').join(' + ')};\n`), undefined);
  assert.equal(minifiedReason(`export const ok = (a) => ${Array(2000).fill('a').join(' && ')};\n`), undefined);
  assert.match(minifiedReason(minifiedBundle()) ?? '', /looks minified/);
});

test('long string literals are data, not minified code: inline SVG paths and base64 images are analyzed', () => {
  // The shapes of an icons.tsx (JSX <path d="…"> with long path data) and of an API route returning an inline PNG.
  const path = Array.from({ length: 400 }, (_, i) => `L${i % 24}.${i % 10} ${(i * 7) % 24}.${i % 9}`)
    .join('')
    .replace(/ /g, ',');
  const icons = `import type { SVGProps } from "react";\n\n${Array.from({ length: 12 }, (_, i) => `export const Icon${i} = (p: SVGProps<SVGSVGElement>) => (<svg viewBox="0 0 24 24" {...p}><path d="M0 0${path}Z" /></svg>);`).join('\n')}\n`;
  assert.equal(minifiedReason(icons), undefined);
  const png = `export default function handler(req, res) {\n  const png =\n    '${'iVBORw0KGgoAAAANSUhEUgAAAGQAAABXCAYAAAD'.repeat(80)}';\n  res.setHeader('Content-Type', 'image/png');\n  res.end(Buffer.from(png, 'base64'));\n}\n`;
  assert.equal(minifiedReason(png), undefined);
  // A bundle that embeds a long string is still a bundle.
  assert.match(minifiedReason(`var s="${'x'.repeat(3000)}";${minifiedBundle()}`) ?? '', /looks minified/);
});

test('the file walk lists minified files it leaves out, with the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-min-'));
  writeFileSync(join(dir, 'bundle.js'), minifiedBundle());
  writeFileSync(join(dir, 'licensed.js'), longLicense('block'));
  const skipped: string[] = [];
  const files = collectSourceFiles([dir], { onSkipped: (f) => skipped.push(f.slice(dir.length + 1)) });
  assert.deepEqual(
    files.map((f) => f.slice(dir.length + 1)),
    ['licensed.js'],
  );
  assert.deepEqual(skipped, ['bundle.js']);
});

function skippedProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sl-skip-'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api/licensed.js'), longLicense('block'));
  writeFileSync(join(dir, 'api/vendor.js'), minifiedBundle());
  writeFileSync(join(dir, 'serverless-lint.json'), JSON.stringify({ maxFileSize: 1024 * 1024 }));
  writeFileSync(join(dir, 'api/huge.js'), `export default function h(req, res) { res.json({}); }\n${'// padding\n'.repeat(110_000)}`);
  return dir;
}

test('files that were not analyzed are listed in text, JSON and SARIF, and --max-skipped fails CI', async () => {
  const dir = skippedProject();
  const text = await run(['.'], dir);
  assert.equal(text.code, 1, 'licensed.js has an error');
  assert.match(text.out, /api\/licensed\.js:3:3 {2}error/);
  assert.match(
    text.out,
    /2 file\(s\) not analyzed:\n {2}api\/huge\.js: it is larger than serverlessLint\.maxFileSize.*\n {2}api\/vendor\.js: it looks minified/,
  );
  assert.match(text.out, /api\/vendor\.js:1:1 {2}warning {2}Serverless Lint skipped this file: it looks minified/);

  const json = JSON.parse((await run(['.', '--format', 'json'], dir)).out) as Array<{ filePath: string; skipped?: string; warningCount: number }>;
  const vendor = json.find((f) => f.filePath.endsWith('vendor.js'))!;
  assert.match(vendor.skipped ?? '', /looks minified/);
  assert.equal(vendor.warningCount, 1);
  assert.match(json.find((f) => f.filePath.endsWith('huge.js'))?.skipped ?? '', /maxFileSize/);

  const sarif = JSON.parse((await run(['.', '--format', 'sarif'], dir)).out);
  const notes = sarif.runs[0].invocations[0].toolExecutionNotifications as Array<{
    message: { text: string };
    locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
  }>;
  assert.deepEqual(notes.map((n) => n.locations[0].physicalLocation.artifactLocation.uri).sort(), ['api/huge.js', 'api/vendor.js']);

  const md = (await run(['.', '--report'], dir)).out;
  assert.match(md, /## Files not analyzed\n\n- api\/huge\\\.js: it is larger than serverlessLint\\\.maxFileSize.*\n- api\/vendor\\\.js: it looks minified/);
  const report = JSON.parse((await run(['.', '--report', '--format', 'json'], dir)).out) as { skipped: Array<{ fileName: string }> };
  assert.deepEqual(
    report.skipped.map((x) => x.fileName.slice(dir.length + 1)),
    ['api/huge.js', 'api/vendor.js'],
  );

  const onlyLicensed = mkdtempSync(join(tmpdir(), 'sl-skip-'));
  writeFileSync(join(onlyLicensed, 'vercel.json'), '{}');
  mkdirSync(join(onlyLicensed, 'api'));
  writeFileSync(join(onlyLicensed, 'api/vendor.js'), minifiedBundle());
  assert.equal((await run(['.'], onlyLicensed)).code, 0, 'a skipped file alone is a warning');
  const strict = await run(['.', '--max-skipped', '0'], onlyLicensed);
  assert.equal(strict.code, 1);
  assert.match(strict.err, /1 file\(s\) could not be analyzed, more than --max-skipped 0/);
  assert.equal((await run(['.', '--max-skipped', '1'], onlyLicensed)).code, 0);
  assert.equal((await run(['.', '--max-skipped', 'x'], onlyLicensed)).code, 2);
});

test('control characters in file names, messages and code frames are escaped in text output', async () => {
  assert.equal(terminalSafe('a\u001b[31mb\u009bc\u202ed\te'), 'a\\x1b[31mb\\x9bc\\u202ed\te');
  const lines = [
    ...textLines([
      {
        filePath: 'api/\u001b]0;pwned\u0007x.js',
        lines: new Map([[0, 'const s = "\u001b[2J"; process.exit(1);']]),
        findings: [
          {
            ruleId: 'no-process-exit',
            severity: 'error',
            message: 'see \u202eevil',
            span: { start: 0, end: 0 },
            range: { start: { line: 0, character: 18 }, end: { line: 0, character: 33 } },
          },
        ],
      },
    ]),
  ];
  const out = lines.join('\n');
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  assert.match(lines[0], /^api\/\\x1b\]0;pwned\\x07x\.js:1:19 {2}error {2}see \\u202eevil/);
  // The caret stays under `process.exit(1)`, after the escaped `\x1b` (4 characters for 1).
  const frame = lines[1].indexOf('process.exit');
  assert.equal(lines[2].indexOf('^'), frame);
  assert.equal(lines[2].lastIndexOf('^') - frame + 1, 'process.exit(1)'.length);

  const dir = mkdtempSync(join(tmpdir(), 'sl-esc-'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api/\u001b[31mred.js'), 'export default function h(req, res) { process.exit(1); }\n');
  const r = await run(['.'], dir);
  assert.doesNotMatch(r.out, /\u001b/);
  assert.match(r.out, /api\/\\x1b\[31mred\.js:1:39/);
});

test('line-1 columns after a BOM, and code frames of CR-only files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-bom-'));
  writeFileSync(join(dir, 'vercel.json'), '{}');
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api/bom.js'), '\uFEFFexport default function h(req, res) { process.exit(1); }\n');
  writeFileSync(join(dir, 'api/cr.js'), 'export default function h(req, res) {\r  const a = 1;\r  process.exit(a);\r}\r');
  const json = JSON.parse((await run(['.', '--format', 'json'], dir)).out) as Array<{ filePath: string; messages: Array<{ line: number; column: number }> }>;
  assert.deepEqual(
    json.find((f) => f.filePath.endsWith('bom.js'))!.messages.map((m) => [m.line, m.column]),
    [[1, 39]],
  );
  assert.deepEqual(
    json.find((f) => f.filePath.endsWith('cr.js'))!.messages.map((m) => [m.line, m.column]),
    [[3, 3]],
  );
  const text = (await run(['.'], dir)).out;
  assert.match(text, /bom\.js:1:39 .*\n {4}1 \| export default function h\(req, res\) \{ process\.exit\(1\); \}\n {6}\| {39}\^{15}/);
  assert.match(text, /cr\.js:3:3 .*\n {4}3 \| {3}process\.exit\(a\);\n {6}\| {3}\^{15}/);
  assert.deepEqual(
    [...sourceLines('a\rb\r\nc\nd\u2028e', [0, 1, 2, 3, 4])],
    [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
      [4, 'e'],
    ],
  );
});

test('ignore globs are compiled once per configuration, not per file', () => {
  const globs = Array.from({ length: 200 }, (_, i) => `**/generated-${i}/**`);
  const files: Record<string, string> = { '/p/serverless-lint.json': JSON.stringify({ ignore: globs }) };
  const service = new LintService(new MemoryHost(files), { workspaceRoot: '/p', rules: RULES });
  // picomatch compiles on every call it is given the globs: count the compilations through the regex constructor.
  const original = RegExp;
  let compiled = 0;
  globalThis.RegExp = new Proxy(original, {
    construct(target, args) {
      compiled++;
      return new target(...(args as [string, string]));
    },
  });
  try {
    for (let i = 0; i < 500; i++) assert.equal(service.isIgnored(`/p/src/d${i}/f.js`), false);
    assert.equal(service.isIgnored('/p/src/generated-7/x.js'), true);
  } finally {
    globalThis.RegExp = original;
  }
  assert.ok(compiled <= globs.length * 2, `${compiled} regular expressions built for 501 files`);
});

test('a .gitignore is tested as the ignore package answers, with one test per run of rules instead of one per rule', () => {
  const text = [
    '# build output',
    'dist/',
    '*.log',
    '!keep.log',
    'cache-*/',
    '/root-only.js',
    'docs/**/*.md',
    '!docs/README.md',
    'a/**/b',
    '\\#hash',
    'src/gen/',
    '*.tmp',
    '!important.tmp',
    'Thumbs.db',
    '',
  ].join('\n');
  const ig = ignore().add(text);
  const fast = compileGitignore(text);
  const names = [
    'dist/',
    'x.log',
    'keep.log',
    'sub/keep.log',
    'cache-1/',
    'sub/cache-2/',
    'root-only.js',
    'sub/root-only.js',
    'docs/a/b.md',
    'docs/README.md',
    'a/b',
    'a/x/y/b',
    '#hash',
    'src/gen/',
    'src/gen.js',
    'f.tmp',
    'important.tmp',
    'Thumbs.db',
    'ok.js',
    'sub/ok.js',
    'dist.js',
  ];
  for (const name of names) assert.equal(fast(name), ig.ignores(name), name);

  // A 2,000-line .gitignore over 300 files: count the regular-expression tests the walk makes.
  const dir = mkdtempSync(join(tmpdir(), 'sl-gitignore-'));
  writeFileSync(join(dir, '.gitignore'), Array.from({ length: 2000 }, (_, i) => `cache-${i}/`).join('\n'));
  for (let d = 0; d < 3; d++) {
    mkdirSync(join(dir, `src${d}`));
    for (let f = 0; f < 100; f++) writeFileSync(join(dir, `src${d}/f${f}.js`), 'export {};\n');
  }
  const test = RegExp.prototype.test;
  let tests = 0;
  RegExp.prototype.test = function (this: RegExp, s: string) {
    tests++;
    return test.call(this, s);
  };
  let files: string[];
  try {
    files = collectSourceFiles([dir], { readHeads: false });
  } finally {
    RegExp.prototype.test = test;
  }
  assert.equal(files.length, 300);
  // Reading the rules makes a few tests per line; testing every rule on every path made over 600,000.
  assert.ok(tests < 20_000, `${tests} regular-expression tests for 303 paths`);
});
