// What a type-checked answer to "does this expression's type have `then`?" would cost (ARCHITECTURE.md, "Calls across modules"): a TypeScript program
// over a project with its node_modules and tsconfig, asked about every expression statement that is a call, as
// typescript-eslint's no-floating-promises asks. Measures the CLI's case (one program for the project) and the
// editor's (a language service for one open file, its program reused across edits). Run:
//   node --import tsx bench/type-check-cost.ts [project folder with tsconfig.json] [file to edit] [--json]
// With --json it prints one JSON object instead of the two lines (`npm run bench` reads it for its typed-path rows).
import * as ts from 'typescript';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const asJson = process.argv.includes('--json');
const root = resolve(positional[0] ?? '.');
const configPath = join(root, 'tsconfig.json');
const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
if (!config) throw new Error(`no tsconfig at ${configPath}`);
const files = config.fileNames;
const editFile = resolve(positional[1] ?? files[0]);

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;
const heap = () => `${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB heap`;
const heapMb = () => Math.round(process.memoryUsage().heapUsed / 1e6);
/** The figures, for --json. */
const result: Record<string, Record<string, number | string>> = {};
const say = (line: string) => {
  if (!asJson) console.log(line);
};

/** Expression statements that are calls: the positions no-floating-promises asks about. */
function callStatements(sf: ts.SourceFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop()!;
    if (ts.isExpressionStatement(n) && ts.isCallExpression(n.expression)) out.push(n.expression);
    n.forEachChild((c) => void stack.push(c));
  }
  return out;
}

function thenable(checker: ts.TypeChecker, e: ts.Expression): boolean {
  const type = checker.getTypeAtLocation(e);
  return (type.isUnion() ? type.types : [type]).some((t) => !!checker.getPropertyOfType(t, 'then'));
}

// The CLI: one program for the project, every call statement asked.
{
  const t0 = performance.now();
  const program = ts.createProgram({ rootNames: files, options: { ...config.options, noEmit: true } });
  const programMs = performance.now() - t0;
  const created = ms(t0);
  const t1 = performance.now();
  const checker = program.getTypeChecker();
  let asked = 0;
  let promises = 0;
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !files.includes(sf.fileName)) continue;
    for (const e of callStatements(sf)) {
      asked++;
      if (thenable(checker, e)) promises++;
    }
  }
  result.cli = {
    files: files.length,
    withLibraries: program.getSourceFiles().length,
    programMs,
    asked,
    typedMs: performance.now() - t1,
    thenable: promises,
    heapMb: heapMb(),
  };
  say(
    `CLI: ${files.length} files (${program.getSourceFiles().length} with libraries and types): program ${created}, ${asked} call statements typed in ${ms(t1)} (${promises} thenable); ${heap()}`,
  );
}

// The editor: a language service over the project, one open file edited; the program is rebuilt incrementally.
{
  let version = 0;
  let text = readFileSync(editFile, 'utf8');
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ ...config.options, noEmit: true }),
    getScriptFileNames: () => files,
    getScriptVersion: (f) => (f === editFile ? String(version) : '0'),
    getScriptSnapshot: (f) => {
      const t = f === editFile ? text : ts.sys.readFile(f);
      return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => join(dirname(ts.getDefaultLibFilePath(o)), ts.getDefaultLibFileName(o)),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const ask = () => {
    const program = service.getProgram()!;
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(editFile)!;
    let n = 0;
    for (const e of callStatements(sf)) {
      thenable(checker, e);
      n++;
    }
    return n;
  };
  let t0 = performance.now();
  const n = ask();
  const firstMs = performance.now() - t0;
  const first = ms(t0);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    text = `${text}\n// edit ${i}`;
    version++;
    t0 = performance.now();
    ask();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  result.editor = { file: editFile.slice(root.length + 1), calls: n, firstMs, p50: times[10], p95: times[18], heapMb: heapMb() };
  say(
    `Editor: ${editFile.slice(root.length + 1)} (${n} call statements): first answer ${first}; after an edit median ${times[10].toFixed(1)} ms, p95 ${times[18].toFixed(1)} ms; ${heap()}`,
  );
}

if (asJson) console.log(JSON.stringify(result));
