/**
 * `ceiling()`: the physician–physician agreement ceiling, leave-one-physician-out, and the
 * judge measured against it on the same pairs.
 *
 * @module
 */

import type { DataFrame } from "../data/data_frame.ts";
import { _evaluator, METRIC_DIRECTION, type MetricName } from "./_metric_registry.ts";
import { _WeightedPairs } from "./_weighted_pairs.ts";
import {
  type _BootstrapSettings,
  _bootstrapSettings,
  _drawTables,
  _reportInterval,
  type _TableDraws,
} from "./_metric_bootstrap.ts";
import {
  caseCountNote,
  MIN_CEILING_INTERVAL_CASES,
  MIN_INTERVAL_CASES,
} from "./case_count_note.ts";
import {
  _checkFrame,
  _clusterIndex,
  _compare,
  _failureNote as _failurePhrase,
  _judgementFailed,
  _list,
  _metricList,
  _num,
  _RepeatScores,
  _repeatsOption,
  _typedFrame,
  _values,
} from "./_report_input.ts";
import type { ReportBootstrapOptions } from "./agreement.ts";
import { _undefinedReason } from "./_undefined_reason.ts";

/** Options for {@linkcode ceiling}. */
export interface CeilingOptions {
  /** Metric names (as `agreement()`'s); every one by default. */
  metrics?: readonly MetricName[];
  /** Bootstrap settings (clusters = `case_id`), or `false` for estimates only. */
  bootstrap?: ReportBootstrapOptions | false;
  /** A judge's repeats of an entry: their `"mean"` (the default) or the `"first"` scored one. */
  repeats?: "mean" | "first";
  /** The fewest items a physician needs to count in `share_beaten`; 10 by default. */
  minItems?: number;
}

/** One (judge, task) group: its items, and (with trials) its judgements and failures. */
interface _Group {
  task: string;
  judge: string | null;
  items: Map<string, _Item>;
  judgements: number;
  failed: number;
}

/** One (judge, task) group's items. */
interface _Item {
  judge: _RepeatScores;
  raters: unknown[];
  scores: unknown[];
  max: number;
  caseId: unknown;
}

/**
 * The physician ceiling per task (and judge): how well physicians agree with each other, built
 * exactly like the judge's agreement so that the two can be compared.
 *
 * Leave-one-physician-out: for every item with at least two physician scores (`raters`,
 * `rater_scores`) and every physician h on it, the reference is the mean of the OTHER
 * physicians' scores on that item. The ceiling is the metric over all (item, h) pairs
 * (h's score, mean of others), pooled; the judge's estimate is the metric over the same pairs
 * with the judge's score in h's place — the judge is compared with the same mean of others,
 * never with the mean of all physicians (which would include h's own score and flatter the
 * judge). `difference` = judge − ceiling, with a PAIRED interval (the same cases left out, or
 * the same resamples of `case_id`, for both), so the case-to-case variation they share cancels.
 *
 * `share_beaten` is the alt-test framing (Calderon, Reichart & Dror, ACL 2025) as a stand-in:
 * over the physicians with at least `minItems` items, h's metric against the others and the
 * judge's metric on h's items against the same reference; the share of those physicians that
 * the judge matches or beats (≥ for higher-is-better metrics, ≤ for errors, |bias| ≤ |bias|
 * for the bias). Physicians where either value is `NaN` are left out of the share.
 * `physicians` counts the physicians with at least `minItems` items.
 *
 * The reference is a mean, so it can fall between scale points (a third of a point with three
 * physicians): `exact`, `within_one` and the κs then treat each such mean as a value of its
 * own. Prefer the error, correlation and ICC/CCC rows for the ceiling.
 *
 * With a trials frame (a `judge` column, from `loadTrials(dir, { dataset })`), one row per
 * judge × task × metric, over the items the judge scored (a judge's repeats averaged, or the
 * first scored one); failed judgements (and "scored" ones whose score is `NaN` or ±`Infinity`)
 * never become scores, and their items are left out of both sides so that the comparison stays
 * paired; `note` says how many judgements failed. A metric without a value says why in `note`
 * ("constant physician scores: correlation undefined", "one category only: κ undefined"). With a dataset frame (no `judge` column;
 * `benchmark`, `id`), the ceiling only: `judge` and every judge column are null.
 *
 * Intervals are over cases, as `agreement()`'s (the cluster jackknife-t by default; the
 * difference's from the paired leave-one-case-out differences, on its own scale). The ceiling
 * and the difference need more cases than the judge's agreement: none with fewer than
 * `MIN_CEILING_INTERVAL_CASES` (20), and `note` says why; the judge on the same pairs gets its
 * interval from 4 cases, as in `agreement()`. (Its case-to-case variation is
 * heavy-tailed — on easy cases every physician agrees — and in the kit's simulation intervals
 * over 5–15 cases covered only 80–92%.)
 *
 * Columns: `task`, `judge`, `metric`, `ceiling`, `ceiling_lower`, `ceiling_upper`,
 * `judge_estimate` (the judge on the ceiling's own pairs), `judge_lower`, `judge_upper`,
 * `difference` (= `judge_estimate` − `ceiling`), `difference_lower`, `difference_upper`,
 * `pairs` ((item, physician) pairs), `n_cases` (clusters), `physicians`, `share_beaten`,
 * `interval` (the method, null without intervals), `note`.
 *
 * @param frame A trials frame, or a dataset frame from `loadDataset()` / `entriesFrame()`.
 * @param options `metrics`, `bootstrap`, `repeats`, `minItems`.
 * @returns One row per task (and judge) and metric. A task (and judge) without a
 *   leave-one-out pair keeps its rows, with `NaN` estimates, `pairs` 0 and the reason in
 *   `note`: "only one physician scored these entries", "no entry has two physicians' scores",
 *   "the judge failed every judgement".
 * @throws {RangeError} On an empty frame, a missing column, an unknown metric or option value.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { ceiling } from "./ceiling.ts";
 * import assert from "node:assert/strict";
 *
 * const dataset = pl.DataFrame({
 *   id: ["a", "b"],
 *   case_id: ["x", "y"],
 *   benchmark: ["r_idea", "r_idea"],
 *   max_score: [10, 10],
 *   raters: [["p1", "p2"], ["p1", "p2"]],
 *   rater_scores: [[8, 6], [5, 5]],
 * });
 * const row = ceiling(dataset, { metrics: ["mae"], bootstrap: false }).toRecords()[0]!;
 * // Pairs (8, 6), (6, 8), (5, 5), (5, 5): MAE = (2 + 2 + 0 + 0) / 4.
 * assert.equal(row.ceiling, 1);
 * assert.equal(row.pairs, 4);
 * assert.equal(row.judge_estimate, null);
 * ```
 */
export function ceiling(frame: DataFrame, options: CeilingOptions = {}): DataFrame {
  const fn = "ceiling";
  const metrics = _metricList(fn, options.metrics);
  const repeats = _repeatsOption(fn, options.repeats);
  const settings = _bootstrapSettings(fn, options.bootstrap);
  const minItems = options.minItems ?? 10;
  if (!Number.isInteger(minItems) || minItems < 1) {
    throw new RangeError(`${fn}(): options.minItems must be a positive integer, got ${minItems}`);
  }
  const trials = Array.isArray(frame?.columns) && frame.columns.includes("judge");
  const taskCol = trials ? "task" : "benchmark", entryCol = trials ? "entry_id" : "id";
  const needed = [taskCol, entryCol, "case_id", "max_score", "raters", "rater_scores"];
  if (trials) needed.push("judge", "status", "score");
  if (trials && repeats === "first") needed.push("repeat");
  _checkFrame(fn, "frame", frame, needed);

  const task = _values(frame, taskCol), entry = _values(frame, entryCol);
  const caseId = _values(frame, "case_id"), max = _values(frame, "max_score");
  const raters = _values(frame, "raters"), scores = _values(frame, "rater_scores");
  const judge = trials ? _values(frame, "judge") : undefined;
  const status = trials ? _values(frame, "status") : undefined;
  const score = trials ? _values(frame, "score") : undefined;
  const repeat = trials && frame.columns.includes("repeat") ? _values(frame, "repeat") : undefined;

  const groups = new Map<string, _Group>();
  for (let i = 0; i < frame.height; i++) {
    const j = judge ? String(judge[i]) : null;
    const key = JSON.stringify([task[i], j]);
    let g = groups.get(key);
    if (!g) {
      groups.set(
        key,
        g = { task: String(task[i]), judge: j, items: new Map(), judgements: 0, failed: 0 },
      );
    }
    const itemKey = String(entry[i]);
    let item = g.items.get(itemKey);
    if (!item) {
      g.items.set(
        itemKey,
        item = {
          judge: new _RepeatScores(),
          raters: _list(raters[i]),
          scores: _list(scores[i]),
          max: _num(max[i]),
          caseId: caseId[i],
        },
      );
    }
    const s = _num(score?.[i]);
    if (status?.[i] === "scored" && Number.isFinite(s)) item.judge.add(s, _num(repeat?.[i] ?? 0));
    if (trials) {
      g.judgements++;
      if (_judgementFailed(status?.[i], score?.[i])) g.failed++;
    }
  }

  const out: Record<string, unknown[]> = Object.fromEntries(COLUMNS.map((c) => [c, []]));
  const ordered = [...groups.values()].sort((a, b) =>
    _compare(a.task, b.task) || _compare(a.judge ?? "", b.judge ?? "")
  );
  for (const g of ordered) {
    const pairs = _leaveOneOut(fn, g.items, trials, repeats);
    const rows = pairs.h.length === 0
      ? _emptyRows(g, { trials, metrics, settings })
      : _groupRows(g, pairs, { trials, metrics, settings, minItems });
    for (const row of rows) {
      for (const col of COLUMNS) out[col]!.push(row[col] ?? null);
    }
  }
  return _typedFrame(COLUMNS, (name) => out[name]!, {
    text: ["task", "judge", "metric", "interval", "note"],
    integers: ["pairs", "n_cases", "physicians"],
  });
}

const COLUMNS = [
  "task",
  "judge",
  "metric",
  "ceiling",
  "ceiling_lower",
  "ceiling_upper",
  "judge_estimate",
  "judge_lower",
  "judge_upper",
  "difference",
  "difference_lower",
  "difference_upper",
  "pairs",
  "n_cases",
  "physicians",
  "share_beaten",
  "interval",
  "note",
] as const;

/**
 * One group's rows, one per metric: the ceiling, the judge on the same pairs and their paired
 * difference, each with its interval over cases.
 */
function _groupRows(
  g: _Group,
  pairs: _Pairs,
  o: {
    trials: boolean;
    metrics: MetricName[];
    settings: _BootstrapSettings | false;
    minItems: number;
  },
): Record<string, unknown>[] {
  const { cluster, count } = _clusterIndex(pairs.cases);
  const table = (x: number[]) => new _WeightedPairs(x, pairs.others, pairs.max);
  const tables = o.trials ? [table(pairs.h), table(pairs.judge)] : [table(pairs.h)];
  const draws = _drawTables(tables, cluster, count, o.metrics, o.settings);
  const perPhysician = _perPhysician(tables, pairs.rater, o.minItems, o.metrics);
  const settings = o.settings;
  return o.metrics.map((m, k) => {
    const limits = (d: _TableDraws | readonly [_TableDraws, _TableDraws], minCases: number) =>
      settings === false ? null : _reportInterval(d, k, m, count, settings, minCases);
    const c = draws[0]!, j = draws[1];
    // The judge on the pairs is judge-vs-physician agreement (4 cases); the ceiling and the
    // gap need 20 (see MIN_CEILING_INTERVAL_CASES).
    const cl = limits(c, MIN_CEILING_INTERVAL_CASES);
    const jl = j ? limits(j, MIN_INTERVAL_CASES) : null;
    const dl = j ? limits([j, c], MIN_CEILING_INTERVAL_CASES) : null;
    return {
      task: g.task,
      judge: g.judge,
      metric: m,
      ceiling: c.estimates[k],
      ceiling_lower: cl?.lower ?? null,
      ceiling_upper: cl?.upper ?? null,
      judge_estimate: j ? j.estimates[k] : null,
      judge_lower: jl?.lower ?? null,
      judge_upper: jl?.upper ?? null,
      difference: j ? j.estimates[k]! - c.estimates[k]! : null,
      difference_lower: dl?.lower ?? null,
      difference_upper: dl?.upper ?? null,
      pairs: pairs.h.length,
      n_cases: count,
      physicians: perPhysician.eligible,
      share_beaten: o.trials ? perPhysician.share[k] : null,
      interval: settings === false ? null : settings.method,
      note: _joinNotes(
        settings === false ? null : caseCountNote(count, MIN_CEILING_INTERVAL_CASES),
        Number.isNaN(c.estimates[k]) ? _undefinedReason(m, pairs.h, pairs.others, SIDES) : null,
        j && Number.isNaN(j.estimates[k]) && !Number.isNaN(c.estimates[k])
          ? `judge: ${_undefinedReason(m, pairs.judge, pairs.others)}`
          : null,
        _failureNote(g),
      ),
    };
  });
}

/** How a constant side of the ceiling's pairs is named. */
const SIDES = {
  first: "constant physician scores",
  second: "a constant reference (the other physicians' mean)",
};

/** The notes that apply, joined by "; ", or null. */
function _joinNotes(...notes: (string | null)[]): string | null {
  const given = notes.filter((n) => n !== null);
  return given.length > 0 ? given.join("; ") : null;
}

/** "the judge failed 3 of 40 judgements …" when it failed any (NaN or ±Infinity scores too). */
function _failureNote(g: _Group): string | null {
  const note = _failurePhrase(g.failed, g.judgements);
  return note === null ? null : `${note} (their entries are left out of both sides)`;
}

/**
 * Why a group has no leave-one-out pair: the judge failed every judgement, one physician
 * scored its entries, or no entry has two physicians' scores.
 */
function _noPairReason(g: _Group, trials: boolean): string {
  const raters = new Set<string>();
  let twoScored = 0;
  for (const item of g.items.values()) {
    let present = 0;
    item.scores.forEach((s, r) => {
      if (Number.isFinite(_num(s))) (present++, raters.add(String(item.raters[r])));
    });
    if (present >= 2) twoScored++;
  }
  if (trials && g.failed === g.judgements) return "the judge failed every judgement";
  if (raters.size === 0) return "no physician scored these entries";
  if (raters.size === 1) return "only one physician scored these entries";
  if (twoScored === 0) return "no entry has two physicians' scores";
  return `the judge failed every judgement on the ${twoScored} entr${
    twoScored === 1 ? "y" : "ies"
  } two physicians scored`;
}

/**
 * A group without a leave-one-out pair keeps a row per metric, with `NaN` estimates (and
 * limits, with intervals) and the reason in `note`.
 */
function _emptyRows(
  g: _Group,
  o: { trials: boolean; metrics: MetricName[]; settings: _BootstrapSettings | false },
): Record<string, unknown>[] {
  const limit = o.settings === false ? null : NaN;
  const judged = o.trials ? NaN : null;
  return o.metrics.map((m) => ({
    task: g.task,
    judge: g.judge,
    metric: m,
    ceiling: NaN,
    ceiling_lower: limit,
    ceiling_upper: limit,
    judge_estimate: judged,
    judge_lower: o.trials ? limit : null,
    judge_upper: o.trials ? limit : null,
    difference: judged,
    difference_lower: o.trials ? limit : null,
    difference_upper: o.trials ? limit : null,
    pairs: 0,
    n_cases: 0,
    physicians: 0,
    share_beaten: judged,
    interval: o.settings === false ? null : o.settings.method,
    note: _joinNotes(
      _noPairReason(g, o.trials),
      g.failed === g.judgements ? null : _failureNote(g),
    ),
  }));
}

/** The leave-one-physician-out pairs of a group, one per (item, physician h). */
interface _Pairs {
  h: number[];
  judge: number[];
  others: number[];
  max: number[];
  cases: string[];
  rater: string[];
}

/**
 * Builds the (item, h) pairs: h's score, the judge's score, and the mean of the other
 * physicians' scores on the item (h's own score never in it).
 *
 * @param fn The public function, for messages.
 * @param items The group's items.
 * @param trials Whether a judge score is needed (items without one are left out).
 * @param repeats How to make a judge's repeats one score.
 * @returns The pairs.
 * @throws {RangeError} When an item lacks a case id or a positive max_score, or its raters and
 *   rater_scores lists differ in length.
 */
function _leaveOneOut(
  fn: string,
  items: ReadonlyMap<string, _Item>,
  trials: boolean,
  repeats: "mean" | "first",
): _Pairs {
  const pairs: _Pairs = { h: [], judge: [], others: [], max: [], cases: [], rater: [] };
  for (const [id, item] of items) {
    if (item.raters.length !== item.scores.length) {
      throw new RangeError(
        `${fn}(): entry ${id} has ${item.raters.length} raters but ${item.scores.length} rater_scores`,
      );
    }
    const present: { rater: string; score: number }[] = [];
    item.scores.forEach((s, r) => {
      if (Number.isFinite(_num(s))) present.push({ rater: String(item.raters[r]), score: _num(s) });
    });
    if (present.length < 2) continue;
    const judged = item.judge.score(repeats);
    if (trials && !Number.isFinite(judged)) continue;
    if (!(item.max > 0)) {
      throw new RangeError(`${fn}(): entry ${id} has max_score ${item.max}, not a positive number`);
    }
    if (item.caseId === null || item.caseId === undefined || item.caseId === "") {
      throw new RangeError(`${fn}(): entry ${id} has no case_id (the bootstrap's cluster)`);
    }
    for (let h = 0; h < present.length; h++) {
      let sum = 0;
      for (let o = 0; o < present.length; o++) if (o !== h) sum += present[o]!.score;
      pairs.h.push(present[h]!.score);
      pairs.judge.push(judged);
      pairs.others.push(sum / (present.length - 1));
      pairs.max.push(item.max);
      pairs.cases.push(String(item.caseId));
      pairs.rater.push(present[h]!.rater);
    }
  }
  return pairs;
}

/**
 * Per physician with at least `minItems` pairs: h's metric and the judge's on h's pairs, and
 * the share of those physicians the judge matches or beats.
 *
 * @param tables `[physicians, judge]` (or the physicians alone).
 * @param rater Each pair's physician.
 * @param minItems The fewest pairs a physician needs.
 * @param metrics The metrics.
 * @returns The number of eligible physicians and, per metric, the share beaten (`NaN` when no
 *   physician has both values).
 */
function _perPhysician(
  tables: readonly _WeightedPairs[],
  rater: readonly string[],
  minItems: number,
  metrics: readonly MetricName[],
): { eligible: number; share: number[] } {
  const byRater = new Map<string, number[]>();
  rater.forEach((r, i) => {
    const list = byRater.get(r);
    if (list) list.push(i);
    else byRater.set(r, [i]);
  });
  const beaten = metrics.map(() => 0), counted = metrics.map(() => 0);
  let eligible = 0;
  const w = new Float64Array(rater.length);
  const values = tables.map(() => new Float64Array(metrics.length));
  const evaluate = _evaluator(metrics);
  for (const rows of byRater.values()) {
    if (rows.length < minItems) continue;
    eligible++;
    if (tables.length < 2) continue;
    w.fill(0);
    for (const i of rows) w[i] = 1;
    tables.forEach((t, x) => {
      t.setItemWeights(w);
      evaluate(t, values[x]!);
    });
    metrics.forEach((m, k) => {
      const h = values[0]![k]!, j = values[1]![k]!;
      if (Number.isNaN(h) || Number.isNaN(j)) return;
      counted[k]!++;
      const direction = METRIC_DIRECTION[m];
      const wins = direction === "higher"
        ? j >= h
        : direction === "lower"
        ? j <= h
        : Math.abs(j) <= Math.abs(h);
      if (wins) beaten[k]!++;
    });
  }
  return {
    eligible,
    share: metrics.map((_, k) => counted[k]! > 0 ? beaten[k]! / counted[k]! : NaN),
  };
}
