/**
 * Bland–Altman bias, 95% limits of agreement, and proportional bias.
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";

/** The Bland–Altman summary of judge − physician differences. */
export interface BlandAltmanResult {
  /** Mean difference d̄ = mean(j − p): positive when the judge scores higher. */
  bias: number;
  /** Lower limit of agreement, d̄ − 1.96 s_d. */
  lower: number;
  /** Upper limit of agreement, d̄ + 1.96 s_d. */
  upper: number;
  /**
   * Least-squares slope of the difference on the pair mean (j + p)/2: non-zero when the judge
   * is lenient on weak answers and harsh on strong ones (proportional bias; Bland & Altman 1999).
   */
  slope: number;
}

/**
 * Bland–Altman agreement (Bland & Altman 1986, 1999): bias d̄, limits of agreement
 * d̄ ± 1.96 s_d (s_d the sample standard deviation of the differences, n − 1 denominator),
 * and the slope of d on the pair mean.
 *
 * The limits assume roughly normal differences and the slope a linear trend; on a coarse
 * rubric scale both are descriptive. Undefined parts are `NaN`: the limits for a single pair,
 * the slope when every pair mean is the same.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @returns `{ bias, lower, upper, slope }`.
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
 *
 * @example
 * ```ts
 * import { blandAltman } from "./bland_altman.ts";
 * import assert from "node:assert/strict";
 *
 * // Differences 1, 1, 1, 1: a pure one-point lenience with no spread.
 * const ba = blandAltman([2, 3, 4, 5], [1, 2, 3, 4]);
 * assert.deepEqual(ba, { bias: 1, lower: 1, upper: 1, slope: 0 });
 * ```
 */
export function blandAltman(
  judge: readonly number[],
  physician: readonly number[],
): BlandAltmanResult {
  _checkPaired("blandAltman", judge, physician, ["judge", "physician"]);
  const n = judge.length;
  let bias = 0, meanOfMeans = 0;
  for (let i = 0; i < n; i++) {
    bias += judge[i]! - physician[i]!;
    meanOfMeans += (judge[i]! + physician[i]!) / 2;
  }
  bias /= n;
  meanOfMeans /= n;
  let sdd = 0, smm = 0, smd = 0;
  for (let i = 0; i < n; i++) {
    const d = judge[i]! - physician[i]! - bias;
    const m = (judge[i]! + physician[i]!) / 2 - meanOfMeans;
    sdd += d * d;
    smm += m * m;
    smd += m * d;
  }
  const sd = n > 1 ? Math.sqrt(sdd / (n - 1)) : NaN;
  return {
    bias,
    lower: bias - 1.96 * sd,
    upper: bias + 1.96 * sd,
    slope: smm > 0 ? smd / smm : NaN,
  };
}
