/**
 * `trialsOverview()`: what a run produced, per judge and task — judgements, failures by reason,
 * tokens, latency, and a first look at how the scores track the physicians' grades.
 *
 * @module
 */

import pl from "nodejs-polars";
import { pearson } from "../stats/pearson.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** The columns of `trialsOverview`, in order. */
export const OVERVIEW_COLUMNS = [
  "judge",
  "task",
  "judgements",
  "scored",
  "failed",
  "failure_rate",
  "failures",
  "mean_score",
  "mean_grade",
  "pearson",
  "mae",
  "n_cases",
  "input_tokens",
  "output_tokens",
  "median_latency_ms",
] as const;

interface Group {
  judge: string;
  task: string;
  judgements: number;
  failures: Map<string, number>;
  /** Scored judgements: score and, where the dataset gave one, the physician grade. */
  scores: number[];
  pairs: { score: number; grade: number }[];
  /** The cases of the scored judgements with a grade. */
  cases: Set<unknown>;
  inputTokens: number;
  outputTokens: number;
  latencies: number[];
}

/**
 * One row per judge and task of a trials frame (from `loadTrials`): how many judgements, how many
 * failed and why, and — on the scored judgements of entries with a physician grade — the mean
 * judge score beside the mean grade, Pearson's r and the mean absolute error on the task's own
 * scale (without a `grade` column, `mean_score` is over every scored judgement). Failed
 * judgements are counted as failures and never enter a score column.
 *
 * This is a run's overview, not the agreement analysis: it has no confidence intervals and no
 * physician ceiling. `pearson` is `NaN` when either side is constant or fewer than 2 pairs exist.
 *
 * Columns (`OVERVIEW_COLUMNS`): `judge`, `task`, `judgements`, `scored`, `failed`,
 * `failure_rate`, `failures` (reasons with counts, most common first, e.g. `"invalid_json 2,
 * refusal 1"`; empty when none), `mean_score`, `mean_grade`, `pearson`, `mae` (null where no
 * scored judgement has a grade), `n_cases` (the cases behind those pairs, when the frame has
 * `case_id`; null otherwise), `input_tokens`, `output_tokens` (summed where reported),
 * `median_latency_ms`. Rows sorted by judge, then task.
 *
 * @param trials A trials frame; `grade` is used when present (join the dataset in `loadTrials`).
 * @returns The overview frame.
 * @throws {Error} When `trials` lacks a column the overview needs, naming it.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { trialsOverview } from "./trials_overview.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j"],
 *   task: ["cpc_bond", "cpc_bond", "cpc_bond"],
 *   status: ["scored", "scored", "failed"],
 *   score: [5, 3, null],
 *   reason: [null, null, "invalid_json"],
 *   grade: [4, 3, 5],
 *   input_tokens: [100, 100, 100],
 *   output_tokens: [10, 10, 10],
 *   latency_ms: [200, 300, 400],
 * });
 * const row = trialsOverview(trials).toRecords()[0]!;
 * assert.deepEqual([row.judgements, row.scored, row.failed, row.failures], [3, 2, 1, "invalid_json 1"]);
 * assert.equal(row.mae, 0.5); // |5 − 4| and |3 − 3|; the failure is not a score
 * ```
 */
export function trialsOverview(trials: DataFrame): DataFrame {
  const needed = ["judge", "task", "status", "score", "reason"];
  const missing = needed.filter((c) => !trials.columns.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `trialsOverview(): the trials frame lacks ${missing.map((c) => `"${c}"`).join(", ")}; ` +
        "pass the frame from loadTrials()",
    );
  }
  const groups = _groups(trials);
  const rows = [...groups.values()].sort((a, b) =>
    a.judge < b.judge ? -1 : a.judge > b.judge ? 1 : a.task < b.task ? -1 : a.task > b.task ? 1 : 0
  );
  return _frame(rows, trials.columns.includes("grade"), trials.columns.includes("case_id"));
}

/** Reads the trials into one group per judge and task. */
function _groups(trials: DataFrame): Map<string, Group> {
  const column = <T>(name: string): (T | null)[] | undefined =>
    trials.columns.includes(name) ? trials.getColumn(name).toArray() as (T | null)[] : undefined;
  const judges = column<string>("judge")!;
  const tasks = column<string>("task")!;
  const statuses = column<string>("status")!;
  const scores = column<number>("score")!;
  const reasons = column<string>("reason")!;
  const grades = column<number>("grade");
  const cases = column<unknown>("case_id");
  const inputs = column<number | bigint>("input_tokens");
  const outputs = column<number | bigint>("output_tokens");
  const latencies = column<number>("latency_ms");

  const groups = new Map<string, Group>();
  for (let i = 0; i < trials.height; i++) {
    const judge = judges[i] ?? "", task = tasks[i] ?? "";
    const id = JSON.stringify([judge, task]);
    let group = groups.get(id);
    if (!group) {
      group = {
        judge,
        task,
        judgements: 0,
        failures: new Map(),
        scores: [],
        pairs: [],
        cases: new Set(),
        inputTokens: 0,
        outputTokens: 0,
        latencies: [],
      };
      groups.set(id, group);
    }
    group.judgements++;
    group.inputTokens += Number(inputs?.[i] ?? 0);
    group.outputTokens += Number(outputs?.[i] ?? 0);
    const latency = latencies?.[i];
    if (typeof latency === "number" && Number.isFinite(latency)) group.latencies.push(latency);
    const score = scores[i];
    if (statuses[i] === "scored" && typeof score === "number" && Number.isFinite(score)) {
      group.scores.push(score);
      const grade = grades?.[i];
      if (typeof grade === "number" && Number.isFinite(grade)) {
        group.pairs.push({ score, grade });
        if (cases) group.cases.add(cases[i]);
      }
    } else {
      const reason = reasons[i] ?? "unknown";
      group.failures.set(reason, (group.failures.get(reason) ?? 0) + 1);
    }
  }
  return groups;
}

/** The overview frame, one row per group. */
function _frame(rows: readonly Group[], graded: boolean, withCases: boolean): DataFrame {
  const failedOf = (g: Group) => [...g.failures.values()].reduce((n, k) => n + k, 0);
  const mean = (xs: number[]) => xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
  return pl.DataFrame([
    pl.Series("judge", rows.map((g) => g.judge), pl.Utf8),
    pl.Series("task", rows.map((g) => g.task), pl.Utf8),
    pl.Series("judgements", rows.map((g) => g.judgements), pl.Int64),
    pl.Series("scored", rows.map((g) => g.scores.length), pl.Int64),
    pl.Series("failed", rows.map(failedOf), pl.Int64),
    pl.Series("failure_rate", rows.map((g) => failedOf(g) / g.judgements), pl.Float64),
    pl.Series(
      "failures",
      rows.map((g) =>
        [...g.failures].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([reason, n]) => `${reason} ${n}`).join(", ")
      ),
      pl.Utf8,
    ),
    pl.Series(
      "mean_score",
      rows.map((g) => mean(graded ? g.pairs.map((p) => p.score) : g.scores)),
      pl.Float64,
    ),
    pl.Series("mean_grade", rows.map((g) => mean(g.pairs.map((p) => p.grade))), pl.Float64),
    pl.Series(
      "pearson",
      rows.map((g) =>
        g.pairs.length < 2
          ? (g.pairs.length === 0 ? null : NaN)
          : pearson(g.pairs.map((p) => p.score), g.pairs.map((p) => p.grade))
      ),
      pl.Float64,
    ),
    pl.Series(
      "mae",
      rows.map((g) => mean(g.pairs.map((p) => Math.abs(p.score - p.grade)))),
      pl.Float64,
    ),
    pl.Series("n_cases", rows.map((g) => withCases ? g.cases.size : null), pl.Int64),
    pl.Series("input_tokens", rows.map((g) => g.inputTokens), pl.Int64),
    pl.Series("output_tokens", rows.map((g) => g.outputTokens), pl.Int64),
    pl.Series("median_latency_ms", rows.map((g) => median(g.latencies)), pl.Float64),
  ]);
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = xs.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
