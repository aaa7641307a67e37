/**
 * `agreementSummary()`: one metric of a run, per task and judge, beside the physician ceiling —
 * the table a reader looks at first.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns, _typedFrame } from "./_report_input.ts";

/** The columns of `agreementSummary`, in order. */
export const SUMMARY_COLUMNS = [
  "task",
  "judge",
  "n",
  "n_cases",
  "failure_rate",
  "estimate",
  "lower",
  "upper",
  "ceiling",
  "ceiling_lower",
  "ceiling_upper",
  "judge_on_ceiling_pairs",
  "difference",
  "difference_lower",
  "difference_upper",
  "note",
] as const;

/** The numbers copied from the agreement row. */
const FROM_AGREEMENT = ["estimate", "lower", "upper", "n", "n_cases", "failure_rate"];
/** The numbers copied from the task's ceiling row (the ceiling does not depend on the judge). */
const FROM_TASK_CEILING = ["ceiling", "ceiling_lower", "ceiling_upper"];
/** The numbers copied from the judge's own ceiling row (beside `judge_estimate`). */
const FROM_OWN_CEILING = ["difference", "difference_lower", "difference_upper"];

/**
 * Joins one metric of `agreement()` (the judge against the physician grade, with its interval)
 * to the same metric of `ceiling()` (the physician–physician ceiling, leave-one-out; the judge
 * on the ceiling's own pairs; the gap between them, with its paired interval). The gap is read
 * from the two numbers beside it: `difference` = `judge_on_ceiling_pairs` − `ceiling`. (The
 * judge's `estimate` is against the physician grade on every scored entry, so it may differ
 * from `judge_on_ceiling_pairs`, which is against the mean of the other physicians on entries
 * two or more physicians scored.) Rows follow the agreement frame's order; a judge the ceiling
 * frame lacks (the constant baseline, say) gets the task's ceiling and null judge and gap
 * columns.
 *
 * `n_cases` is the number of cases behind the judge's estimate; `note` joins the agreement
 * row's note and the ceiling's (few cases, or why an interval is missing). The share of
 * physicians the judge beats is no longer shown here: `altTest()` is the test for that question
 * (`ceiling()` still has `share_beaten`, a description per metric).
 *
 * @param agreement The frame from `agreement(trials)`.
 * @param ceiling The frame from `ceiling(trials)`.
 * @param metric The metric (default `"kappa_quadratic"`).
 * @returns One row per task and judge (`SUMMARY_COLUMNS`).
 * @throws {Error} When either frame lacks a needed column, or has no row for `metric`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { agreementSummary } from "./agreement_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const agreement = pl.DataFrame({
 *   task: ["r_idea"], judge: ["gpt-4o"], metric: ["pearson"], estimate: [0.8], lower: [0.7],
 *   upper: [0.88], n: [40], n_cases: [20], failure_rate: [0.025], note: [null],
 * });
 * const ceiling = pl.DataFrame({
 *   task: ["r_idea"], judge: ["gpt-4o"], metric: ["pearson"], ceiling: [0.9], ceiling_lower: [0.85],
 *   ceiling_upper: [0.94], judge_estimate: [0.78], difference: [-0.12], difference_lower: [-0.2],
 *   difference_upper: [0.01], note: [null],
 * });
 * const [row] = agreementSummary(agreement, ceiling, "pearson").toRecords();
 * assert.deepEqual([row?.estimate, row?.ceiling, row?.judge_on_ceiling_pairs], [0.8, 0.9, 0.78]);
 * ```
 */
export function agreementSummary(
  agreement: DataFrame,
  ceiling: DataFrame,
  metric = "kappa_quadratic",
): DataFrame {
  _requireColumns(
    agreement,
    ["task", "judge", "metric", ...FROM_AGREEMENT, "note"],
    "agreementSummary(): the agreement frame",
    "pass the frame from agreement()",
  );
  _requireColumns(
    ceiling,
    [
      "task",
      "judge",
      "metric",
      ...FROM_TASK_CEILING,
      "judge_estimate",
      ...FROM_OWN_CEILING,
      "note",
    ],
    "agreementSummary(): the ceiling frame",
    "pass the frame from ceiling()",
  );
  const rows = agreement.filter(pl.col("metric").eq(pl.lit(metric))).toRecords() as Record<
    string,
    unknown
  >[];
  if (rows.length === 0) {
    const metrics = [...new Set(agreement.getColumn("metric").toArray() as string[])];
    throw new Error(
      `agreementSummary(): no ${JSON.stringify(metric)} rows; the agreement frame has ${
        metrics.map((m) => JSON.stringify(m)).join(", ")
      }`,
    );
  }
  const byJudge = new Map<string, Record<string, unknown>>();
  const byTask = new Map<string, Record<string, unknown>>();
  for (const r of ceiling.filter(pl.col("metric").eq(pl.lit(metric))).toRecords()) {
    byJudge.set(`${r.task}\u0000${r.judge}`, r as Record<string, unknown>);
    if (!byTask.has(String(r.task))) byTask.set(String(r.task), r as Record<string, unknown>);
  }
  const number = (x: unknown) => typeof x === "number" ? x : null;
  const pick = (from: Record<string, unknown> | undefined, columns: readonly string[]) =>
    Object.fromEntries(columns.map((c) => [c, number(from?.[c])]));
  const out = rows.map((r) => {
    const own = byJudge.get(`${r.task}\u0000${r.judge}`);
    const task = own ?? byTask.get(String(r.task));
    const notes = [r.note, task?.note].filter((n): n is string => typeof n === "string");
    return {
      task: String(r.task),
      judge: String(r.judge),
      ...pick(r, FROM_AGREEMENT),
      ...pick(task, FROM_TASK_CEILING),
      judge_on_ceiling_pairs: number(own?.judge_estimate),
      ...pick(own, FROM_OWN_CEILING),
      note: notes.length > 0 ? [...new Set(notes)].join("; ") : null,
    } as Record<string, unknown>;
  });
  return _typedFrame(SUMMARY_COLUMNS, (name) => out.map((r) => r[name]), {
    text: ["task", "judge", "note"],
    integers: ["n", "n_cases"],
  });
}
