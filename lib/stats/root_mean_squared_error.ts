/**
 * Root mean squared error between judge and physician scores.
 *
 * @module
 */

import { _divisor } from "./_validate.ts";
import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { ScoreErrorOptions } from "./mean_absolute_error.ts";

/**
 * RMSE = √(mean (j − p)²) over paired scores, optionally divided by the scale range. Large
 * misses weigh more than in the mean absolute error (Willmott & Matsuura 2005; RMSE ≥ MAE,
 * with equality only when every miss is the same size).
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `range` to express the error as a share of the scale; `sampleWeights`.
 * @returns The root mean squared difference.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite,
 * `range` is not positive, or a weight is bad.
 *
 * @example
 * ```ts
 * import { rootMeanSquaredError } from "./root_mean_squared_error.ts";
 * import assert from "node:assert/strict";
 *
 * // Differences 1, 0, −2: √(5 / 3).
 * assert.equal(rootMeanSquaredError([5, 3, 2], [4, 3, 4]), Math.sqrt(5 / 3));
 * ```
 */
export function rootMeanSquaredError(
  judge: readonly number[],
  physician: readonly number[],
  options: ScoreErrorOptions = {},
): number {
  const fn = "rootMeanSquaredError", divisor = _divisor(fn, options);
  const names = ["judge", "physician"] as const;
  return _rootMeanSquaredError(
    _checkedPairs(fn, judge, physician, options.sampleWeights, names),
  ) / divisor;
}

/** The RMSE of weighted pairs: {@linkcode rootMeanSquaredError}'s kernel. */
export function _rootMeanSquaredError(pairs: _WeightedPairs): number {
  return Math.sqrt(pairs.differences().squared / pairs.total);
}
