import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { entriesFrame } from "./entries_frame.ts";
import type { Entry } from "./entry.ts";
import { ratings } from "./ratings.ts";

const entry: Entry = {
  id: "a",
  case_id: "c1",
  benchmark: "r_idea",
  study: "cabral2024",
  model: "attending physician",
  grade: 9,
  max_score: 10,
  response: "…",
};

Deno.test("ratings() gives one row per physician score and none for grade-only entries", () => {
  const df = entriesFrame([
    { ...entry, grades: [{ rater: "p1", score: 8 }, { rater: "p2", score: 10 }] },
    { ...entry, id: "b" },
    { ...entry, id: "c", grades: [{ rater: "p3", score: 6 }] },
  ]);
  assert.deepEqual(ratings(df).toRecords(), [
    { ...pick(entry), id: "a", rater: "p1", score: 8 },
    { ...pick(entry), id: "a", rater: "p2", score: 10 },
    { ...pick(entry), id: "c", rater: "p3", score: 6 },
  ]);
});

Deno.test("ratings() carries the synthetic mark along", () => {
  const df = entriesFrame([{
    ...entry,
    grades: [{ rater: "p1", score: 8 }],
    extra: { synthetic: true },
  }]);
  assert.deepEqual(ratings(df).columns.at(-1), "synthetic");
});

Deno.test("ratings() explains a frame without the per-rater columns", () => {
  assert.throws(
    () => ratings(pl.DataFrame({ id: ["a"] })),
    /no "raters" column; pass a frame from loadDataset\(\)/,
  );
});

function pick(e: Entry) {
  return {
    case_id: e.case_id,
    benchmark: e.benchmark,
    study: e.study,
    model: e.model,
    max_score: e.max_score,
  };
}
