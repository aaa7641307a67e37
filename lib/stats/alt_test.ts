/**
 * `altTest()`: the Alternative Annotator Test — can the judge stand in for a physician?
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { _tCdf } from "./_distributions.ts";
import { _benjaminiYekutieli } from "./_benjamini_yekutieli.ts";
import {
  _checkFrame,
  _compare,
  _failureNote,
  _judgementFailed,
  _list,
  _num,
  _RepeatScores,
  _repeatsOption,
  _values,
} from "./_report_input.ts";

/** Options for {@linkcode altTest}. */
export interface AltTestOptions {
  /**
   * The cost-benefit margin ε in [0, 1): how much more often a physician may win before the
   * judge is said to lose to them. 0.2 by default, the authors' value for expert annotators.
   */
  epsilon?: number;
  /** The false discovery rate for the Benjamini–Yekutieli correction, in (0, 1); 0.05. */
  q?: number;
  /** The fewest items a physician needs to be tested (a positive integer); 30 by default. */
  minItems?: number;
  /** A judge's repeats of an entry: their `"mean"` (the default) or the `"first"` scored one. */
  repeats?: "mean" | "first";
}

/** What {@linkcode altTest} returns. */
export interface AltTestResult {
  /**
   * One row per judge × task × physician seen: `task`, `judge`, `physician`, `n`,
   * `rho_judge`, `rho_physician`, `p_value`, `rejected`.
   */
  physicians: DataFrame;
  /**
   * One row per judge × task: `task`, `judge`, `n_physicians`, `winning_rate`,
   * `advantage_probability`, `passed`, `note`.
   */
  verdict: DataFrame;
}

/** One entry of a (judge, task) group: the judge's scored judgements and the physicians'. */
interface _Entry {
  judge: _RepeatScores;
  raters: unknown[];
  scores: unknown[];
}

/** A (judge, task) group's entries, keyed by `entry_id`. */
interface _Group {
  task: string;
  judge: string;
  entries: Map<string, _Entry>;
  /** Every judgement of the group, failed ones included. */
  judgements: number;
  /** Failed judgements: status "failed", or "scored" with a score that is not finite. */
  failed: number;
}

/** A physician's win indicators over the items that count for them. */
interface _Wins {
  judge: number[];
  physician: number[];
}

/** One physician's row of the `physicians` frame. */
interface _PhysicianRow {
  physician: string;
  n: number;
  rhoJudge: number | null;
  rhoPhysician: number | null;
  pValue: number | null;
  rejected: boolean | null;
}

/**
 * The Alternative Annotator Test (Calderon, Reichart & Dror, ACL 2025, "The Alternative
 * Annotator Test for LLM-as-a-Judge"): per judge and task, does the judge represent the
 * physicians at least as well as a physician does, up to a margin ε?
 *
 * Leave one physician out at a time. For physician j, the items that count are those j scored,
 * the judge scored, and at least one other physician scored; j is tested when at least
 * `minItems` items count (`n`). On each such item, with O the other physicians on it, the
 * alignment of a score x with them is S(x) = −√(mean over k in O of (x − h_k)²) (the
 * authors' negative RMSE), for the judge's score and for j's own score h_j. The judge wins the
 * item when S(judge) ≥ S(h_j), and j wins it when S(h_j) ≥ S(judge): a tie counts for both.
 * (The two are compared on their sums of squared differences from the same others, which
 * order the same as S and keep exact ties exact.) ρ_judge and ρ_j are the shares of items each
 * wins.
 *
 * Per physician, a one-sided paired t-test of H0: mean(W_judge − W_j) ≤ −ε against
 * mean > −ε, on the n per-item differences d: t = (mean(d) + ε) / (sd(d) / √n), with sd
 * over n − 1, and p = P(T > t) with n − 1 degrees of freedom. When every difference is equal
 * (no variance; also when n = 1) the test cannot be formed: p = 0 when that difference is
 * > −ε, else 1. ε is the judge's head start for being cheap and fast: a larger ε lets a judge
 * that wins a little less often than a physician still win.
 *
 * The p-values of a judge × task's tested physicians are corrected with Benjamini–Yekutieli
 * (step-up, c(m) = Σ 1/i; see `_benjaminiYekutieli`) at `q`: `rejected` = adjusted p ≤ q, the
 * judge "beats" j. The winning rate ω is the share of tested physicians beaten, and the judge
 * passes when ω ≥ 0.5. The advantage probability ρ is the mean of ρ_judge over the tested
 * physicians: the chance the judge is as good as a randomly chosen physician, for ranking
 * judges.
 *
 * Input is a trials frame (from `loadTrials(dir, { dataset })`), whose `raters` and
 * `rater_scores` lists carry each physician's score. A judge's scored repeats of an entry are
 * averaged (or the first scored one is used); failed judgements (status other than `"scored"`,
 * or a score that is not a finite number: `NaN`, ±`Infinity`) never become scores, and an entry
 * with no scored judgement is left out. The verdict's `note` counts them: "the judge failed 3 of
 * 40 judgements". Physician scores that are null are treated as not given.
 *
 * The `physicians` frame lists every physician seen on a judge × task's entries, with `n`
 * (possibly 0) so that a short count is visible. `rho_judge` and `rho_physician` are given
 * whenever n ≥ 1; `p_value` and `rejected` only for tested physicians (n ≥ `minItems`).
 * In `verdict`, `n_physicians` counts the tested physicians. There is no verdict
 * (`winning_rate` and `passed` null) with fewer than two tested physicians, and `note` says
 * why: the judge scored no entry of the task, or how many items each physician had. A verdict
 * row's `note` also names physicians left out for too few items, and warns when only two were
 * tested (the authors recommend three or more); otherwise it is null. `advantage_probability`
 * is given whenever a physician is tested, verdict or not.
 *
 * The default `minItems` of 30 is the authors' floor for the t-test's normal approximation;
 * a smaller `minItems` (tasks with few cases) gives p-values that lean on it more.
 *
 * @param frame A trials frame: `judge`, `task`, `entry_id`, `status`, `score`, `raters`,
 *   `rater_scores` (and `repeat` with `repeats: "first"`).
 * @param options `epsilon` (0.2), `q` (0.05), `minItems` (30), `repeats` (`"mean"`).
 * @returns The `physicians` and `verdict` frames, sorted by task, judge (and physician).
 * @throws {RangeError} On a dataset frame (no `judge` column), an empty frame or a missing
 *   column, an option out of range, or an entry whose `raters` and `rater_scores` differ in
 *   length or that lists a physician twice.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { altTest } from "./alt_test.ts";
 * import assert from "node:assert/strict";
 *
 * // Three physicians on four entries; the judge gives the mean of the physicians' scores.
 * const scores = [[2, 3, 4], [1, 1, 4], [5, 3, 4], [0, 2, 1]];
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j", "j"],
 *   task: ["t", "t", "t", "t"],
 *   entry_id: ["e1", "e2", "e3", "e4"],
 *   status: ["scored", "scored", "scored", "scored"],
 *   score: [3, 2, 4, 1],
 *   raters: scores.map(() => ["p1", "p2", "p3"]),
 *   rater_scores: scores,
 * });
 * const { physicians, verdict } = altTest(trials, { minItems: 4 });
 * // On every item the judge is at least as close to the other two as the physician is.
 * assert.deepEqual(physicians.getColumn("rho_judge").toArray(), [1, 1, 1]);
 * // p1 never ties (p = 0); p2 ties once (p ≈ 0.016), p3 twice (p ≈ 0.047). After
 * // Benjamini–Yekutieli (adjusted 0, 0.044, 0.086) the judge beats p1 and p2: ω = 2/3.
 * assert.deepEqual(physicians.getColumn("rejected").toArray(), [true, true, false]);
 * const row = verdict.toRecords()[0]!;
 * assert.equal(row.winning_rate, 2 / 3);
 * assert.equal(row.advantage_probability, 1);
 * assert.equal(row.passed, true);
 * ```
 */
export function altTest(frame: DataFrame, options: AltTestOptions = {}): AltTestResult {
  const fn = "altTest";
  const { epsilon, q, minItems, repeats } = _altTestOptions(fn, options);
  if (
    typeof frame === "object" && frame !== null && Array.isArray(frame.columns) &&
    !frame.columns.includes("judge")
  ) {
    throw new RangeError(
      `${fn}(): frame has no "judge" column — a dataset frame has no judge to test; pass a ` +
        `trials frame from loadTrials(dir, { dataset })`,
    );
  }
  const needed = ["judge", "task", "entry_id", "status", "score", "raters", "rater_scores"];
  if (repeats === "first") needed.push("repeat");
  _checkFrame(fn, "frame", frame, needed);

  const physicianRows: Record<string, unknown[]> = _columns(PHYSICIAN_COLUMNS);
  const verdictRows: Record<string, unknown[]> = _columns(VERDICT_COLUMNS);
  for (const group of _groups(frame)) {
    const { wins, judged } = _wins(fn, group, repeats);
    const rows = _physicianRows(wins, epsilon, q, minItems);
    for (const r of rows) {
      const row: Record<string, unknown> = {
        task: group.task,
        judge: group.judge,
        physician: r.physician,
        n: r.n,
        rho_judge: r.rhoJudge,
        rho_physician: r.rhoPhysician,
        p_value: r.pValue,
        rejected: r.rejected,
      };
      for (const c of PHYSICIAN_COLUMNS) physicianRows[c]!.push(row[c] ?? null);
    }
    const verdict: Record<string, unknown> = {
      task: group.task,
      judge: group.judge,
      ..._verdict(rows, judged, minItems),
    };
    // Failures (NaN or ±Infinity scores among them) are said, not silently dropped.
    const failures = _failureNote(group.failed, group.judgements);
    if (failures !== null && group.failed < group.judgements) {
      verdict.note = verdict.note === null ? failures : `${verdict.note}; ${failures}`;
    }
    for (const c of VERDICT_COLUMNS) verdictRows[c]!.push(verdict[c] ?? null);
  }
  return {
    physicians: _frame(PHYSICIAN_COLUMNS, physicianRows),
    verdict: _frame(VERDICT_COLUMNS, verdictRows),
  };
}

const PHYSICIAN_COLUMNS = [
  "task",
  "judge",
  "physician",
  "n",
  "rho_judge",
  "rho_physician",
  "p_value",
  "rejected",
] as const;

const VERDICT_COLUMNS = [
  "task",
  "judge",
  "n_physicians",
  "winning_rate",
  "advantage_probability",
  "passed",
  "note",
] as const;

/** The output columns that are not Float64. */
const DTYPES: Record<string, pl.DataType> = {
  task: pl.Utf8,
  judge: pl.Utf8,
  physician: pl.Utf8,
  note: pl.Utf8,
  n: pl.Int64,
  n_physicians: pl.Int64,
  rejected: pl.Bool,
  passed: pl.Bool,
};

/** Empty value lists for the named columns. */
function _columns(names: readonly string[]): Record<string, unknown[]> {
  return Object.fromEntries(names.map((c) => [c, []]));
}

/** A frame from value lists, each column with its dtype (Float64 unless listed). */
function _frame(names: readonly string[], values: Record<string, unknown[]>): DataFrame {
  return pl.DataFrame(names.map((c) => pl.Series(c, values[c]!, DTYPES[c] ?? pl.Float64)));
}

/**
 * Checks the options and fills in the defaults.
 *
 * @param fn The public function, for messages.
 * @param options The options as given.
 * @returns The settled options.
 * @throws {RangeError} When ε is not in [0, 1), q not in (0, 1), minItems not a positive
 *   integer, or repeats not `"mean"` / `"first"`.
 */
function _altTestOptions(
  fn: string,
  options: AltTestOptions,
): { epsilon: number; q: number; minItems: number; repeats: "mean" | "first" } {
  const epsilon = options.epsilon ?? 0.2, q = options.q ?? 0.05;
  const minItems = options.minItems ?? 30;
  if (typeof epsilon !== "number" || !(epsilon >= 0 && epsilon < 1)) {
    throw new RangeError(`${fn}(): options.epsilon must be in [0, 1), got ${epsilon}`);
  }
  if (typeof q !== "number" || !(q > 0 && q < 1)) {
    throw new RangeError(`${fn}(): options.q must be in (0, 1), got ${q}`);
  }
  if (!Number.isInteger(minItems) || minItems < 1) {
    throw new RangeError(`${fn}(): options.minItems must be a positive integer, got ${minItems}`);
  }
  return { epsilon, q, minItems, repeats: _repeatsOption(fn, options.repeats) };
}

/**
 * Groups the rows by judge × task and entry; an entry's physician lists come from its first
 * row, and every scored judgement of it is kept.
 *
 * @param frame The checked trials frame.
 * @returns The groups, sorted by task then judge.
 */
function _groups(frame: DataFrame): _Group[] {
  const task = _values(frame, "task"), judge = _values(frame, "judge");
  const entry = _values(frame, "entry_id"), status = _values(frame, "status");
  const score = _values(frame, "score");
  const raters = _values(frame, "raters"), scores = _values(frame, "rater_scores");
  const repeat = frame.columns.includes("repeat") ? _values(frame, "repeat") : undefined;
  const groups = new Map<string, _Group>();
  for (let i = 0; i < frame.height; i++) {
    const key = JSON.stringify([task[i], judge[i]]);
    let g = groups.get(key);
    if (!g) {
      groups.set(
        key,
        g = {
          task: String(task[i]),
          judge: String(judge[i]),
          entries: new Map(),
          judgements: 0,
          failed: 0,
        },
      );
    }
    g.judgements++;
    if (_judgementFailed(status[i], score[i])) g.failed++;
    const id = String(entry[i]);
    let e = g.entries.get(id);
    if (!e) {
      g.entries.set(
        id,
        e = { judge: new _RepeatScores(), raters: _list(raters[i]), scores: _list(scores[i]) },
      );
    }
    const s = _num(score[i]);
    if (status[i] === "scored" && Number.isFinite(s)) e.judge.add(s, _num(repeat?.[i] ?? 0));
  }
  return [...groups.values()].sort((a, b) =>
    _compare(a.task, b.task) || _compare(a.judge, b.judge)
  );
}

/**
 * The physicians' scores on an entry, null ones left out.
 *
 * @param fn The public function, for messages.
 * @param id The entry's id.
 * @param entry The entry.
 * @returns Each physician who scored it, with the score.
 * @throws {RangeError} When `raters` and `rater_scores` differ in length, or a physician is
 *   listed twice.
 */
function _ratings(fn: string, id: string, entry: _Entry): { rater: string; score: number }[] {
  if (entry.raters.length !== entry.scores.length) {
    throw new RangeError(
      `${fn}(): entry_id ${id} has ${entry.raters.length} raters but ` +
        `${entry.scores.length} rater_scores`,
    );
  }
  const seen = new Set<string>();
  const present: { rater: string; score: number }[] = [];
  entry.raters.forEach((r, k) => {
    const rater = String(r);
    if (seen.has(rater)) {
      throw new RangeError(`${fn}(): entry_id ${id} lists physician ${rater} twice in raters`);
    }
    seen.add(rater);
    const s = _num(entry.scores[k]);
    if (Number.isFinite(s)) present.push({ rater, score: s });
  });
  return present;
}

/**
 * Every physician's win indicators in a group: on each entry the judge scored, for each
 * physician j on it with at least one other, whether the judge and whether j is the closer
 * (in root mean squared difference) to the other physicians.
 *
 * @param fn The public function, for messages.
 * @param group The group.
 * @param repeats How to make a judge's repeats one score.
 * @returns The indicators per physician seen (an empty list for one whose items do not count)
 *   and the number of entries the judge scored.
 */
function _wins(
  fn: string,
  group: _Group,
  repeats: "mean" | "first",
): { wins: Map<string, _Wins>; judged: number } {
  const wins = new Map<string, _Wins>();
  let judged = 0;
  for (const [id, entry] of group.entries) {
    const ratings = _ratings(fn, id, entry);
    for (const { rater } of ratings) {
      if (!wins.has(rater)) wins.set(rater, { judge: [], physician: [] });
    }
    const f = entry.judge.score(repeats);
    if (!Number.isFinite(f)) continue;
    judged++;
    if (ratings.length < 2) continue;
    for (const j of ratings) {
      // Sums of squares over the same others: the order of the two S values, without √.
      let judgeSq = 0, ownSq = 0;
      for (const k of ratings) {
        if (k === j) continue;
        judgeSq += (f - k.score) ** 2;
        ownSq += (j.score - k.score) ** 2;
      }
      const w = wins.get(j.rater)!;
      w.judge.push(judgeSq <= ownSq ? 1 : 0);
      w.physician.push(ownSq <= judgeSq ? 1 : 0);
    }
  }
  return { wins, judged };
}

/**
 * The `physicians` rows of a group: rates, the one-sided t-test's p-value for tested
 * physicians, and their Benjamini–Yekutieli decisions.
 *
 * @param wins The indicators per physician.
 * @param epsilon ε.
 * @param q The false discovery rate.
 * @param minItems The fewest items for a physician to be tested.
 * @returns One row per physician, sorted by id.
 */
function _physicianRows(
  wins: ReadonlyMap<string, _Wins>,
  epsilon: number,
  q: number,
  minItems: number,
): _PhysicianRow[] {
  const rows: _PhysicianRow[] = [...wins.keys()].sort(_compare).map((physician) => {
    const w = wins.get(physician)!, n = w.judge.length;
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    return {
      physician,
      n,
      rhoJudge: n > 0 ? mean(w.judge) : null,
      rhoPhysician: n > 0 ? mean(w.physician) : null,
      pValue: n >= minItems ? _pValue(w.judge.map((x, i) => x - w.physician[i]!), epsilon) : null,
      rejected: null,
    };
  });
  const tested = rows.filter((r) => r.pValue !== null);
  const { rejected } = _benjaminiYekutieli(tested.map((r) => r.pValue!), q);
  tested.forEach((r, i) => r.rejected = rejected[i]!);
  return rows;
}

/**
 * The one-sided paired t-test of H0: mean(d) ≤ −ε against mean(d) > −ε.
 *
 * @param d The per-item differences W_judge − W_j.
 * @param epsilon ε.
 * @returns P(T_{n−1} > (mean(d) + ε) / (sd(d)/√n)); when every difference is equal, 0 if it
 *   is > −ε and 1 otherwise.
 */
function _pValue(d: readonly number[], epsilon: number): number {
  const n = d.length;
  if (d.every((x) => x === d[0])) return d[0]! > -epsilon ? 0 : 1;
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const ss = d.reduce((a, x) => a + (x - mean) ** 2, 0);
  const t = (mean + epsilon) / Math.sqrt(ss / (n - 1) / n);
  return _tCdf(t, n - 1, true);
}

/**
 * A group's verdict: the winning rate, the advantage probability, whether the judge passes,
 * and a note on anything that limits it.
 *
 * @param rows The group's physician rows.
 * @param judged How many entries the judge scored.
 * @param minItems The fewest items for a physician to be tested.
 * @returns The verdict columns.
 */
function _verdict(
  rows: readonly _PhysicianRow[],
  judged: number,
  minItems: number,
): Record<string, unknown> {
  const tested = rows.filter((r) => r.pValue !== null);
  const short = rows.filter((r) => r.pValue === null);
  const counts = (list: readonly _PhysicianRow[]) =>
    list.map((r) => `${r.physician} (${r.n})`).join(", ");
  const rho = tested.length > 0
    ? tested.reduce((a, r) => a + r.rhoJudge!, 0) / tested.length
    : null;
  if (judged === 0 || rows.length === 0 || tested.length < 2) {
    const note = judged === 0
      ? "no verdict: the judge scored no entry of this task (every judgement failed)"
      : rows.length === 0
      ? "no verdict: no physician scored an entry of this task"
      : `no verdict: physicians with at least ${minItems} items: ${tested.length} of ` +
        `${rows.length} (items per physician: ${counts(rows)}); the alt-test needs 2`;
    return {
      n_physicians: tested.length,
      winning_rate: null,
      advantage_probability: rho,
      passed: null,
      note,
    };
  }
  const omega = tested.filter((r) => r.rejected).length / tested.length;
  const notes: string[] = [];
  if (short.length > 0) notes.push(`left out, fewer than ${minItems} items: ${counts(short)}`);
  if (tested.length === 2) notes.push("only 2 physicians tested; the authors advise 3 or more");
  return {
    n_physicians: tested.length,
    winning_rate: omega,
    advantage_probability: rho,
    passed: omega >= 0.5,
    note: notes.length > 0 ? notes.join("; ") : null,
  };
}
