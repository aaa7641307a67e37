/**
 * `agreement()`: every judge–physician agreement metric per judge and task, with cluster
 * bootstrap intervals, as one tidy frame.
 *
 * @module
 */

import pl from "nodejs-polars";
import { _PairTable, type MetricName, POINTS_ONLY_METRICS } from "./_weighted_metrics.ts";
import { _bootstrapSettings, _chosen, _drawTables, _metricInterval } from "./_metric_bootstrap.ts";
import {
  _checkFrame,
  _clusterIndex,
  _metricList,
  _num,
  _RepeatScores,
  _repeatsOption,
  _values,
} from "./_report_input.ts";

export { METRIC_DIRECTION, METRIC_NAMES, type MetricName } from "./_weighted_metrics.ts";

/** The judge name of the constant baseline's rows. */
export const CONSTANT_BASELINE = "constant (mode)";

/** The `bootstrap` option of {@linkcode agreement} and `ceiling()`. */
export interface ReportBootstrapOptions {
  /** Number of cluster resamples; 2,000 by default. */
  resamples?: number;
  /** Seed of the random stream; 1 by default. */
  seed?: number;
  /** `"bca"` (the default) or `"percentile"`. */
  method?: "bca" | "percentile";
  /** Confidence level, in (0, 1); 0.95 by default. */
  level?: number;
}

/** Options for {@linkcode agreement}. */
export interface AgreementOptions {
  /**
   * Grouping columns of the trials; `["judge", "task"]` by default. Extra columns such as
   * `"study"` or `"model"` split further. Without `"task"` the tasks are pooled on the share
   * scale (`grade / max_score`) and `task` reads `"all"`; without `"judge"`, `judge` reads
   * `"all"` and every judge's judgement of an entry is its own pair.
   */
  by?: readonly string[];
  /** Metric names (see `METRIC_NAMES`); every one by default. */
  metrics?: readonly MetricName[];
  /** Bootstrap settings (clusters = `case_id`), or `false` for estimates only. */
  bootstrap?: ReportBootstrapOptions | false;
  /** A judge's repeats of an entry: their `"mean"` (the default) or the `"first"` scored one. */
  repeats?: "mean" | "first";
  /** Add the constant-predictor baseline's rows (judge `CONSTANT_BASELINE`); true by default. */
  baselines?: boolean;
}

/** One group's pairs as read from the trials. */
interface _Group {
  values: unknown[];
  judgements: number;
  failed: number;
  items: Map<string, { scores: _RepeatScores; grade: number; max: number; caseId: unknown }>;
}

/**
 * Agreement between judges and physicians, one row per group (judge × task by default) and
 * metric, with cluster-bootstrap confidence intervals.
 *
 * The physician reference is `grade` (the consensus or mean score). Only SCORED judgements with
 * a finite grade enter the metrics; a judge's repeats of an entry are averaged (or the first
 * scored one is taken, `repeats: "first"`), so an entry is one pair. Failed judgements are
 * counted in `failed` and `failure_rate`, never scored as 0 or anything else.
 *
 * Metrics, with the direction that is better (`METRIC_DIRECTION`):
 * - `pearson`, `spearman` (midranks), `kendall_tau_b` — higher is better; `NaN` when either
 *   side is constant (as for the constant baseline: it has no correlation to show).
 * - `mae`, `rmse` — in the task's points; `mae_share` = mean |j − p| / max_score. Lower is better.
 * - `bias` = mean(judge − physician): closer to 0 is better (positive = lenient judge).
 * - `exact`, `within_one` (shares of pairs) — higher is better.
 * - `kappa`, `kappa_linear`, `kappa_quadratic`: Cohen's κ with categories = the observed score
 *   VALUES (Bond's half points included), weights from value differences — higher is better.
 * - `icc_a1` (ICC(A,1) = ICC2, absolute agreement, raters judge and physician), `lin_ccc`,
 *   `krippendorff_interval` (two coders, interval level) — higher is better.
 *
 * On the pooled share scale (no `"task"` in `by`) the metrics that need points (`exact`,
 * `within_one`, the κs) are left out, and `mae` equals `mae_share`.
 *
 * Intervals: a seeded cluster bootstrap over `case_id` (one case has several responses, so
 * rows are not independent), BCa by default (percentile with `method: "percentile"`), the
 * acceleration from the jackknife over clusters; the same draws as `clusterBootstrap()`.
 *
 * The baseline (`baselines: true`, judge `CONSTANT_BASELINE`): every entry gets its task's most
 * common physician grade (the smallest on a tie). It is IN-SAMPLE (the mode is taken from the
 * very grades it is scored against), so it flatters the baseline slightly: a judge that does
 * not beat it on MAE or κ has not earned trust. It is added only when `by` has `"judge"`, over
 * the distinct entries of the trials that have a grade.
 *
 * Columns, in order: `task`, `judge`, any other `by` columns, `metric`, `estimate`, `lower`,
 * `upper` (null without a bootstrap), `n` (scored pairs used), `n_cases` (clusters),
 * `judgements` (all judgements of the group, every repeat, failed ones included), `failed`,
 * `failure_rate`, `scale` (`"points"` or `"share"`). A group without a scored pair keeps its
 * rows, with `NaN` estimates and n = 0, so its failures stay visible.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`: columns `task`,
 *   `entry_id`, `status`, `score`, `grade`, `max_score`, `case_id`, the `by` columns, and
 *   `repeat` for `repeats: "first"`.
 * @param options `by`, `metrics`, `bootstrap`, `repeats`, `baselines`.
 * @returns The tidy frame, one row per group and metric.
 * @throws {RangeError} On an empty frame, a missing column, an unknown metric or option value,
 *   or a scored pair without a `case_id`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { agreement } from "./agreement.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j", "j"],
 *   task: Array(4).fill("cpc_management"),
 *   entry_id: ["a", "b", "c", "d"],
 *   status: ["scored", "scored", "scored", "failed"],
 *   score: [2, 1, 0, null],
 *   grade: [2, 2, 0, 1],
 *   max_score: [2, 2, 2, 2],
 *   case_id: ["x", "y", "z", "z"],
 * });
 * const mae = agreement(trials, { metrics: ["mae"], bootstrap: false, baselines: false });
 * const row = mae.toRecords()[0]!;
 * assert.equal(row.estimate, 1 / 3);
 * assert.equal(row.n, 3);
 * assert.equal(row.failure_rate, 0.25);
 * ```
 */
export function agreement(trials: pl.DataFrame, options: AgreementOptions = {}): pl.DataFrame {
  const fn = "agreement";
  const by = [...(options.by ?? ["judge", "task"])];
  if (!by.every((c) => typeof c === "string") || new Set(by).size !== by.length) {
    throw new RangeError(`${fn}(): options.by must be distinct column names`);
  }
  const repeats = _repeatsOption(fn, options.repeats);
  const settings = _bootstrapSettings(fn, options.bootstrap);
  const pooled = !by.includes("task");
  let metrics = _metricList(fn, options.metrics);
  if (pooled) metrics = metrics.filter((m) => !POINTS_ONLY_METRICS.includes(m));
  const needed = ["task", "entry_id", "status", "score", "grade", "max_score", "case_id", ...by];
  if (repeats === "first") needed.push("repeat");
  _checkFrame(fn, "trials", trials, [...new Set(needed)]);

  const col = (name: string) => _values(trials, name);
  const task = col("task"), entry = col("entry_id"), status = col("status");
  const score = col("score"), grade = col("grade"), max = col("max_score");
  const caseId = col("case_id");
  const judge = trials.columns.includes("judge") ? col("judge") : undefined;
  const repeat = trials.columns.includes("repeat") ? col("repeat") : undefined;
  const byColumns = by.map((c) => col(c));
  const extras = by.filter((c) => c !== "task" && c !== "judge");

  const groups = new Map<string, _Group>();
  const add = (
    values: unknown[],
    itemKey: string,
    st: unknown,
    sc: number,
    rep: number,
    g: number,
    m: number,
    cid: unknown,
  ) => {
    const key = JSON.stringify(values);
    let group = groups.get(key);
    if (!group) groups.set(key, group = { values, judgements: 0, failed: 0, items: new Map() });
    group.judgements++;
    if (st === "failed") group.failed++;
    let item = group.items.get(itemKey);
    if (!item) {
      group.items.set(
        itemKey,
        item = { scores: new _RepeatScores(), grade: g, max: m, caseId: cid },
      );
    }
    if (st === "scored" && Number.isFinite(sc)) item.scores.add(sc, rep);
  };
  for (let i = 0; i < trials.height; i++) {
    const itemKey = JSON.stringify([judge?.[i] ?? null, task[i], entry[i]]);
    add(
      byColumns.map((c) => c[i] ?? null),
      itemKey,
      status[i],
      _num(score[i]),
      _num(repeat?.[i] ?? 0),
      _num(grade[i]),
      _num(max[i]),
      caseId[i],
    );
  }

  if ((options.baselines ?? true) && by.includes("judge")) {
    // The task's most common grade over its distinct entries (in-sample, see the doc).
    const entries = new Map<string, number>();
    for (let i = 0; i < trials.height; i++) {
      const g = _num(grade[i]);
      const k = JSON.stringify([task[i], entry[i]]);
      if (Number.isFinite(g) && !entries.has(k)) entries.set(k, i);
    }
    const counts = new Map<unknown, Map<number, number>>();
    for (const i of entries.values()) {
      let c = counts.get(task[i]);
      if (!c) counts.set(task[i], c = new Map());
      c.set(_num(grade[i]), (c.get(_num(grade[i])) ?? 0) + 1);
    }
    const mode = new Map<unknown, number>();
    for (const [t, c] of counts) {
      let best = NaN, most = -1;
      for (const [v, k] of c) if (k > most || (k === most && v < best)) (best = v, most = k);
      mode.set(t, best);
    }
    const judgeAt = by.indexOf("judge");
    for (const i of entries.values()) {
      const values = byColumns.map((c) => c[i] ?? null);
      values[judgeAt] = CONSTANT_BASELINE;
      add(
        values,
        JSON.stringify([CONSTANT_BASELINE, task[i], entry[i]]),
        "scored",
        mode.get(task[i])!,
        0,
        _num(grade[i]),
        _num(max[i]),
        caseId[i],
      );
    }
  }

  const taskAt = by.indexOf("task"), judgeAt = by.indexOf("judge");
  const label = (g: _Group, at: number) => at < 0 ? "all" : String(g.values[at] ?? "");
  const ordered = [...groups.values()].sort((a, b) =>
    _compare(label(a, taskAt), label(b, taskAt)) ||
    Number(label(a, judgeAt) === CONSTANT_BASELINE) -
      Number(label(b, judgeAt) === CONSTANT_BASELINE) ||
    _compare(label(a, judgeAt), label(b, judgeAt)) ||
    _compare(JSON.stringify(a.values), JSON.stringify(b.values))
  );

  const out: Record<string, unknown[]> = {
    task: [],
    judge: [],
    ...Object.fromEntries(extras.map((c) => [c, []])),
    metric: [],
    estimate: [],
    lower: [],
    upper: [],
    n: [],
    n_cases: [],
    judgements: [],
    failed: [],
    failure_rate: [],
    scale: [],
  };
  for (const group of ordered) {
    const js: number[] = [], ps: number[] = [], ms: number[] = [], cases: string[] = [];
    for (const [key, item] of group.items) {
      const s = item.scores.score(repeats);
      if (!Number.isFinite(s) || !Number.isFinite(item.grade)) continue;
      if (!(item.max > 0)) {
        throw new RangeError(`${fn}(): max_score of ${key} is ${item.max}, not a positive number`);
      }
      if (item.caseId === null || item.caseId === undefined || item.caseId === "") {
        throw new RangeError(`${fn}(): ${key} has no case_id (the bootstrap's cluster)`);
      }
      js.push(pooled ? s / item.max : s);
      ps.push(pooled ? item.grade / item.max : item.grade);
      ms.push(pooled ? 1 : item.max);
      cases.push(String(item.caseId));
    }
    const { cluster, count } = _clusterIndex(cases);
    let estimates: number[] = metrics.map(() => NaN);
    let limits: ({ lower: number; upper: number } | null)[] = metrics.map(() =>
      settings === false ? null : { lower: NaN, upper: NaN }
    );
    if (js.length > 0) {
      const table = new _PairTable(
        Float64Array.from(js),
        Float64Array.from(ps),
        Float64Array.from(ms),
      );
      const [draws] = _drawTables([table], cluster, count, metrics, settings);
      estimates = [...draws!.estimates];
      if (settings !== false) {
        limits = metrics.map((_, k) =>
          _chosen(_metricInterval(draws!, k, count, settings), settings.method)
        );
      }
    }
    metrics.forEach((m, k) => {
      out.task!.push(label(group, taskAt));
      out.judge!.push(label(group, judgeAt));
      for (const c of extras) out[c]!.push(group.values[by.indexOf(c)] ?? null);
      out.metric!.push(m);
      out.estimate!.push(estimates[k]);
      out.lower!.push(limits[k]?.lower ?? null);
      out.upper!.push(limits[k]?.upper ?? null);
      out.n!.push(js.length);
      out.n_cases!.push(count);
      out.judgements!.push(group.judgements);
      out.failed!.push(group.failed);
      out.failure_rate!.push(group.failed / group.judgements);
      out.scale!.push(pooled ? "share" : "points");
    });
  }
  return _frame(out, extras);
}

/** The output frame, typed column by column. */
function _frame(out: Record<string, unknown[]>, extras: readonly string[]): pl.DataFrame {
  const f64 = ["estimate", "lower", "upper", "failure_rate"];
  const i64 = ["n", "n_cases", "judgements", "failed"];
  return pl.DataFrame(
    Object.entries(out).map(([name, values]) =>
      f64.includes(name)
        ? pl.Series(name, values, pl.Float64)
        : i64.includes(name)
        ? pl.Series(name, values, pl.Int64)
        : extras.includes(name)
        ? pl.Series(name, values)
        : pl.Series(name, values, pl.Utf8)
    ),
  );
}

function _compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
