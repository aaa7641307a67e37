/**
 * `agreement()`: every judge–physician agreement metric per judge and task, with cluster
 * bootstrap intervals, as one tidy frame.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { _METRICS, type MetricName } from "./_metric_registry.ts";
import { _WeightedPairs } from "./_weighted_pairs.ts";
import {
  type _BootstrapSettings,
  _bootstrapSettings,
  _drawTables,
  _reportInterval,
  type IntervalMethod,
} from "./_metric_bootstrap.ts";
import { caseCountNote } from "./case_count_note.ts";
import { _undefinedReason } from "./_undefined_reason.ts";
import {
  _checkFrame,
  _clusterIndex,
  _compare,
  _judgementFailed,
  _metricList,
  _num,
  _RepeatScores,
  _repeatsOption,
  _values,
} from "./_report_input.ts";

export { METRIC_DIRECTION, METRIC_NAMES, type MetricName } from "./_metric_registry.ts";
export type { IntervalMethod } from "./_metric_bootstrap.ts";

/** The judge name of the constant baseline's rows. */
export const CONSTANT_BASELINE = "constant (mode)";

/** The `bootstrap` option of {@linkcode agreement} and `ceiling()`: how intervals are made. */
export interface ReportBootstrapOptions {
  /** Number of cluster resamples of the bootstrap methods; 2,000 by default. */
  resamples?: number;
  /** Seed of the bootstrap's random stream; 1 by default. */
  seed?: number;
  /**
   * `"jackknife_t"` (the default: leave-one-case-out, Student t with G − 1 degrees of freedom,
   * on the metric's own scale), or a cluster bootstrap's `"bca"` or `"percentile"` interval.
   * The bootstrap intervals under-cover when a task rests on few cases (about 70–85% at 5–8
   * cases in the kit's simulation); the jackknife-t holds about 90–95% there and 93–97% from
   * 20 cases on.
   */
  method?: IntervalMethod;
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
  /**
   * The column holding the judge's score; `"score"` by default. `"score_calibrated"` (from
   * `calibrate()`) reports the calibrated judge.
   */
  score?: string;
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
 * counted in `failed` and `failure_rate`, never scored as 0 or anything else; a judgement marked "scored" whose score is not a finite
 * number (`NaN`, ±`Infinity`, null) is a failure too.
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
 * Intervals are over CASES (`case_id`): one case has several responses, so rows are not
 * independent, and the estimand is agreement on new cases — cases drawn again, responses drawn
 * again within them. The default is the cluster jackknife-t: leave each case out in turn,
 * Student t with G − 1 degrees of freedom, built on the metric's own scale (log for errors,
 * Fisher's z for correlations and κ, logit for shares) and mapped back. It was chosen by the
 * coverage simulation in `bench/interval_coverage_bench.ts`, where the cluster bootstrap
 * covered only 70–85% at 5–8 cases. `bootstrap.method: "bca"` or `"percentile"` gives the
 * seeded cluster bootstrap instead (the same draws as `clusterBootstrap()`). With fewer than
 * `MIN_INTERVAL_CASES` (4) cases there is no interval (`NaN` limits) and `note` says why;
 * under `FEW_CASES` (20), `note` flags the row.
 *
 * The baseline (`baselines: true`, judge `CONSTANT_BASELINE`): every entry gets its task's most
 * common physician grade (the smallest on a tie). It is IN-SAMPLE (the mode is taken from the
 * very grades it is scored against), so it flatters the baseline slightly: a judge that does
 * not beat it on MAE or κ has not earned trust. It is added only when `by` has `"judge"`, over
 * the distinct entries of the trials that have a grade.
 *
 * Columns, in order: `task`, `judge`, any other `by` columns, `metric`, `estimate`, `lower`,
 * `upper` (null without intervals), `interval` (the method, null without intervals), `n`
 * (scored pairs used), `n_cases` (clusters), `judgements` (all judgements of the group, every
 * repeat, failed ones included), `failed`, `failure_rate`, `scale` (`"points"` or `"share"`),
 * `note` (why there is no estimate or interval, or that it rests on few cases; else null). A
 * group without a scored pair keeps its rows, with `NaN` estimates, n = 0 and the note
 * "no scored pair", so its failures stay visible. A metric that has no value on pairs that
 * exist says why in its `note`, after the case-count note and joined to it by "; ": "a constant
 * judge: correlation undefined", "constant physician grades: correlation undefined", "one
 * category only: κ undefined", "fewer than 2 pairs".
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`: columns `task`,
 *   `entry_id`, `status`, `score`, `grade`, `max_score`, `case_id`, the `by` columns, and
 *   `repeat` for `repeats: "first"`.
 * @param options `by`, `metrics`, `bootstrap`, `repeats`, `baselines`, `score`.
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
export function agreement(trials: DataFrame, options: AgreementOptions = {}): DataFrame {
  const fn = "agreement";
  const by = [...(options.by ?? ["judge", "task"])];
  if (!by.every((c) => typeof c === "string") || new Set(by).size !== by.length) {
    throw new RangeError(`${fn}(): options.by must be distinct column names`);
  }
  const scoreColumn = options.score ?? "score";
  if (typeof scoreColumn !== "string" || scoreColumn === "") {
    throw new RangeError(`${fn}(): options.score must be a column name`);
  }
  const repeats = _repeatsOption(fn, options.repeats);
  const settings = _bootstrapSettings(fn, options.bootstrap);
  const pooled = !by.includes("task");
  let metrics = _metricList(fn, options.metrics);
  if (pooled) metrics = metrics.filter((m) => !_METRICS[m].pointsOnly);
  const needed = [
    "task",
    "entry_id",
    "status",
    scoreColumn,
    "grade",
    "max_score",
    "case_id",
    ...by,
  ];
  if (repeats === "first") needed.push("repeat");
  _checkFrame(fn, "trials", trials, [...new Set(needed)]);

  const read = new _TrialsReader(trials, by, scoreColumn);
  const groups = read.groups();
  if ((options.baselines ?? true) && by.includes("judge")) read.addConstantBaseline(groups);

  const taskAt = by.indexOf("task"), judgeAt = by.indexOf("judge");
  const label = (g: _Group, at: number) => at < 0 ? "all" : String(g.values[at] ?? "");
  const ordered = [...groups.values()].sort((a, b) =>
    _compare(label(a, taskAt), label(b, taskAt)) ||
    Number(label(a, judgeAt) === CONSTANT_BASELINE) -
      Number(label(b, judgeAt) === CONSTANT_BASELINE) ||
    _compare(label(a, judgeAt), label(b, judgeAt)) ||
    _compare(JSON.stringify(a.values), JSON.stringify(b.values))
  );

  const extras = by.filter((c) => c !== "task" && c !== "judge");
  const out: Record<string, unknown[]> = Object.fromEntries(
    ["task", "judge", ...extras, ...AGREEMENT_COLUMNS].map((c) => [c, []]),
  );
  for (const group of ordered) {
    const rows = _groupRows(fn, group, { metrics, settings, repeats, pooled });
    rows.forEach((row) => {
      out.task!.push(label(group, taskAt));
      out.judge!.push(label(group, judgeAt));
      for (const c of extras) out[c]!.push(group.values[by.indexOf(c)] ?? null);
      for (const c of AGREEMENT_COLUMNS) out[c]!.push(row[c]);
    });
  }
  return _frame(out, extras);
}

/** The columns after `task`, `judge` and the other `by` columns. */
const AGREEMENT_COLUMNS = [
  "metric",
  "estimate",
  "lower",
  "upper",
  "interval",
  "n",
  "n_cases",
  "judgements",
  "failed",
  "failure_rate",
  "scale",
  "note",
] as const;

/** Reads a trials frame's columns once and groups its judgements into pairs. */
class _TrialsReader {
  readonly #col: (name: string) => unknown[];
  readonly #by: readonly string[];
  readonly #score: unknown[];
  readonly #byColumns: unknown[][];

  constructor(trials: DataFrame, by: readonly string[], scoreColumn: string) {
    const cache = new Map<string, unknown[]>();
    this.#col = (name) => {
      let v = cache.get(name);
      if (!v) cache.set(name, v = trials.columns.includes(name) ? _values(trials, name) : []);
      return v;
    };
    this.#by = by;
    this.#score = this.#col(scoreColumn);
    this.#byColumns = by.map((c) => this.#col(c));
  }

  /** One group per distinct value of the `by` columns, each judgement added to its item. */
  groups(): Map<string, _Group> {
    const groups = new Map<string, _Group>();
    const task = this.#col("task"), entry = this.#col("entry_id"), judge = this.#col("judge");
    const status = this.#col("status"), repeat = this.#col("repeat");
    for (let i = 0; i < task.length; i++) {
      _addJudgement(groups, this.#byColumns.map((c) => c[i] ?? null), {
        item: JSON.stringify([judge[i] ?? null, task[i], entry[i]]),
        status: status[i],
        score: _num(this.#score[i]),
        failed: _judgementFailed(status[i], this.#score[i]),
        repeat: _num(repeat[i] ?? 0),
        ...this.#entry(i),
      });
    }
    return groups;
  }

  /**
   * Adds the constant baseline's judgements: the task's most common grade over its distinct
   * entries (in-sample, see `agreement()`), scored for every entry that has a grade.
   */
  addConstantBaseline(groups: Map<string, _Group>): void {
    const task = this.#col("task"), entry = this.#col("entry_id"), grade = this.#col("grade");
    const entries = new Map<string, number>();
    for (let i = 0; i < task.length; i++) {
      const k = JSON.stringify([task[i], entry[i]]);
      if (Number.isFinite(_num(grade[i])) && !entries.has(k)) entries.set(k, i);
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
    const judgeAt = this.#by.indexOf("judge");
    for (const i of entries.values()) {
      const values = this.#byColumns.map((c) => c[i] ?? null);
      values[judgeAt] = CONSTANT_BASELINE;
      _addJudgement(groups, values, {
        item: JSON.stringify([CONSTANT_BASELINE, task[i], entry[i]]),
        status: "scored",
        score: mode.get(task[i])!,
        failed: false,
        repeat: 0,
        ...this.#entry(i),
      });
    }
  }

  #entry(i: number): { grade: number; max: number; caseId: unknown } {
    return {
      grade: _num(this.#col("grade")[i]),
      max: _num(this.#col("max_score")[i]),
      caseId: this.#col("case_id")[i],
    };
  }
}

/** One judgement, as `_addJudgement` takes it. */
interface _Judgement {
  item: string;
  status: unknown;
  score: number;
  /** Failed, or "scored" with a score that is not a finite number. */
  failed: boolean;
  repeat: number;
  grade: number;
  max: number;
  caseId: unknown;
}

function _addJudgement(groups: Map<string, _Group>, values: unknown[], j: _Judgement): void {
  const key = JSON.stringify(values);
  let group = groups.get(key);
  if (!group) groups.set(key, group = { values, judgements: 0, failed: 0, items: new Map() });
  group.judgements++;
  if (j.failed) group.failed++;
  let item = group.items.get(j.item);
  if (!item) {
    const fresh = { scores: new _RepeatScores(), grade: j.grade, max: j.max, caseId: j.caseId };
    group.items.set(j.item, item = fresh);
  }
  if (j.status === "scored" && Number.isFinite(j.score)) item.scores.add(j.score, j.repeat);
}

/** One group's scored pairs: judge, physician, scale maximum and case, per item. */
function _groupPairs(fn: string, group: _Group, repeats: "mean" | "first", pooled: boolean) {
  const js: number[] = [], ps: number[] = [], ms: number[] = [], cases: string[] = [];
  for (const [key, item] of group.items) {
    const s = item.scores.score(repeats);
    if (!Number.isFinite(s) || !Number.isFinite(item.grade)) continue;
    if (!(item.max > 0)) {
      throw new RangeError(`${fn}(): max_score of ${key} is ${item.max}, not a positive number`);
    }
    if (item.caseId === null || item.caseId === undefined || item.caseId === "") {
      throw new RangeError(`${fn}(): ${key} has no case_id (the interval's cluster)`);
    }
    js.push(pooled ? s / item.max : s);
    ps.push(pooled ? item.grade / item.max : item.grade);
    ms.push(pooled ? 1 : item.max);
    cases.push(String(item.caseId));
  }
  return { js, ps, ms, cases };
}

/** A group's rows, one per metric (the `AGREEMENT_COLUMNS`). */
function _groupRows(
  fn: string,
  group: _Group,
  o: {
    metrics: MetricName[];
    settings: _BootstrapSettings | false;
    repeats: "mean" | "first";
    pooled: boolean;
  },
): Record<(typeof AGREEMENT_COLUMNS)[number], unknown>[] {
  const { js, ps, ms, cases } = _groupPairs(fn, group, o.repeats, o.pooled);
  const { cluster, count } = _clusterIndex(cases);
  let estimates: number[] = o.metrics.map(() => NaN);
  let limits = o.metrics.map(() => ({ lower: NaN, upper: NaN }));
  if (js.length > 0) {
    const table = new _WeightedPairs(js, ps, ms);
    const [draws] = _drawTables([table], cluster, count, o.metrics, o.settings);
    estimates = [...draws!.estimates];
    const settings = o.settings;
    if (settings !== false) {
      limits = o.metrics.map((m, k) => _reportInterval(draws!, k, m, count, settings));
    }
  }
  const caseNote = js.length === 0
    ? "no scored pair"
    : o.settings === false
    ? null
    : caseCountNote(count);
  // Entries scored out of different maxima (management rubrics) pool different scales in points.
  const maxima = new Set(ms);
  const mixed = !o.pooled && maxima.size > 1
    ? `max_score varies (${Math.min(...maxima)}–${Math.max(...maxima)}): points pool ` +
      "different scales; read mae_share"
    : null;
  const note = [caseNote, mixed].filter((x) => x !== null).join("; ") || null;
  // A metric without a value on pairs that exist says why, from the pairs themselves.
  const noteFor = (metric: MetricName, k: number) =>
    js.length === 0 || !Number.isNaN(estimates[k])
      ? note
      : [note, _undefinedReason(metric, js, ps)].filter((x) => x !== null).join("; ");
  return o.metrics.map((metric, k) => ({
    metric,
    estimate: estimates[k],
    lower: o.settings === false ? null : limits[k]!.lower,
    upper: o.settings === false ? null : limits[k]!.upper,
    interval: o.settings === false ? null : o.settings.method,
    n: js.length,
    n_cases: count,
    judgements: group.judgements,
    failed: group.failed,
    failure_rate: group.failed / group.judgements,
    scale: o.pooled ? "share" : "points",
    note: noteFor(metric, k),
  }));
}

/** The output frame, typed column by column. */
function _frame(out: Record<string, unknown[]>, extras: readonly string[]): DataFrame {
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
