/**
 * Share of items on which judge and physician give the same score.
 *
 * @module
 */

import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/**
 * Exact agreement = share of pairs with j = p. Easy to read but flattered by chance, above all on
 * short or lopsided scales (Thakur et al. 2025): report it next to Cohen's κ, not instead.
 *
 * Scores are compared with `===`: grades on these scales (integers and half points) are exact
 * in binary floating point.
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
 * import { exactAgreement } from "./exact_agreement.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exactAgreement([0, 2, 2.5, 5], [0, 3, 2.5, 4]), 0.5);
 * ```
 */
export function exactAgreement(
  judge: readonly number[],
  physician: readonly number[],
  options: SampleWeightsOptions = {},
): number {
  const names = ["judge", "physician"] as const;
  return _exactAgreement(
    _checkedPairs("exactAgreement", judge, physician, options.sampleWeights, names),
  );
}

/** The exact agreement of weighted pairs: {@linkcode exactAgreement}'s kernel. */
export function _exactAgreement(pairs: _WeightedPairs): number {
  return pairs.differences().zero / pairs.total;
}
