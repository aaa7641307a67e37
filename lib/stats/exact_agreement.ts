/**
 * Share of items on which judge and physician give the same score.
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";

/**
 * Exact agreement = share of pairs with j = p. Easy to read but flattered by chance, above all on
 * short or lopsided scales (Thakur et al. 2025): report it next to Cohen's κ, not instead.
 *
 * Scores are compared with `===`: grades on these scales (integers and half points) are exact
 * in binary floating point.
 *
 * @param judge The judge's scores.
 * @param physician The physician's scores, paired with `judge`.
 * @returns A share in [0, 1].
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
 *
 * @example
 * ```ts
 * import { exactAgreement } from "./exact_agreement.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(exactAgreement([0, 2, 2.5, 5], [0, 3, 2.5, 4]), 0.5);
 * ```
 */
export function exactAgreement(judge: readonly number[], physician: readonly number[]): number {
  _checkPaired("exactAgreement", judge, physician, ["judge", "physician"]);
  let same = 0;
  for (let i = 0; i < judge.length; i++) if (judge[i] === physician[i]) same++;
  return same / judge.length;
}
