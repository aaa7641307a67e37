import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { gradeSummary } from "./grade_summary.ts";

Deno.test("gradeSummary() summarises each task's grades on its own scale", () => {
  const df = pl.DataFrame({
    benchmark: ["management_reasoning", "management_reasoning", "management_reasoning", "cpc_bond"],
    grade: [3, 6, 9, 4.5],
    max_score: [6, 12, 9, 5],
  });
  assert.deepEqual(gradeSummary(df).toRecords(), [
    {
      benchmark: "management_reasoning",
      entries: 3,
      max_score_min: 6,
      max_score_max: 12,
      mean_grade: 6,
      median_grade: 6,
      min_grade: 3,
      max_grade: 9,
      mean_normalised: (0.5 + 0.5 + 1) / 3,
    },
    {
      benchmark: "cpc_bond",
      entries: 1,
      max_score_min: 5,
      max_score_max: 5,
      mean_grade: 4.5,
      median_grade: 4.5,
      min_grade: 4.5,
      max_grade: 4.5,
      mean_normalised: 0.9,
    },
  ]);
});
