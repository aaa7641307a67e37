/**
 * `calibrate()`: maps a judge's scores onto the physicians' grades by isotonic regression,
 * cross-fitted by case.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { type IsotonicFit, isotonicPredict, isotonicRegression } from "./isotonic_regression.ts";
import { _uniform } from "./_prng.ts";
import { _checkFrame, _judgementFailed, _num, _values } from "./_report_input.ts";

/** Options for {@linkcode calibrate}. */
export interface CalibrateOptions {
  /**
   * Number of case folds of the cross-fit, an integer ≥ 2; 5 by default. A judge × task with
   * fewer cases than folds is calibrated leave-one-case-out.
   */
  folds?: number;
  /** Seed of the shuffle that deals cases to folds, an integer; 1 by default. */
  seed?: number;
}

/**
 * One judge × task's calibration map, fitted on ALL its graded scored judgements, for
 * calibrating new data: `isotonicPredict(map, score / max_score) * max_score`.
 */
export interface CalibrationMap extends IsotonicFit {
  /** The judge. */
  judge: string;
  /** The task. */
  task: string;
  /** Breakpoints: judge scores as shares of `max_score`, strictly ascending. */
  x: number[];
  /** The calibrated share of `max_score` at each breakpoint, non-decreasing. */
  y: number[];
  /** Number of (score, grade) pairs fitted: scored judgements with a grade, every repeat. */
  n: number;
  /** Number of cases those pairs come from. */
  n_cases: number;
  /**
   * Judgements of the judge × task that failed: status "failed", or "scored" with a score that
   * is not a finite number (`NaN`, ±`Infinity`). They are not fitted, and their
   * `score_calibrated` is null.
   */
  failed: number;
}

/** What {@linkcode calibrate} returns. */
export interface Calibration {
  /** The trials with a `score_calibrated` column (points, like `score`). */
  trials: DataFrame;
  /** One map per judge × task with at least one graded scored judgement, by task then judge. */
  maps: CalibrationMap[];
}

/** A judge × task's rows, as the cross-fit reads them. */
interface _Group {
  judge: string;
  task: string;
  /** Trial rows to calibrate (scored, finite score). */
  rows: number[];
  /** Their case ids. */
  cases: string[];
  /** Their score and grade as shares of max_score (grade NaN when missing). */
  x: number[];
  y: number[];
}

/**
 * Calibrates each judge's scores to the physician grade, per judge × task, by isotonic
 * regression (pool-adjacent-violators; Barlow, Bartholomew, Bremner & Brunk 1972): the
 * non-decreasing map of judge score to mean physician grade that fits best in least squares.
 * A judge that ranks responses as physicians do but on a distorted scale (too harsh at the top,
 * squeezed into the middle) is mapped back onto the physicians' scale; the ranking is kept.
 *
 * Cross-fitted BY CASE, so no case is calibrated on itself: a judge × task's cases are dealt
 * into `folds` groups (a seeded shuffle, the same for every judge of a task, so judges are
 * compared on the same split; leave-one-case-out when there are fewer cases than folds), and
 * each fold's judgements are mapped by the regression fitted on the other folds' pairs. A
 * case's responses share a vignette and its physicians, so a map fitted on the same case would
 * learn that case's quirks and flatter the calibrated agreement.
 *
 * - Pairs: every scored judgement with a finite score and grade is one (score, grade) pair,
 *   each repeat its own pair, on the share scale (both divided by the entry's `max_score`),
 *   so tasks whose maximum varies by entry (management) are fitted on one scale; with a fixed
 *   maximum this is the same as fitting in points. `score_calibrated` is back in points.
 * - Failed judgements (and scored ones without a finite score) never become scores: their
 *   `score_calibrated` is null. Entries without a grade are not fitted but are calibrated by
 *   their case's fold map, as the graded responses to the same case are: this is how a new
 *   model's judge scores are put on the physicians' scale.
 * - A score outside the fitted range gets the nearest fitted value; one between two fitted
 *   scores is interpolated linearly (see `isotonicPredict`).
 * - A fold whose other folds hold no graded pair (a task with a single case) has no map: its
 *   `score_calibrated` is null.
 *
 * It is not free. The map estimates conditional MEANS, so on a judge that is already calibrated
 * it adds estimation noise: in simulation (0–10 scale, ±1 symmetric judge noise, 12 cases of 15
 * responses) out-of-fold MAE rose by 0.07–0.12 points (RMSE, the loss isotonic regression
 * minimises, did not change). On a judge whose scale is distorted it gains far more: report
 * calibrated agreement beside the raw one, not instead of it.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`: columns `judge`, `task`,
 *   `status`, `score`, `grade`, `max_score`, `case_id` (others are kept as they are).
 * @param options `folds` and `seed`.
 * @returns The trials with `score_calibrated` (a Float64 column, replacing one of that name),
 *   and the maps fitted on all pairs.
 * @throws {RangeError} On an empty frame, a missing column, `folds` not an integer ≥ 2, a
 *   `seed` that is not an integer, or a scored judgement without a positive `max_score` or
 *   without a `case_id`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { calibrate } from "./calibrate.ts";
 * import assert from "node:assert/strict";
 *
 * // A judge that gives one point less than physicians, on four cases.
 * const grade = [1, 2, 3, 4, 1, 2, 3, 4];
 * const trials = pl.DataFrame({
 *   judge: Array(8).fill("j"), task: Array(8).fill("r_idea"),
 *   status: Array(8).fill("scored"), score: grade.map((g) => g - 1), grade,
 *   max_score: Array(8).fill(10), case_id: ["a", "b", "c", "d", "b", "c", "d", "a"],
 * });
 * const { trials: out, maps } = calibrate(trials, { folds: 4 });
 * assert.deepEqual(out.getColumn("score_calibrated").toArray(), grade);
 * assert.deepEqual(maps[0]!.x, [0, 0.1, 0.2, 0.3]);
 * ```
 */
export function calibrate(trials: DataFrame, options: CalibrateOptions = {}): Calibration {
  const fn = "calibrate";
  const { folds, seed } = _calibrateOptions(fn, options);
  _checkFrame(fn, "trials", trials, [
    "judge",
    "task",
    "status",
    "score",
    "grade",
    "max_score",
    "case_id",
  ]);
  const groups = _readGroups(fn, trials);
  const failed = _failuresByGroup(trials);
  const calibrated: (number | null)[] = new Array(trials.height).fill(null);
  const maps: CalibrationMap[] = [];
  const max = _values(trials, "max_score");
  for (const group of groups) {
    const foldOf = _foldsByCase(group.cases, folds, seed);
    const k = Math.max(0, ...foldOf.values()) + 1;
    for (let f = 0; f < k; f++) {
      const fit = _fit(group, (i) => foldOf.get(group.cases[i]!) !== f);
      if (!fit) continue;
      group.rows.forEach((row, i) => {
        if (foldOf.get(group.cases[i]!) === f) {
          // Back to points, without the share round trip's float noise (1 − 1e-16).
          const points = isotonicPredict(fit, group.x[i]!) * _num(max[row]);
          calibrated[row] = Math.round(points * 1e9) / 1e9;
        }
      });
    }
    const all = _fit(group, () => true);
    if (all) {
      const graded = group.rows.flatMap((_, i) => Number.isFinite(group.y[i]) ? [i] : []);
      maps.push({
        judge: group.judge,
        task: group.task,
        x: all.x,
        y: all.y,
        n: graded.length,
        n_cases: new Set(graded.map((i) => group.cases[i])).size,
        failed: failed.get(JSON.stringify([group.judge, group.task])) ?? 0,
      });
    }
  }
  return {
    trials: trials.withColumn(pl.Series("score_calibrated", calibrated, pl.Float64)),
    maps,
  };
}

/**
 * Checks the options.
 *
 * @param fn The public function, for messages.
 * @param options The options as given.
 * @returns `folds` and `seed` with their defaults.
 * @throws {RangeError} On `folds` not an integer ≥ 2 or `seed` not an integer.
 */
function _calibrateOptions(fn: string, options: CalibrateOptions): { folds: number; seed: number } {
  const folds = options.folds ?? 5, seed = options.seed ?? 1;
  if (typeof folds !== "number" || !Number.isInteger(folds) || folds < 2) {
    throw new RangeError(`${fn}(): options.folds must be an integer ≥ 2, got ${String(folds)}`);
  }
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new RangeError(`${fn}(): options.seed must be an integer, got ${String(seed)}`);
  }
  return { folds, seed };
}

/**
 * The rows to calibrate, grouped by judge × task (sorted by task, then judge).
 *
 * @param fn The public function, for messages.
 * @param trials The trials frame.
 * @returns The groups.
 * @throws {RangeError} On a scored judgement without a positive max_score or a case_id.
 */
function _readGroups(fn: string, trials: DataFrame): _Group[] {
  const col = (name: string) => _values(trials, name);
  const judge = col("judge"), task = col("task"), status = col("status"), score = col("score");
  const grade = col("grade"), max = col("max_score"), caseId = col("case_id");
  const groups = new Map<string, _Group>();
  for (let i = 0; i < trials.height; i++) {
    const s = _num(score[i]);
    if (status[i] !== "scored" || !Number.isFinite(s)) continue;
    const m = _num(max[i]);
    if (!(m > 0)) {
      throw new RangeError(
        `${fn}(): trials row ${i} has max_score ${max[i]}, not a positive number`,
      );
    }
    const c = caseId[i];
    if (c === null || c === undefined || c === "") {
      throw new RangeError(`${fn}(): trials row ${i} has no case_id (the cross-fit's unit)`);
    }
    const j = String(judge[i] ?? ""), t = String(task[i] ?? "");
    const key = JSON.stringify([t, j]);
    let group = groups.get(key);
    if (!group) groups.set(key, group = { judge: j, task: t, rows: [], cases: [], x: [], y: [] });
    group.rows.push(i);
    group.cases.push(String(c));
    group.x.push(s / m);
    group.y.push(_num(grade[i]) / m);
  }
  return [...groups.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0).map(([, g]) => g);
}

/**
 * Deals cases into folds: the distinct case ids, sorted, shuffled (Fisher–Yates, seeded), then
 * dealt round-robin into min(folds, number of cases) folds, so fold sizes differ by at most one.
 *
 * @param cases Each row's case id (repeats are fine).
 * @param folds The number of folds wanted.
 * @param seed The shuffle's seed.
 * @returns Each case's fold, 0-based.
 */
function _foldsByCase(cases: readonly string[], folds: number, seed: number): Map<string, number> {
  const ids = [...new Set(cases)].sort();
  const uniform = _uniform(seed);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const k = Math.min(folds, ids.length);
  return new Map(ids.map((id, i) => [id, i % k]));
}

/**
 * The isotonic fit on a group's graded pairs that `use` keeps.
 *
 * @param group The group.
 * @param use Whether pair i (an index into the group's rows) is fitted.
 * @returns The fit, or undefined without a pair.
 */
function _fit(group: _Group, use: (i: number) => boolean): IsotonicFit | undefined {
  const x: number[] = [], y: number[] = [];
  group.x.forEach((xi, i) => {
    if (Number.isFinite(group.y[i]) && use(i)) x.push(xi), y.push(group.y[i]!);
  });
  return x.length > 0 ? isotonicRegression(x, y) : undefined;
}

/**
 * Failed judgements per judge × task (keyed `JSON.stringify([judge, task])`): status
 * "failed", or "scored" with a score that is not a finite number.
 */
function _failuresByGroup(trials: DataFrame): Map<string, number> {
  const judge = _values(trials, "judge"), task = _values(trials, "task");
  const status = _values(trials, "status"), score = _values(trials, "score");
  const failed = new Map<string, number>();
  for (let i = 0; i < trials.height; i++) {
    if (!_judgementFailed(status[i], score[i])) continue;
    const key = JSON.stringify([String(judge[i] ?? ""), String(task[i] ?? "")]);
    failed.set(key, (failed.get(key) ?? 0) + 1);
  }
  return failed;
}
