/**
 * `physicianEquivalent()`: the mean PHYSICIAN grade a new respondent model's responses would
 * get, per task, by prediction-powered inference from the judge's scores on all of them and
 * physician grades on a random subset.
 *
 * @module
 */

import type { DataFrame } from "../data/data_frame.ts";
import { ppiMean, type PpiMeanResult } from "./ppi_mean.ts";
import {
  _checkFrame,
  _failureNote,
  _judgementFailed,
  _num,
  _RepeatScores,
  _typedFrame,
  _values,
} from "./_report_input.ts";

/** Options for {@linkcode physicianEquivalent}. */
export interface PhysicianEquivalentOptions {
  /** The respondent model (a value of the trials' `model` column) to estimate. */
  respondent: string;
  /** The `entry_id`s of the respondent's responses that physicians graded (a random subset). */
  labeledIds: readonly string[];
  /** The judge (a value of the `judge` column); needed when the frame has several. */
  judge?: string;
  /** Confidence level, in (0, 1); 0.95 by default. */
  level?: number;
  /** The judge's weight: `"tuned"` (PPI++, the default) or a fixed number (see `ppiMean()`). */
  lambda?: "tuned" | number;
}

/** One response as read from the trials, for the chosen judge. */
export interface _Response {
  task: string;
  id: string;
  model: string;
  caseId: string;
  scores: _RepeatScores;
  grade: number;
  max: number;
  /** The judge's judgements of the response, failed ones included (0 when not counted). */
  judgements?: number;
  /** Those that failed: status "failed", or "scored" with a score that is not finite. */
  failed?: number;
}

/** The columns both `physicianEquivalent()` and `planPhysicianGrading()` read. */
export const _RESPONSE_COLUMNS = [
  "model",
  "judge",
  "task",
  "entry_id",
  "status",
  "score",
  "grade",
  "max_score",
  "case_id",
] as const;

/**
 * Reads the trials for one judge: each (task, entry) once, the judge's scored repeats averaged
 * (failed judgements and non-finite scores never become scores).
 *
 * @param fn The public function, for messages.
 * @param trials The trials frame.
 * @param respondent The respondent model, which must be in the frame.
 * @param judge The judge option.
 * @returns The chosen judge and its responses, keyed by task and entry.
 * @throws {RangeError} On an empty frame, missing columns, an absent respondent (the present
 *   ones are listed), or several judges and no `judge` option (they are listed).
 */
export function _readResponses(
  fn: string,
  trials: DataFrame,
  respondent: unknown,
  judge: unknown,
): { judge: string; responses: Map<string, _Response> } {
  _checkFrame(fn, "trials", trials, _RESPONSE_COLUMNS);
  const judges = [...new Set(_values(trials, "judge").filter((j) => j !== null).map(String))]
    .sort();
  const list = (xs: readonly string[]) => xs.map((x) => JSON.stringify(x)).join(", ");
  if (judge === undefined && judges.length > 1) {
    throw new RangeError(
      `${fn}(): trials has several judges (${list(judges)}); choose one with options.judge`,
    );
  }
  const chosen = judge ?? judges[0];
  if (typeof chosen !== "string" || !judges.includes(chosen)) {
    throw new RangeError(
      `${fn}(): options.judge ${JSON.stringify(chosen)} is not in trials; judges: ${list(judges)}`,
    );
  }
  const model = _values(trials, "model");
  const models = [...new Set(model.filter((m) => m !== null).map(String))].sort();
  if (typeof respondent !== "string" || !models.includes(respondent)) {
    throw new RangeError(
      `${fn}(): options.respondent ${
        JSON.stringify(respondent)
      } is not in trials' model column; respondents: ${list(models)}`,
    );
  }
  // Every column but `model` (read above), in _RESPONSE_COLUMNS' order.
  const [jd, task, entry, status, score, grade, max, caseId] = _RESPONSE_COLUMNS.slice(1)
    .map((c) => _values(trials, c));
  const responses = new Map<string, _Response>();
  for (let i = 0; i < trials.height; i++) {
    if (jd![i] !== chosen) continue;
    const key = JSON.stringify([task![i], entry![i]]);
    let r = responses.get(key);
    if (!r) {
      r = {
        task: String(task![i]),
        id: String(entry![i]),
        model: String(model[i]),
        caseId: caseId![i] === null || caseId![i] === undefined ? "" : String(caseId![i]),
        scores: new _RepeatScores(),
        grade: _num(grade![i]),
        max: _num(max![i]),
        judgements: 0,
        failed: 0,
      };
      responses.set(key, r);
    }
    r.judgements = (r.judgements ?? 0) + 1;
    if (_judgementFailed(status![i], score![i])) r.failed = (r.failed ?? 0) + 1;
    if (!Number.isFinite(r.grade)) r.grade = _num(grade![i]);
    if (!Number.isFinite(r.max)) r.max = _num(max![i]);
    const s = _num(score![i]);
    if (status![i] === "scored" && Number.isFinite(s)) r.scores.add(s, 0);
  }
  return { judge: chosen, responses };
}

/**
 * The mean physician grade of one respondent model's responses, per task, by PPI++ (see
 * `ppiMean()`): the judge's scores on all the respondent's responses, physician grades on those
 * whose ids are in `labeledIds`, clusters = cases.
 *
 * What enters, per task:
 * - a response counts when the judge scored it (status `"scored"` and a finite score; its
 *   repeats averaged). Failed judgements (and "scored" ones whose score is `NaN` or ±`Infinity`)
 *   never become scores, `note` counts them ("the judge failed 2 of 40 judgements"), and a
 *   response with none is left out of both sides;
 * - labeled = the respondent's scored responses whose `entry_id` is in `labeledIds` and that
 *   have a finite `grade`; unlabeled = its other scored responses (a listed id without a grade
 *   counts as ungraded, which keeps the sample random if grades went missing at random; the
 *   `note` says how many).
 *
 * The estimand is the mean physician grade of the respondent's responses over NEW cases (the
 * cases are a sample of the cases the benchmark could have had), so the intervals are
 * cluster-robust over `case_id` with Student's t on G − 1 degrees of freedom; with few cases they
 * are wide, and most of the width is between-case spread that no judge can remove. For the
 * interval to mean anything, `labeledIds` must be a RANDOM subset of the respondent's responses
 * (as `planPhysicianGrading()` picks them), never hand-picked.
 *
 * One row per task of the respondent (sorted), with columns `task`, `respondent`, `judge`,
 * `estimate`, `lower`, `upper`, `standard_error`, `lambda`, `physician_only`,
 * `physician_only_lower`, `physician_only_upper` (the graded responses' own mean and interval),
 * `n_labeled`, `n_unlabeled`, `n_cases`, `max_score`, and `note` (null when all is well). A task
 * that cannot be estimated keeps its row, with `NaN` numbers and the reason in `note`: no graded
 * response in the task, or fewer than 2 cases. When every scored response is graded, the
 * estimate is the physicians' mean (λ = 0) and `note` says so; when the graded responses come
 * from one case, or there is one, the intervals that need more are `NaN` and `note` says why.
 *
 * @param trials A trials frame: columns `model` (the respondent that wrote the response),
 *   `judge`, `task`, `entry_id`, `status`, `score`, `grade`, `max_score`, `case_id`.
 * @param options `respondent`, `labeledIds`, and optionally `judge`, `level`, `lambda`.
 * @returns The frame, one row per task.
 * @throws {RangeError} On an empty frame or missing columns, a respondent absent from the frame
 *   (the present ones are listed), `labeledIds` that is empty or names ids that are not the
 *   respondent's entries (a few are named), several judges and no `judge` option (they are
 *   listed), a scored response without a `case_id`, or a bad `level` or `lambda`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { physicianEquivalent } from "./physician_equivalent.ts";
 * import assert from "node:assert/strict";
 *
 * const ids = ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"];
 * const trials = pl.DataFrame({
 *   model: ids.map(() => "new-model"),
 *   judge: ids.map(() => "gpt-judge"),
 *   task: ids.map(() => "cpc_management"),
 *   entry_id: ids,
 *   status: ids.map(() => "scored"),
 *   score: [3, 4, 5, 2, 3, 3, 4, 5, 4],
 *   grade: [2, null, 4, 1, null, null, 3, null, null],
 *   max_score: ids.map(() => 5),
 *   case_id: ids.map((id) => id[0]),
 * });
 * const result = physicianEquivalent(trials, {
 *   respondent: "new-model",
 *   labeledIds: ["a1", "a3", "b1", "c1"],
 *   lambda: 1,
 * });
 * const row = result.toRecords()[0]!;
 * assert.equal(row.n_labeled, 4);
 * assert.equal(row.n_cases, 3);
 * // The judge's mean on the five ungraded (3.8) minus its bias on the graded ones (1).
 * assert.ok(Math.abs((row.estimate as number) - 2.8) < 1e-12);
 * ```
 */
export function physicianEquivalent(
  trials: DataFrame,
  options: PhysicianEquivalentOptions,
): DataFrame {
  const fn = "physicianEquivalent";
  if (typeof options !== "object" || options === null) {
    throw new RangeError(`${fn}(): options must be { respondent, labeledIds, ... }`);
  }
  _checkLevel(fn, options.level);
  const lambda = options.lambda ?? "tuned";
  if (lambda !== "tuned" && (typeof lambda !== "number" || !Number.isFinite(lambda))) {
    throw new RangeError(
      `${fn}(): options.lambda must be "tuned" or a finite number, got ${JSON.stringify(lambda)}`,
    );
  }
  const { judge, responses } = _readResponses(fn, trials, options.respondent, options.judge);
  const respondent = options.respondent;
  const mine = [...responses.values()].filter((r) => r.model === respondent);
  const labeledIds = _checkLabeledIds(fn, options.labeledIds, mine, respondent);
  const tasks = [...new Set(mine.map((r) => r.task))].sort();
  const out: Record<string, unknown[]> = Object.fromEntries(_COLUMNS.map((c) => [c, []]));
  for (const task of tasks) {
    const row = _taskRow(fn, mine.filter((r) => r.task === task), labeledIds, options);
    for (const c of _COLUMNS) {
      out[c]!.push(
        c === "task" ? task : c === "respondent" ? respondent : c === "judge" ? judge : row[c],
      );
    }
  }
  return _typedFrame(_COLUMNS, (name) => out[name]!, {
    text: ["task", "respondent", "judge", "note"],
    integers: ["n_labeled", "n_unlabeled", "n_cases"],
  });
}

const _COLUMNS = [
  "task",
  "respondent",
  "judge",
  "estimate",
  "lower",
  "upper",
  "standard_error",
  "lambda",
  "physician_only",
  "physician_only_lower",
  "physician_only_upper",
  "n_labeled",
  "n_unlabeled",
  "n_cases",
  "max_score",
  "note",
] as const;

/**
 * Checks a `level` option.
 *
 * @param fn The public function, for messages.
 * @param level The option as given (undefined for the default).
 * @throws {RangeError} When it is given and not a number in (0, 1).
 */
export function _checkLevel(fn: string, level: unknown): void {
  if (level !== undefined && !(typeof level === "number" && level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.level must be in (0, 1), got ${String(level)}`);
  }
}

/**
 * Checks `labeledIds`: a non-empty array of the respondent's entry ids.
 *
 * @param fn The public function, for messages.
 * @param ids The option.
 * @param mine The respondent's responses.
 * @param respondent The respondent, for messages.
 * @returns The ids as a set.
 * @throws {RangeError} When it is not a non-empty array, or names ids that are not the
 *   respondent's entries.
 */
function _checkLabeledIds(
  fn: string,
  ids: readonly string[],
  mine: readonly _Response[],
  respondent: string,
): Set<string> {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new RangeError(`${fn}(): options.labeledIds must be a non-empty array of entry ids`);
  }
  const known = new Set(mine.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const few = unknown.slice(0, 5).map((id) => JSON.stringify(id)).join(", ");
    throw new RangeError(
      `${fn}(): options.labeledIds has ${unknown.length} id${
        unknown.length === 1 ? "" : "s"
      } that are not entries of ${JSON.stringify(respondent)} in trials: ${few}${
        unknown.length > 5 ? ", …" : ""
      }`,
    );
  }
  return new Set(ids);
}

/**
 * One task's row: the PPI estimate or the reason there is none.
 *
 * @param fn The public function, for messages.
 * @param rows The respondent's responses in the task.
 * @param labeledIds The graded ids.
 * @param options The options (`level`, `lambda`).
 * @returns The row's values by column (without task, respondent and judge).
 */
function _taskRow(
  fn: string,
  rows: readonly _Response[],
  labeledIds: ReadonlySet<string>,
  options: PhysicianEquivalentOptions,
): Record<string, number | string | null> {
  const notes: string[] = [];
  const lab = { judge: [] as number[], physician: [] as number[], clusters: [] as string[] };
  const unl = { judge: [] as number[], clusters: [] as string[] };
  let unscored = 0, ungraded = 0, max = NaN;
  for (const r of rows) {
    if (!Number.isFinite(max)) max = r.max;
    const s = r.scores.score("mean");
    const listed = labeledIds.has(r.id);
    if (!Number.isFinite(s)) {
      if (listed) unscored++;
      continue;
    }
    if (r.caseId === "") throw new RangeError(`${fn}(): entry ${r.id} has no case_id`);
    if (listed && Number.isFinite(r.grade)) {
      lab.judge.push(s), lab.physician.push(r.grade), lab.clusters.push(r.caseId);
    } else {
      if (listed) ungraded++;
      unl.judge.push(s), unl.clusters.push(r.caseId);
    }
  }
  const failures = _failureNote(
    rows.reduce((a, r) => a + (r.failed ?? 0), 0),
    rows.reduce((a, r) => a + (r.judgements ?? 0), 0),
  );
  if (failures !== null) notes.push(failures);
  if (unscored > 0) notes.push(`${unscored} graded id(s) have no judge score and are left out`);
  if (ungraded > 0) notes.push(`${ungraded} listed id(s) have no grade and count as ungraded`);
  const n = lab.judge.length, N = unl.judge.length;
  const cases = new Set([...lab.clusters, ...unl.clusters]).size;
  const row: Record<string, number | string | null> = {
    n_labeled: n,
    n_unlabeled: N,
    n_cases: cases,
    max_score: max,
  };
  let result: PpiMeanResult | undefined;
  if (n === 0) notes.push("no physician-graded response (labeledIds) in this task");
  else if (cases < 2) notes.push(`responses from ${cases} case: an interval needs at least 2`);
  else if (N === 0) {
    notes.push("every scored response is graded: the estimate is the physicians' mean");
    // λ = 0 makes the ungraded term vanish; one copy of a graded score keeps ppiMean's N ≥ 1
    // and adds nothing (its case is already counted, its weight is 0).
    result = ppiMean(
      lab,
      { judge: [lab.judge[0]!], clusters: [lab.clusters[0]!] },
      { lambda: 0, ...(options.level === undefined ? {} : { level: options.level }) },
    );
  } else {
    result = ppiMean(lab, unl, {
      ...(options.level === undefined ? {} : { level: options.level }),
      ...(options.lambda === undefined ? {} : { lambda: options.lambda }),
    });
  }
  if (result && n === 1) notes.push("one graded response: no interval");
  else if (result && new Set(lab.clusters).size < 2) {
    notes.push("graded responses from 1 case: no physician-only interval");
  }
  row.estimate = result?.estimate ?? NaN;
  row.lower = result?.lower ?? NaN;
  row.upper = result?.upper ?? NaN;
  row.standard_error = result?.standardError ?? NaN;
  row.lambda = result?.lambda ?? NaN;
  row.physician_only = result?.physicianOnly.estimate ?? NaN;
  row.physician_only_lower = result?.physicianOnly.lower ?? NaN;
  row.physician_only_upper = result?.physicianOnly.upper ?? NaN;
  row.note = notes.length > 0 ? notes.join("; ") : null;
  return row;
}
