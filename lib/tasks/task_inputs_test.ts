import assert from "node:assert/strict";
import type { Entry } from "../data/entry.ts";
import type { TaskKey } from "../data/task_key.ts";
import { taskInputs } from "./task_inputs.ts";

/** An entry of a task with only the fields every entry has, and `fields`. */
function entry(benchmark: TaskKey, fields: Partial<Entry> = {}): Entry {
  const base = { id: "x", case_id: "c", study: "test", model: "gpt-4", grade: 3, max_score: 5 };
  return { ...base, benchmark, response: "1. Pheochromocytoma", ...fields };
}

Deno.test("taskInputs() takes the response, context fields, max_score and the rubric", () => {
  const e = entry("diagnostic_reasoning", {
    max_score: 19,
    final_diagnosis: "Sarcoidosis",
    case_vignette: "A 30-year-old with hilar adenopathy.",
    question_text: "Give your reasoning.",
    test_plan: "Biopsy",
    extra: { note: "kept out" },
    grades: [{ rater: "phys-01", score: 3 }],
  });
  assert.deepEqual(taskInputs(e), {
    response: e.response,
    max_score: 19,
    case_vignette: "A 30-year-old with hilar adenopathy.",
    question_text: "Give your reasoning.",
    final_diagnosis: "Sarcoidosis",
    test_plan: "Biopsy",
  });
});

Deno.test("taskInputs() parses a rubric stored as JSON text and keeps other rubrics as they are", () => {
  const rubricOf = (rubric: unknown) =>
    taskInputs(entry("management_reasoning", { rubric })).rubric;
  assert.deepEqual(rubricOf('  {"items": [{"id": "a", "points": 2}]} '), {
    items: [{ id: "a", points: 2 }],
  });
  assert.deepEqual(rubricOf('[{"item": "Starts anticoagulation", "points": 2}]'), [
    { item: "Starts anticoagulation", points: 2 },
  ]);
  assert.equal(
    rubricOf("Award 1 point for anticoagulation."),
    "Award 1 point for anticoagulation.",
  );
  assert.equal(rubricOf("[1 point] starts heparin {LMWH}"), "[1 point] starts heparin {LMWH}");
  assert.equal(rubricOf("{not json}"), "{not json}");
  const object = { items: [{ id: "a", points: 1 }] };
  assert.equal(rubricOf(object), object);
  assert.equal("rubric" in taskInputs(entry("cpc_bond")), false);
});
