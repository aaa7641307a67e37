/**
 * Counting entries by one or more columns.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "./data_frame.ts";

/**
 * The number of entries in each group, largest first (ties in column order).
 *
 * @param dataset Any frame.
 * @param columns The columns to group by, e.g. `"benchmark"` or `"study", "model"`.
 * @returns The group columns and `n`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { countBy } from "./count_by.ts";
 * import assert from "node:assert/strict";
 *
 * const counts = countBy(pl.DataFrame({ benchmark: ["r_idea", "cpc_bond", "cpc_bond"] }), "benchmark");
 * assert.deepEqual(counts.toRecords(), [{ benchmark: "cpc_bond", n: 2 }, { benchmark: "r_idea", n: 1 }]);
 * ```
 */
export function countBy(dataset: DataFrame, ...columns: string[]): DataFrame {
  if (columns.length === 0) throw new Error("countBy(): name at least one column");
  return dataset
    .groupBy(columns)
    .agg(pl.len().cast(pl.Int64).alias("n"))
    .sort(["n", ...columns], [true, ...columns.map(() => false)]);
}
