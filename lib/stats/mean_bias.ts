/**
 * Mean signed difference (bias) of judge scores over physician scores.
 *
 * @module
 */

import { _divisor } from "./_validate.ts";
import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { ScoreErrorOptions } from "./mean_absolute_error.ts";

/**
 * Bias = mean (j − p), optionally divided by the scale range: positive when the judge scores
 * higher than the physician (lenient), negative when it scores lower (harsh). It is the
 * Bland–Altman bias without the limits.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `range` to express the bias as a share of the scale; `sampleWeights`.
 * @returns The mean signed difference, judge minus physician.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite,
 * `range` is not positive, or a weight is bad.
 *
 * @example
 * ```ts
 * import { meanBias } from "./mean_bias.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(meanBias([5, 3, 2], [4, 3, 4]), -1 / 3);
 * ```
 */
export function meanBias(
  judge: readonly number[],
  physician: readonly number[],
  options: ScoreErrorOptions = {},
): number {
  const fn = "meanBias", divisor = _divisor(fn, options);
  const names = ["judge", "physician"] as const;
  return _meanBias(_checkedPairs(fn, judge, physician, options.sampleWeights, names)) / divisor;
}

/** The bias of weighted pairs: {@linkcode meanBias}'s kernel. */
export function _meanBias(pairs: _WeightedPairs): number {
  return pairs.differences().signed / pairs.total;
}
