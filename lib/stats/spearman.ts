/**
 * Spearman's rank correlation.
 *
 * @module
 */

import { _checkedPairs, _clamp, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/**
 * Spearman's ρ: Pearson's r on the ranks (Spearman 1904).
 *
 * Tied values share the mean of the ranks they span (midranks), as in scipy's `spearmanr`:
 * rubric scores tie constantly, and giving ties consecutive ranks would make ρ depend on the
 * order the pairs are listed in. A pair of weight w counts as w tied items.
 *
 * Undefined (`NaN`) when either vector is constant or there is a single pair.
 *
 * @param x First scores.
 * @param y Second scores, paired with `x`.
 * @param options `sampleWeights`: one weight per pair.
 * @returns ρ in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, or a
 * weight is bad.
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
export function spearman(
  x: readonly number[],
  y: readonly number[],
  options: SampleWeightsOptions = {},
): number {
  return _spearman(_checkedPairs("spearman", x, y, options.sampleWeights));
}

/**
 * Spearman's ρ of weighted pairs (`NaN` when undefined), Pearson's r on the weighted midranks
 * of the distinct values: {@linkcode spearman}'s kernel.
 */
export function _spearman(pairs: _WeightedPairs): number {
  const N = pairs.total, values = pairs.valueWeights();
  if (N < 2 || values.constant) return NaN;
  const rx = _midranks(values.x), ry = _midranks(values.y);
  const mean = (N + 1) / 2; // the mean of the ranks 1..N
  const { weights: w, xIndex, yIndex, size } = pairs;
  let cxx = 0, cyy = 0, cxy = 0;
  for (let t = 0; t < size; t++) {
    const wt = w[t]!, a = rx[xIndex[t]!]! - mean, b = ry[yIndex[t]!]! - mean;
    cxx += wt * a * a;
    cyy += wt * b * b;
    cxy += wt * a * b;
  }
  const rho = _clamp(cxy / Math.sqrt(cxx * cyy));
  return Number.isFinite(rho) ? rho : NaN;
}

/** The midrank of each distinct value, given the weight of each (values increasing). */
function _midranks(weights: Float64Array): number[] {
  const ranks: number[] = [];
  let below = 0;
  for (let v = 0; v < weights.length; v++) {
    ranks.push(below + (weights[v]! + 1) / 2);
    below += weights[v]!;
  }
  return ranks;
}
