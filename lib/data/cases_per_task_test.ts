import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { casesPerTask } from "./cases_per_task.ts";

Deno.test("casesPerTask() counts distinct cases and responses per task", () => {
  const df = pl.DataFrame({
    benchmark: ["r_idea", "r_idea", "r_idea", "r_idea", "cpc_bond"],
    case_id: ["h1", "h1", "h2", "h3", "h1"],
  });
  assert.deepEqual(casesPerTask(df).toRecords(), [
    { benchmark: "r_idea", cases: 3, responses: 4, responses_per_case: 4 / 3 },
    { benchmark: "cpc_bond", cases: 1, responses: 1, responses_per_case: 1 },
  ]);
});
