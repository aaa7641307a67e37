/**
 * Intraclass correlation coefficients with F-based confidence intervals.
 *
 * @module
 */

import { _fQuantile } from "./_distributions.ts";
import { _checkWeights } from "./_validate.ts";
import {
  type _ColumnMoments,
  _columnMoments,
  type _SumsOfSquares,
  _sumsOfSquares,
} from "./_sums_of_squares.ts";
import type { SampleWeightsOptions } from "./sample_weights.ts";

/** The six ICC forms of Shrout & Fleiss (1979), in psych::ICC's names. */
export type IccForm = "ICC1" | "ICC2" | "ICC3" | "ICC1k" | "ICC2k" | "ICC3k";

/** Options for {@linkcode icc}. */
export interface IccOptions extends SampleWeightsOptions {
  /**
   * Which ICC (Shrout & Fleiss 1979; McGraw & Wong 1996 names in brackets):
   * - `"ICC1"` (1): one-way random; each item rated by a different set of raters.
   * - `"ICC2"` (A,1): two-way random, absolute agreement; raters are a sample, and a rater who
   *   scores everything one point higher counts against agreement.
   * - `"ICC3"` (C,1): two-way mixed, consistency; these raters only, offsets ignored.
   * - `"ICC1k"`, `"ICC2k"`, `"ICC3k"`: the same for the mean of the k raters.
   */
  form: IccForm;
  /** Confidence level of the interval, in (0, 1); 0.95 by default. */
  level?: number;
}

/** An ICC with its confidence interval. */
export interface IccResult {
  /** The point estimate (can be negative when items differ less than raters disagree). */
  value: number;
  /** Lower confidence limit. */
  lower: number;
  /** Upper confidence limit. */
  upper: number;
}

const FORMS: readonly IccForm[] = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];

/**
 * The intraclass correlation of an items × raters matrix, from the two-way ANOVA mean squares
 * (items MS_R, raters MS_C, error MS_E; within-items MS_W for the one-way forms), with
 * F-based confidence limits (Shrout & Fleiss 1979; McGraw & Wong 1996, Tables 4–8):
 *
 * - ICC1 = (MS_R − MS_W) / (MS_R + (k−1) MS_W); ICC1k = (MS_R − MS_W) / MS_R
 * - ICC2 = (MS_R − MS_E) / (MS_R + (k−1) MS_E + k (MS_C − MS_E) / n);
 *   ICC2k = (MS_R − MS_E) / (MS_R + (MS_C − MS_E) / n)
 * - ICC3 = (MS_R − MS_E) / (MS_R + (k−1) MS_E); ICC3k = (MS_R − MS_E) / MS_R
 *
 * The limits for ICC1 and ICC3 invert F = MS_R / MS_W (or MS_R / MS_E) with exact F
 * quantiles; ICC2's use Satterthwaite's approximate degrees of freedom (McGraw & Wong 1996,
 * Table 7), exactly as R's `psych::ICC` computes them, against which this is tested.
 *
 * Undefined (`NaN`) with fewer than 2 items or 2 raters, and when every rating is the same
 * (0/0). A perfect-agreement matrix (MS_E = 0 or MS_W = 0) gives limits of 1 where F is
 * infinite; ICC2's limits are then `NaN` (Satterthwaite's df is 0/0).
 *
 * @param ratings One row per item (e.g. a response), one column per rater, no missing values.
 * @param options The ICC `form`, the confidence `level`, and `sampleWeights` (one per item).
 * @returns `{ value, lower, upper }`.
 * @throws {RangeError} When `ratings` is empty, rows differ in length, a rating is missing or
 * not finite, `form`/`level` is invalid, or a sample weight is bad.
 *
 * @example
 * ```ts
 * import { icc } from "./icc.ts";
 * import assert from "node:assert/strict";
 *
 * // Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges.
 * const ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
 * assert.equal(icc(ratings, { form: "ICC1" }).value.toFixed(2), "0.17");
 * assert.equal(icc(ratings, { form: "ICC2" }).value.toFixed(2), "0.29");
 * assert.equal(icc(ratings, { form: "ICC3k" }).value.toFixed(2), "0.91");
 * ```
 */
export function icc(ratings: readonly (readonly number[])[], options: IccOptions): IccResult {
  const form = options?.form;
  if (!FORMS.includes(form)) {
    throw new RangeError(
      `icc(): options.form must be one of ${FORMS.join(", ")}, got ${JSON.stringify(form)}`,
    );
  }
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`icc(): options.level must be in (0, 1), got ${String(level)}`);
  }
  const columns = _ratingColumns(ratings);
  const given = _checkWeights("icc", options.sampleWeights, ratings.length);
  const weights = given ? Float64Array.from(given) : new Float64Array(ratings.length).fill(1);
  const ss = _sumsOfSquares(_columnMoments(columns, weights));
  const value = _iccValue(ss, form);
  if (Number.isNaN(value)) return { value: NaN, lower: NaN, upper: NaN };
  return { value, ..._iccLimits(ss, form, value, 1 - (1 - level) / 2) };
}

/**
 * The ICC of weighted items: {@linkcode icc}'s kernel (the value; the limits are `_iccLimits`).
 *
 * @param moments The weighted means and co-moments of the raters' columns.
 * @param form The ICC form.
 * @returns The ICC, or `NaN` when undefined.
 */
export function _icc(moments: _ColumnMoments, form: IccForm): number {
  return _iccValue(_sumsOfSquares(moments), form);
}

/** The mean squares of the items × raters analysis. */
function _meanSquares(ss: _SumsOfSquares) {
  const { n, k } = ss;
  return {
    n,
    k,
    msr: ss.items / (n - 1),
    msc: ss.raters / (k - 1),
    mse: ss.error / ((n - 1) * (k - 1)),
    msw: (ss.error + ss.raters) / (n * (k - 1)),
  };
}

/** The ICC of a form; `NaN` when undefined. */
function _iccValue(ss: _SumsOfSquares, form: IccForm): number {
  if (ss.n < 2 || ss.k < 2 || ss.constant) return NaN;
  const { n, k, msr, msc, mse, msw } = _meanSquares(ss);
  switch (form) {
    case "ICC1":
      return (msr - msw) / (msr + (k - 1) * msw);
    case "ICC1k":
      return (msr - msw) / msr;
    case "ICC3":
      return (msr - mse) / (msr + (k - 1) * mse);
    case "ICC3k":
      return (msr - mse) / msr;
    case "ICC2":
      return (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n);
    case "ICC2k":
      return (msr - mse) / (msr + (msc - mse) / n);
  }
}

/**
 * F-based confidence limits of an ICC: ICC1 and ICC3 invert F = MS_R / MS_W (or MS_R / MS_E);
 * ICC2 uses Satterthwaite's degrees of freedom (McGraw & Wong 1996, Table 7).
 *
 * @param ss The sums of squares.
 * @param form The ICC form.
 * @param icc The ICC's value.
 * @param q The upper quantile, (1 + level) / 2.
 * @returns `{ lower, upper }`.
 */
function _iccLimits(
  ss: _SumsOfSquares,
  form: IccForm,
  icc: number,
  q: number,
): { lower: number; upper: number } {
  const { n, k, msr, msc, mse, msw } = _meanSquares(ss);
  // (F − 1) / (F + k − 1) and 1 − 1/F, continued to 1 at F = ∞ (perfect agreement).
  const single = (f: number) => f === Infinity ? 1 : (f - 1) / (f + k - 1);
  const average = (f: number) => 1 - 1 / f;
  if (form !== "ICC2" && form !== "ICC2k") {
    const oneWay = form === "ICC1" || form === "ICC1k";
    const f = msr / (oneWay ? msw : mse), df1 = n - 1, df2 = oneWay ? n * (k - 1) : df1 * (k - 1);
    const fl = f / _fQuantile(q, df1, df2), fu = f * _fQuantile(q, df2, df1);
    const limit = form === "ICC1" || form === "ICC3" ? single : average;
    return { lower: limit(fl), upper: limit(fu) };
  }
  const icc2 = form === "ICC2" ? icc : _iccValue(ss, "ICC2");
  const fj = msc / mse;
  const vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const v = vn / vd;
  const fu = _fQuantile(q, n - 1, v), fl = _fQuantile(q, v, n - 1);
  const lower = (n * (msr - fu * mse)) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr);
  const upper = (n * (fl * msr - mse)) / (k * msc + (k * n - k - n) * mse + n * fl * msr);
  if (form === "ICC2") return { lower, upper };
  const spearmanBrown = (r: number) => (r * k) / (1 + r * (k - 1));
  return { lower: spearmanBrown(lower), upper: spearmanBrown(upper) };
}

/**
 * Checks the matrix and turns it into one column per rater.
 *
 * @param ratings The items × raters matrix.
 * @returns The columns.
 * @throws {RangeError} When the matrix is empty, ragged, or holds a non-finite rating.
 */
function _ratingColumns(ratings: readonly (readonly number[])[]): Float64Array[] {
  if (!Array.isArray(ratings as unknown) || ratings.length === 0) {
    throw new RangeError("icc(): ratings is empty (expected an items × raters matrix)");
  }
  const k = ratings[0]?.length ?? 0;
  if (k === 0) throw new RangeError("icc(): ratings[0] is empty (expected one rating per rater)");
  const columns = Array.from({ length: k }, () => new Float64Array(ratings.length));
  ratings.forEach((row, i) => {
    if (!Array.isArray(row as unknown) || row.length !== k) {
      throw new RangeError(
        `icc(): ratings[${i}] has ${row?.length ?? 0} ratings but ratings[0] has ${k}`,
      );
    }
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(
          `icc(): ratings[${i}][${j}] is ${String(v)}; icc() needs a complete matrix of finite ` +
            "numbers (drop items with missing ratings, or use krippendorffAlpha())",
        );
      }
      columns[j]![i] = v;
    });
  });
  return columns;
}
