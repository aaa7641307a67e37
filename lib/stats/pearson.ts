/**
 * Pearson's product-moment correlation.
 *
 * @module
 */

import { sampleCorrelation } from "simple-statistics";
import { _checkPaired } from "./_validate.ts";

/**
 * Pearson's r = cov(x, y) / (s_x s_y) (Pearson 1896), via simple-statistics'
 * `sampleCorrelation`.
 *
 * It is undefined when either vector is constant (a zero standard deviation) or there is a single
 * pair: that returns `NaN` rather than a number that would read as "no correlation".
 *
 * @param x First scores.
 * @param y Second scores, paired with `x`.
 * @returns r in [−1, 1], or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ or a value is not finite.
 *
 * @example
 * ```ts
 * import { pearson } from "./pearson.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
 * assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
 * ```
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  _checkPaired("pearson", x, y);
  if (x.length < 2) return NaN;
  const r = sampleCorrelation([...x], [...y]);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : NaN;
}
