/**
 * Mean absolute error between judge and physician scores.
 *
 * @module
 */

import { _divisor } from "./_validate.ts";
import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/** Options for the error statistics. */
export interface ScoreErrorOptions extends SampleWeightsOptions {
  /**
   * The task's scale range (maximum − minimum score, e.g. 5 for Bond's 0–5): when given, the
   * result is divided by it, so that tasks on different scales can be read side by side.
   */
  range?: number;
}

/**
 * MAE = mean |j − p| over paired scores, optionally divided by the scale range. In the units
 * of the scale, and less driven by a few large misses than the RMSE (Willmott & Matsuura 2005).
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `range` to express the error as a share of the scale; `sampleWeights`.
 * @returns The mean absolute difference (0 for identical scores).
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite,
 * `range` is not positive, or a weight is bad.
 *
 * @example
 * ```ts
 * import { meanAbsoluteError } from "./mean_absolute_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(meanAbsoluteError([5, 3, 2], [4, 3, 4]), 1);
 * assert.equal(meanAbsoluteError([5, 3, 2], [4, 3, 4], { range: 5 }), 0.2);
 * ```
 */
export function meanAbsoluteError(
  judge: readonly number[],
  physician: readonly number[],
  options: ScoreErrorOptions = {},
): number {
  const fn = "meanAbsoluteError", divisor = _divisor(fn, options);
  const names = ["judge", "physician"] as const;
  return _meanAbsoluteError(_checkedPairs(fn, judge, physician, options.sampleWeights, names)) /
    divisor;
}

/**
 * The MAE of weighted pairs: {@linkcode meanAbsoluteError}'s kernel.
 *
 * @param pairs The pairs and their weights.
 * @param shareOfScale Divide each difference by its pair's scale maximum (`pairs.scale`).
 * @returns The mean absolute difference.
 */
export function _meanAbsoluteError(pairs: _WeightedPairs, shareOfScale = false): number {
  if (!shareOfScale) return pairs.differences().absolute / pairs.total;
  const { x, y, scale, weights: w, size } = pairs;
  let sum = 0;
  for (let t = 0; t < size; t++) sum += w[t]! * Math.abs(x[t]! - y[t]!) / scale[t]!;
  return sum / pairs.total;
}
