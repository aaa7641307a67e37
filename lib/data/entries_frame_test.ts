import assert from "node:assert/strict";
import { DatasetError } from "./dataset_error.ts";
import { DATASET_COLUMNS, entriesFrame } from "./entries_frame.ts";
import { BOND_ENTRY as bond } from "./_test_support.ts";

Deno.test("entriesFrame() gives one row per entry with the schema's columns and types", () => {
  const df = entriesFrame([bond]);
  assert.deepEqual(df.columns, [...DATASET_COLUMNS]);
  assert.equal(String(df.getColumn("grade").dtype), "DataType(Float64)");
  assert.equal(String(df.getColumn("raters").dtype), "DataType(List(DataType(String)))");
  assert.deepEqual(df.toRecords()[0], {
    ...bond,
    rubric: null,
    case_vignette: null,
    question_text: null,
    test_plan: null,
    raters: [],
    rater_scores: [],
  });
});

Deno.test("entriesFrame() stores rubrics as JSON text and keeps text rubrics as they are", () => {
  const df = entriesFrame([
    { ...bond, id: "obj", rubric: { items: [{ id: "x", points: 2 }] } },
    { ...bond, id: "txt", rubric: "Award 2 points for anticoagulation." },
  ]);
  assert.deepEqual(df.getColumn("rubric").toArray(), [
    '{"items":[{"id":"x","points":2}]}',
    "Award 2 points for anticoagulation.",
  ]);
});

Deno.test("entriesFrame() adds extra fields as typed columns, JSON text when types are mixed", () => {
  const df = entriesFrame([
    { ...bond, id: "a", extra: { touchpoint: "triage", synthetic: true, mixed: 1 } },
    { ...bond, id: "b", extra: { synthetic: true, mixed: "one" } },
  ]);
  assert.deepEqual(df.columns.slice(DATASET_COLUMNS.length), ["touchpoint", "synthetic", "mixed"]);
  assert.deepEqual(df.getColumn("touchpoint").toArray(), ["triage", null]);
  assert.deepEqual(df.getColumn("synthetic").toArray(), [true, true]);
  assert.deepEqual(df.getColumn("mixed").toArray(), ["1", '"one"']);
});

Deno.test("entriesFrame() of no entries is an empty frame with the same columns", () => {
  const df = entriesFrame([]);
  assert.equal(df.height, 0);
  assert.deepEqual(df.columns, [...DATASET_COLUMNS]);
});

Deno.test("entriesFrame() names an extra field that clashes with a frame column", () => {
  assert.throws(
    () => entriesFrame([bond, { ...bond, id: "b", extra: { raters: ["p1"] } }]),
    (error: unknown) => {
      assert.ok(error instanceof DatasetError);
      assert.deepEqual(error.problems.map((p) => [p.where, p.id, p.field]), [[
        "entry 1",
        "b",
        "raters",
      ]]);
      assert.match(error.message, /an extra field named like the frame's own "raters" column/);
      return true;
    },
  );
});
