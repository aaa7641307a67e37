/**
 * Cohen's κ, unweighted or weighted by the distance between category values.
 *
 * @module
 */

import { _checkPaired } from "./_validate.ts";

/** Options for {@linkcode cohenKappa}. */
export interface CohenKappaOptions {
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
 * @param options `weights` and the scale's `categories`.
 * @returns κ ≤ 1 (1 is perfect agreement, 0 chance level), or `NaN` when undefined.
 * @throws {RangeError} When the input is empty, the lengths differ, a value is not finite, a
 * score is not among `categories`, or `weights` is unknown.
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
  _checkPaired("cohenKappa", a, b, ["a", "b"]);
  const weights = options.weights ?? "none";
  if (weights !== "none" && weights !== "linear" && weights !== "quadratic") {
    throw new RangeError(
      `cohenKappa(): options.weights must be "none", "linear" or "quadratic", got ${
        JSON.stringify(weights)
      }`,
    );
  }
  const values = _categories(a, b, options.categories);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  const n = a.length;
  const observed = new Float64Array(k * k);
  const rowTotals = new Float64Array(k);
  const columnTotals = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const r = index.get(a[i]!), c = index.get(b[i]!);
    if (r === undefined || c === undefined) {
      const [name, v] = r === undefined ? ["a", a[i]] : ["b", b[i]];
      throw new RangeError(
        `cohenKappa(): ${name}[${i}] = ${v} is not one of options.categories (${
          values.join(", ")
        })`,
      );
    }
    observed[r * k + c]!++;
    rowTotals[r]!++;
    columnTotals[c]!++;
  }
  const range = values[k - 1]! - values[0]!;
  let disagreement = 0, chance = 0;
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      if (r === c) continue;
      const d = Math.abs(values[r]! - values[c]!) / range;
      const w = weights === "none" ? 1 : weights === "linear" ? d : d * d;
      disagreement += w * observed[r * k + c]! / n;
      chance += w * rowTotals[r]! * columnTotals[c]! / (n * n);
    }
  }
  return chance > 0 ? 1 - disagreement / chance : NaN;
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
