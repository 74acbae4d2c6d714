// Bounds the nesting depth of configuration files before and after they are parsed. The JSON, YAML and TOML parsers
// (and the walkers over their data) recurse once per level: a 10 KB file of 5,000 brackets overflows the stack. A
// linear scan refuses such a text before any parser sees it, and an iterative walk bounds the depth of the data.
import * as jsonc from 'jsonc-parser';

/**
 * Configuration nested deeper than this is refused with a finding. Real configs nest a dozen levels (a CloudFormation
 * template perhaps twenty); the `yaml` package runs out of stack near 830 levels with a shallow stack of its own.
 */
export const MAX_CONFIG_DEPTH = 200;

// jsonc-parser's SyntaxKind is a const enum, unusable with isolatedModules: its values, as the package declares them.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** The deepest nesting of brackets in JSON with comments (strings and comments skipped), stopping past `limit`. */
function jsonDepth(text: string, limit: number): number {
  const scanner = jsonc.createScanner(text, true);
  let depth = 0;
  let max = 0;
  for (let t = scanner.scan(); (t as number) !== EOF; t = scanner.scan()) {
    if ((t as number) === OPEN_BRACE || (t as number) === OPEN_BRACKET) {
      if (++depth > max && (max = depth) > limit) break;
    } else if ((t as number) === CLOSE_BRACE || (t as number) === CLOSE_BRACKET) {
      if (depth > 0) depth--;
    }
  }
  return max;
}

/**
 * An upper estimate of the nesting of YAML or TOML: open flow brackets (outside quotes and comments), plus, per line,
 * twice the number of enclosing indentation levels (a block sequence may sit at its key's indentation) and each
 * compact `- ` or `? ` before the line's content. Overestimates only files with hundreds of indentation levels.
 */
function lineDepth(text: string, limit: number, yaml: boolean): number {
  let flow = 0;
  let max = 0;
  const indents: number[] = [];
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let i = pos;
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const indent = i - pos;
    if (i < end && text.charCodeAt(i) !== 35 && text.charCodeAt(i) !== 13) {
      let block = 0;
      if (yaml) {
        while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
        indents.push(indent);
        block = 2 * indents.length;
        // Compact nested collections on one line: `- - - a`, `? - a`.
        while (i + 1 < end && (text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
          block++;
          i += 2;
          while (i < end && text.charCodeAt(i) === 32) i++;
        }
      } else {
        // TOML: a dotted key or table header opens one table per dot.
        const eq = text.indexOf('=', i);
        const keyEnd = eq >= 0 && eq < end ? eq : end;
        for (let k = i; k < keyEnd; k++) if (text.charCodeAt(k) === 46) block++;
      }
      let quote = 0;
      for (let k = i; k < end; k++) {
        const c = text.charCodeAt(k);
        if (quote) {
          if (c === 92 && quote === 34) k++;
          else if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 35 && (k === i || text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) break;
        else if (c === 91 || c === 123) {
          if (block + ++flow > max) max = block + flow;
        } else if ((c === 93 || c === 125) && flow > 0) flow--;
      }
      if (block + flow > max) max = block + flow;
      if (max > limit) return max;
    }
    pos = end + 1;
  }
  return max;
}

/** Why a configuration text is refused before parsing (nested too deeply), or undefined. */
export function configDepthProblem(text: string, format: 'json' | 'yaml' | 'toml', limit = MAX_CONFIG_DEPTH): string | undefined {
  const depth = format === 'json' ? jsonDepth(text, limit) : lineDepth(text, limit, format === 'yaml');
  return depth > limit ? `it is nested more than ${limit} levels deep, so it was not parsed` : undefined;
}

/** The depth of parsed data, walked with an explicit stack; stops once past `limit`. */
export function dataDepth(data: unknown, limit = MAX_CONFIG_DEPTH): number {
  if (!data || typeof data !== 'object') return 0;
  const stack: Array<[object, number]> = [[data as object, 1]];
  const seen = new Set<object>();
  let max = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > max && (max = depth) > limit) return max;
    // Shared (aliased) values are walked once: their depth below is the same wherever they appear.
    if (seen.has(value)) continue;
    seen.add(value);
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return max;
}
