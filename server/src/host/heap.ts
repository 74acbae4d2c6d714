// V8 heap settings shared by the language server and the CLI.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** V8's heap growth step after a full collection, in percent. */
export const HEAP_GROWING_PERCENT = 15;

/**
 * Both front ends allocate a parse tree per file, nearly all garbage once the file is analyzed: V8's default growth
 * (the heap limit raised to several times the live set after each full collection) let the server's RSS climb to
 * 400+ MB while its live heap stayed under 50 MB, and the CLI's to 418 MB on the 5,000-file bench corpus. A small
 * growth step keeps the heap near what is alive. The flag is read at each collection, so it applies from here on,
 * whoever started the process. Measured: server over 400 edits of the 1,000-line bench file 372 MB -> 210 MB; CLI on
 * the generated corpus 418 MB -> 267 MB for 5% more time.
 */
export function keepHeapNearLiveSet(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** The CLI's cap on one semi-space of V8's young generation, in MB (V8's own cap on 64-bit machines: 16 MB). */
export const BATCH_SEMI_SPACE_MB = 4;
/** V8's own growth factor of the young generation. */
const V8_GROWTH_FACTOR = 2;

/**
 * The young generation's state, on the global object: the CLI's launcher and its bundle each have a copy of this
 * module, and the launcher writes the code cache while the bundle runs.
 */
interface YoungGeneration {
  /** The growth factor the process started with (the code cache records V8's flags), when it was set. */
  start?: number;
  current?: number;
  /** Whether `holdYoungGeneration` keeps the cap. */
  held: boolean;
  /** Whether the last read found the young generation at the cap. */
  atCap: boolean;
  /** `holdYoungGeneration`'s calls since. */
  calls: number;
}

/** Files between two reads of the young generation's size once it is at the cap. */
const HOLD_READ_EVERY = 16;
const young: YoungGeneration = ((globalThis as Record<symbol, unknown>)[Symbol.for('serverless-lint.young-generation')] ??= {
  held: false,
  atCap: false,
  calls: 0,
}) as YoungGeneration;

function setGrowthFactor(factor: number): void {
  if (factor === young.current) return;
  young.current = factor;
  setFlagsFromString(`--semi-space-growth-factor=${factor}`);
}

/** The size of one of the young generation's two semi-spaces, in MB (undefined if V8 no longer reports it). */
function semiSpaceMb(): number | undefined {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space && space.space_size / 2 / (1 << 20);
}

/**
 * The CLI's young generation: a growth factor of 1 while the bundle starts (TypeScript's module body makes objects
 * that live for the whole run, which a scavenge promotes at once), then doubled between files up to `BATCH_SEMI_SPACE_MB`
 * by `holdYoungGeneration`, instead of up to V8's 16 MB. V8 reads `--max-semi-space-size` only when the heap is
 * made, so a process cannot lower it for itself; the growth factor it reads at every resize. Called by the CLI's
 * launcher before the bundle is compiled and by the bundle at its start (the same value: no change).
 *
 * Why: V8's young generation is two semi-spaces, which a run over thousands of files fills to the cap and keeps:
 * 32 MB of the CLI's peak RSS on the generated bench corpus. Measured there with `--max-semi-space-size` (no code
 * cache, three alternating runs each): peak RSS 191–201 MB at 16 MB, 158–159 at 4 MB, 152–153 at 2 MB, 149 at 1 MB;
 * the scavenges' time 365 ms (105 of them) at 16 MB against 520–600 ms (420) at 4 MB.
 */
export function pinYoungGeneration(): void {
  young.start ??= 1;
  young.held = true;
  setGrowthFactor(1);
}

/**
 * Between the CLI's files: lets the young generation double while it is below the cap, and stops it there. One
 * read of V8's space statistics, and a flag set when the factor changes; nothing unless `pinYoungGeneration` ran.
 */
export function holdYoungGeneration(): void {
  if (!young.held) return;
  // At the cap V8 can only shrink the space (rarely: at a full collection, when little is allocated), so the space
  // is read only every few files then (the read was 0.4% of a run on the generated bench corpus).
  if (young.atCap && ++young.calls % HOLD_READ_EVERY !== 0) return;
  const semi = semiSpaceMb();
  if (semi === undefined) return;
  young.atCap = semi >= BATCH_SEMI_SPACE_MB;
  // V8 grows by whole factors: a space that doubling would take past the cap stays (V8 starts at 1 MB, so 4 is reached).
  setGrowthFactor(semi * 2 <= BATCH_SEMI_SPACE_MB ? V8_GROWTH_FACTOR : 1);
}

/**
 * V8's own growth from here on, for a CLI run over worker threads: the growth factor is the process's, and each
 * worker's young generation is capped by its own resource limit instead.
 */
export function releaseYoungGeneration(): void {
  young.held = false;
  setGrowthFactor(V8_GROWTH_FACTOR);
}

/**
 * Runs `fn` (the code cache's serialization) with the growth factor the process started with: V8 records its flags
 * in a code cache and rejects the cache at a start whose flags differ.
 */
export function withStartFlags<T>(fn: () => T): T {
  const { start, current } = young;
  if (start === undefined || current === undefined || current === start) return fn();
  setGrowthFactor(start);
  try {
    return fn();
  } finally {
    setGrowthFactor(current);
  }
}
