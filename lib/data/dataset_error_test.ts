import assert from "node:assert/strict";
import { DatasetError } from "./dataset_error.ts";

Deno.test("DatasetError spells out 100 problems and says how many more error.problems holds", () => {
  const problems = Array.from({ length: 130 }, (_, i) => ({
    where: `line ${i + 1}`,
    field: "grade",
    message: "missing",
  }));
  const error = new DatasetError("big.jsonl", problems);
  assert.equal(error.problems.length, 130);
  assert.match(error.message, /^big\.jsonl: 130 problems in 130 rows; nothing was loaded\./);
  assert.match(
    error.message,
    /line 100, field "grade": missing\n {2}… and 30 more \(all are in error\.problems\)$/,
  );
});
