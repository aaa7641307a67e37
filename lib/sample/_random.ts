/**
 * A small seeded pseudo-random source for the synthetic sample generator.
 *
 * The generator needs streams that do not depend on the order in which entries are built, so
 * every stream is keyed by a list of labels (seed, task, case, slot…) hashed into a 32-bit
 * state. The core is a Weyl sequence passed through a 32-bit integer mixer (the
 * "splitmix" construction): cheap, statistically adequate for simulation, and identical on
 * every JavaScript engine because it uses only `Math.imul` and unsigned shifts. It is not the
 * bootstrap's `_uniform` (lib/stats/_prng.ts), which mixes the seed first and makes 53-bit draws:
 * switching would change every byte of the shipped sample.
 *
 * Not for cryptography.
 *
 * @module
 */

import { _mix32, _normal, _WEYL } from "../stats/_prng.ts";

/**
 * Hashes labels into a 32-bit seed (FNV-1a over the joined text, then mixed).
 *
 * @param parts Labels that identify a stream; numbers and strings are both accepted.
 * @returns An unsigned 32-bit seed.
 *
 * @example
 * ```ts
 * import { hashSeed } from "./_random.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hashSeed(1, "cpc_bond"), hashSeed(1, "cpc_bond"));
 * assert.notEqual(hashSeed(1, "cpc_bond"), hashSeed(2, "cpc_bond"));
 * ```
 */
export function hashSeed(...parts: readonly (string | number)[]): number {
  // A separator that labels never contain keeps ("a", "bc") apart from ("ab", "c").
  const text = parts.join("\u241f");
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return _mix32(h);
}

/**
 * A seeded random stream with the few draws the sample generator needs.
 *
 * @example
 * ```ts
 * import { Random } from "./_random.ts";
 * import assert from "node:assert/strict";
 *
 * const a = Random.from(7, "case", 3);
 * const b = Random.from(7, "case", 3);
 * assert.equal(a.next(), b.next());
 * assert.ok(a.int(6) < 6);
 * ```
 */
export class Random {
  #state: number;

  /**
   * Starts a stream from a 32-bit seed.
   *
   * @param seed Any integer; only its low 32 bits count.
   */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /**
   * Starts a stream keyed by labels, so that streams for different labels are independent.
   *
   * @param parts Labels that identify the stream.
   * @returns A new stream.
   */
  static from(...parts: readonly (string | number)[]): Random {
    return new Random(hashSeed(...parts));
  }

  /**
   * Derives an independent child stream; the parent's sequence is not advanced.
   *
   * @param label What the child stream is for.
   * @returns A new stream.
   */
  fork(label: string | number): Random {
    return new Random(hashSeed(this.#state, label));
  }

  /**
   * A uniform draw from [0, 1).
   *
   * @returns The next number of the stream.
   */
  next(): number {
    this.#state = (this.#state + _WEYL) >>> 0;
    return _mix32(this.#state) / 4294967296;
  }

  /**
   * A uniform integer in `0..n-1`.
   *
   * @param n The number of possible values (at least 1).
   * @returns The draw.
   */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * A uniform integer in `lo..hi`, both included.
   *
   * @param lo The smallest value.
   * @param hi The largest value.
   * @returns The draw.
   */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /**
   * `true` with probability `p`.
   *
   * @param p The probability, in [0, 1].
   * @returns The draw.
   */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /**
   * A standard normal draw (the bootstrap's Box–Muller transform of two draws of this stream).
   *
   * @returns The draw.
   */
  normal(): number {
    return _normal(() => this.next());
  }

  /**
   * One item, uniformly.
   *
   * @param items A non-empty list.
   * @returns The chosen item.
   * @throws {RangeError} When the list is empty.
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Random.pick() needs a non-empty list");
    return items[this.int(items.length)] as T;
  }

  /**
   * One item, with probability proportional to its weight.
   *
   * @param pairs `[item, weight]` pairs; weights are non-negative and not all zero.
   * @returns The chosen item.
   * @throws {RangeError} When no weight is positive.
   */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    if (!(total > 0)) throw new RangeError("Random.weighted() needs a positive total weight");
    let x = this.next() * total;
    for (const [item, w] of pairs) {
      x -= w;
      if (x < 0) return item;
    }
    // Rounding can leave x a hair above zero: fall back to the last positive weight.
    for (let i = pairs.length - 1; i >= 0; i--) {
      const pair = pairs[i]!;
      if (pair[1] > 0) return pair[0];
    }
    throw new RangeError("unreachable");
  }

  /**
   * A shuffled copy (Fisher–Yates).
   *
   * @param items The list to shuffle; it is not changed.
   * @returns A new list with the same items in random order.
   */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /**
   * Up to `k` distinct items, in random order.
   *
   * @param items The list to draw from.
   * @param k How many to draw.
   * @returns `min(k, items.length)` items.
   */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items).slice(0, Math.max(0, k));
  }
}
