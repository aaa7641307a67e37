/**
 * Pearson's product-moment correlation.
 *
 * @module
 */

import { _checkedPairs, _clamp, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/**
 * Pearson's r = cov(x, y) / (s_x s_y) (Pearson 1896), from the weighted co-moments.
 *
 * It is undefined when either vector is constant (a zero standard deviation) or there is a single
 * pair: that returns `NaN` rather than a number that would read as "no correlation".
 *
 * @param x First scores.
 * @param y Second scores, paired with `x`.
 * @param options `sampleWeights`: one weight per pair.
 * @returns r in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or a
 * weight is bad.
 *
 * @example
 * ```ts
 * import { pearson } from "./pearson.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
 * assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
 * // A weight of 2 counts a pair twice.
 * assert.equal(pearson([1, 2, 3], [1, 3, 2], { sampleWeights: [2, 1, 1] }), pearson([1, 1, 2, 3], [1, 1, 3, 2]));
 * ```
 */
export function pearson(
  x: readonly number[],
  y: readonly number[],
  options: SampleWeightsOptions = {},
): number {
  return _pearson(_checkedPairs("pearson", x, y, options.sampleWeights));
}

/** Pearson's r of weighted pairs (`NaN` when undefined): {@linkcode pearson}'s kernel. */
export function _pearson(pairs: _WeightedPairs): number {
  if (pairs.total < 2 || pairs.valueWeights().constant) return NaN;
  const { cxx, cyy, cxy } = pairs.moments();
  const r = _clamp(cxy / Math.sqrt(cxx * cyy));
  return Number.isFinite(r) ? r : NaN;
}
