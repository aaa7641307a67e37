/**
 * `management_reasoning`: an answer to a case-specific management question, scored with the
 * question's own rubric (Goh et al., Nature Medicine 2025; rubrics built by a modified Delphi
 * process). The score is the sum of the points of the rubric items the answer satisfies, kept
 * inside 0..max_score; items worth negative points are harmful actions, "met" when proposed.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { _rubricItems } from "./task_inputs.ts";
import { rangeScale } from "./scale.ts";
import type { Task, TaskInputs } from "./task.ts";

/** The `management_reasoning` task. */
export const managementReasoning: Task = defineTask({
  key: "management_reasoning",
  title: "Management reasoning (case-specific rubric)",
  description: "An answer to an open-ended management question about a case, scored with the " +
    "question's own rubric out of the entry's max_score.",
  required: ["response", "case_vignette", "question_text", "rubric"],
  optional: [],
  version: "1",
  rubric: `
You are an expert physician grading an answer to a management question about a clinical case,
with the question's own scoring rubric (given in the <rubric> tag).

## How to score
- Go through the rubric item by item. Award an item's points when the answer satisfies it,
  explicitly or in clearly equivalent words (another drug of the same class, a synonym, an
  abbreviation); award nothing for an item the answer does not address.
- Items worth negative points describe harmful or inappropriate actions: subtract their points
  when the answer proposes that action.
- The score is the sum of the points awarded, no lower than 0 and no higher than the maximum
  given in the <max_score> tag. Give a number on the rubric's own steps.
- In the justification, name the items awarded (by id where the rubric has ids).`,
  scale: (inputs: TaskInputs) =>
    rangeScale(0, inputs.max_score ?? rubricMaximum(inputs.rubric), rubricStep(inputs.rubric)),
  showsMaxScore: true,
});

/** The sum of a rubric's positive points, when it lists items with `points` (else 0). */
export function rubricMaximum(rubric: unknown): number {
  return rubricPoints(rubric).filter((p) => p > 0).reduce((a, b) => a + b, 0);
}

/** The finest step of a rubric's points: 0.5 when any item is worth a half point, else 1. */
function rubricStep(rubric: unknown): number {
  return rubricPoints(rubric).some((p) => !Number.isInteger(p)) ? 0.5 : 1;
}

function rubricPoints(rubric: unknown): number[] {
  return (_rubricItems(rubric) ?? [])
    .map((item) => (item as { points?: unknown } | null)?.points)
    .filter((p): p is number => typeof p === "number" && Number.isFinite(p));
}
