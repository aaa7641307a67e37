/**
 * Lin's concordance correlation coefficient.
 *
 * @module
 */

import { _checkedPairs, _clamp, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/**
 * Lin's CCC = 2 s_jp / (s_j² + s_p² + (j̄ − p̄)²) (Lin 1989), with moments divided by n as in
 * the paper (and R's `epiR::epi.ccc`, against which this is tested). It is Pearson's r times a
 * penalty for any shift or scale difference: a judge that is perfectly correlated but one point
 * lenient has r = 1 and CCC < 1.
 *
 * Undefined (`NaN`) for a single pair, or when both vectors are constant and equal (0/0). Two
 * constant but different vectors give 0.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `sampleWeights`: one weight per pair.
 * @returns The CCC in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or a
 * weight is bad.
 *
 * @example
 * ```ts
 * import { linCcc } from "./lin_ccc.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(linCcc([1, 2, 3], [1, 2, 3]), 1);
 * // Perfectly correlated but one point lenient: 2·(2/3) / (2/3 + 2/3 + 1) = 4/7.
 * assert.ok(Math.abs(linCcc([2, 3, 4], [1, 2, 3]) - 4 / 7) < 1e-15);
 * ```
 */
export function linCcc(
  judge: readonly number[],
  physician: readonly number[],
  options: SampleWeightsOptions = {},
): number {
  const names = ["judge", "physician"] as const;
  return _linCcc(_checkedPairs("linCcc", judge, physician, options.sampleWeights, names));
}

/** Lin's CCC of weighted pairs (`NaN` when undefined): {@linkcode linCcc}'s kernel. */
export function _linCcc(pairs: _WeightedPairs): number {
  const N = pairs.total;
  if (N < 2 || pairs.valueWeights().allEqual) return NaN;
  const { meanX, meanY, cxx, cyy, cxy } = pairs.moments();
  const denominator = cxx / N + cyy / N + (meanX - meanY) ** 2;
  if (!(denominator > 0)) return NaN;
  return _clamp((2 * cxy) / N / denominator);
}
