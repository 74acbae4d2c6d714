// Applies fix edits to text: sorted, non-overlapping, and only when the result still parses.
import type { Finding, Fix, TextEdit } from '../../../shared/src/types';

/** Applies edits of one file; overlapping edits after the first are dropped. Returns undefined if none applied. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  let out = '';
  let last = 0;
  for (const e of sorted) {
    if (e.span.start < last) continue;
    out += text.slice(last, e.span.start) + e.newText;
    last = e.span.end;
  }
  return out + text.slice(last);
}

/**
 * Picks the fixes to apply in one pass: the first safe fix of each finding, skipping any whose edits
 * overlap an already chosen one (the next pass picks them up after re-analysis).
 */
export function chooseSafeFixes(findings: readonly Finding[], fileName?: string): Fix[] {
  const chosen: Fix[] = [];
  const taken: Array<{ start: number; end: number }> = [];
  for (const f of findings) {
    const fix = f.fixes?.find((x) => x.safety === 'safe');
    if (!fix) continue;
    if (fix.edits.some((e) => e.fileName && e.fileName !== fileName)) continue;
    const overlaps = fix.edits.some((e) =>
      taken.some((t) => (e.span.start < t.end && t.start < e.span.end) || (e.span.start === t.start && e.span.end === t.end)),
    );
    if (overlaps) continue;
    chosen.push(fix);
    for (const e of fix.edits) taken.push(e.span);
  }
  return chosen;
}
