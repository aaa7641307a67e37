/**
 * `agreementSummary()`: one metric of a run, per task and judge, beside the physician ceiling —
 * the table a reader looks at first.
 *
 * @module
 */

import pl from "nodejs-polars";

/** The columns of `agreementSummary`, in order. */
export const SUMMARY_COLUMNS = [
  "task",
  "judge",
  "n",
  "failure_rate",
  "estimate",
  "lower",
  "upper",
  "ceiling",
  "ceiling_lower",
  "ceiling_upper",
  "difference",
  "difference_lower",
  "difference_upper",
  "share_beaten",
] as const;

/**
 * Joins one metric of `agreement()` (the judge against the physician grade, with its interval)
 * to the same metric of `ceiling()` (the physician–physician ceiling, leave-one-out; the judge's
 * gap to it on the same pairs, with its paired interval; the share of physicians the judge
 * matches or beats). Rows follow the agreement frame's order; a judge the ceiling frame lacks
 * (the constant baseline, say) gets the task's ceiling and null gap columns.
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
 *   upper: [0.88], n: [40], failure_rate: [0.025],
 * });
 * const ceiling = pl.DataFrame({
 *   task: ["r_idea"], judge: ["gpt-4o"], metric: ["pearson"], ceiling: [0.9], ceiling_lower: [0.85],
 *   ceiling_upper: [0.94], difference: [-0.1], difference_lower: [-0.2], difference_upper: [0.01],
 *   share_beaten: [0.25],
 * });
 * const [row] = agreementSummary(agreement, ceiling, "pearson").toRecords();
 * assert.deepEqual([row?.estimate, row?.ceiling, row?.share_beaten], [0.8, 0.9, 0.25]);
 * ```
 */
export function agreementSummary(
  agreement: pl.DataFrame,
  ceiling: pl.DataFrame,
  metric = "kappa_quadratic",
): pl.DataFrame {
  need(
    agreement,
    ["task", "judge", "metric", "estimate", "lower", "upper", "n", "failure_rate"],
    "agreement",
  );
  need(ceiling, [
    "task",
    "judge",
    "metric",
    "ceiling",
    "ceiling_lower",
    "ceiling_upper",
    "difference",
    "difference_lower",
    "difference_upper",
    "share_beaten",
  ], "ceiling");
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
  const out = rows.map((r) => {
    const own = byJudge.get(`${r.task}\u0000${r.judge}`);
    const task = own ?? byTask.get(String(r.task));
    return {
      task: String(r.task),
      judge: String(r.judge),
      n: number(r.n),
      failure_rate: number(r.failure_rate),
      estimate: number(r.estimate),
      lower: number(r.lower),
      upper: number(r.upper),
      ceiling: number(task?.ceiling),
      ceiling_lower: number(task?.ceiling_lower),
      ceiling_upper: number(task?.ceiling_upper),
      difference: number(own?.difference),
      difference_lower: number(own?.difference_lower),
      difference_upper: number(own?.difference_upper),
      share_beaten: number(own?.share_beaten),
    };
  });
  return pl.DataFrame([
    pl.Series("task", out.map((r) => r.task), pl.Utf8),
    pl.Series("judge", out.map((r) => r.judge), pl.Utf8),
    pl.Series("n", out.map((r) => r.n), pl.Int64),
    ...SUMMARY_COLUMNS.slice(3).map((name) =>
      pl.Series(name, out.map((r) => r[name as keyof typeof r] as number | null), pl.Float64)
    ),
  ]);
}

function need(frame: pl.DataFrame, columns: string[], what: string): void {
  const missing = columns.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `agreementSummary(): the ${what} frame lacks ${missing.map((c) => `"${c}"`).join(", ")}; ` +
        `pass the frame from ${what}()`,
    );
  }
}
