// The bench scripts' output: a Markdown table, columns padded to their widest cell (counted in code points, so
// '×', '→' and '✓' take one column each).

/** `head` and `rows` as the lines of a Markdown table. */
export function markdownTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => [...r[i]].length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
}
