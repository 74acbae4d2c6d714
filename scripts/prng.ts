// The seeded random generator the benchmark corpus, the engine fuzz and the LSP fuzz share: same seed, same
// sequence on every machine. It lives in scripts/ because bench/ imports scripts/ and never the other way round.

/** mulberry32: a tiny seeded PRNG, so that the corpus is identical on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
