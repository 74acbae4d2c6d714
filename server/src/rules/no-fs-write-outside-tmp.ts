// Filesystem writes outside /tmp in function code fail: the deployment's filesystem is read-only.
import * as ts from 'typescript';
import { strip } from '../analysis/ast';
import { defineRule, type RuleContext } from '../analysis/rule';
import type { TextEdit } from '../../../shared/src/types';
import { builtinObject, importedMember, insertImports } from '../analysis/imports-edit';
import type { Node as PyNode } from '@vscode/tree-sitter-wasm';
import type { PythonRuleContext } from '../analysis/rule';
import { stringValue, callArgs } from '../python/facts';
import type { Fix } from '../../../shared/src/types';

const FS_MODULES = new Set(['fs', 'fs/promises', 'fs-extra']);

/** Write APIs and the index of the argument that names the written path (the destination for copies and moves). */
// biome-ignore format: a packed list of API names reads better than one API per line.
const WRITES: Record<string, number[]> = {
  writeFile: [0], writeFileSync: [0], appendFile: [0], appendFileSync: [0], mkdir: [0], mkdirSync: [0],
  createWriteStream: [0], rm: [0], rmSync: [0], rmdir: [0], rmdirSync: [0], unlink: [0], unlinkSync: [0],
  truncate: [0], truncateSync: [0], symlink: [1], symlinkSync: [1], cp: [1], cpSync: [1],
  copyFile: [1], copyFileSync: [1], rename: [0, 1], renameSync: [0, 1],
};

/** fs-extra's own write APIs, on top of the fs ones it re-exports. */
// biome-ignore format: a packed list of API names reads better than one API per line.
const FS_EXTRA_WRITES: Record<string, number[]> = {
  outputFile: [0], outputFileSync: [0], outputJson: [0], outputJsonSync: [0], outputJSON: [0], outputJSONSync: [0],
  writeJson: [0], writeJsonSync: [0], writeJSON: [0], writeJSONSync: [0], ensureDir: [0], ensureDirSync: [0],
  ensureFile: [0], ensureFileSync: [0], mkdirp: [0], mkdirpSync: [0], mkdirs: [0], mkdirsSync: [0],
  remove: [0], removeSync: [0], emptyDir: [0], emptyDirSync: [0], copy: [1], copySync: [1], move: [0, 1], moveSync: [0, 1],
};

type PathKind = 'tmp' | 'project' | 'unknown';

function literalKind(text: string): PathKind {
  if (text === '/tmp' || text.startsWith('/tmp/')) return 'tmp';
  // Device files (/dev/null, /dev/stdout) are writable everywhere.
  if (text.startsWith('/dev/')) return 'unknown';
  return 'project';
}

/** Classifies a path expression: under /tmp, inside the deployment (relative, cwd, __dirname, absolute), or unknowable. */
function classify(ctx: RuleContext, expr: ts.Expression, depth = 0): PathKind {
  const e = strip(expr);
  if (depth > 6) return 'unknown';
  if (ts.isStringLiteralLike(e)) return literalKind(e.text);
  if (ts.isTemplateExpression(e)) {
    if (e.head.text) return literalKind(e.head.text);
    return classify(ctx, e.templateSpans[0].expression, depth + 1);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return classify(ctx, e.left, depth + 1);
  if (ts.isIdentifier(e)) {
    if (e.text === '__dirname' || e.text === '__filename') return ctx.facts.symbolOf(e)?.declarations?.length ? followLocal(ctx, e, depth) : 'project';
    return followLocal(ctx, e, depth);
  }
  if (ts.isPropertyAccessExpression(e)) {
    // import.meta.dirname / filename / url: the deployed bundle's folder.
    if (ts.isMetaProperty(e.expression) && (e.name.text === 'dirname' || e.name.text === 'filename' || e.name.text === 'url')) return 'project';
    return 'unknown';
  }
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.[1]) {
    // new URL('./data.json', import.meta.url): a file next to the module.
    const base = strip(e.arguments[1]);
    if (ts.isPropertyAccessExpression(base) && ts.isMetaProperty(base.expression) && base.name.text === 'url') return 'project';
    return 'unknown';
  }
  if (ts.isCallExpression(e)) {
    const callee = strip(e.expression);
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'process' && callee.name.text === 'cwd')
      return 'project';
    const member = importedMember(ctx.facts, callee);
    if (!member) return 'unknown';
    if (member.module === 'os' && member.name === 'tmpdir') return 'tmp';
    // fileURLToPath(import.meta.url) and path.dirname(...) stay where their argument points.
    if (member.module === 'url' && member.name === 'fileURLToPath' && e.arguments[0]) return classify(ctx, e.arguments[0], depth + 1);
    if (member.module === 'path' || member.module === 'path/posix') {
      if (member.name === 'join' || member.name === 'normalize' || member.name === 'dirname')
        return e.arguments[0] ? classify(ctx, e.arguments[0], depth + 1) : 'unknown';
      if (member.name === 'resolve') {
        // resolve() starts from the last absolute segment; with none, from process.cwd().
        for (let i = e.arguments.length - 1; i >= 0; i--) {
          const arg = strip(e.arguments[i]);
          if (ts.isStringLiteralLike(arg) && !arg.text.startsWith('/')) continue;
          if (ts.isTemplateExpression(arg) && arg.head.text && !arg.head.text.startsWith('/')) continue;
          return classify(ctx, arg, depth + 1);
        }
        return 'project';
      }
    }
  }
  return 'unknown';
}

/** Follows a `const` whose initializer decides the path; parameters and mutable bindings are unknowable. */
function followLocal(ctx: RuleContext, id: ts.Identifier, depth: number): PathKind {
  const decl = ctx.facts.symbolOf(id)?.declarations?.[0];
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return 'unknown';
  if (!(decl.parent.flags & ts.NodeFlags.Const)) return 'unknown';
  return classify(ctx, decl.initializer, depth + 1);
}

/** The final path segment of a path expression as source text, when it can be written down; undefined otherwise. */
function basenameText(ctx: RuleContext, expr: ts.Expression, depth = 0): string | undefined {
  // `const a = b, b = a` refers in a circle: a few steps of constants are all real code takes.
  if (depth > 8) return undefined;
  const e = strip(expr);
  const sf = ctx.sourceFile;
  if (ts.isStringLiteralLike(e)) {
    const base = e.text.replace(/\/+$/, '').split('/').pop();
    return base && base !== '.' && base !== '..' ? `'${base.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : undefined;
  }
  if (ts.isTemplateExpression(e)) {
    // The part after the last `/` that sits in a literal piece of the template.
    const pieces = [e.head, ...e.templateSpans.map((s) => s.literal)];
    for (let i = pieces.length - 1; i >= 0; i--) {
      const raw = pieces[i].rawText ?? pieces[i].text;
      const slash = raw.lastIndexOf('/');
      if (slash < 0) continue;
      let out = raw.slice(slash + 1);
      for (let j = i; j < e.templateSpans.length; j++) {
        out += `\${${e.templateSpans[j].expression.getText(sf)}}${e.templateSpans[j].literal.rawText ?? e.templateSpans[j].literal.text}`;
      }
      return out ? `\`${out}\`` : undefined;
    }
    return e.getText(sf);
  }
  if (ts.isCallExpression(e)) {
    const member = importedMember(ctx.facts, strip(e.expression));
    if (
      member &&
      (member.module === 'path' || member.module === 'path/posix') &&
      (member.name === 'join' || member.name === 'resolve') &&
      e.arguments.length > 0
    ) {
      const last = e.arguments[e.arguments.length - 1];
      if (ts.isStringLiteralLike(strip(last)) || ts.isTemplateExpression(strip(last))) return basenameText(ctx, last, depth + 1);
      // A lone non-literal argument is the whole (unknown) directory, not a file name under it.
      return e.arguments.length > 1 ? last.getText(sf) : undefined;
    }
  }
  if (ts.isIdentifier(e)) {
    const decl = ctx.facts.symbolOf(e)?.declarations?.[0];
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const)
      return basenameText(ctx, decl.initializer, depth + 1);
  }
  return undefined;
}

function tmpFix(ctx: RuleContext, arg: ts.Expression): TextEdit[] | undefined {
  const base = basenameText(ctx, arg);
  if (!base) return undefined;
  // A const followed to its initializer is rewritten at the call, not at its declaration (other uses may read it).
  const os = builtinObject(ctx.facts, ctx.sourceFile, 'os');
  const path = builtinObject(ctx.facts, ctx.sourceFile, 'path');
  return [
    { span: { start: arg.getStart(ctx.sourceFile), end: arg.getEnd() }, newText: `${path.name}.join(${os.name}.tmpdir(), ${base})` },
    ...insertImports(ctx.sourceFile, [os.statement, path.statement]),
  ];
}

export default defineRule({
  meta: {
    id: 'no-fs-write-outside-tmp',
    severity: 'error',
    category: 'filesystem',
    scope: { role: 'function-code', runtime: 'node' },
    summary: 'Disallow filesystem writes outside /tmp (os.tmpdir()) in function code.',
    why:
      'Serverless functions run from a read-only deployment: on Vercel, AWS Lambda and Netlify only /tmp is writable, ' +
      'so writeFile, mkdir, createWriteStream, rename or rm on a project path (relative paths, process.cwd(), __dirname) ' +
      'throws EROFS or ENOENT in production although it works locally. /tmp itself belongs to one instance: ' +
      'it is not shared with other instances and disappears when the instance is recycled.',
    action: 'Write scratch files under os.tmpdir(); keep anything that must last or be shared in object storage (Vercel Blob, S3, R2) or a database.',
    bad: [
      {
        fileName: 'app/api/export/route.ts',
        platform: 'vercel',
        code: [
          "import { writeFile } from 'node:fs/promises';",
          '',
          'export async function POST(request: Request) {',
          '  const rows = await request.json();',
          "  await writeFile('exports/report.csv', rows.map((r: string[]) => r.join(',')).join('\\n'));",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import json',
          'from fastapi import FastAPI',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.post("/api/settings")',
          'def save(settings: dict):',
          '    with open("settings.json", "w") as f:',
          '        json.dump(settings, f)',
          '    return {"saved": True}',
        ].join('\n'),
      },
    ],
    good: [
      {
        fileName: 'app/api/export/route.ts',
        platform: 'vercel',
        code: [
          "import { writeFile } from 'node:fs/promises';",
          "import os from 'node:os';",
          "import path from 'node:path';",
          '',
          'export async function POST(request: Request) {',
          '  const rows = await request.json();',
          "  const file = path.join(os.tmpdir(), 'report.csv');",
          "  await writeFile(file, rows.map((r: string[]) => r.join(',')).join('\\n'));",
          '  return Response.json({ ok: true });',
          '}',
        ].join('\n'),
      },
      {
        // A Python function (server/src/python/): the rule's `python` part.
        fileName: 'api/index.py',
        platform: 'vercel',
        code: [
          'import json, os, tempfile',
          'from fastapi import FastAPI',
          '',
          'app = FastAPI()',
          '',
          '',
          '@app.post("/api/settings")',
          'def save(settings: dict):',
          '    with open(os.path.join(tempfile.gettempdir(), "settings.json"), "w") as f:',
          '        json.dump(settings, f)',
          '    return {"saved": True}',
        ].join('\n'),
      },
    ],
    fixes: [
      {
        id: 'write-under-tmpdir',
        title: 'Write under os.tmpdir()',
        safety: 'unsafe',
        preferred: true,
        description:
          "Rewrites the path argument to `path.join(os.tmpdir(), '<basename>')` and adds `os`/`path` imports when missing (ESM or `require`, as the file is written). Unsafe: /tmp is per instance and ephemeral, so code that reads the file back on another request or instance will not find it.",
      },
      {
        id: 'write-under-gettempdir',
        title: 'Write under tempfile.gettempdir()',
        safety: 'unsafe',
        description:
          'Python: rewrites a relative path literal to `os.path.join(tempfile.gettempdir(), path)` and adds the `os`/`tempfile` imports when missing. Unsafe for the same reason: the temporary folder is per instance and ephemeral.',
      },
    ],
    messages: {
      readOnly:
        '{{call}}() writes to a path inside the deployment, which is read-only on serverless platforms; write under os.tmpdir() (per instance, ephemeral) or to object storage.',
      pythonReadOnly:
        "{{what}} writes outside /tmp: the function's filesystem is read-only except /tmp, so this raises an OSError (EROFS) in production. Write under tempfile.gettempdir(), or to object storage for anything that must last.",
    },
    limits: [
      'Paths that come from parameters, environment variables, or mutable bindings are unknowable and never reported.',
      'Only `const` locals are followed to their initializer; helpers that build paths in other functions or modules are not followed.',
      'Writes through wrappers (a logger writing to a file, a library that caches to disk) are not seen.',
      'Deno Deploy (the current platform, which runs the standard Deno runtime) is not checked: its instances have a writable disk of their own, lost when they stop.',
      'Writes are found by import source (fs, node:fs, fs/promises, node:fs/promises, fs-extra); a re-export of fs from a local module is not followed.',
    ],
    references: [
      'https://vercel.com/docs/functions/limitations',
      'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
      'https://docs.netlify.com/build/functions/configuration',
    ],
  },
  // The edge runtime has no fs at all; edge-no-node-builtin reports the import there.
  // The current Deno Deploy (platform deno-deploy on the Node.js-like runtime) has a writable disk per instance, so a
  // write there does not fail; it is lost with the instance, which is module-state territory rather than this rule's.
  // The Python part of the rule (server/src/python/): see pythonFsWriteOutsideTmp at the end of this file.
  python: pythonFsWriteOutsideTmp,
  // Deno Deploy's instances have a writable disk of their own.
  appliesTo: (context) => context.platform.value !== 'deno-deploy',
  create(ctx) {
    if (!ctx.facts.imports.some((i) => !i.typeOnly && FS_MODULES.has(i.specifier.replace(/^node:/, '')))) return {};
    return {
      enter: {
        [ts.SyntaxKind.CallExpression]: (call) => {
          const member = importedMember(ctx.facts, call.expression);
          if (!member || !FS_MODULES.has(member.module)) return;
          const positions = WRITES[member.name] ?? (member.module === 'fs-extra' ? FS_EXTRA_WRITES[member.name] : undefined);
          if (!positions) return;
          for (const index of positions) {
            const arg = call.arguments[index];
            if (!arg || classify(ctx, arg) !== 'project') continue;
            const edits = tmpFix(ctx, arg);
            ctx.report({
              node: arg,
              messageId: 'readOnly',
              data: { call: member.name },
              fixes: edits ? [ctx.fix('write-under-tmpdir', edits)] : [],
            });
            return;
          }
        },
      },
    };
  },
});

// The Python part: files written outside /tmp. Vercel's and Lambda's function filesystems are read-only except /tmp.

/** `open()` modes that write. */
const PY_WRITE_MODE = /[wax+]/;
/** Path-like calls that write, by method name on a `Path`: the path is the object. */
const PY_PATH_WRITES = new Set(['write_text', 'write_bytes', 'mkdir', 'touch']);
/** Module functions that write to their first (or, for copies, second) argument. */
const PY_FS_WRITES = new Map<string, number>([
  ['os.makedirs', 0],
  ['os.mkdir', 0],
  ['os.remove', 0],
  ['os.unlink', 0],
  ['os.rename', 1],
  ['os.replace', 1],
  ['shutil.copy', 1],
  ['shutil.copy2', 1],
  ['shutil.copyfile', 1],
  ['shutil.copytree', 1],
  ['shutil.move', 1],
  ['shutil.rmtree', 0],
]);

function pythonFsWriteOutsideTmp(ctx: PythonRuleContext): void {
  const { facts } = ctx;
  for (const call of facts.calls) {
    const name = facts.calleeName(call) ?? '';
    const q0 = facts.callee(call);
    // A cheap look at the source first (a `Path(…).write_text(…)` chain has no plain callee name); the tree decides after.
    if (name !== 'open' && !(q0 && PY_FS_WRITES.has(q0)) && !/\.\s*(write_text|write_bytes|mkdir|touch)\s*\(/.test(facts.source(call))) continue;
    if (facts.underMainGuard(call)) continue;
    const callee = call.childForFieldName('function');
    const { positional, keyword } = callArgs(call);
    let path: PyNode | undefined;
    let what: string | undefined;
    const q = facts.callee(call);
    if (callee?.type === 'identifier' && callee.text === 'open' && !facts.imports.has('open') && !facts.moduleNames.has('open')) {
      const mode = stringValue(positional[1] ?? keyword.get('mode'));
      if (mode === undefined || !PY_WRITE_MODE.test(mode)) continue;
      path = positional[0] ?? keyword.get('file');
      what = `open(…, '${mode}')`;
    } else if (q && PY_FS_WRITES.has(q)) {
      path = positional[PY_FS_WRITES.get(q)!];
      what = `${q}()`;
    } else if (callee?.type === 'attribute' && PY_PATH_WRITES.has(callee.childForFieldName('attribute')?.text ?? '')) {
      const object = callee.childForFieldName('object');
      // `Path("data/x.json").write_text(…)`, or a name assigned from `Path(…)` / `pathlib.Path(…)`.
      const made = object?.type === 'call' ? object : object?.type === 'identifier' ? valueOf(facts, call, object.text) : undefined;
      if (made?.type !== 'call' || !/^pathlib\.Path$/.test(facts.callee(made) ?? '')) continue;
      path = made;
      what = `Path.${callee.childForFieldName('attribute')!.text}()`;
    }
    if (!path || !what || !writesOutsideTmp(facts, call, path)) continue;
    ctx.report({
      node: call,
      messageId: 'pythonReadOnly',
      data: { what },
      fixes: pythonTmpFix(ctx, path),
    });
  }
}

/** The value last assigned to a name in the enclosing function, else at module level. */
// biome-ignore lint/suspicious/noShadowRestrictedNames: a module-local helper; no code here calls Object.prototype.valueOf.
function valueOf(facts: PythonRuleContext['facts'], at: PyNode, name: string): PyNode | undefined {
  const fn = facts.enclosingFunction(at);
  if (fn) {
    const local = facts
      .ofType(fn, 'assignment')
      .filter((a) => a.childForFieldName('left')?.text === name && a.startIndex < at.startIndex)
      .pop();
    if (local) return local.childForFieldName('right') ?? undefined;
    if (facts.params(fn).includes(name)) return undefined;
  }
  return facts.moduleNames.get(name)?.value ?? undefined;
}

/**
 * Whether a path expression is known to lie outside /tmp: built only from string literals (and `os.path.join`,
 * `Path(…)`, `/`, f-strings) none of which starts at /tmp or names tempfile. Anything unknown (a parameter, a
 * computed value) is not reported.
 */
function writesOutsideTmp(facts: PythonRuleContext['facts'], at: PyNode, path: PyNode): boolean {
  // Follows one chain (a name to its value, a join or Path to its first part), a few steps at most: a loop, no recursion.
  let node: PyNode | undefined = path;
  for (let step = 0; node && step < 5; step++) {
    if (/\btempfile\b|gettempdir|TMPDIR|\/tmp\b/.test(node.text)) return false;
    if (node.type === 'string') return node.text.length > 2 && !/^[rbuf]*['"]{1,3}(\/dev\/|\{)/i.test(node.text);
    if (node.type === 'identifier') node = valueOf(facts, at, node.text);
    else if (node.type === 'call') {
      const q = facts.callee(node) ?? '';
      node = q === 'os.path.join' || q === 'pathlib.Path' ? callArgs(node).positional[0] : undefined;
    } else if (node.type === 'binary_operator') node = node.childForFieldName('left') ?? undefined;
    else return false;
  }
  return false;
}

/**
 * `open("cache.json", "w")` → `open(os.path.join(tempfile.gettempdir(), "cache.json"), "w")`, with the imports it
 * needs: for a relative path written as a plain string. Unsafe: the file is no longer where other code reads it, and
 * /tmp is per instance.
 */
function pythonTmpFix(ctx: PythonRuleContext, path: PyNode): Fix[] {
  const { facts } = ctx;
  const value = stringValue(path);
  if (path.type !== 'string' || value === undefined || value.startsWith('/') || value === '') return [];
  const osName = [...facts.imports].find(([, q]) => q === 'os')?.[0];
  const tempName = [...facts.imports].find(([, q]) => q === 'tempfile')?.[0];
  const missing = [osName ? '' : 'import os', tempName ? '' : 'import tempfile'].filter(Boolean);
  const imports = facts.root.namedChildren.filter(
    (c) => c && (c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement'),
  );
  const after = imports.length ? imports[imports.length - 1]!.endIndex : 0;
  const edits = [
    { span: { start: path.startIndex, end: path.endIndex }, newText: `${osName ?? 'os'}.path.join(${tempName ?? 'tempfile'}.gettempdir(), ${path.text})` },
  ];
  if (missing.length) edits.unshift({ span: { start: after, end: after }, newText: after ? `\n${missing.join('\n')}` : `${missing.join('\n')}\n` });
  return [ctx.fix('write-under-gettempdir', edits)];
}
