/**
 * Lin's concordance correlation coefficient.
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";

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
 * @returns The CCC in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
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
export function linCcc(judge: readonly number[], physician: readonly number[]): number {
  _checkPaired("linCcc", judge, physician, ["judge", "physician"]);
  const n = judge.length;
  if (n < 2) return NaN;
  let mj = 0, mp = 0;
  for (let i = 0; i < n; i++) {
    mj += judge[i]!;
    mp += physician[i]!;
  }
  mj /= n;
  mp /= n;
  let sjj = 0, spp = 0, sjp = 0;
  for (let i = 0; i < n; i++) {
    const dj = judge[i]! - mj, dp = physician[i]! - mp;
    sjj += dj * dj;
    spp += dp * dp;
    sjp += dj * dp;
  }
  const denominator = sjj / n + spp / n + (mj - mp) ** 2;
  if (!(denominator > 0)) return NaN;
  return Math.max(-1, Math.min(1, (2 * sjp) / n / denominator));
}
