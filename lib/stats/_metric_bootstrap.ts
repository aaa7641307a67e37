/**
 * The intervals of `agreement()` and `ceiling()`: the jackknife over clusters (cases) and, for
 * the bootstrap methods, seeded resamples of clusters, each as a vector of weights on the
 * registered metrics' kernels (see `README.md`), for one or more tables of pairs that share
 * their items' clusters (so a paired difference uses the same cases). The reported interval is
 * the cluster jackknife-t (`_jackknifeT`) by default, or percentile/BCa from `_intervals()`.
 *
 * @module
 */

import { _intervals, type BootstrapResult } from "./_bootstrap_core.ts";
import { _jackknifeT } from "./_jackknife_t.ts";
import { _uniform } from "./_prng.ts";
import { _evaluator, _METRICS, type MetricName } from "./_metric_registry.ts";
import type { _WeightedPairs } from "./_weighted_pairs.ts";
import { MIN_INTERVAL_CASES } from "./case_count_note.ts";

/** The interval methods: the cluster jackknife-t (the default), or a cluster bootstrap's. */
export type IntervalMethod = "jackknife_t" | "bca" | "percentile";

/** Bootstrap settings, already checked. */
export interface _BootstrapSettings {
  /** Number of resamples. */
  resamples: number;
  /** Seed of the random stream. */
  seed: number;
  /** Confidence level in (0, 1). */
  level: number;
  /** Which interval to report. */
  method: IntervalMethod;
}

/** The metrics of one table: estimates, and per metric the replicates and jackknife values. */
export interface _TableDraws {
  /** The metric on the full data, per metric. */
  estimates: Float64Array;
  /** `replicates[k]`: metric k on each resample (empty without a bootstrap). */
  replicates: Float64Array[];
  /** `jackknife[k]`: metric k leaving out each cluster in turn (empty without a bootstrap). */
  jackknife: Float64Array[];
}

/** One table's (cluster, distinct pair, multiplicity) atoms, grouped by cluster. */
interface _Atoms {
  start: Int32Array;
  pair: Int32Array;
  count: Float64Array;
}

/**
 * Groups a table's items by (cluster, distinct pair): a resample's pair weights are then one
 * multiply-add per atom.
 *
 * @param table The pairs.
 * @param cluster Each item's cluster index, in 0..clusters−1.
 * @param clusters Number of clusters.
 * @returns The atoms, cluster by cluster.
 */
function _atoms(table: _WeightedPairs, cluster: Int32Array, clusters: number): _Atoms {
  const perCluster: Map<number, number>[] = Array.from({ length: clusters }, () => new Map());
  for (let i = 0; i < table.items; i++) {
    const m = perCluster[cluster[i]!]!, t = table.pairOf[i]!;
    m.set(t, (m.get(t) ?? 0) + 1);
  }
  const start = new Int32Array(clusters + 1);
  const pair: number[] = [], count: number[] = [];
  perCluster.forEach((m, c) => {
    for (const [t, k] of m) {
      pair.push(t);
      count.push(k);
    }
    start[c + 1] = pair.length;
  });
  return { start, pair: Int32Array.from(pair), count: Float64Array.from(count) };
}

/**
 * Evaluates every metric of each table on the full data and, with `settings`, on each
 * leave-one-cluster-out sample and (for the bootstrap methods) each seeded resample of
 * clusters. Resample b draws `clusters` cluster indices as `floor(u · clusters)` from
 * `_uniform(seed)`, exactly as `clusterBootstrap()` does, so clusters numbered by first
 * appearance in the same rows give the same resamples.
 *
 * @param tables Pair tables over the same items (item i of each is in `cluster[i]`).
 * @param cluster Each item's cluster index, in 0..clusters−1.
 * @param clusters Number of clusters.
 * @param metrics The metrics.
 * @param settings Resamples, seed, level, method; `false` for estimates only.
 * @returns One result per table.
 */
export function _drawTables(
  tables: readonly _WeightedPairs[],
  cluster: Int32Array,
  clusters: number,
  metrics: readonly MetricName[],
  settings: _BootstrapSettings | false,
): _TableDraws[] {
  const K = metrics.length, evaluate = _evaluator(metrics);
  const atoms = tables.map((t) => _atoms(t, cluster, clusters));
  const weights = tables.map((t) => new Float64Array(t.size));
  const full = tables.map((t) => new Float64Array(t.size));
  const out = new Float64Array(K);
  const results: _TableDraws[] = tables.map((table, x) => {
    const a = atoms[x]!;
    for (let q = 0; q < a.pair.length; q++) full[x]![a.pair[q]!]! += a.count[q]!;
    const estimates = new Float64Array(K);
    table.setWeights(full[x]!);
    evaluate(table, estimates);
    return { estimates, replicates: [], jackknife: [] };
  });
  if (settings === false) return results;
  const resamples = settings.method === "jackknife_t" ? 0 : settings.resamples;
  for (const r of results) {
    r.replicates = metrics.map(() => new Float64Array(resamples));
    r.jackknife = metrics.map(() => new Float64Array(clusters));
  }
  const drawn = new Float64Array(clusters);
  const uniform = _uniform(settings.seed);
  for (let b = 0; b < resamples; b++) {
    drawn.fill(0);
    for (let slot = 0; slot < clusters; slot++) drawn[Math.floor(uniform() * clusters)]!++;
    tables.forEach((table, x) => {
      const a = atoms[x]!, w = weights[x]!;
      w.fill(0);
      for (let c = 0; c < clusters; c++) {
        const times = drawn[c]!;
        if (times === 0) continue;
        for (let q = a.start[c]!; q < a.start[c + 1]!; q++) w[a.pair[q]!]! += times * a.count[q]!;
      }
      table.setWeights(w);
      evaluate(table, out);
      const rep = results[x]!.replicates;
      for (let k = 0; k < K; k++) rep[k]![b] = out[k]!;
    });
  }
  if (clusters > 1) {
    tables.forEach((table, x) => {
      const a = atoms[x]!, w = weights[x]!, jack = results[x]!.jackknife;
      w.set(full[x]!);
      for (let c = 0; c < clusters; c++) {
        for (let q = a.start[c]!; q < a.start[c + 1]!; q++) w[a.pair[q]!]! -= a.count[q]!;
        table.setWeights(w);
        evaluate(table, out);
        for (let k = 0; k < K; k++) jack[k]![c] = out[k]!;
        for (let q = a.start[c]!; q < a.start[c + 1]!; q++) w[a.pair[q]!]! += a.count[q]!;
      }
    });
  }
  return results;
}

/**
 * The interval of metric k of a table's draws (or of a difference of two tables' draws on the
 * same resamples).
 *
 * @param draws The table's draws, or `[a, b]` for a − b.
 * @param k The metric's position.
 * @param clusters Number of clusters.
 * @param settings The bootstrap settings.
 * @returns `_intervals()`'s result.
 */
export function _metricInterval(
  draws: _TableDraws | readonly [_TableDraws, _TableDraws],
  k: number,
  clusters: number,
  settings: _BootstrapSettings,
): BootstrapResult {
  if (!Array.isArray(draws)) {
    const d = draws as _TableDraws;
    return _intervals(d.estimates[k]!, d.replicates[k]!, d.jackknife[k]!, clusters, settings.level);
  }
  const [a, b] = draws as readonly [_TableDraws, _TableDraws];
  const minus = (x: Float64Array, y: Float64Array) => x.map((v, i) => v - y[i]!);
  return _intervals(
    a.estimates[k]! - b.estimates[k]!,
    minus(a.replicates[k]!, b.replicates[k]!),
    minus(a.jackknife[k]!, b.jackknife[k]!),
    clusters,
    settings.level,
  );
}

/**
 * The reported interval of metric k: `NaN` limits with fewer than `minCases` clusters; else the
 * cluster jackknife-t on the metric's scale (its `intervalScale`; a paired difference on its own
 * scale, since it may be of either sign), or the bootstrap's percentile or BCa interval.
 *
 * @param draws The table's draws, or `[a, b]` for a − b.
 * @param k The metric's position.
 * @param metric The metric's name.
 * @param clusters Number of clusters.
 * @param settings The interval settings.
 * @param minCases The fewest clusters an interval is given for.
 * @returns `{ lower, upper }`.
 */
export function _reportInterval(
  draws: _TableDraws | readonly [_TableDraws, _TableDraws],
  k: number,
  metric: MetricName,
  clusters: number,
  settings: _BootstrapSettings,
  minCases = MIN_INTERVAL_CASES,
): { lower: number; upper: number } {
  if (clusters < minCases) return { lower: NaN, upper: NaN };
  if (settings.method !== "jackknife_t") {
    const result = _metricInterval(draws, k, clusters, settings);
    return settings.method === "bca" ? result.bca : result.percentile;
  }
  if (!Array.isArray(draws)) {
    const d = draws as _TableDraws;
    const scale = _METRICS[metric].intervalScale;
    const { lower, upper } = _jackknifeT(d.estimates[k]!, d.jackknife[k]!, settings.level, scale);
    return { lower, upper };
  }
  const [a, b] = draws as readonly [_TableDraws, _TableDraws];
  const jackknife = a.jackknife[k]!.map((v, c) => v - b.jackknife[k]![c]!);
  const r = _jackknifeT(a.estimates[k]! - b.estimates[k]!, jackknife, settings.level);
  return { lower: r.lower, upper: r.upper };
}

/**
 * Checks the `bootstrap` option of `agreement()` / `ceiling()`.
 *
 * @param fn The public function, for messages.
 * @param option The option as given.
 * @returns The settings, or `false`.
 * @throws {RangeError} On a bad resample count, seed, level or method.
 */
export function _bootstrapSettings(
  fn: string,
  option: false | Partial<_BootstrapSettings> | undefined,
): _BootstrapSettings | false {
  if (option === false) return false;
  const o = option ?? {};
  if (typeof o !== "object" || o === null) {
    throw new RangeError(`${fn}(): options.bootstrap must be an object or false`);
  }
  const resamples = o.resamples ?? 2000, seed = o.seed ?? 1, level = o.level ?? 0.95;
  const method = o.method ?? "jackknife_t";
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(
      `${fn}(): options.bootstrap.resamples must be a positive integer, got ${resamples}`,
    );
  }
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new RangeError(`${fn}(): options.bootstrap.seed must be a number, got ${seed}`);
  }
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.bootstrap.level must be in (0, 1), got ${level}`);
  }
  if (method !== "jackknife_t" && method !== "bca" && method !== "percentile") {
    throw new RangeError(
      `${fn}(): options.bootstrap.method must be "jackknife_t", "bca" or "percentile", got ${
        JSON.stringify(method)
      }`,
    );
  }
  return { resamples, seed, level, method };
}
