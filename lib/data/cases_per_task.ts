/**
 * How responses group into clinical cases, task by task.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "./data_frame.ts";

/**
 * Per task: distinct cases, responses, and responses per case. Responses to one case are not
 * independent (same vignette, often the same raters), which is why confidence intervals
 * resample whole cases.
 *
 * @param dataset A frame with `benchmark` and `case_id`.
 * @returns Columns `benchmark`, `cases`, `responses`, `responses_per_case`, largest first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { casesPerTask } from "./cases_per_task.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ benchmark: ["cpc_bond", "cpc_bond", "cpc_bond"], case_id: ["a", "a", "b"] });
 * assert.deepEqual(casesPerTask(df).toRecords(), [
 *   { benchmark: "cpc_bond", cases: 2, responses: 3, responses_per_case: 1.5 },
 * ]);
 * ```
 */
export function casesPerTask(dataset: DataFrame): DataFrame {
  return dataset
    .groupBy("benchmark")
    .agg(
      pl.col("case_id").nUnique().cast(pl.Int64).alias("cases"),
      pl.len().cast(pl.Int64).alias("responses"),
    )
    .withColumns(
      pl.col("responses").cast(pl.Float64).div(pl.col("cases")).alias("responses_per_case"),
    )
    .sort(["responses", "benchmark"], [true, false]);
}
