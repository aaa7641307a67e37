/**
 * Isotonic regression by pool-adjacent-violators, and evaluating the fitted map.
 *
 * @module
 */

/**
 * A fitted monotone map: breakpoints `x` (ascending) and their fitted values `y`
 * (non-decreasing). Plain data, so it can be written to JSON and read back.
 */
export interface IsotonicFit {
  /** Breakpoints, strictly ascending: the first and last x of each pooled block. */
  x: number[];
  /** The fitted value at each breakpoint, non-decreasing. */
  y: number[];
}

/**
 * The weighted least-squares non-decreasing fit of `y` on `x`: the values ŷ that minimise
 * Σ wᵢ (yᵢ − ŷᵢ)² subject to ŷᵢ ≤ ŷⱼ whenever xᵢ < xⱼ, found by pool-adjacent-violators
 * (Barlow, Bartholomew, Bremner & Brunk 1972, "Statistical Inference under Order
 * Restrictions", ch. 1).
 *
 * In words: sort the points by x; points with the same x become one point (their weighted mean
 * y, their summed weight), since a map gives one value per x; then walk left to right, and
 * whenever a block's mean is above the next block's, pool the two into one block at their
 * weighted mean, and keep pooling backwards while the order is still violated. Each block's
 * fitted value is its weighted mean. This is scikit-learn's `IsotonicRegression` (ties in x
 * pooled first) and, on distinct sorted x, `scipy.optimize.isotonic_regression`.
 *
 * The result is a step function on the observed x: constant over each block, rising between
 * blocks. It is stored by the ends of its blocks; {@linkcode isotonicPredict} evaluates it at
 * any x, interpolating linearly between the end of one block and the start of the next and
 * clamping outside the observed range.
 *
 * @param x The predictor (e.g. judge scores).
 * @param y The response (e.g. physician grades), paired with `x`.
 * @param weights Optional positive weights, paired with `x`; 1 each by default.
 * @returns The fitted map.
 * @throws {RangeError} When an input is empty, the lengths differ, a value is not finite, or a
 *   weight is not positive.
 *
 * @example
 * ```ts
 * import { isotonicPredict, isotonicRegression } from "./isotonic_regression.ts";
 * import assert from "node:assert/strict";
 *
 * // 3 then 2 violate the order: they pool at 2.5.
 * const fit = isotonicRegression([1, 2, 3, 4], [1, 3, 2, 4]);
 * assert.deepEqual(fit, { x: [1, 2, 3, 4], y: [1, 2.5, 2.5, 4] });
 * assert.equal(isotonicPredict(fit, 3.5), 3.25); // between blocks: linear
 * assert.equal(isotonicPredict(fit, 9), 4); // outside: clamped
 * ```
 */
export function isotonicRegression(
  x: readonly number[],
  y: readonly number[],
  weights?: readonly number[],
): IsotonicFit {
  const fn = "isotonicRegression";
  _checkNumbers(fn, "x", x);
  _checkNumbers(fn, "y", y);
  if (y.length !== x.length) {
    throw new RangeError(`${fn}(): x has ${x.length} values but y has ${y.length}`);
  }
  if (weights !== undefined) {
    _checkNumbers(fn, "weights", weights);
    if (weights.length !== x.length) {
      throw new RangeError(`${fn}(): x has ${x.length} values but weights has ${weights.length}`);
    }
    const bad = weights.findIndex((w) => !(w > 0));
    if (bad >= 0) {
      throw new RangeError(`${fn}(): weights[${bad}] is ${weights[bad]}, not a positive number`);
    }
  }
  const order = Array.from(x, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  // Points with the same x first become one point (before any pooling: pooling part of a tie
  // with its left neighbour and then the rest would give a different, wrong fit).
  const px: number[] = [], pSum: number[] = [], pWeight: number[] = [];
  for (const i of order) {
    const w = weights?.[i] ?? 1, top = px.length - 1;
    if (top >= 0 && px[top] === x[i]) pSum[top]! += w * y[i]!, pWeight[top]! += w;
    else px.push(x[i]!), pSum.push(w * y[i]!), pWeight.push(w);
  }
  // Blocks as parallel stacks: weighted sum of y, summed weight, first and last x.
  const sum: number[] = [], weight: number[] = [], first: number[] = [], last: number[] = [];
  for (let p = 0; p < px.length; p++) {
    sum.push(pSum[p]!), weight.push(pWeight[p]!), first.push(px[p]!), last.push(px[p]!);
    // Pool backwards while a block's mean exceeds the next one's.
    for (
      let k = sum.length - 1;
      k > 0 && sum[k - 1]! / weight[k - 1]! > sum[k]! / weight[k]!;
      k--
    ) {
      sum[k - 1]! += sum[k]!;
      weight[k - 1]! += weight[k]!;
      last[k - 1] = last[k]!;
      sum.pop(), weight.pop(), first.pop(), last.pop();
    }
  }
  const fit: IsotonicFit = { x: [], y: [] };
  for (let k = 0; k < sum.length; k++) {
    const mean = sum[k]! / weight[k]!;
    fit.x.push(first[k]!), fit.y.push(mean);
    if (last[k] !== first[k]) fit.x.push(last[k]!), fit.y.push(mean);
  }
  return fit;
}

/**
 * Evaluates a fitted isotonic map at `value`: at a breakpoint its fitted value; between two
 * breakpoints the straight line joining them (constant inside a pooled block, rising between
 * blocks); below the first or above the last breakpoint the nearest fitted value (clamped, so
 * a score outside the fitted range never extrapolates beyond what was observed).
 *
 * Linear rather than a step between blocks, as scikit-learn's `IsotonicRegression.predict`:
 * a value halfway between two observed scores (the mean of two repeats, a half point the
 * fitting data never used) gets a value halfway between theirs instead of jumping to one side.
 * The result is still non-decreasing in `value`.
 *
 * @param fit A map from {@linkcode isotonicRegression} (or one read back from JSON).
 * @param value The point.
 * @returns The fitted value, or `NaN` when `value` is not finite.
 * @throws {RangeError} When the map is empty or its `x` and `y` differ in length.
 *
 * @example
 * ```ts
 * import { isotonicPredict } from "./isotonic_regression.ts";
 * import assert from "node:assert/strict";
 *
 * const fit = { x: [0, 2, 4], y: [0, 1, 3] };
 * assert.equal(isotonicPredict(fit, 3), 2);
 * assert.equal(isotonicPredict(fit, -1), 0);
 * ```
 */
export function isotonicPredict(fit: IsotonicFit, value: number): number {
  const { x, y } = fit;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
    throw new RangeError(
      "isotonicPredict(): fit must have non-empty x and y arrays of the same length",
    );
  }
  if (!Number.isFinite(value)) return NaN;
  if (value <= x[0]!) return y[0]!;
  const end = x.length - 1;
  if (value >= x[end]!) return y[end]!;
  // Binary search for the last breakpoint at or below value.
  let lo = 0, hi = end;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo]!, x1 = x[hi]!, y0 = y[lo]!, y1 = y[hi]!;
  return y0 === y1 ? y0 : y0 + (y1 - y0) * (value - x0) / (x1 - x0);
}

function _checkNumbers(fn: string, name: string, v: readonly number[]): void {
  if (!Array.isArray(v)) throw new RangeError(`${fn}(): ${name} must be an array of numbers`);
  if (v.length === 0) throw new RangeError(`${fn}(): ${name} is empty`);
  const bad = v.findIndex((e) => typeof e !== "number" || !Number.isFinite(e));
  if (bad >= 0) {
    throw new RangeError(`${fn}(): ${name}[${bad}] is ${String(v[bad])}, not a finite number`);
  }
}
