/**
 * The physician grades of each task in numbers.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "./data_frame.ts";

/**
 * Per task: entries, the range of `max_score`, and the mean, median, minimum and maximum of the
 * physician reference grade (on the task's own scale), plus the mean `grade / max_score`.
 *
 * @param dataset A frame from `loadDataset`.
 * @returns One row per task, largest first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { gradeSummary } from "./grade_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ benchmark: ["r_idea", "r_idea"], grade: [8, 10], max_score: [10, 10] });
 * const row = gradeSummary(df).toRecords()[0]!;
 * assert.equal(row.mean_grade, 9);
 * assert.equal(row.mean_normalised, 0.9);
 * ```
 */
export function gradeSummary(dataset: DataFrame): DataFrame {
  return dataset
    .groupBy("benchmark")
    .agg(
      pl.len().cast(pl.Int64).alias("entries"),
      pl.col("max_score").min().alias("max_score_min"),
      pl.col("max_score").max().alias("max_score_max"),
      pl.col("grade").mean().alias("mean_grade"),
      pl.col("grade").median().alias("median_grade"),
      pl.col("grade").min().alias("min_grade"),
      pl.col("grade").max().alias("max_grade"),
      pl.col("grade").div(pl.col("max_score")).mean().alias("mean_normalised"),
    )
    .sort(["entries", "benchmark"], [true, false]);
}
