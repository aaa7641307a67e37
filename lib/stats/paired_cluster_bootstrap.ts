/**
 * Paired cluster bootstrap: two statistics and their difference on the same resamples.
 *
 * @module
 */

import { _clusterResample, _intervals } from "./_bootstrap_core.ts";
import type {
  BootstrapResult,
  BootstrapStatistic,
  ClusterBootstrapOptions,
} from "./cluster_bootstrap.ts";

/** The result of {@linkcode pairedClusterBootstrap}. */
export interface PairedBootstrapResult {
  /** The first statistic. */
  a: BootstrapResult;
  /** The second statistic. */
  b: BootstrapResult;
  /** a − b, resample by resample: its interval is the one to read for "is a better than b?". */
  difference: BootstrapResult;
}

/**
 * Bootstraps two statistics on the SAME cluster resamples and the difference a − b per
 * resample (paired bootstrap), e.g. judge κ − physician-ceiling κ, or prompt A − prompt B on the
 * same cases. Pairing removes the between-case variation the two share, so the difference's
 * interval is narrower than one built from two independent intervals.
 *
 * Everything else is as in {@linkcode clusterBootstrap}: seeded, clusters resampled, percentile
 * and BCa intervals (the difference's BCa acceleration from the jackknife of a − b over
 * clusters). A resample where either statistic is `NaN` gives a `NaN` difference.
 *
 * @param rows The data.
 * @param a The first statistic.
 * @param b The second statistic.
 * @param options `cluster` (required), `resamples`, `seed`, `level`.
 * @returns Results for `a`, `b` and `difference`.
 * @throws {RangeError} When `rows` is empty, a row has no cluster id, or an option is invalid.
 *
 * @example
 * ```ts
 * import { pairedClusterBootstrap } from "./paired_cluster_bootstrap.ts";
 * import assert from "node:assert/strict";
 *
 * const rows = [1, 2, 3, 4, 5, 6].map((i) => ({ case_id: i % 3, x: i, y: i + 1 }));
 * const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
 * const r = pairedClusterBootstrap(
 *   rows,
 *   (s) => mean(s.map((row) => row.y)),
 *   (s) => mean(s.map((row) => row.x)),
 *   { cluster: "case_id", resamples: 500 },
 * );
 * // y is x + 1 on every row: the difference is 1 on every resample, whatever the draw.
 * assert.ok(Math.abs(r.difference.percentile.lower - 1) < 1e-12);
 * assert.ok(Math.abs(r.difference.percentile.upper - 1) < 1e-12);
 * assert.ok(r.a.percentile.upper - r.a.percentile.lower > 1); // each alone varies
 * ```
 */
export function pairedClusterBootstrap<T>(
  rows: readonly T[],
  a: BootstrapStatistic<T>,
  b: BootstrapStatistic<T>,
  options: ClusterBootstrapOptions<T>,
): PairedBootstrapResult {
  const r = _clusterResample("pairedClusterBootstrap", rows, [a, b], options);
  const [ra, rb] = r.replicates as [Float64Array, Float64Array];
  const [ja, jb] = r.jackknife as [Float64Array, Float64Array];
  const [ea, eb] = r.estimates as [number, number];
  return {
    a: _intervals(ea, ra, ja, r.clusters, r.level),
    b: _intervals(eb, rb, jb, r.clusters, r.level),
    difference: _intervals(
      ea - eb,
      ra.map((x, i) => x - rb[i]!),
      ja.map((x, i) => x - jb[i]!),
      r.clusters,
      r.level,
    ),
  };
}
