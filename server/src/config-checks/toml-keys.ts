// Finds where each key of a TOML file is written, so diagnostics sit on the exact `key = value` line.
// smol-toml gives data without positions; this scanner follows tables, arrays of tables, dotted and
// quoted keys, and skips multi-line strings and arrays. Inline tables map to their own key.

export interface TomlKey {
  /** Start of the key, end of the value (same line for single-line values). */
  start: number;
  end: number;
}

function splitKey(raw: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (const ch of raw.trim()) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '.') {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  parts.push(cur.trim());
  return parts;
}

/** Index of the `=` that ends a key (outside quotes), or -1. */
function keyEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=') return i;
    else if (ch === '#') return -1;
  }
  return -1;
}

/** Net `[` minus `]` outside strings and comments, for values spanning lines. */
function bracketDepth(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') break;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
  }
  return depth;
}

/**
 * Maps dotted paths to positions: `limits.cpu_ms`, `edge_functions[0]` (an array-of-tables header),
 * `edge_functions[0].path`. The first occurrence wins.
 */
export function locateTomlKeys(text: string): Map<string, TomlKey> {
  const out = new Map<string, TomlKey>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let offset = 0;
  let skipUntil: string | undefined;
  let depth = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (skipUntil) {
      if (line.includes(skipUntil)) skipUntil = undefined;
      continue;
    }
    if (depth > 0) {
      depth += bracketDepth(line);
      continue;
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const arrayHeader = /^\[\[\s*(.+?)\s*\]\]/.exec(trimmed);
    const header = arrayHeader ? undefined : /^\[\s*(.+?)\s*\]/.exec(trimmed);
    if (arrayHeader) {
      const name = splitKey(arrayHeader[1]).join('.');
      const index = arrayCounts.get(name) ?? 0;
      arrayCounts.set(name, index + 1);
      table = [`${name}[${index}]`];
      if (!out.has(table[0])) out.set(table[0], { start: lineStart + indent, end: lineStart + indent + arrayHeader[0].length });
      continue;
    }
    if (header) {
      table = [splitKey(header[1]).join('.')];
      if (!out.has(table[0])) out.set(table[0], { start: lineStart + indent, end: lineStart + indent + header[0].length });
      continue;
    }
    const eq = keyEnd(line);
    if (eq < 0) continue;
    const key = splitKey(line.slice(0, eq)).join('.');
    const path = [...table, key].join('.');
    const value = line.slice(eq + 1);
    const valueTrimmed = value.replace(/\s+(#.*)?$/, '');
    if (!out.has(path)) out.set(path, { start: lineStart + indent, end: lineStart + eq + 1 + valueTrimmed.length });
    const v = value.trim();
    if (v.startsWith('"""') && !v.slice(3).includes('"""')) skipUntil = '"""';
    else if (v.startsWith("'''") && !v.slice(3).includes("'''")) skipUntil = "'''";
    else depth = Math.max(0, bracketDepth(v));
    // Inline table: `limits = { cpu_ms = 50 }` also defines `limits.cpu_ms`.
    const inline = /^\{(.*)\}\s*(#.*)?$/.exec(v);
    if (inline) {
      const base = lineStart + eq + 1 + value.indexOf('{') + 1;
      let pos = 0;
      for (const part of inline[1].split(',')) {
        const e = part.indexOf('=');
        if (e > 0) {
          const sub = `${path}.${splitKey(part.slice(0, e)).join('.')}`;
          const lead = part.length - part.trimStart().length;
          if (!out.has(sub)) out.set(sub, { start: base + pos + lead, end: base + pos + part.trimEnd().length });
        }
        pos += part.length + 1;
      }
    }
  }
  return out;
}
