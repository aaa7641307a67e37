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
 * Counted in O(n log n) with Knight's (1966) algorithm, as scipy does: sort by (x, y), count
 * the tied groups, then count the discordant pairs as the swaps a merge sort on y makes, so
 * n_c − n_d = n₀ − n₁ − n₂ + n₃ − 2·swaps (n₃ pairs tied in both). That keeps a 2,000-resample
 * bootstrap of a task's few hundred items fast.
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
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const ys = Float64Array.from(order, (i) => y[i]!);
  // Pairs tied in x (n₁) and tied in both (n₃): runs in the (x, y) order.
  let tiedX = 0, tiedBoth = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && x[order[j]!] === x[order[i]!]) j++;
    tiedX += ((j - i) * (j - i - 1)) / 2;
    for (let k = i; k < j;) {
      let l = k + 1;
      while (l < j && ys[l] === ys[k]) l++;
      tiedBoth += ((l - k) * (l - k - 1)) / 2;
      k = l;
    }
    i = j;
  }
  const swaps = _mergeSortCountingSwaps(ys);
  // Pairs tied in y (n₂): runs in the now sorted ys.
  let tiedY = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && ys[j] === ys[i]) j++;
    tiedY += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  const pairs = (n * (n - 1)) / 2;
  const score = pairs - tiedX - tiedY + tiedBoth - 2 * swaps;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  if (!(denominator > 0)) return NaN;
  return Math.max(-1, Math.min(1, score / denominator));
}

/**
 * Sorts in place (bottom-up merge sort) and returns the number of inversions: pairs i < j with
 * v_i > v_j. Equal values are not inversions.
 *
 * @param values The values; sorted on return.
 * @returns The number of inversions.
 */
function _mergeSortCountingSwaps(values: Float64Array): number {
  const n = values.length;
  let from: Float64Array = values, to: Float64Array = new Float64Array(n), swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (from[j]! < from[i]!) {
          swaps += mid - i; // every remaining left value is greater than from[j]
          to[k++] = from[j++]!;
        } else to[k++] = from[i++]!;
      }
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  if (from !== values) values.set(from);
  return swaps;
}
