/**
 * Krippendorff's α for any number of raters, missing ratings and four levels of measurement.
 *
 * @module
 */

import { _checkWeights } from "./_validate.ts";
import { type _ColumnMoments, _columnMoments, _sumsOfSquares } from "./_sums_of_squares.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/** Options for {@linkcode krippendorffAlpha}. */
export interface KrippendorffAlphaOptions extends SampleWeightsOptions {
  /**
   * The level of measurement, which sets the difference function δ²(c, k):
   * - `"nominal"`: 0 if c = k, else 1.
   * - `"ordinal"`: (Σ_{g from c to k} n_g − (n_c + n_k)/2)², from the ranks of the values used.
   * - `"interval"`: (c − k)².
   * - `"ratio"`: ((c − k)/(c + k))² (values must be non-negative).
   */
  level: "nominal" | "ordinal" | "interval" | "ratio";
}

const LEVELS = ["nominal", "ordinal", "interval", "ratio"] as const;

/**
 * Krippendorff's α = 1 − D_o / D_e (Krippendorff 2004, 2011), computed from the coincidence
 * matrix: every unit with m_u ≥ 2 ratings contributes each ordered pair of its ratings with
 * weight 1/(m_u − 1); D_o is the weighted mean difference within units, D_e the mean
 * difference among all n pairable ratings, α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.
 * At the interval level on complete data (every rater rated every unit) the same α follows
 * from the units × raters sums of squares, as `agreement()` computes it.
 *
 * Any number of raters, each unit rated by any subset of them: missing ratings are `null` (or
 * `undefined`), and units with fewer than two ratings are left out (they cannot show
 * (dis)agreement). Krippendorff's (2011) worked example (4 coders × 12 units) gives nominal
 * 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
 *
 * Undefined (`NaN`) when no unit has two ratings, or when all pairable ratings are the same
 * value (D_e = 0): Krippendorff (2011) treats data without variation as no evidence of
 * reliability, so 0/0 is reported as `NaN`, not as α = 1.
 *
 * @param ratings One row per unit (e.g. a response), one entry per rater; rows may differ in
 * length; `null`/`undefined` for a missing rating.
 * @param options The level of measurement; `sampleWeights`, one per unit.
 * @returns α ≤ 1 (1 perfect, 0 chance level, negative systematic disagreement), or `NaN`.
 * @throws {RangeError} When `ratings` is empty, a rating is neither a finite number nor
 * missing, `level` is unknown, a ratio-level rating is negative, or a sample weight is bad.
 *
 * @example
 * ```ts
 * import { krippendorffAlpha } from "./krippendorff_alpha.ts";
 * import assert from "node:assert/strict";
 *
 * // Units × raters; the third rater skipped two units.
 * const ratings = [[1, 1, null], [2, 2, 3], [3, 3, 3], [4, 3, null], [2, 2, 2]];
 * const alpha = krippendorffAlpha(ratings, { level: "interval" });
 * assert.ok(alpha > krippendorffAlpha(ratings, { level: "nominal" }));
 * assert.ok(Number.isNaN(krippendorffAlpha([[5, 5], [5, null]], { level: "nominal" })));
 * ```
 */
export function krippendorffAlpha(
  ratings: readonly (readonly (number | null | undefined)[])[],
  options: KrippendorffAlphaOptions,
): number {
  const level = options?.level;
  if (!LEVELS.includes(level)) {
    throw new RangeError(
      `krippendorffAlpha(): options.level must be one of ${LEVELS.join(", ")}, got ${
        JSON.stringify(level)
      }`,
    );
  }
  const columns = _coderColumns(ratings, level);
  const given = _checkWeights("krippendorffAlpha", options.sampleWeights, ratings.length);
  const weights = given ? Float64Array.from(given) : new Float64Array(ratings.length).fill(1);
  const complete = columns.every((column) => !column.some(Number.isNaN));
  return level === "interval" && complete
    ? _intervalAlpha(_columnMoments(columns, weights))
    : _coincidenceAlpha(columns, weights, level);
}

/**
 * Krippendorff's interval α of complete data, every coder rating every unit:
 * {@linkcode krippendorffAlpha}'s kernel there. With δ² = (c − k)² both disagreements are sums of
 * squares of the items × coders analysis of variance: the pairable values are all kn of them,
 * D_e ∝ SS_total and D_o ∝ SS_within (= SS_coders + SS_error), so
 * α = 1 − (kn − 1) SS_within / ((k − 1) n SS_total).
 *
 * @param moments The weighted means and co-moments of the coders' columns.
 * @returns α, or `NaN` without two values that differ (D_e = 0).
 */
export function _intervalAlpha(moments: _ColumnMoments): number {
  const ss = _sumsOfSquares(moments), { n, k } = ss;
  if (ss.constant || k < 2) return NaN;
  const within = ss.raters + ss.error;
  return 1 - ((k * n - 1) * within) / ((k - 1) * n * (ss.items + within));
}

/** α from the coincidence matrix (Krippendorff 2011), for any level. */
function _coincidenceAlpha(
  columns: readonly Float64Array[],
  weights: Float64Array,
  level: KrippendorffAlphaOptions["level"],
): number {
  const units: { values: number[]; weight: number }[] = [];
  for (let u = 0; u < weights.length; u++) {
    const values = columns.map((c) => c[u]!).filter((v) => !Number.isNaN(v));
    if (values.length >= 2 && weights[u]! > 0) units.push({ values, weight: weights[u]! });
  }
  const values = [...new Set(units.flatMap((u) => u.values))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  // Coincidence matrix o_ck and its marginals n_c.
  const o = new Float64Array(k * k);
  for (const unit of units) {
    const w = unit.weight / (unit.values.length - 1), vs = unit.values;
    for (let i = 0; i < vs.length; i++) {
      const c = index.get(vs[i]!)!;
      for (let j = 0; j < vs.length; j++) {
        if (i !== j) o[c * k + index.get(vs[j]!)!]! += w;
      }
    }
  }
  const marginals = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) marginals[c]! += o[c * k + d]!;
  }
  const n = marginals.reduce((s, v) => s + v, 0);
  const delta = _differences(values, marginals, level);
  let observed = 0, expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      const w = delta[c * k + d]!;
      observed += o[c * k + d]! * w;
      expected += marginals[c]! * marginals[d]! * w;
    }
  }
  // No variation among the pairable values (D_e = 0): no evidence either way.
  if (!(expected > 0)) return NaN;
  return 1 - ((n - 1) * observed) / expected;
}

/**
 * Checks the ratings and turns them into one column per coder, `NaN` for a missing rating.
 *
 * @param ratings Units × raters, with missing ratings.
 * @param level The level of measurement (ratio forbids negative values).
 * @returns The columns.
 * @throws {RangeError} On empty input or a bad rating.
 */
function _coderColumns(
  ratings: readonly (readonly (number | null | undefined)[])[],
  level: KrippendorffAlphaOptions["level"],
): Float64Array[] {
  if (!Array.isArray(ratings as unknown) || ratings.length === 0) {
    throw new RangeError("krippendorffAlpha(): ratings is empty (expected units × raters)");
  }
  const coders = Math.max(...ratings.map((row) => Array.isArray(row) ? row.length : 0));
  const columns = Array.from({ length: coders }, () => new Float64Array(ratings.length).fill(NaN));
  ratings.forEach((row, u) => {
    if (!Array.isArray(row as unknown)) {
      throw new RangeError(`krippendorffAlpha(): ratings[${u}] is not an array of ratings`);
    }
    row.forEach((v, r) => {
      if (v === null || v === undefined) return;
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `krippendorffAlpha(): ratings[${u}][${r}] is ${String(v)}; ` +
            "use a finite number, or null for a missing rating",
        );
      }
      if (level === "ratio" && v < 0) {
        throw new RangeError(
          `krippendorffAlpha(): ratings[${u}][${r}] is ${v}; the ratio level needs values ≥ 0`,
        );
      }
      columns[r]![u] = v;
    });
  });
  return columns;
}

/**
 * The squared difference function δ²(c, k) over the sorted values (Krippendorff 2011, §E).
 *
 * @param values The distinct pairable values, increasing.
 * @param marginals n_c, the number of pairable values equal to each.
 * @param level The level of measurement.
 * @returns A k × k matrix, row-major.
 */
function _differences(
  values: readonly number[],
  marginals: Float64Array,
  level: KrippendorffAlphaOptions["level"],
): Float64Array {
  const k = values.length;
  const delta = new Float64Array(k * k);
  // Cumulative marginals, for the ordinal sums Σ_{g=c..k} n_g.
  const cumulative = new Float64Array(k + 1);
  for (let c = 0; c < k; c++) cumulative[c + 1] = cumulative[c]! + marginals[c]!;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      if (c === d) continue;
      const vc = values[c]!, vd = values[d]!;
      let w: number;
      if (level === "nominal") w = 1;
      else if (level === "interval") w = (vc - vd) ** 2;
      else if (level === "ratio") w = ((vc - vd) / (vc + vd)) ** 2;
      else {
        const lo = Math.min(c, d), hi = Math.max(c, d);
        const between = cumulative[hi + 1]! - cumulative[lo]!;
        w = (between - (marginals[c]! + marginals[d]!) / 2) ** 2;
      }
      delta[c * k + d] = w;
    }
  }
  return delta;
}
