/**
 * Kendall's rank correlation, tie-corrected (τ-b).
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";

/**
 * Kendall's τ-b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂)) (Kendall 1945), where over all
 * n₀ = n(n−1)/2 pairs of items n_c are concordant, n_d discordant, n₁ tied in `x` and n₂ tied
 * in `y`. The tie correction in the denominator is what scipy's `kendalltau` (variant "b")
 * computes; on rubric scores, where ties are the rule, τ-a would be biased towards 0.
 *
 * Counts every pair (O(n²)): exact integer arithmetic, and fast enough for the few hundred
 * items per task the benchmark has, even inside a bootstrap.
 *
 * Undefined (`NaN`) when either vector is constant or there is a single pair.
 *
 * @param x First scores.
 * @param y Second scores, paired with `x`.
 * @returns τ-b in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
 *
 * @example
 * ```ts
 * import { kendallTauB } from "./kendall_tau_b.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(kendallTauB([1, 2, 3], [1, 3, 2]), 1 / 3);
 * // A tie in y: 2 concordant of 3 pairs, one tied in y, so 2 / √(3 · 2).
 * assert.equal(kendallTauB([1, 2, 3], [1, 2, 2]), 2 / Math.sqrt(6));
 * ```
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  _checkPaired("kendallTauB", x, y);
  const n = x.length;
  let score = 0, tiedX = 0, tiedY = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!, yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[j]! - xi), dy = Math.sign(y[j]! - yi);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      score += dx * dy;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  if (!(denominator > 0)) return NaN;
  return Math.max(-1, Math.min(1, score / denominator));
}
