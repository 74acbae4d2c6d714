// Verifies the lexical scope resolver (server/src/analysis/scopes.ts) against the single-file type checker it replaces:
// every identifier of every file under the given folders: the same first (and value) declaration, whether there is
// any declaration, and the same symbol identities (rules read nothing else of a symbol); and no member of an
// expression `isUntyped` calls untyped resolves in the checker.
// Usage: node --import tsx bench/scope-check.ts <folder>…
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { parseSource } from '../server/src/analysis/engine';
import { ScopeResolver } from '../server/src/analysis/scopes';
import { SINGLE_FILE_OPTIONS, singleFileHost } from '../server/src/analysis/facts';
/** The single-file checker the engine builds (the same options and host), without the engine's guards. */
function checkerFor(sf: ts.SourceFile) {
  return ts.createProgram({ rootNames: [sf.fileName], options: SINGLE_FILE_OPTIONS, host: singleFileHost(sf) }).getTypeChecker();
}
function walk(dir: string, out: string[]) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === 'node_modules') continue;
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (/\.(?:[cm]?[jt]sx?)$/.test(e) && !e.endsWith('.d.ts')) out.push(p);
  }
}
const files: string[] = [];
for (const d of process.argv.slice(2)) walk(d, files);
const badFiles = new Map<string, number>();
let untyped = 0;
let ids = 0,
  answered = 0,
  bad = 0,
  unusable = 0,
  fileCount = 0;
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  const sf = parseSource(f, text);
  if ('error' in sf) continue;
  fileCount++;
  let r: ScopeResolver;
  try {
    r = new ScopeResolver(sf);
  } catch (e) {
    console.log('THROW', f, e);
    continue;
  }
  if (!r.usable) {
    unusable++;
    continue;
  }
  const checker = checkerFor(sf);
  const map = new Map<unknown, unknown>();
  const stack: ts.Node[] = [sf];
  while (stack.length) {
    const n = stack.pop()!;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
    // isUntyped: a member of an expression it calls untyped must not resolve in the checker either.
    const assigned = !!n.parent && ts.isBinaryExpression(n.parent) && n.parent.left === n && n.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (ts.isPropertyAccessExpression(n) && !assigned && r.isUntyped(n.expression)) {
      untyped++;
      let theirs: ts.Symbol | undefined;
      try {
        theirs = checker.getSymbolAtLocation(n.name);
      } catch {
        theirs = undefined;
      }
      if (theirs?.declarations?.length) {
        bad++;
        badFiles.set(f, (badFiles.get(f) ?? 0) + 1);
        const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
        console.log(`UNTYPED MISMATCH ${f}:${line + 1} '${n.getText().slice(0, 60)}' resolves to ${theirs.declarations.map((d) => ts.SyntaxKind[d.kind])}`);
      }
    }
    if (!ts.isIdentifier(n)) continue;
    ids++;
    for (const shorthand of [false, true]) {
      const mine = r.resolve(n, shorthand);
      if (mine === undefined) continue;
      answered++;
      let theirs: ts.Symbol | undefined;
      try {
        theirs =
          shorthand && ts.isShorthandPropertyAssignment(n.parent) && n.parent.name === n
            ? checker.getShorthandAssignmentValueSymbol(n.parent)
            : checker.getSymbolAtLocation(n);
      } catch {
        continue;
      }
      const m = mine ?? undefined;
      const ok =
        !!m === !!theirs &&
        !!m?.declarations?.length === !!theirs?.declarations?.length &&
        m?.declarations?.[0] === theirs?.declarations?.[0] &&
        (m?.valueDeclaration ?? m?.declarations?.[0]) === (theirs?.valueDeclaration ?? theirs?.declarations?.[0]);
      let idOk = true;
      if (m && theirs) {
        if (map.has(theirs) && map.get(theirs) !== m) idOk = false;
        if (map.has(m) && map.get(m) !== theirs) idOk = false;
        map.set(theirs, m);
        map.set(m, theirs);
      }
      if (!ok || !idOk) {
        bad++;
        badFiles.set(f, (badFiles.get(f) ?? 0) + 1);
        if ((badFiles.get(f) ?? 0) <= 2) {
          const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
          console.log(
            `MISMATCH ${f}:${line + 1} '${n.text}' parent=${ts.SyntaxKind[n.parent.kind]} mine=${m ? m.declarations?.map((d) => ts.SyntaxKind[d.kind] + '@' + d.pos) : m} theirs=${theirs ? theirs.declarations?.map((d) => ts.SyntaxKind[d.kind] + '@' + d.pos) : theirs} ${idOk ? '' : 'IDENTITY'}`,
          );
        }
      }
    }
  }
}
console.log({ files: fileCount, unusable, ids, answered, untypedMembers: untyped, bad, filesWithMismatches: badFiles.size });
