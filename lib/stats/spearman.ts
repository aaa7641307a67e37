/**
 * Spearman's rank correlation.
 *
 * @module
 */

import { sampleRankCorrelation } from "simple-statistics";
import { _checkPaired } from "./_validate.ts";

/**
 * Spearman's ρ: Pearson's r on the ranks (Spearman 1904), via simple-statistics'
 * `sampleRankCorrelation`.
 *
 * Tied values share the mean of the ranks they span (midranks), as in scipy's `spearmanr`:
 * rubric scores tie constantly, and giving ties consecutive ranks would make ρ depend on the
 * order the pairs are listed in.
 *
 * Undefined (`NaN`) when either vector is constant or there is a single pair.
 *
 * @param x First scores.
 * @param y Second scores, paired with `x`.
 * @returns ρ in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
 *
 * @example
 * ```ts
 * import { spearman } from "./spearman.ts";
 * import assert from "node:assert/strict";
 *
 * // Monotone but not linear: ρ is 1 where Pearson's r is not.
 * assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
 * assert.ok(Number.isNaN(spearman([3, 3, 3], [1, 2, 3])));
 * ```
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  _checkPaired("spearman", x, y);
  if (x.length < 2) return NaN;
  const rho = sampleRankCorrelation([...x], [...y]);
  return Number.isFinite(rho) ? Math.max(-1, Math.min(1, rho)) : NaN;
}
