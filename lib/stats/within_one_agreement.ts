/**
 * Share of items on which judge and physician scores differ by at most one point.
 *
 * @module
 */

import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/** Slack for decimal scores: 2.2 − 1.2 is 1.0000000000000002 in binary. */
const SLACK = 1e-9;

/**
 * Within-one agreement = share of pairs with |j − p| ≤ 1 point of the task's scale (a
 * difference of exactly 1 counts; a tolerance of 1e-9 absorbs binary rounding of decimals).
 * One point is a lot on Bond's 0–5 scale and little on a 0–10 one: compare tasks with care.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @param options `sampleWeights`: one weight per pair.
 * @returns A share in [0, 1].
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or a
 * weight is bad.
 *
 * @example
 * ```ts
 * import { withinOneAgreement } from "./within_one_agreement.ts";
 * import assert from "node:assert/strict";
 *
 * // Differences 0, 1, 1.5, 2.5: two of four are within one point.
 * assert.equal(withinOneAgreement([0, 2, 4, 5], [0, 3, 2.5, 2.5]), 0.5);
 * ```
 */
export function withinOneAgreement(
  judge: readonly number[],
  physician: readonly number[],
  options: SampleWeightsOptions = {},
): number {
  const names = ["judge", "physician"] as const;
  return _withinOneAgreement(
    _checkedPairs("withinOneAgreement", judge, physician, options.sampleWeights, names),
  );
}

/** The within-one agreement of weighted pairs: {@linkcode withinOneAgreement}'s kernel. */
export function _withinOneAgreement(pairs: _WeightedPairs): number {
  const { x, y, weights: w, size } = pairs;
  let close = 0;
  for (let t = 0; t < size; t++) close += Math.abs(x[t]! - y[t]!) <= 1 + SLACK ? w[t]! : 0;
  return close / pairs.total;
}
