import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { withNormalisedGrade } from "./normalised_grade.ts";

Deno.test("withNormalisedGrade() divides the grade by the entry's own max_score", () => {
  const df = withNormalisedGrade(pl.DataFrame({ grade: [0, 2.5, 13], max_score: [2, 5, 19] }));
  assert.deepEqual(df.getColumn("normalised_grade").toArray(), [0, 0.5, 13 / 19]);
});
