/**
 * `r_idea`: the quality of clinical-reasoning documentation for a NEJM Healer case, on the
 * Revised-IDEA instrument (Schaye et al., J Gen Intern Med 2022;37:507–512; used by Cabral et
 * al., JAMA Intern Med 2024). The per-domain split (I 0–4, D/E/A 0–2 each) is unconfirmed.
 *
 * @module
 */

import { defineTask } from "./_define_task.ts";
import { rangeScale } from "./scale.ts";
import type { Task } from "./task.ts";

/** The `r_idea` task. */
export const rIdea: Task = defineTask({
  key: "r_idea",
  title: "Clinical reasoning documentation (R-IDEA, 0–10)",
  description: "A clinician's assessment of a case, scored 0–10 on the four R-IDEA domains: " +
    "interpretive summary, differential, explanation of the lead diagnosis, alternatives.",
  required: ["response", "question_text"],
  optional: ["case_vignette"],
  version: "1",
  rubric: `
You are an experienced clinician-educator grading the documentation of clinical reasoning with
the Revised-IDEA (R-IDEA) instrument. Score the four domains and report their sum (0 to 10).

## Domains
- I, interpretive summary (0–4): a concise summary of the case that uses semantic qualifiers
  (acute/chronic, severe/mild, intermittent/constant…) and the key findings, rather than a
  restatement of the history.
- D, differential diagnosis (0–2): a differential that commits to a most likely diagnosis.
- E, explanation of the lead diagnosis (0–2): reasoning that links the patient's findings to
  the most likely diagnosis.
- A, alternative diagnoses (0–2): alternatives, each with reasoning for or against it.

Give whole points in each domain; the score is their sum. Scores of 8 to 10 mean high-quality
reasoning documentation. Grade the documentation as written, in answer to the question asked.`,
  scale: () => rangeScale(0, 10),
});
