/**
 * The machinery shared by the cluster bootstraps: grouping rows into clusters, drawing seeded
 * resamples of clusters, the jackknife over clusters, and percentile and BCa intervals.
 *
 * @module
 */

import { _normalCdf, _normalQuantile } from "./_distributions.ts";
import { _uniform } from "./_prng.ts";

/**
 * A statistic of a (re)sample of rows. `slots[i]` numbers the drawn cluster that `rows[i]`
 * belongs to (0, 1, …): a cluster drawn twice appears as two slots, so a statistic that groups
 * rows by cluster (e.g. averaging raters per case) can keep the copies apart. Both arrays are
 * reused from one resample to the next: copy them to keep them.
 */
export type BootstrapStatistic<T> = (rows: readonly T[], slots: readonly number[]) => number;

/** Options shared by {@linkcode clusterBootstrap} and {@linkcode pairedClusterBootstrap}. */
export interface ClusterBootstrapOptions<T> {
  /** The cluster of a row: a property name (e.g. `"case_id"`) or a function of the row. */
  cluster: keyof T | ((row: T, index: number) => unknown);
  /** Number of resamples; 2,000 by default (Efron & Tibshirani 1993 suggest ≥ 1,000 for BCa). */
  resamples?: number;
  /** Seed of the random stream; 1 by default, so results are reproducible unless changed. */
  seed?: number;
  /** Confidence level, in (0, 1); 0.95 by default. */
  level?: number;
}

/** A two-sided confidence interval. */
export interface BootstrapInterval {
  /** Lower limit. */
  lower: number;
  /** Upper limit. */
  upper: number;
}

/** A bootstrap estimate with its percentile and BCa intervals. */
export interface BootstrapResult {
  /** The statistic on the full data. */
  estimate: number;
  /** Standard deviation of the finite replicates. */
  standardError: number;
  /** Percentile interval: the α/2 and 1 − α/2 quantiles of the replicates. */
  percentile: BootstrapInterval;
  /** Bias-corrected and accelerated interval (Efron 1987). */
  bca: BootstrapInterval;
  /** BCa's bias correction z₀ = Φ⁻¹(share of replicates below the estimate, ties half). */
  biasCorrection: number;
  /** BCa's acceleration, from the jackknife over clusters. */
  acceleration: number;
  /** The statistic on each resample, in draw order (`NaN` where it was undefined). */
  replicates: Float64Array;
  /** How many replicates were `NaN` (they are left out of the intervals). */
  failed: number;
  /** Number of clusters resampled. */
  clusters: number;
  /** The confidence level used. */
  level: number;
}

/** The raw output of {@linkcode _clusterResample}, one entry per statistic. */
export interface _Resampled {
  estimates: number[];
  replicates: Float64Array[];
  jackknife: Float64Array[];
  clusters: number;
  level: number;
}

/**
 * Checks the options, groups rows by cluster, and evaluates one or two statistics on the full
 * data, on each seeded resample of clusters (the same resamples for both), and on each
 * leave-one-cluster-out sample. The resample arrays are reused between draws (statistics must
 * not keep them).
 *
 * @param fn The public function's name, for messages.
 * @param rows The data.
 * @param statistics One statistic, or two to be compared on the same resamples.
 * @param options Cluster, resamples, seed and level.
 * @returns Estimates, replicates and jackknife values per statistic.
 * @throws {RangeError} On empty rows, a row without a cluster id, or a bad option.
 */
export function _clusterResample<T>(
  fn: string,
  rows: readonly T[],
  statistics:
    | readonly [BootstrapStatistic<T>]
    | readonly [BootstrapStatistic<T>, BootstrapStatistic<T>],
  options: ClusterBootstrapOptions<T>,
): _Resampled {
  if (!Array.isArray(rows as unknown) || rows.length === 0) {
    throw new RangeError(`${fn}(): rows is empty`);
  }
  statistics.forEach((s, i) => {
    if (typeof s !== "function") {
      throw new RangeError(`${fn}(): statistic ${i + 1} is not a function`);
    }
  });
  if (typeof options !== "object" || options === null) {
    throw new RangeError(
      `${fn}(): options with a cluster (property name or function) are required`,
    );
  }
  const resamples = options.resamples ?? 2000;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`${fn}(): options.resamples must be a positive integer, got ${resamples}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) throw new RangeError(`${fn}(): options.seed must be a number`);
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.level must be in (0, 1), got ${String(level)}`);
  }
  const key = options.cluster;
  const clusterOf = typeof key === "function"
    ? key
    : (row: T) => (row as Record<PropertyKey, unknown>)[key as PropertyKey];
  if (typeof key !== "function" && typeof key !== "string" && typeof key !== "number") {
    throw new RangeError(`${fn}(): options.cluster must be a property name or a function`);
  }

  // Clusters in order of first appearance; `slotOfRow` numbers them for the full-data call.
  const index = new Map<unknown, number>();
  const groups: T[][] = [];
  const slotOfRow: number[] = [];
  rows.forEach((row, i) => {
    const id = clusterOf(row, i);
    if (id === undefined || id === null || (typeof id === "number" && Number.isNaN(id))) {
      throw new RangeError(`${fn}(): rows[${i}] has no cluster id (options.cluster gave ${id})`);
    }
    let g = index.get(id);
    if (g === undefined) {
      g = groups.length;
      index.set(id, g);
      groups.push([]);
    }
    groups[g]!.push(row);
    slotOfRow.push(g);
  });
  const m = groups.length;
  const estimates = statistics.map((s) => s(rows, slotOfRow));

  const replicates = statistics.map(() => new Float64Array(resamples));
  const uniform = _uniform(seed);
  const sample: T[] = [], slots: number[] = [];
  const s0 = statistics[0]!, s1 = statistics[1];
  for (let b = 0; b < resamples; b++) {
    let length = 0;
    for (let slot = 0; slot < m; slot++) {
      const group = groups[Math.floor(uniform() * m)]!;
      for (let j = 0; j < group.length; j++) {
        sample[length] = group[j]!;
        slots[length++] = slot;
      }
    }
    sample.length = length;
    slots.length = length;
    replicates[0]![b] = _finite(s0(sample, slots));
    if (s1) replicates[1]![b] = _finite(s1(sample, slots));
  }

  const jackknife = statistics.map(() => new Float64Array(m));
  for (let left = 0; left < m && m > 1; left++) {
    sample.length = 0;
    slots.length = 0;
    for (let g = 0; g < m; g++) {
      if (g === left) continue;
      for (const row of groups[g]!) {
        sample.push(row);
        slots.push(g < left ? g : g - 1);
      }
    }
    statistics.forEach((s, i) => jackknife[i]![left] = _finite(s(sample, slots)));
  }
  return { estimates, replicates, jackknife, clusters: m, level };
}

/**
 * Maps non-finite statistic values (NaN, ±Infinity, non-numbers) to NaN.
 *
 * @param x A statistic's value.
 * @returns `x`, or `NaN`.
 */
function _finite(x: unknown): number {
  return typeof x === "number" && Number.isFinite(x) ? x : NaN;
}

/**
 * Percentile and BCa intervals from replicates and jackknife values (Efron 1987;
 * Efron & Tibshirani 1993, §14.3): with z₀ = Φ⁻¹(#{θ* < θ̂}/B, ties counted half) and
 * a = Σ(θ̄ − θ₍ᵢ₎)³ / (6 [Σ(θ̄ − θ₍ᵢ₎)²]^{3/2}), the BCa limits are the replicate quantiles at
 * Φ(z₀ + (z₀ + z_α)/(1 − a(z₀ + z_α))). Quantiles interpolate linearly between order statistics
 * (numpy's default, which scipy.stats.bootstrap uses).
 *
 * With fewer than two clusters every interval is `NaN`; BCa is `NaN` when every finite
 * replicate lies on one side of the estimate (z₀ infinite) or a jackknife value is `NaN`;
 * a jackknife without spread gives a = 0.
 *
 * @param estimate The full-data statistic.
 * @param replicates The statistic on each resample.
 * @param jackknife The statistic leaving out each cluster in turn.
 * @param clusters Number of clusters.
 * @param level The confidence level.
 * @returns The result.
 */
export function _intervals(
  estimate: number,
  replicates: Float64Array,
  jackknife: Float64Array,
  clusters: number,
  level: number,
): BootstrapResult {
  const finite = replicates.filter((x) => !Number.isNaN(x)).sort();
  const failed = replicates.length - finite.length;
  const none = { lower: NaN, upper: NaN };
  const base = { estimate, replicates, failed, clusters, level };
  const B = finite.length;
  if (clusters < 2 || B === 0 || Number.isNaN(estimate)) {
    return {
      ...base,
      standardError: NaN,
      percentile: none,
      bca: none,
      biasCorrection: NaN,
      acceleration: NaN,
    };
  }
  let mean = 0;
  for (const x of finite) mean += x;
  mean /= B;
  let ss = 0;
  for (const x of finite) ss += (x - mean) ** 2;
  const standardError = B > 1 ? Math.sqrt(ss / (B - 1)) : NaN;
  const alpha = (1 - level) / 2;
  const percentile = { lower: _quantile(finite, alpha), upper: _quantile(finite, 1 - alpha) };

  let below = 0;
  for (const x of finite) below += x < estimate ? 1 : x === estimate ? 0.5 : 0;
  const z0 = _normalQuantile(below / B);
  let jackMean = 0;
  for (const x of jackknife) jackMean += x;
  jackMean /= jackknife.length;
  let num = 0, den = 0;
  for (const x of jackknife) {
    const d = jackMean - x;
    num += d * d * d;
    den += d * d;
  }
  const a = Number.isNaN(jackMean) ? NaN : den > 0 ? num / (6 * den ** 1.5) : 0;
  const adjusted = (z: number) => _normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
  const bca = Number.isFinite(z0) && Number.isFinite(a)
    ? {
      lower: _quantile(finite, adjusted(_normalQuantile(alpha))),
      upper: _quantile(finite, adjusted(_normalQuantile(1 - alpha))),
    }
    : none;
  return { ...base, standardError, percentile, bca, biasCorrection: z0, acceleration: a };
}

/**
 * The p-quantile of sorted values, interpolating linearly between order statistics
 * (Hyndman & Fan type 7).
 *
 * @param sorted Values in increasing order, at least one.
 * @param p The probability, in [0, 1].
 * @returns The quantile, or `NaN` when p is not a probability.
 */
function _quantile(sorted: Float64Array, p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
