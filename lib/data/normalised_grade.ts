/**
 * The grade on a common 0–1 scale.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "./data_frame.ts";

/**
 * Adds `normalised_grade = grade / max_score`, the scale on which entries of different tasks
 * (and management questions with different rubrics) can be compared.
 *
 * @param dataset A frame with `grade` and `max_score`.
 * @returns The frame with a `normalised_grade` column.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { withNormalisedGrade } from "./normalised_grade.ts";
 * import assert from "node:assert/strict";
 *
 * const df = withNormalisedGrade(pl.DataFrame({ grade: [4, 9], max_score: [5, 12] }));
 * assert.deepEqual(df.getColumn("normalised_grade").toArray(), [0.8, 0.75]);
 * ```
 */
export function withNormalisedGrade(dataset: DataFrame): DataFrame {
  return dataset.withColumns(pl.col("grade").div(pl.col("max_score")).alias("normalised_grade"));
}
