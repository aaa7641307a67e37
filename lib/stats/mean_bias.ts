/**
 * Mean signed difference (bias) of judge scores over physician scores.
 *
 * @module
 */

import { _checkPaired, _divisor } from "./_validate.ts";
import type { ScoreErrorOptions } from "./mean_absolute_error.ts";

/**
 * Bias = mean (j − p), optionally divided by the scale range: positive when the judge scores
 * higher than the physician (lenient), negative when it scores lower (harsh). It is the
 * Bland–Altman bias without the limits.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `range` to express the bias as a share of the scale.
 * @returns The mean signed difference, judge minus physician.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or
 * `range` is not positive.
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
  _checkPaired("meanBias", judge, physician, ["judge", "physician"]);
  const divisor = _divisor("meanBias", options);
  let sum = 0;
  for (let i = 0; i < judge.length; i++) sum += judge[i]! - physician[i]!;
  return sum / judge.length / divisor;
}
