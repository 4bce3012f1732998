// Seeded randomness for the soak: the same seed gives the same call plan and the same fault for the same request
// (keyed by what the request is, not by when it arrived, so concurrency does not change the schedule).

/** mulberry32: a small, fast 32-bit PRNG; returns a function giving floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, mixed with the seed: the seed of one keyed decision. */
export function keyedSeed(seed, key) {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Picks a key of `weights` ({name: weight}) with the random number r in [0, 1). */
export function pick(weights, r) {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [name, w] of entries) {
    if (x < w) return name;
    x -= w;
  }
  return entries[entries.length - 1][0];
}
