/**
 * The per-physician scores of a dataset as a long frame.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "./data_frame.ts";

/**
 * One row per (entry, physician) score: the long form the physician–physician ceiling is
 * built from.
 *
 * Entries that carry only a reference `grade` and no per-rater scores contribute no rows.
 *
 * @param dataset A frame from `loadDataset` (it needs `raters` and `rater_scores`).
 * @returns Columns `id`, `case_id`, `benchmark`, `study`, `model`, `max_score`, `rater`, `score`
 *   (and `synthetic` when the dataset has it).
 * @throws {Error} When the frame lacks the per-rater columns.
 *
 * @example
 * ```ts
 * import { entriesFrame } from "./entries_frame.ts";
 * import { ratings } from "./ratings.ts";
 * import assert from "node:assert/strict";
 *
 * const df = entriesFrame([{
 *   id: "a", case_id: "c1", benchmark: "r_idea", study: "cabral2024", model: "resident",
 *   grade: 8.5, max_score: 10, response: "…",
 *   grades: [{ rater: "p1", score: 8 }, { rater: "p2", score: 9 }],
 * }]);
 * const long = ratings(df);
 * assert.deepEqual(long.getColumn("rater").toArray(), ["p1", "p2"]);
 * assert.deepEqual(long.getColumn("score").toArray(), [8, 9]);
 * ```
 */
export function ratings(dataset: DataFrame): DataFrame {
  for (const column of ["raters", "rater_scores"]) {
    if (!dataset.columns.includes(column)) {
      throw new Error(
        `ratings(): the frame has no ${JSON.stringify(column)} column; pass a frame from ` +
          "loadDataset() (or keep that column when selecting)",
      );
    }
  }
  // The synthetic mark travels with the scores, so figures of them can say so.
  const keep = ["id", "case_id", "benchmark", "study", "model", "max_score"];
  if (dataset.columns.includes("synthetic")) keep.push("synthetic");
  return dataset
    .select(...keep, "raters", "rater_scores")
    .explode(["raters", "rater_scores"])
    .filter(pl.col("raters").isNotNull())
    .rename({ raters: "rater", rater_scores: "score" })
    .select(...keep.slice(0, 6), "rater", "score", ...keep.slice(6));
}
