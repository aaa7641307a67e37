/**
 * Prediction-powered inference (PPI, PPI++) for a mean: what mean PHYSICIAN grade a model's
 * responses would get, from the judge's scores on all of them and physician grades on a small
 * random subset.
 *
 * The judge alone is biased (it is not a physician); the physicians alone are few. PPI uses the
 * judge on every response and lets the physician-graded subset measure and remove the judge's
 * bias: the estimate is the judge's mean on the ungraded responses plus the mean "rectifier"
 * Y − f on the graded ones (Angelopoulos, Bates, Fannjiang, Jordan & Zrnic, "Prediction-powered
 * inference", Science 2023). PPI++ (Angelopoulos, Duchi & Zrnic 2023, arXiv 2311.01453) scales
 * the judge by a power-tuning weight λ, chosen from the data to minimise the variance, so that a
 * poor judge never makes the interval wider than the physicians' own (λ = 0 IS the physicians'
 * mean).
 *
 * @module
 */

import { _normalQuantile, _tQuantile } from "./_distributions.ts";
import { _checkVector } from "./_validate.ts";

/** The physician-graded responses: the judge's score and the physician grade of each. */
export interface PpiLabeled {
  /** The judge's score of each graded response. */
  judge: readonly number[];
  /** The physician grade of each, in the same order. */
  physician: readonly number[];
  /** Each response's case (cluster); give it here and for `unlabeled`, or for neither. */
  clusters?: readonly string[];
}

/** The responses the physicians did not grade: the judge's score of each. */
export interface PpiUnlabeled {
  /** The judge's score of each ungraded response. */
  judge: readonly number[];
  /** Each response's case, from the same set of case ids as `labeled.clusters`. */
  clusters?: readonly string[];
}

/** Options for {@linkcode ppiMean}. */
export interface PpiMeanOptions {
  /** Confidence level of the intervals, in (0, 1); 0.95 by default. */
  level?: number;
  /**
   * The judge's weight λ: `"tuned"` (the default, the PPI++ choice clipped to [0, 1]) or any
   * finite number, used as given (0 = physicians only, 1 = classic PPI).
   */
  lambda?: "tuned" | number;
}

/** An estimate with its confidence interval. */
export interface PpiInterval {
  /** The point estimate. */
  estimate: number;
  /** Lower confidence limit (`NaN` when undefined, see {@linkcode ppiMean}). */
  lower: number;
  /** Upper confidence limit. */
  upper: number;
}

/** The result of {@linkcode ppiMean}. */
export interface PpiMeanResult extends PpiInterval {
  /** The estimate's standard error. */
  standardError: number;
  /** The weight λ used. */
  lambda: number;
  /** The physicians' own mean and interval, from the graded responses alone. */
  physicianOnly: PpiInterval;
}

/**
 * The mean physician grade of a model's responses by prediction-powered inference (PPI++).
 *
 * Write f for judge scores, Y for physician grades, n for the graded (labeled) responses, N for
 * the others, and f_all for all n + N judge scores.
 *
 * - λ (tuned) = cov_n(Y, f_lab) / ((1 + n/N) · var(f_all)), clipped to [0, 1], where cov_n
 *   divides by n and var by n + N − 1 (Angelopoulos, Duchi & Zrnic 2023, the variance-optimal
 *   λ for a mean). A constant judge (var(f_all) = 0) carries no information: λ = 0.
 * - estimate = mean(λ·f_unl) + mean(Y − λ·f_lab): the judge's mean, rectified by the graded
 *   responses. It is unbiased for any FIXED λ, since both terms estimate λ·E f.
 * - Without clusters: SE² = sd₀(λ·f_unl)²/N + sd₀(Y − λ·f_lab)²/n (sd₀ divides by the count)
 *   and the interval is estimate ± z·SE, z the normal quantile at `level`. This is PPI++
 *   exactly, and `ppi_py`'s `ppi_mean_ci` with `lam=None`.
 * - `physicianOnly` = mean(Y) ± z·sd₀(Y)/√n: the same formula at λ = 0.
 *
 * With clusters (cases), responses to one case share the case's difficulty and the judge's bias
 * on it, so responses are not independent, and the estimand is the mean physician grade over NEW
 * cases (cases drawn at random from the population the observed ones come from, responses at
 * random within a case; each case weighs by its share of the responses, equally when every case
 * has as many). The standard error is then cluster-robust (Liang & Zeger 1986): each case g
 * gets the sum of its contributions to the estimator's influence function from BOTH terms,
 * ψ_g = (λ/N)·Σ_{unlabeled in g}(f − mean f_unl) + (1/n)·Σ_{labeled in g}(r − mean r) with
 * r = Y − λf, since a case appears in both and its two errors are correlated (its judge bias
 * cancels between them); SE² = G/(G − 1) · Σ_g ψ_g², G = the distinct cases, and the interval
 * uses Student's t with G − 1 degrees of freedom (the few-cluster correction of Cameron, Gelbach
 * & Miller 2008). `physicianOnly` is the same with λ = 0 over the graded responses' cases. The
 * between-case part of the variance is the physicians' to measure: the judge cannot shrink it,
 * so with few cases PPI saves little width. λ is the tuned formula above either way.
 *
 * Intervals are `NaN` (the estimate is kept) when they cannot be estimated: fewer than 2 graded
 * responses (one grade has no spread), and for `physicianOnly` with clusters, graded responses
 * from fewer than 2 cases.
 *
 * @param labeled Judge scores, physician grades and (optionally) cases of the graded responses.
 * @param unlabeled Judge scores and (optionally) cases of the ungraded responses.
 * @param options `level` and `lambda`.
 * @returns The estimate, interval, standard error, λ, and the physicians-only interval.
 * @throws {RangeError} When a vector is empty (n = 0 or N = 0) or holds a value that is not
 *   finite, lengths differ, clusters are given for one side only or are not strings, there are
 *   clusters but fewer than 2 distinct cases, `level` is not in (0, 1), or `lambda` is neither
 *   `"tuned"` nor a finite number.
 *
 * @example
 * ```ts
 * import { ppiMean } from "./ppi_mean.ts";
 * import assert from "node:assert/strict";
 *
 * // The judge scores one point high on every response; the physicians graded four.
 * const labeled = { judge: [3, 4, 5, 4], physician: [2, 3, 4, 3] };
 * const unlabeled = { judge: [5, 3, 4, 4, 2, 5, 3, 4] };
 * const result = ppiMean(labeled, unlabeled, { lambda: 1 });
 * assert.equal(result.estimate, 2.75); // the judge's mean (3.75) minus its bias (1)
 * assert.ok(result.upper - result.lower < result.physicianOnly.upper - result.physicianOnly.lower);
 * ```
 */
export function ppiMean(
  labeled: PpiLabeled,
  unlabeled: PpiUnlabeled,
  options: PpiMeanOptions = {},
): PpiMeanResult {
  const { level, fixed } = _checkInput(labeled, unlabeled, options);
  const f = labeled.judge, y = labeled.physician, u = unlabeled.judge;
  const n = f.length, N = u.length;
  const lambda = fixed ?? _tunedLambda(y, f, u);
  const meanU = _mean(u);
  const r = f.map((fi, i) => y[i]! - lambda * fi);
  const meanR = _mean(r);
  const meanY = _mean(y);
  const estimate = lambda * meanU + meanR;
  let variance: number, quantile: number;
  let physicianVariance: number, physicianQuantile: number;
  const upper = (1 + level) / 2;
  if (labeled.clusters === undefined || unlabeled.clusters === undefined) {
    variance = lambda * lambda * _meanSquare(u, meanU) / N + _meanSquare(r, meanR) / n;
    physicianVariance = _meanSquare(y, meanY) / n;
    quantile = physicianQuantile = _normalQuantile(upper);
  } else {
    const index = new Map<string, number>();
    const caseOf = (id: string) => {
      let g = index.get(id);
      if (g === undefined) index.set(id, g = index.size);
      return g;
    };
    const labeledCases = labeled.clusters.map(caseOf);
    const psiY = _clusterSums(labeledCases, y, meanY, 1 / n, index.size);
    const gLabeled = index.size;
    const unlabeledCases = unlabeled.clusters.map(caseOf);
    const G = index.size;
    if (G < 2) {
      throw new RangeError(
        `ppiMean(): the clusters name ${G} case; a clustered interval needs at least 2`,
      );
    }
    const psi = _clusterSums(labeledCases, r, meanR, 1 / n, G);
    const psiU = _clusterSums(unlabeledCases, u, meanU, lambda / N, G);
    variance = 0;
    for (let g = 0; g < G; g++) variance += (psi[g]! + psiU[g]!) ** 2;
    variance *= G / (G - 1);
    quantile = _tQuantile(upper, G - 1);
    physicianVariance = 0;
    for (let g = 0; g < gLabeled; g++) physicianVariance += psiY[g]! ** 2;
    // One graded case has no between-case spread to measure: no interval.
    physicianVariance = gLabeled < 2 ? NaN : physicianVariance * gLabeled / (gLabeled - 1);
    physicianQuantile = _tQuantile(upper, gLabeled - 1);
  }
  const defined = n >= 2;
  const standardError = defined ? Math.sqrt(variance) : NaN;
  const physicianSe = defined ? Math.sqrt(physicianVariance) : NaN;
  return {
    estimate,
    lower: estimate - quantile * standardError,
    upper: estimate + quantile * standardError,
    standardError,
    lambda,
    physicianOnly: {
      estimate: meanY,
      lower: meanY - physicianQuantile * physicianSe,
      upper: meanY + physicianQuantile * physicianSe,
    },
  };
}

/**
 * Checks `ppiMean()`'s arguments.
 *
 * @param labeled The graded responses.
 * @param unlabeled The ungraded responses.
 * @param options The options.
 * @returns The level and the fixed λ (undefined when tuned).
 * @throws {RangeError} On any bad input (see {@linkcode ppiMean}).
 */
function _checkInput(
  labeled: PpiLabeled,
  unlabeled: PpiUnlabeled,
  options: PpiMeanOptions,
): { level: number; fixed: number | undefined } {
  const fn = "ppiMean";
  if (typeof labeled !== "object" || labeled === null) {
    throw new RangeError(`${fn}(): labeled must be { judge, physician, clusters? }`);
  }
  if (typeof unlabeled !== "object" || unlabeled === null) {
    throw new RangeError(`${fn}(): unlabeled must be { judge, clusters? }`);
  }
  _checkVector(fn, "labeled.judge", labeled.judge);
  _checkVector(fn, "labeled.physician", labeled.physician);
  _checkVector(fn, "unlabeled.judge", unlabeled.judge);
  const n = labeled.judge.length;
  if (labeled.physician.length !== n) {
    throw new RangeError(
      `${fn}(): labeled.judge has ${n} values but labeled.physician has ${labeled.physician.length}`,
    );
  }
  if ((labeled.clusters === undefined) !== (unlabeled.clusters === undefined)) {
    throw new RangeError(
      `${fn}(): give clusters for both labeled and unlabeled, or for neither (` +
        `${labeled.clusters === undefined ? "labeled" : "unlabeled"}.clusters is missing)`,
    );
  }
  _checkClusters(fn, "labeled", labeled.clusters, n);
  _checkClusters(fn, "unlabeled", unlabeled.clusters, unlabeled.judge.length);
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.level must be in (0, 1), got ${String(level)}`);
  }
  const lambda = options.lambda ?? "tuned";
  if (lambda !== "tuned" && (typeof lambda !== "number" || !Number.isFinite(lambda))) {
    throw new RangeError(
      `${fn}(): options.lambda must be "tuned" or a finite number, got ${JSON.stringify(lambda)}`,
    );
  }
  return { level, fixed: lambda === "tuned" ? undefined : lambda };
}

/**
 * Checks one side's cluster ids.
 *
 * @param fn The public function, for messages.
 * @param side `"labeled"` or `"unlabeled"`.
 * @param clusters The ids, or undefined.
 * @param length The side's number of responses.
 * @throws {RangeError} When they are not an array of strings of that length.
 */
function _checkClusters(
  fn: string,
  side: string,
  clusters: readonly string[] | undefined,
  length: number,
): void {
  if (clusters === undefined) return;
  if (!Array.isArray(clusters)) throw new RangeError(`${fn}(): ${side}.clusters must be an array`);
  if (clusters.length !== length) {
    throw new RangeError(
      `${fn}(): ${side}.judge has ${length} values but ${side}.clusters has ${clusters.length}`,
    );
  }
  const bad = clusters.findIndex((c) => typeof c !== "string");
  if (bad >= 0) {
    throw new RangeError(
      `${fn}(): ${side}.clusters[${bad}] is ${String(clusters[bad])}, not a string case id`,
    );
  }
}

/**
 * The PPI++ power-tuning weight for a mean: cov_n(Y, f_lab) / ((1 + n/N) · var(f_all)),
 * clipped to [0, 1]; 0 when the judge is constant.
 *
 * @param y Physician grades.
 * @param f Judge scores of the graded responses.
 * @param u Judge scores of the others.
 * @returns λ.
 */
function _tunedLambda(y: readonly number[], f: readonly number[], u: readonly number[]): number {
  const n = f.length, N = u.length;
  const meanY = _mean(y), meanF = _mean(f);
  let cov = 0;
  for (let i = 0; i < n; i++) cov += (y[i]! - meanY) * (f[i]! - meanF);
  cov /= n;
  const meanAll = (meanF * n + _mean(u) * N) / (n + N);
  const variance = (_sumSquares(f, meanAll) + _sumSquares(u, meanAll)) / (n + N - 1);
  if (!(variance > 0)) return 0;
  const lambda = cov / ((1 + n / N) * variance);
  return Math.min(1, Math.max(0, lambda));
}

/**
 * Each cluster's sum of weight · (x − center).
 *
 * @param cases Each value's cluster index.
 * @param x The values.
 * @param center Subtracted from each.
 * @param weight Multiplies each.
 * @param count The number of clusters.
 * @returns The sums, by cluster index.
 */
function _clusterSums(
  cases: readonly number[],
  x: readonly number[],
  center: number,
  weight: number,
  count: number,
): Float64Array {
  const sums = new Float64Array(count);
  for (let i = 0; i < x.length; i++) sums[cases[i]!]! += weight * (x[i]! - center);
  return sums;
}

function _mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function _sumSquares(x: readonly number[], center: number): number {
  let s = 0;
  for (const v of x) s += (v - center) ** 2;
  return s;
}

/** The variance dividing by the count, sd₀². */
function _meanSquare(x: readonly number[], center: number): number {
  return _sumSquares(x, center) / x.length;
}
