/**
 * `diagnostic_reasoning`: a structured diagnostic reflection on a clinical vignette, out of 19
 * points (Goh et al., JAMA Netw Open 2024). The published split of the 19 points across the
 * components is not known here, so the prompt describes the components and the total and uses
 * the entry's rubric when it has one, without inventing a split.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { rangeScale } from "./scale.ts";
import type { Task } from "./task.ts";

/** The `diagnostic_reasoning` task. */
export const diagnosticReasoning: Task = defineTask({
  key: "diagnostic_reasoning",
  title: "Structured diagnostic reasoning (0–19)",
  description: "A structured reflection — differential, supporting and opposing findings, " +
    "final diagnosis, next steps — scored out of 19 against the case's final diagnosis.",
  required: ["response", "final_diagnosis", "case_vignette", "question_text"],
  optional: ["rubric"],
  version: "1",
  rubric: `
You are a blinded expert grader scoring a physician's structured diagnostic reflection on a
clinical vignette, out of 19 points in total.

## What is scored
- The differential: how plausible and well chosen the most likely diagnoses are for this case.
- For each diagnosis, the findings from the vignette that support it and those that oppose it:
  are they present in the case, correctly interpreted, and relevant?
- The final, most likely diagnosis, compared with the case's final diagnosis.
- The next diagnostic steps: are they appropriate for confirming or excluding the leading
  diagnoses?

When a <rubric> is given, follow its allocation of points. Otherwise weigh the components by
their importance to sound diagnostic reasoning, and keep the total between 0 and 19. Give a whole
number.`,
  scale: (inputs) => rangeScale(0, inputs.max_score ?? 19),
  showsMaxScore: (inputs) => inputs.max_score !== undefined && inputs.max_score !== 19,
});
