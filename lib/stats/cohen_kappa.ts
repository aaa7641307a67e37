/**
 * Cohen's κ, unweighted or weighted by the distance between category values.
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";
import { _checkedPairs, type _WeightedPairs } from "./_weighted_pairs.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/** Options for {@linkcode cohenKappa}. */
export interface CohenKappaOptions extends SampleWeightsOptions {
  /**
   * `"none"` (the default): every disagreement costs 1. `"linear"`: |v_i − v_j| / range.
   * `"quadratic"`: ((v_i − v_j) / range)² — close to the ICC on interval data (Fleiss & Cohen
   * 1973).
   */
  weights?: "none" | "linear" | "quadratic";
  /**
   * The scale's category VALUES, e.g. Bond's `[0, 2, 2.5, 3, 3.5, 4, 4.5, 5]`. Defaults to the
   * union of the observed values. Every observed score must be one of them. Unobserved
   * categories do not change κ (their marginals are 0): declaring the scale checks the data.
   */
  categories?: readonly number[];
}

/**
 * Cohen's κ = 1 − Σ w·O / Σ w·E (Cohen 1960; weighted, Cohen 1968), where O is the matrix of
 * observed pair proportions, E = outer product of its marginals (chance agreement), and w the
 * disagreement weights.
 *
 * The weights come from the category VALUES, not their positions: on Bond's scale (no 1, half
 * points) the step from 0 to 2 is four half-point steps, not one. scikit-learn's
 * `cohen_kappa_score` weights by position and agrees with this only on contiguous integer scales
 * with every category listed. Scaling by the range does not change κ (it cancels); it keeps the
 * weights in [0, 1].
 *
 * Undefined (`NaN`) when chance disagreement Σ w·E is 0: both raters used one and the same
 * single category.
 *
 * @param a The first rater's scores (e.g. the judge).
 * @param b The second rater's scores, paired with `a`.
 * @param options `weights`, the scale's `categories`, and `sampleWeights` (one weight per pair).
 * @returns κ ≤ 1 (1 is perfect agreement, 0 chance level), or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, a
 * score is not among `categories`, `weights` is unknown, or a sample weight is bad.
 *
 * @example
 * ```ts
 * import { cohenKappa } from "./cohen_kappa.ts";
 * import assert from "node:assert/strict";
 *
 * const judge = [0, 2, 3, 4, 5, 5];
 * const physician = [0, 3, 3, 5, 5, 4];
 * const kappa = cohenKappa(judge, physician, { weights: "linear" });
 * assert.ok(kappa > cohenKappa(judge, physician)); // near misses count as partial agreement
 * assert.ok(Number.isNaN(cohenKappa([2, 2], [2, 2])));
 * ```
 */
export function cohenKappa(
  a: readonly number[],
  b: readonly number[],
  options: CohenKappaOptions = {},
): number {
  const fn = "cohenKappa";
  _checkPaired(fn, a, b, ["a", "b"]);
  const weights = options.weights ?? "none";
  if (weights !== "none" && weights !== "linear" && weights !== "quadratic") {
    throw new RangeError(
      `${fn}(): options.weights must be "none", "linear" or "quadratic", got ${
        JSON.stringify(weights)
      }`,
    );
  }
  const values = _categories(a, b, options.categories);
  const known = new Set(values);
  for (let i = 0; i < a.length; i++) {
    if (!known.has(a[i]!) || !known.has(b[i]!)) {
      const [name, v] = known.has(a[i]!) ? ["b", b[i]] : ["a", a[i]];
      throw new RangeError(
        `${fn}(): ${name}[${i}] = ${v} is not one of options.categories (${values.join(", ")})`,
      );
    }
  }
  const pairs = _checkedPairs(fn, a, b, options.sampleWeights, ["a", "b"], values);
  return _cohenKappa(pairs, weights);
}

/**
 * Cohen's κ of weighted pairs over `pairs.categories`, in O(pairs + categories), chance
 * disagreement from the marginals' sums: {@linkcode cohenKappa}'s kernel.
 *
 * @param pairs The pairs and their weights.
 * @param weights The disagreement weights.
 * @returns κ, or `NaN` when undefined.
 */
export function _cohenKappa(
  pairs: _WeightedPairs,
  weights: "none" | "linear" | "quadratic",
): number {
  const v = pairs.categories, k = v.length, N = pairs.total;
  const { x: rows, y: cols } = pairs.categoryWeights();
  let used = 0;
  for (let c = 0; c < k; c++) if (rows[c]! > 0 || cols[c]! > 0) used++;
  if (used < 2) return NaN;
  // One rater constant: observed and chance disagreement are the same sums, κ = 0 exactly
  // (the constant baseline should read 0, not rounding noise).
  if (pairs.valueWeights().constant) return 0;
  const d = pairs.differences(), range = v[k - 1]! - v[0]!;
  if (weights === "none") {
    let agreeChance = 0;
    for (let c = 0; c < k; c++) agreeChance += rows[c]! * cols[c]!;
    return 1 - ((N - d.zero) / N) / ((N * N - agreeChance) / (N * N));
  }
  if (weights === "linear") {
    const chance = _linearChance(rows, cols, v);
    return chance > 0 ? 1 - (d.absolute / range / N) / (chance / range / (N * N)) : NaN;
  }
  const chance = _quadraticChance(rows, cols, v, N);
  return chance > 0
    ? 1 - (d.squared / (range * range) / N) / (chance / (range * range) / (N * N))
    : NaN;
}

/** Σ_r R_r Σ_c |v_r − v_c| C_c, with running sums of C and C·v below r. */
function _linearChance(rows: Float64Array, cols: Float64Array, v: Float64Array): number {
  let totalC = 0, totalCv = 0;
  for (let c = 0; c < v.length; c++) {
    totalC += cols[c]!;
    totalCv += cols[c]! * (v[c]! - v[0]!);
  }
  let belowC = 0, belowCv = 0, linear = 0;
  for (let r = 0; r < v.length; r++) {
    const x = v[r]! - v[0]!;
    linear += rows[r]! *
      (x * belowC - belowCv + (totalCv - belowCv - cols[r]! * x) -
        x * (totalC - belowC - cols[r]!));
    belowC += cols[r]!;
    belowCv += cols[r]! * x;
  }
  return linear;
}

/** N Σ R (v − a)² + N Σ C (v − a)² − 2 Σ R (v − a) Σ C (v − a), a = the mean value. */
function _quadraticChance(
  rows: Float64Array,
  cols: Float64Array,
  v: Float64Array,
  N: number,
): number {
  let a = 0;
  for (let c = 0; c < v.length; c++) a += (rows[c]! + cols[c]!) * v[c]!;
  a /= 2 * N;
  let r1 = 0, r2 = 0, c1 = 0, c2 = 0;
  for (let c = 0; c < v.length; c++) {
    const x = v[c]! - a;
    r1 += rows[c]! * x;
    r2 += rows[c]! * x * x;
    c1 += cols[c]! * x;
    c2 += cols[c]! * x * x;
  }
  return N * r2 + N * c2 - 2 * r1 * c1;
}

/**
 * The sorted category values: the declared ones (checked) or the union of the observed ones.
 *
 * @param a The first rater's scores.
 * @param b The second rater's scores.
 * @param declared The declared categories, if any.
 * @returns Distinct values in increasing order.
 * @throws {RangeError} When a declared category is not a finite number or is repeated.
 */
function _categories(
  a: readonly number[],
  b: readonly number[],
  declared: readonly number[] | undefined,
): number[] {
  if (declared === undefined) return [...new Set([...a, ...b])].sort((x, y) => x - y);
  if (!Array.isArray(declared) || declared.length === 0) {
    throw new RangeError("cohenKappa(): options.categories must be a non-empty array of numbers");
  }
  declared.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`cohenKappa(): options.categories[${i}] is ${String(v)}, not a number`);
    }
  });
  const sorted = [...declared].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new RangeError(`cohenKappa(): options.categories lists ${sorted[i]} twice`);
    }
  }
  return sorted;
}
