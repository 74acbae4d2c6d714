// Parses a file's text into the indexed tree (tree.ts), or says why it cannot: what the engine and the module graph
// share, so that the graph (server/src/graph) depends on parsing only, never on the engine or the service.
import * as ts from 'typescript';
import { parseTree, reparseTree } from './tree';
import { attachScript, scriptOf } from './embedded';
import { embeddedLanguageOf } from '../conventions';

export function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Parses a file; returns the reason instead when it cannot be parsed safely. */
export function parseSource(fileName: string, text: string): ts.SourceFile | { error: string } {
  try {
    // A file whose code is embedded (an Astro page's frontmatter) is parsed as its script, which the tree carries.
    const embedded = embeddedLanguageOf(fileName);
    if (embedded) {
      const script = embedded.extract(text);
      const sf = parseTree(fileName, script.text, ts.ScriptKind.TS);
      attachScript(sf, script);
      return sf;
    }
    return parseTree(fileName, text, scriptKindOf(fileName));
  } catch (e) {
    if (e instanceof RangeError) return { error: 'the file is too deeply nested to analyze (the parser ran out of stack)' };
    return { error: `the file could not be parsed: ${(e as Error).message}` };
  }
}

/**
 * Like `parseSource`, reusing the tree of an earlier text of the file (which must not be used afterwards). Falls back
 * to a full parse when the incremental one fails.
 */
export function reparseSource(previous: ts.SourceFile, text: string): ts.SourceFile | { error: string } {
  // An embedded script is made anew from the file's text: its pieces move with every edit.
  if (scriptOf(previous)) return parseSource(previous.fileName, text);
  try {
    return reparseTree(previous, text);
  } catch {
    return parseSource(previous.fileName, text);
  }
}
