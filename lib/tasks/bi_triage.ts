/**
 * `bi_triage`: an emergency-department differential at a triage touchpoint (BIDMC cases,
 * Brodeur et al., arXiv 2412.10849), on the Bond score.
 *
 * The published pages list this task's range as "case-specific" while PrecepTron's CPC judge
 * grades it on the Bond scale (unconfirmed): the Bond scale is used, and an entry's `max_score`
 * other than 5 overrides it with an integer 0..max_score scale.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { BEST_RANK, BOND_RUBRIC } from "./cpc_bond.ts";
import { bondScale, rangeScale } from "./scale.ts";
import type { Task } from "./task.ts";

/** The `bi_triage` task. */
export const biTriage: Task = defineTask({
  key: "bi_triage",
  title: "ED triage differential (Bond score)",
  description: "A differential diagnosis written at an emergency-department touchpoint " +
    "(triage, ED evaluation or admission), scored on the Bond scale against the final diagnosis.",
  required: ["response", "final_diagnosis"],
  optional: ["case_vignette"],
  version: "1",
  rubric: BOND_RUBRIC +
    "\n\nThe differential was written in the emergency department, from the information " +
    "available at that point; grade it against the final diagnosis all the same.",
  scale: (inputs) =>
    inputs.max_score === undefined || inputs.max_score === 5
      ? bondScale()
      : rangeScale(0, inputs.max_score),
  // An entry on another scale says so in the prompt, or the judge would grade out of 5.
  showsMaxScore: (inputs) => inputs.max_score !== undefined && inputs.max_score !== 5,
  extraFields: BEST_RANK,
  extraContract: `, "best_rank": <integer or null>`,
});
