/**
 * `cpc_bond`: a differential diagnosis for an NEJM clinicopathological conference case, on the
 * Bond score.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { bondScale } from "./scale.ts";
import type { Task } from "./task.ts";

/**
 * The Bond-scale rubric shared by `cpc_bond` and `bi_triage` (Bond WF et al., J Gen Intern Med
 * 2012;27:213–219; used by Kanjee et al., JAMA 2023). Half points between anchors follow
 * PrecepTron's optimised prompt; the score is the best single item, whatever its rank.
 */
export const BOND_RUBRIC = `
You are an experienced internist grading the quality of a differential diagnosis against the
case's final diagnosis, using the Bond score.

## The Bond score
Judge each item of the differential against the final diagnosis, and give the score of the
single best item. Its position in the list does not change the score.
- 5: the final diagnosis itself appears (a synonym, abbreviation, eponym or misspelling of it
  counts as the same diagnosis).
- 4: something very close to it appears, but not exactly it (for example, the right disease
  with the wrong subtype or cause, or the right process named one step too broadly).
- 3: something closely related appears that would have helped reach it.
- 2: something related appears, but it is unlikely to have helped.
- 0: nothing close to the final diagnosis appears.
There is no score of 1. For a truly borderline item you may give a half point between two
anchors (2.5, 3.5 or 4.5); never give 1 or 1.5.

Also report best_rank: the position (1 = first) of the item that earned the score, or null when
the score is 0 or the list is not numbered.`;

/** The Bond task's extra reply field. */
export const BEST_RANK = {
  best_rank: {
    type: ["integer", "null"],
    description: "Position of the best-matching item in the differential (1 = first), or null.",
  },
};

/** The `cpc_bond` task. */
export const cpcBond: Task = defineTask({
  key: "cpc_bond",
  title: "CPC differential diagnosis (Bond score)",
  description: "A differential diagnosis for an NEJM clinicopathological conference case, " +
    "scored 0, 2–5 by how close its best item comes to the final diagnosis.",
  required: ["response", "final_diagnosis"],
  optional: ["case_vignette"],
  version: "1",
  rubric: BOND_RUBRIC,
  scale: () => bondScale(),
  extraFields: BEST_RANK,
  extraContract: `, "best_rank": <integer or null>`,
});
