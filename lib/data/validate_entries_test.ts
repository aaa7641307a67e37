import assert from "node:assert/strict";
import { describeProblem } from "./dataset_error.ts";
import { type RawRow, validateEntries } from "./validate_entries.ts";
import { BOND_ENTRY as good } from "./_test_support.ts";

function rows(...values: unknown[]): RawRow[] {
  return values.map((value, i) => ({ where: `index ${i}`, value }));
}

Deno.test("validateEntries() accepts a well-formed entry and keeps its fields", () => {
  const { entries, problems } = validateEntries(rows(good));
  assert.deepEqual(problems, []);
  assert.deepEqual(entries, [good]);
});

Deno.test("validateEntries() names the row, id and field of a missing or mistyped field", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, id: "a", study: undefined },
    { ...good, id: "b", grade: "five" },
    { ...good, id: "c", final_diagnosis: 42 },
  ));
  assert.equal(entries.length, 0);
  assert.deepEqual(problems.map(describeProblem), [
    'index 0 (id "a"), field "study": missing',
    'index 1 (id "b"), field "grade": expected a number, got the string "five"',
    'index 2 (id "c"), field "final_diagnosis": expected a string, got the number 42',
  ]);
});

Deno.test("validateEntries() rejects grades outside 0..max_score", () => {
  const { problems } = validateEntries(rows(
    { ...good, id: "hi", grade: 6 },
    { ...good, id: "lo", grade: -1 },
    { ...good, id: "zero-max", max_score: 0 },
  ));
  assert.deepEqual(problems.map((p) => [p.id, p.field, p.message]), [
    ["hi", "grade", "6 is above max_score 5"],
    ["lo", "grade", "-1 is below 0"],
    ["zero-max", "max_score", "must be above 0, got 0"],
  ]);
});

Deno.test("validateEntries() rejects an unknown task key and lists the valid ones", () => {
  const { problems } = validateEntries(rows({ ...good, benchmark: "bond" }));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.field, "benchmark");
  assert.match(problems[0]!.message, /unknown task key "bond"; valid keys: .*cpc_bond.*r_idea/);
});

Deno.test("validateEntries() reports every bad row, not just the first", () => {
  const values = Array.from({ length: 250 }, (_, i) => ({ ...good, id: `e${i}`, grade: 9 }));
  const { entries, problems } = validateEntries(rows(...values, { ...good, id: "fine" }));
  assert.equal(entries.length, 1);
  assert.equal(problems.length, 250);
  assert.equal(problems[249]?.where, "index 249");
});

Deno.test("validateEntries() rejects every row of a repeated id without raters", () => {
  const { entries, problems } = validateEntries(rows(good, { ...good }, { ...good }));
  assert.equal(entries.length, 0);
  assert.deepEqual(problems.map((p) => [p.where, p.field]), [
    ["index 0", "id"],
    ["index 1", "id"],
    ["index 2", "id"],
  ]);
  assert.match(problems[0]!.message, /^rejected with its duplicates at index 1, index 2; /);
  assert.match(problems[1]!.message, /duplicate id \(rows: index 0, index 1, index 2\)/);
});

Deno.test("validateEntries() sees a repeated id even when one of the rows is invalid", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, id: "a", grade: 4 },
    { ...good, id: "a", grade: 9 },
    { ...good, id: "b" },
  ));
  assert.deepEqual(entries.map((e) => e.id), ["b"]);
  assert.deepEqual(problems.map((p) => [p.where, p.field]), [
    ["index 0", "id"],
    ["index 1", "grade"],
    ["index 1", "id"],
  ]);
});

Deno.test("validateEntries() rejects non-objects and rows without a readable id", () => {
  const { problems } = validateEntries(rows(null, [1, 2], { ...good, id: 7.5 }));
  assert.deepEqual(problems.map(describeProblem), [
    "index 0: expected an object, got null",
    "index 1: expected an object, got a list",
    'index 2, field "id": expected a string or an integer, got the number 7.5',
  ]);
});

Deno.test("validateEntries() keeps a grades list and checks each rater score", () => {
  const withGrades = {
    ...good,
    grade: 4.5,
    grades: [{ rater: "p1", score: 4 }, { rater: "p2", score: 5 }],
  };
  assert.deepEqual(validateEntries(rows(withGrades)).entries[0]?.grades, withGrades.grades);

  const { problems } = validateEntries(rows({
    ...good,
    grades: [{ rater: "p1", score: 7 }, { rater: "p1", score: 3 }, { score: 2 }, "x"],
  }));
  assert.deepEqual(problems.map((p) => [p.field, p.message]), [
    ["grades[0].score", "7 is above max_score 5"],
    ["grades[1].rater", 'rater "p1" appears twice'],
    ["grades[2].rater", "missing"],
    ["grades[3]", 'expected { rater, score } or a number, got the string "x"'],
  ]);
});

Deno.test("validateEntries() names positional rater scores and fills a missing grade with their mean", () => {
  const { entries } = validateEntries(rows({ ...good, grade: undefined, grades: [4, 5] }));
  assert.deepEqual(entries[0]?.grades, [{ rater: "#1", score: 4 }, { rater: "#2", score: 5 }]);
  assert.equal(entries[0]?.grade, 4.5);
});

Deno.test("validateEntries() merges rows that share an id, one per rater", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, rater: "p1", grade: 4 },
    { ...good, id: "other" },
    { ...good, rater: "p2", grade: 5 },
  ));
  assert.deepEqual(problems, []);
  assert.equal(entries.length, 2);
  const merged = entries.find((e) => e.id === "e1")!;
  assert.equal(merged.grade, 4.5);
  assert.deepEqual(merged.grades, [{ rater: "p1", score: 4 }, { rater: "p2", score: 5 }]);
});

Deno.test("validateEntries() rejects per-rater rows that disagree on the entry's content", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, rater: "p1", grade: 4 },
    { ...good, rater: "p2", grade: 5, response: "something else" },
    { ...good, rater: "p1", grade: 3 },
  ));
  assert.equal(entries.length, 0);
  assert.deepEqual(problems.map(describeProblem), [
    'index 0 (id "e1"), field "id": rejected with the other rows of this id, because index 1, ' +
    "index 2 are invalid: an entry is loaded with all of its raters or not at all",
    'index 1 (id "e1"), field "response": differs from index 0, which has the same id',
    'index 2 (id "e1"), field "rater": rater "p1" already scored this id at index 0',
  ]);
});

Deno.test("validateEntries() loads no per-rater entry with one of its raters missing", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, rater: "p1", grade: 0 },
    { ...good, rater: "p2", grade: 9 },
  ));
  assert.deepEqual(entries, []);
  assert.deepEqual(problems.map((p) => [p.where, p.field]), [["index 0", "id"], [
    "index 1",
    "grade",
  ]]);
  assert.match(problems[0]!.message, /because index 1 is invalid/);
});

Deno.test("validateEntries() compares per-rater rows' rubrics by content, not key order", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, rater: "p1", grade: 4, rubric: { a: 1, b: [{ x: 1, y: 2 }] } },
    { ...good, rater: "p2", grade: 3, rubric: { b: [{ y: 2, x: 1 }], a: 1 } },
  ));
  assert.deepEqual(problems, []);
  assert.equal(entries[0]?.grade, 3.5);
  const { problems: differ } = validateEntries(rows(
    { ...good, rater: "p1", grade: 4, rubric: { a: [1, 2] } },
    { ...good, rater: "p2", grade: 3, rubric: { a: [2, 1] } },
  ));
  assert.deepEqual(differ.map((p) => p.field), ["id", "rubric"]);
});

Deno.test("validateEntries() names a number that is not finite", () => {
  const { problems } = validateEntries(rows(
    { ...good, id: "nan", grade: NaN },
    { ...good, id: "inf", max_score: Infinity },
    { ...good, id: "rater", grades: [{ rater: "p1", score: -Infinity }] },
  ));
  assert.deepEqual(problems.map(describeProblem), [
    'index 0 (id "nan"), field "grade": NaN is not a finite number',
    'index 1 (id "inf"), field "max_score": Infinity is not a finite number',
    'index 2 (id "rater"), field "grades[0].score": -Infinity is not a finite number',
  ]);
});

Deno.test("validateEntries() reads integer ids and case ids as their digits", () => {
  const { entries, problems } = validateEntries(rows({ ...good, id: 17, case_id: 3 }));
  assert.deepEqual(problems, []);
  assert.equal(entries[0]?.id, "17");
  assert.equal(entries[0]?.case_id, "3");
  const merged = validateEntries(rows(
    { ...good, id: 17, rater: 1, grade: 4 },
    { ...good, id: "17", rater: 2, grade: 5 },
  ));
  assert.deepEqual(merged.entries[0]?.grades, [{ rater: "1", score: 4 }, { rater: "2", score: 5 }]);
  const { problems: bad } = validateEntries(
    rows({ ...good, case_id: 1.5 }, { ...good, id: "x", study: 4 }),
  );
  assert.deepEqual(bad.map(describeProblem), [
    'index 0 (id "e1"), field "case_id": expected a string or an integer, got the number 1.5',
    'index 1 (id "x"), field "study": expected a string, got the number 4',
  ]);
});

Deno.test("validateEntries() reads raters and rater_scores lists as per-rater scores", () => {
  const { entries, problems } = validateEntries(rows(
    { ...good, id: "a", grade: 4.5, raters: ["p1", "p2"], rater_scores: [4, 5] },
    { ...good, id: "b", raters: [], rater_scores: [] },
  ));
  assert.deepEqual(problems, []);
  assert.deepEqual(entries[0]?.grades, [{ rater: "p1", score: 4 }, { rater: "p2", score: 5 }]);
  assert.equal(entries[0]?.extra, undefined);
  assert.equal(entries[1]?.grades, undefined);

  const { problems: bad } = validateEntries(rows(
    { ...good, id: "c", raters: ["p1"] },
    { ...good, id: "d", raters: ["p1", "p2"], rater_scores: [4] },
    { ...good, id: "e", raters: ["p1"], rater_scores: [9] },
    { ...good, id: "f", raters: ["p1"], rater_scores: [4], grades: [4] },
  ));
  assert.deepEqual(bad.map((p) => [p.id, p.field]), [
    ["c", "rater_scores"],
    ["d", "rater_scores"],
    ["e", "rater_scores[0]"],
    ["f", "raters"],
  ]);
  assert.match(bad[1]!.message, /^1 scores for 2 raters/);
});

Deno.test("validateEntries() reads only the rater and score of a grades item", () => {
  const { entries } = validateEntries(rows({
    ...good,
    grades: [{ rater: "p1", score: 4, comment: "close" }],
  }));
  assert.deepEqual(entries[0]?.grades, [{ rater: "p1", score: 4 }]);
});

Deno.test("validateEntries() keeps fields outside the schema as extra", () => {
  const { entries } = validateEntries(rows({ ...good, touchpoint: "triage" }));
  assert.deepEqual(entries[0]?.extra, { touchpoint: "triage" });
});

Deno.test("validateEntries() loads a generated response without a grade, and no other", () => {
  const { grade: _grade, ...ungraded } = good;
  const generation = { key: "k", provider: "openai-compatible", model_id: "med42" };
  const { entries, problems } = validateEntries([
    { where: "index 0", value: { ...ungraded, id: "gen", model: "med42", generation } },
    { where: "index 1", value: { ...ungraded, id: "plain" } },
  ]);
  assert.deepEqual(entries.map((e) => [e.id, e.grade, e.extra?.generation]), [
    ["gen", NaN, generation],
  ]);
  assert.deepEqual(problems.map((p) => [p.id, p.field, p.message]), [[
    "plain",
    "grade",
    "missing",
  ]]);
});
