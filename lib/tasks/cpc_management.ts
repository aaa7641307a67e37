/**
 * `cpc_management`: the next diagnostic tests proposed for a CPC case, against the test that
 * was actually done (CPC testing-plan experiments: Brodeur et al. 2024; CPC-Bench, Buckley et
 * al. 2025). The anchor wording is inferred from how the studies report results (correct,
 * helpful, unhelpful) and is unconfirmed.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { rangeScale } from "./scale.ts";
import type { Task } from "./task.ts";

/** The `cpc_management` task. */
export const cpcManagement: Task = defineTask({
  key: "cpc_management",
  title: "CPC testing plan (0–2)",
  description: "A proposed plan of next diagnostic tests for a CPC case, scored 0–2 against " +
    "the test that was actually performed.",
  required: ["response", "test_plan"],
  optional: ["case_vignette"],
  version: "1",
  rubric: `
You are an experienced internist grading a proposed diagnostic testing plan against the test that
was actually performed and made the diagnosis in this case.

## Scale (0 to 2)
- 2: the plan includes the test that was actually done, or an equivalent test that would have
  given the same answer (another name, abbreviation or method for the same measurement).
- 1: the plan does not include that test, but it would have been helpful: it moves the work-up
  towards the diagnosis.
- 0: the plan is unhelpful: it would not have moved the work-up towards the diagnosis.
Use whole numbers only.`,
  scale: () => rangeScale(0, 2),
});
