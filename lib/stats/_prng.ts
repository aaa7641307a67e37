/**
 * A small seeded uniform generator for the bootstrap, identical on every JavaScript engine.
 *
 * A Weyl sequence passed through a 32-bit integer mixer (the "splitmix32" construction, as in
 * `lib/sample/_random.ts`, which shares this mixer but keeps its own stream, so that a change to
 * the sample generator cannot shift recorded bootstrap intervals). Two 32-bit outputs make one 53-bit double, so draws of
 * `floor(u · m)` have no visible modulo bias for any realistic number of clusters.
 * Not for cryptography.
 *
 * @module
 */

/** The golden-ratio increment of the Weyl sequence (odd, so the sequence has full period). */
export const _WEYL = 0x9e3779b9;

/**
 * Mixes a 32-bit integer (the murmur3 finaliser).
 *
 * @param x Any integer.
 * @returns An unsigned 32-bit integer.
 */
export function _mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded stream of uniform draws from [0, 1).
 *
 * @param seed Any integer; only its low 32 bits count, and different seeds give unrelated
 * streams.
 * @returns A function that returns the next draw on each call.
 *
 * @example
 * ```ts
 * import { _uniform } from "./_prng.ts";
 * import assert from "node:assert/strict";
 *
 * const a = _uniform(42), b = _uniform(42);
 * assert.equal(a(), b());
 * ```
 */
export function _uniform(seed: number): () => number {
  let state = _mix32(seed ^ 0x5bd1e995);
  const next32 = () => {
    state = (state + _WEYL) >>> 0;
    return _mix32(state);
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

/**
 * A standard normal draw from a uniform stream (Box–Muller, one of the pair kept).
 *
 * @param uniform A stream from {@linkcode _uniform}.
 * @returns The draw.
 */
export function _normal(uniform: () => number): number {
  const u = 1 - uniform(); // in (0, 1], so the logarithm is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}
