/**
 * Seeded cluster bootstrap with percentile and BCa intervals.
 *
 * @module
 */

import {
  _clusterResample,
  _intervals,
  type BootstrapResult,
  type BootstrapStatistic,
  type ClusterBootstrapOptions,
} from "./_bootstrap_core.ts";

export type {
  BootstrapInterval,
  BootstrapResult,
  BootstrapStatistic,
  ClusterBootstrapOptions,
} from "./_bootstrap_core.ts";

/**
 * A bootstrap confidence interval for any statistic of rows, resampling whole CLUSTERS (e.g.
 * `case_id`) with replacement rather than rows: one case has several responses and raters, so
 * its rows are not independent, and a row bootstrap would give intervals that are too narrow.
 *
 * Each of `resamples` (2,000 by default) draws as many clusters as the data have, uniformly
 * with replacement, from a seeded stream (`seed`, 1 by default: the same call gives the same
 * interval). The statistic receives the resampled rows and, for each row, the slot of its drawn
 * cluster, so a cluster drawn twice can be told apart from itself (see {@linkcode BootstrapStatistic}).
 *
 * Returns the percentile interval and the BCa interval (Efron 1987), whose acceleration comes
 * from the jackknife over clusters (one statistic evaluation per cluster left out). Replicates
 * where the statistic is undefined (`NaN`, e.g. κ of a resample with a single category) are
 * counted in `failed` and left out. With fewer than 2 clusters the intervals are `NaN`. To
 * compare two judges or prompts on the same resamples, use {@linkcode pairedClusterBootstrap}.
 *
 * @param rows The data, one row per observation (e.g. a judge–physician pair).
 * @param statistic The statistic of a set of rows.
 * @param options `cluster` (required), `resamples`, `seed`, `level`.
 * @returns The estimate, standard error, percentile and BCa intervals, and the replicates.
 * @throws {RangeError} When `rows` is empty, a row has no cluster id, or an option is invalid.
 *
 * @example
 * ```ts
 * import { clusterBootstrap } from "./cluster_bootstrap.ts";
 * import { meanAbsoluteError } from "./mean_absolute_error.ts";
 * import assert from "node:assert/strict";
 *
 * const rows = [
 *   { case_id: "a", judge: 4, physician: 5 }, { case_id: "a", judge: 3, physician: 3 },
 *   { case_id: "b", judge: 2, physician: 4 }, { case_id: "c", judge: 5, physician: 5 },
 *   { case_id: "c", judge: 0, physician: 2 }, { case_id: "d", judge: 3, physician: 2.5 },
 * ];
 * const mae = clusterBootstrap(
 *   rows,
 *   (s) => meanAbsoluteError(s.map((r) => r.judge), s.map((r) => r.physician)),
 *   { cluster: "case_id", seed: 7 },
 * );
 * assert.equal(mae.clusters, 4);
 * assert.ok(mae.percentile.lower <= mae.estimate && mae.estimate <= mae.percentile.upper);
 * ```
 */
export function clusterBootstrap<T>(
  rows: readonly T[],
  statistic: BootstrapStatistic<T>,
  options: ClusterBootstrapOptions<T>,
): BootstrapResult {
  const r = _clusterResample("clusterBootstrap", rows, [statistic], options);
  return _intervals(r.estimates[0]!, r.replicates[0]!, r.jackknife[0]!, r.clusters, r.level);
}
