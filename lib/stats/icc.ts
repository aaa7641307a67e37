/**
 * Intraclass correlation coefficients with F-based confidence intervals.
 *
 * @module
 */

import { _fQuantile } from "./_distributions.ts";

/** The six ICC forms of Shrout & Fleiss (1979), in psych::ICC's names. */
export type IccForm = "ICC1" | "ICC2" | "ICC3" | "ICC1k" | "ICC2k" | "ICC3k";

/** Options for {@linkcode icc}. */
export interface IccOptions {
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
 * @param options The ICC `form` and the confidence `level`.
 * @returns `{ value, lower, upper }`.
 * @throws {RangeError} When `ratings` is empty, rows differ in length, a rating is missing or
 * not finite, or `form`/`level` is invalid.
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
  const { n, k, msr, msc, mse, msw } = _meanSquares(ratings);
  const none = { value: NaN, lower: NaN, upper: NaN };
  if (n < 2 || k < 2) return none;
  const q = 1 - (1 - level) / 2;
  // (F − 1) / (F + k − 1) and 1 − 1/F, continued to 1 at F = ∞ (perfect agreement).
  const single = (f: number) => f === Infinity ? 1 : (f - 1) / (f + k - 1);
  const average = (f: number) => 1 - 1 / f;

  if (form === "ICC1" || form === "ICC1k") {
    const value = form === "ICC1" ? (msr - msw) / (msr + (k - 1) * msw) : (msr - msw) / msr;
    if (Number.isNaN(value)) return none;
    const f = msr / msw, df1 = n - 1, df2 = n * (k - 1);
    const fl = f / _fQuantile(q, df1, df2), fu = f * _fQuantile(q, df2, df1);
    const limit = form === "ICC1" ? single : average;
    return { value, lower: limit(fl), upper: limit(fu) };
  }
  if (form === "ICC3" || form === "ICC3k") {
    const value = form === "ICC3" ? (msr - mse) / (msr + (k - 1) * mse) : (msr - mse) / msr;
    if (Number.isNaN(value)) return none;
    const f = msr / mse, df1 = n - 1, df2 = (n - 1) * (k - 1);
    const fl = f / _fQuantile(q, df1, df2), fu = f * _fQuantile(q, df2, df1);
    const limit = form === "ICC3" ? single : average;
    return { value, lower: limit(fl), upper: limit(fu) };
  }
  const icc2 = (msr - mse) / (msr + (k - 1) * mse + (k * (msc - mse)) / n);
  if (Number.isNaN(icc2)) return none;
  // Satterthwaite's degrees of freedom for the denominator (McGraw & Wong 1996, Table 7).
  const fj = msc / mse;
  const vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2;
  const v = vn / vd;
  const fu = _fQuantile(q, n - 1, v), fl = _fQuantile(q, v, n - 1);
  const lower = (n * (msr - fu * mse)) / (fu * (k * msc + (k * n - k - n) * mse) + n * msr);
  const upper = (n * (fl * msr - mse)) / (k * msc + (k * n - k - n) * mse + n * fl * msr);
  if (form === "ICC2") return { value: icc2, lower, upper };
  const spearmanBrown = (r: number) => (r * k) / (1 + r * (k - 1));
  return {
    value: (msr - mse) / (msr + (msc - mse) / n),
    lower: spearmanBrown(lower),
    upper: spearmanBrown(upper),
  };
}

/**
 * Checks the matrix and computes the ANOVA mean squares. Sums of squares are formed from
 * residuals directly, not by subtraction, so a perfect matrix gives exactly 0, not −1e-16.
 *
 * @param ratings The items × raters matrix.
 * @returns n items, k raters, and MS_R, MS_C, MS_E, MS_W.
 * @throws {RangeError} When the matrix is empty, ragged, or holds a non-finite rating.
 */
function _meanSquares(ratings: readonly (readonly number[])[]) {
  if (!Array.isArray(ratings as unknown) || ratings.length === 0) {
    throw new RangeError("icc(): ratings is empty (expected an items × raters matrix)");
  }
  const n = ratings.length;
  const k = ratings[0]?.length ?? 0;
  if (k === 0) throw new RangeError("icc(): ratings[0] is empty (expected one rating per rater)");
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
    });
  });
  const rowMeans = ratings.map((row) => row.reduce((s, v) => s + v, 0) / k);
  const columnMeans = Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (const row of ratings) s += row[j]!;
    return s / n;
  });
  const grand = rowMeans.reduce((s, v) => s + v, 0) / n;
  let ssr = 0, ssc = 0, sse = 0, ssw = 0;
  for (const m of rowMeans) ssr += k * (m - grand) ** 2;
  for (const m of columnMeans) ssc += n * (m - grand) ** 2;
  ratings.forEach((row, i) => {
    const rm = rowMeans[i]!;
    row.forEach((v, j) => {
      sse += (v - rm - columnMeans[j]! + grand) ** 2;
      ssw += (v - rm) ** 2;
    });
  });
  return {
    n,
    k,
    msr: ssr / (n - 1),
    msc: ssc / (k - 1),
    mse: sse / ((n - 1) * (k - 1)),
    msw: ssw / (n * (k - 1)),
  };
}
