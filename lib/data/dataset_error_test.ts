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

Deno.test("DatasetError counts a problem with the whole file apart from rows", () => {
  const file = { where: "file", message: "not valid JSON; the file looks truncated" };
  assert.match(
    new DatasetError("cut.json", [file]).message,
    /^cut\.json: 1 problem with the file as a whole; nothing was loaded\./,
  );
  const row = { where: "line 2", field: "grade", message: "missing" };
  assert.match(
    new DatasetError("d.csv", [row, { ...row, field: "id" }, file]).message,
    /^d\.csv: 3 problems in 1 row and with the file as a whole; nothing/,
  );
  assert.match(
    new DatasetError("hf:o/n", [
      { where: "a/0.jsonl file", message: "x" },
      { where: "b/0.jsonl file", message: "y" },
    ]).message,
    /^hf:o\/n: 2 problems with 2 files as a whole;/,
  );
});
