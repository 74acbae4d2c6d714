// Reads the Lambda functions that infrastructure code declares — AWS CDK stacks (`new NodejsFunction(…)`,
// `new lambda.Function(…)`) and Amplify Gen 2 `defineFunction({ … })` — as data from the TypeScript syntax tree,
// never running it, so that their entry files become Lambda entries and their timeouts and memory are checked like
// serverless.yml's. Only literals (and `path.join(__dirname, '…')`, `Duration.seconds(N)`) are read; anything
// computed is left out.
import * as ts from 'typescript';
import { strip } from './ast';
import type { ConfigProblem, Severity, Span } from '../../../shared/src/types';
import { severityOfLevel } from '../../../shared/src/severity';
import type { Settings } from '../../../shared/src/settings';
import { planLimits } from '../../../shared/src/limits';
import { basename, dirname, joinPath, type Host } from './host';
import { checkDuration } from './durations';
import { indexTree } from './tree';
import type { ConfiguredHandler, ParsedConfig } from './project';
import { own } from '../../../shared/src/records';

/** Where a value of a code-configured function is written, for diagnostics in the stack or resource file. */
export interface CodeSetting {
  fileName: string;
  span: Span;
  /** The key as written (`timeout`, `timeoutSeconds`, `memorySize`, `memoryMB`). */
  key: string;
}

/** A handler declared in infrastructure code: a ConfiguredHandler plus where its settings are written. */
export interface CodeConfiguredHandler extends ConfiguredHandler {
  timeoutAt?: CodeSetting;
  memoryAt?: CodeSetting;
}

/** Folders of a CDK app that hold stacks, relative to cdk.json; the app file's own folder is added. */
const CDK_DIRS = ['lib', 'bin', 'stacks', 'src', 'infra', 'cdk', 'constructs'];
const SKIP_DIRS = new Set(['node_modules', 'cdk.out', '.git', 'dist', 'build', 'coverage', 'test', '__tests__']);
/** Bounds on what one cdk.json or amplify folder makes the index read. */
const MAX_FILES = 300;
const MAX_DEPTH = 4;
const MAX_BYTES = 512 * 1024;

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  return p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? p.name.text : undefined;
}

function prop(obj: ts.ObjectLiteralExpression, name: string): ts.PropertyAssignment | undefined {
  for (const p of obj.properties) if (ts.isPropertyAssignment(p) && propName(p) === name) return p;
  return undefined;
}

function literal(e: ts.Expression): number | undefined {
  const x = strip(e);
  return ts.isNumericLiteral(x) ? Number(x.text.replace(/_/g, '')) : undefined;
}

/** A number literal, or the product of two (`15 * 60`); anything else is computed and left out. */
function num(e: ts.Expression | undefined): number | undefined {
  if (!e) return undefined;
  const x = strip(e);
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.AsteriskToken) {
    const l = literal(x.left);
    const r = literal(x.right);
    return l !== undefined && r !== undefined ? l * r : undefined;
  }
  return literal(x);
}

/** `Duration.seconds(30)`, `cdk.Duration.minutes(15)`: the duration in seconds. */
function durationSeconds(e: ts.Expression | undefined): number | undefined {
  if (!e) return undefined;
  const x = strip(e);
  if (!ts.isCallExpression(x) || !ts.isPropertyAccessExpression(x.expression)) return undefined;
  const unit = x.expression.name.text;
  if (!/(^|\.)Duration$/.test(x.expression.expression.getText())) return undefined;
  const n = num(x.arguments[0]);
  if (n === undefined) return undefined;
  const factor: Record<string, number> = { millis: 0.001, seconds: 1, minutes: 60, hours: 3600, days: 86400 };
  const f = own(factor, unit);
  return f !== undefined ? n * f : undefined;
}

/**
 * A path written in the stack: a string literal (relative to `cwd`, the folder the CDK CLI runs in), or
 * `path.join(__dirname, …)` / `path.resolve(__dirname, …)` / `` `${__dirname}/…` `` (relative to the file's folder).
 */
function pathOf(e: ts.Expression | undefined, fileDir: string, cwd: string): string | undefined {
  if (!e) return undefined;
  const x = strip(e);
  if (ts.isStringLiteralLike(x)) return normalize(joinPath(cwd, x.text));
  if (ts.isTemplateExpression(x) && x.head.text === '' && x.templateSpans.length === 1) {
    const span = x.templateSpans[0];
    if (ts.isIdentifier(span.expression) && span.expression.text === '__dirname') return normalize(fileDir + span.literal.text);
    return undefined;
  }
  if (ts.isCallExpression(x)) {
    const callee = x.expression.getText();
    if (!/^(path\.)?(join|resolve)$/.test(callee) || x.arguments.length === 0) return undefined;
    const [first, ...rest] = x.arguments;
    let base: string;
    if (ts.isIdentifier(first) && first.text === '__dirname') base = fileDir;
    else if (ts.isStringLiteralLike(first)) base = joinPath(cwd, first.text);
    else return undefined;
    const parts: string[] = [];
    for (const a of rest) {
      if (!ts.isStringLiteralLike(a)) return undefined;
      parts.push(a.text);
    }
    return normalize([base, ...parts].join('/'));
  }
  return undefined;
}

/** Resolves `.` and `..` segments of an absolute path. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

function spanOf(node: ts.Node, sf: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.getEnd() };
}

function parse(fileName: string, text: string): ts.SourceFile | undefined {
  try {
    return ts.createSourceFile(
      fileName,
      text,
      ts.ScriptTarget.Latest,
      true,
      fileName.endsWith('.js') || fileName.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS,
    );
  } catch {
    return undefined;
  }
}

/** The Lambda functions one CDK stack file declares. `cwd` is the cdk.json folder (the CDK CLI's working folder). */
export function cdkHandlersInFile(fileName: string, text: string, cwd: string): CodeConfiguredHandler[] {
  if (!/\bFunction\b|NodejsFunction/.test(text)) return [];
  const sf = parse(fileName, text);
  if (!sf) return [];
  const out: CodeConfiguredHandler[] = [];
  const fileDir = dirname(fileName);
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== ts.SyntaxKind.NewExpression) continue;
    const node = nodes[i] as ts.NewExpression;
    const callee = node.expression.getText(sf);
    const nodejs = /(^|\.)NodejsFunction$/.test(callee);
    // `lambda.Function`, `aws_lambda.Function`, or a bare `Function` imported from aws-cdk-lib/aws-lambda.
    const plain = /(^|\.)Function$/.test(callee) && (callee !== 'Function' || /from\s+['"]aws-cdk-lib\/aws-lambda['"]|@aws-cdk\/aws-lambda['"]/.test(text));
    if (!nodejs && !plain) continue;
    const args = node.arguments ?? ts.factory.createNodeArray();
    const id = args[1] && ts.isStringLiteralLike(args[1]) ? args[1].text : undefined;
    const props = args[2] && strip(args[2]);
    const obj = props && ts.isObjectLiteralExpression(props) ? props : undefined;
    const handlerProp = obj && prop(obj, 'handler');
    const handlerText =
      handlerProp && ts.isStringLiteralLike(strip(handlerProp.initializer)) ? (strip(handlerProp.initializer) as ts.StringLiteral).text : undefined;
    let modulePath: string | undefined;
    let exportName: string;
    if (nodejs) {
      const entryProp = obj && prop(obj, 'entry');
      const entry = entryProp ? pathOf(entryProp.initializer, fileDir, cwd) : id ? `${fileName.replace(/\.[cm]?[jt]s$/, '')}.${id}.ts` : undefined;
      modulePath = entry?.replace(/\.[cm]?[jt]sx?$/, '');
      exportName = handlerText ?? 'handler';
    } else {
      const code = obj && prop(obj, 'code');
      const call = code && strip(code.initializer);
      if (!call || !ts.isCallExpression(call) || !/(^|\.)Code\.fromAsset$/.test(call.expression.getText(sf)) || !handlerText) continue;
      const dir = pathOf(call.arguments[0], fileDir, cwd);
      const dot = handlerText.lastIndexOf('.');
      if (!dir || dot <= 0) continue;
      modulePath = normalize(`${dir}/${handlerText.slice(0, dot)}`);
      exportName = handlerText.slice(dot + 1);
    }
    if (!modulePath) continue;
    const timeoutProp = obj && prop(obj, 'timeout');
    const memoryProp = obj && prop(obj, 'memorySize');
    const timeout = durationSeconds(timeoutProp?.initializer);
    const memory = num(memoryProp?.initializer);
    out.push({
      modulePath,
      exportName,
      functionName: id ?? basename(modulePath),
      timeout,
      memory,
      source: fileName,
      timeoutAt: timeoutProp && timeout !== undefined ? { fileName, span: spanOf(timeoutProp, sf), key: 'timeout' } : undefined,
      memoryAt: memoryProp && memory !== undefined ? { fileName, span: spanOf(memoryProp, sf), key: 'memorySize' } : undefined,
    });
  }
  return out;
}

/** The functions an Amplify Gen 2 `resource.ts` defines: `defineFunction({ name, entry, timeoutSeconds, memoryMB })`. */
export function amplifyHandlersInFile(fileName: string, text: string): CodeConfiguredHandler[] {
  if (!text.includes('defineFunction')) return [];
  const sf = parse(fileName, text);
  if (!sf) return [];
  const out: CodeConfiguredHandler[] = [];
  const fileDir = dirname(fileName);
  const { nodes, kinds } = indexTree(sf);
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] !== ts.SyntaxKind.CallExpression) continue;
    const call = nodes[i] as ts.CallExpression;
    if (!ts.isIdentifier(call.expression) || call.expression.text !== 'defineFunction') continue;
    const arg = call.arguments[0] && strip(call.arguments[0]);
    // `defineFunction((scope) => …)` builds a custom CDK function: its code is not read.
    if (arg && !ts.isObjectLiteralExpression(arg)) continue;
    const entryProp = arg && prop(arg, 'entry');
    // Amplify resolves `entry` against the resource file's folder; the default is ./handler.ts.
    const entry = entryProp
      ? ts.isStringLiteralLike(strip(entryProp.initializer))
        ? normalize(joinPath(fileDir, (strip(entryProp.initializer) as ts.StringLiteral).text))
        : undefined
      : joinPath(fileDir, 'handler.ts');
    if (!entry) continue;
    const nameProp = arg && prop(arg, 'name');
    const name = nameProp && ts.isStringLiteralLike(strip(nameProp.initializer)) ? (strip(nameProp.initializer) as ts.StringLiteral).text : basename(fileDir);
    const timeoutProp = arg && prop(arg, 'timeoutSeconds');
    const memoryProp = arg && prop(arg, 'memoryMB');
    const timeout = num(timeoutProp?.initializer);
    const memory = num(memoryProp?.initializer);
    out.push({
      modulePath: entry.replace(/\.[cm]?[jt]sx?$/, ''),
      exportName: 'handler',
      functionName: name,
      timeout,
      memory,
      source: fileName,
      timeoutAt: timeoutProp && timeout !== undefined ? { fileName, span: spanOf(timeoutProp, sf), key: 'timeoutSeconds' } : undefined,
      memoryAt: memoryProp && memory !== undefined ? { fileName, span: spanOf(memoryProp, sf), key: 'memoryMB' } : undefined,
    });
  }
  return out;
}

/** Source files under `roots`, breadth first with an explicit queue, bounded in depth and count. */
function sourceFilesUnder(host: Host, roots: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue: Array<{ dir: string; depth: number }> = roots.map((dir) => ({ dir, depth: 0 }));
  for (let q = 0; q < queue.length && out.length < MAX_FILES; q++) {
    const { dir, depth } = queue[q];
    if (seen.has(dir)) continue;
    seen.add(dir);
    for (const name of host.readDirectory(dir)) {
      const path = joinPath(dir, name);
      if (/\.(?:[cm]?ts|[cm]?js)$/.test(name) && !name.endsWith('.d.ts')) {
        if (host.fileExists(path)) out.push(path);
      } else if (depth < MAX_DEPTH && !SKIP_DIRS.has(name) && !name.startsWith('.') && !name.includes('.') && host.directoryExists(path)) {
        queue.push({ dir: path, depth: depth + 1 });
      }
    }
  }
  return out;
}

/** The app file a cdk.json runs (`npx ts-node --prefer-ts-exts bin/app.ts`), when it names one. */
function cdkAppFile(cdkJson: ParsedConfig | undefined, dir: string): string | undefined {
  const app = (cdkJson?.data as { app?: unknown } | undefined)?.app;
  if (typeof app !== 'string') return undefined;
  const file = app.split(/\s+/).find((w) => /\.[cm]?[jt]s$/.test(w));
  return file ? normalize(joinPath(dir, file.replace(/^\.\//, ''))) : undefined;
}

/**
 * The Lambda functions the infrastructure code of a project declares: for a cdk.json, its stack files (the app's
 * folder and lib/, bin/, stacks/ … below the cdk.json); for an amplify/ folder, its `resource.ts` files.
 */
export function codeConfiguredHandlers(
  kind: 'cdk.json' | 'amplify',
  markerDir: string,
  host: Host,
  read: (path: string) => ParsedConfig | undefined,
): CodeConfiguredHandler[] {
  const out: CodeConfiguredHandler[] = [];
  if (kind === 'cdk.json') {
    const app = cdkAppFile(read(joinPath(markerDir, 'cdk.json')), markerDir);
    const roots = [...(app ? [dirname(app)] : []), ...CDK_DIRS.map((d) => joinPath(markerDir, d)).filter((d) => host.directoryExists(d))];
    for (const file of sourceFilesUnder(host, roots)) {
      const text = host.readFile(file);
      if (text && text.length <= MAX_BYTES && /aws-cdk-lib|@aws-cdk\//.test(text)) out.push(...cdkHandlersInFile(file, text, markerDir));
    }
  } else {
    const amplifyDir = basename(markerDir) === 'amplify' ? markerDir : joinPath(markerDir, 'amplify');
    for (const file of sourceFilesUnder(host, [amplifyDir])) {
      if (basename(file) !== 'resource.ts') continue;
      const text = host.readFile(file);
      if (text && text.length <= MAX_BYTES) out.push(...amplifyHandlersInFile(file, text));
    }
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; character: number } {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

/**
 * Timeouts and memory of code-configured functions checked against the Lambda limits, as serverless.yml's are
 * (`max-duration-exceeds-limit` for a timeout above 900 s, `invalid-config` for memory out of range).
 */
export function codeConfigProblems(
  handlers: readonly ConfiguredHandler[],
  settings: Settings,
  read: (fileName: string) => string | undefined,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const starts = new Map<string, number[]>();
  const add = (at: CodeSetting, message: string, ruleId: string) => {
    const level = settings.rules[ruleId];
    if (level === 'off') return;
    if (out.some((p) => p.fileName === at.fileName && p.span.start === at.span.start)) return;
    let s = starts.get(at.fileName);
    if (!s) starts.set(at.fileName, (s = lineStarts(read(at.fileName) ?? '')));
    const severity = severityOfLevel(level, 'error') as Severity;
    out.push({ fileName: at.fileName, span: at.span, range: { start: position(s, at.span.start), end: position(s, at.span.end) }, message, severity, ruleId });
  };
  for (const h of handlers as readonly CodeConfiguredHandler[]) {
    if (h.timeoutAt && h.timeout !== undefined) {
      const check = checkDuration('aws-lambda', 'node', settings.plan, h.timeout);
      if (!check.ok && check.message)
        add(
          h.timeoutAt,
          `${h.functionName}.${h.timeoutAt.key}: ${check.message}${check.max !== undefined ? ` Set it to ${check.max} s or less.` : ''}`,
          'max-duration-exceeds-limit',
        );
    }
    if (h.memoryAt && h.memory !== undefined) {
      const max = planLimits('aws-lambda', 'node', settings.plan)?.limits.memory?.value;
      if (max !== undefined && h.memory > max)
        add(
          h.memoryAt,
          `${h.functionName}.${h.memoryAt.key} ${h.memory} MB exceeds the Lambda maximum of ${max} MB; the deployment is rejected. Set it to ${max} or less.`,
          'invalid-config',
        );
      else if (h.memory < 128) add(h.memoryAt, `${h.functionName}.${h.memoryAt.key} ${h.memory} MB is below the Lambda minimum of 128 MB.`, 'invalid-config');
    }
  }
  return out;
}
