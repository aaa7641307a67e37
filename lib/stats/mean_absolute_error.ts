/**
 * Mean absolute error between judge and physician scores.
 *
 * @module
 */

import { _checkPaired, _divisor } from "./_validate.ts";

/** Options for the error statistics. */
export interface ScoreErrorOptions {
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
 * @param options `range` to express the error as a share of the scale.
 * @returns The mean absolute difference (0 for identical scores).
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or
 * `range` is not positive.
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
  _checkPaired("meanAbsoluteError", judge, physician, ["judge", "physician"]);
  const divisor = _divisor("meanAbsoluteError", options);
  let sum = 0;
  for (let i = 0; i < judge.length; i++) sum += Math.abs(judge[i]! - physician[i]!);
  return sum / judge.length / divisor;
}
