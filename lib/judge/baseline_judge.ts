/**
 * The offline lexical baseline judge: documented, deterministic word-matching rules written from
 * the six task rubrics, with no model, no network and no list of diagnoses or synonyms.
 *
 * It is meant to be weak but honest. An LLM judge that does not beat it (and the constant
 * baseline) on the same items has not earned trust.
 *
 * @module
 */

import { redactValue } from "./redact.ts";
import { createHash } from "node:crypto";
import type { TaskKey } from "../data/task_key.ts";
import { bondScale, scoreProblem, type ScoreScale } from "../tasks/scale.ts";
import type { Task, TaskInputs } from "../tasks/task.ts";
import { missingInputs } from "../tasks/tasks.ts";
import { bestBondItem } from "./_lexical_bond.ts";
import { diagnosticScore } from "./_lexical_diagnostic.ts";
import { type RuleOutcome, snapToStep } from "./_lexical_outcome.ts";
import { rIdeaScore } from "./_lexical_r_idea.ts";
import { readRubric, rubricScore } from "./_lexical_rubric.ts";
import { _readRubric } from "../tasks/task_inputs.ts";
import { testPlanScore } from "./_lexical_test_plan.ts";
import * as LEXICON from "./_lexical_words.ts";
import type { Judge, JudgeCallOptions } from "./judge.ts";
import type { FailedJudgement, Judgement, Provenance } from "./judgement.ts";

/**
 * The rule set's version (`provenance.prompt_version` of every lexical judgement): bump it
 * whenever a rule changes.
 *
 * @example
 * ```ts
 * import { LEXICAL_RULES_VERSION } from "./baseline_judge.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(LEXICAL_RULES_VERSION, "lexical-v1");
 * ```
 */
export const LEXICAL_RULES_VERSION = "lexical-v1";

/**
 * The lexical baseline's rules, in words: what a report should quote. This text, with every
 * word list and threshold, is hashed into each judgement's `provenance.prompt_hash`.
 *
 * @example
 * ```ts
 * import { LEXICAL_RULES } from "./baseline_judge.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(LEXICAL_RULES, /BASELINE HEURISTIC split/);
 * ```
 */
export const LEXICAL_RULES: string = `
Offline lexical baseline (${LEXICAL_RULES_VERSION}). Deterministic word matching written from the
task rubrics; no model, no list of diagnoses, tests or synonyms.

Text. Diacritics are stripped, text is lowercased, apostrophes dropped, "x-ray" joined, and
everything that is not a letter or digit separates words. Each word is lightly stemmed (-ies to -y, a final -s dropped
except after s/u/i/y) and put into American spelling (ae/oe to e, -our to -or, -ise to -ize,
-yse to -yze, -tre/-bre to -ter/-ber, -ogue to -og, sulph to sulf). Content words are the words
left after removing English stopwords and framing words ("most likely", "diagnosis",
"differential", "rule out", "order"...). Two words are the same word when identical, or, for
alphabetic words of 7+ letters, when their edit distance is at most 15% of the longer length
(one typo in 7-13 letters, two from 14), unless one starts hyper-/inter-/ante-/pre-/micro-/endo-
where the other starts hypo-/intra-/anti-/post-/macro-/exo-. Jaccard = shared / (|A| + |B| -
shared) over content-word sets. Generic qualifiers (acute, chronic, primary, disease, syndrome,
related, type, left, right, severe...) count for overlap but are never a diagnosis's head word.
The head word of a diagnosis is its last non-generic content word (before any "of").

cpc_bond, bi_triage (Bond 0, 2, 3, 4, 5; no half points). The differential is split into items:
one per line, per inline number ("1) a 2) b"), per sentence, and per semicolon, comma, "vs" or
"versus"; list markers and labels made only of framing words ("Differential diagnosis:") are
dropped. Each item I is compared with the final diagnosis F; the score is the best item's, its
position is reported as best_rank (null when 0):
  5 every content word of F is in I; or Jaccard >= 0.8; or the joined content words are within
    0.15 normalised edit distance; or one side is a single word equal to the initials of the
    other's 2+ words; or every word of I is in F, I has F's head word and F's other words are
    all generic qualifiers.
  4 every word of I is in F and I has F's head word, but F has a specific word I lacks (named
    too broadly); or I has F's head word and Jaccard >= 0.5.
  3 I has F's head word; or both share a disease noun (a 6+ letter word ending -itis, -oma,
    -osis, -iasis, -emia, -uria, -pathy, -plasia, -trophy, -ectasia, -penia, -philia, -megaly,
    -rrhage, -rrhea, -algia, -ism, -cele, -lysis); or they share a non-generic word and Jaccard
    >= 0.5.
  2 they share any non-generic word, or two non-generic words share a 6-letter prefix.
  0 otherwise. On a bi_triage entry whose max_score is not 5, the anchor is rescaled linearly
    to 0..max_score and rounded to a whole number.

cpc_management (0-2), T = the test plan's content words, R = the response's.
  2 at least 80% of T is in R.
  1 R has a word of T that is not a generic test noun or qualifier, or R names any generic test
    noun (CT, MRI, PET, scan, ultrasound, echo, ECG, EEG, biopsy, culture, serology, antibody,
    antigen, PCR, assay, level, titer, panel, smear, stain, urine, serum, CSF, endoscopy...).
  0 otherwise.

r_idea (0-10) = I + D + E + A, from cues in sentences (lines and ./!/?-ended sentences):
  I 0-4: the summary is the sentence labelled Summary/Assessment/Impression/One-liner, else the
    first; with 6+ words it earns 1 + one per distinct semantic qualifier in it (acute,
    subacute, chronic, sudden, gradual, progressive, intermittent, episodic, recurrent,
    persistent, painless, painful, mild, severe, bilateral, unilateral, focal, diffuse,
    proximal, distal, febrile, exertional, pleuritic, worsening...; at most 3); shorter, at most
    1 for a qualifier; over 60 words, one point less.
  D 0-2: 2 when a sentence commits to a lead diagnosis (most likely, most probable, leading/
    working/likely/final/top diagnosis, favor, I suspect, best explained by, diagnosis is); 1
    for a differential without commitment (2+ list lines, or "differential"/"DDx"); else 0.
  E 0-2: 2 when the lead sentence or the next gives a reason (because, given, since, consistent
    with, supported by, suggests, in the setting of, explains, fits, characteristic, typical,
    classic, points to, evidenced by, in keeping with) and raises no alternative; 1 when such a
    reason appears elsewhere; else 0.
  A 0-2: 2 when a sentence raising an alternative (less likely, unlikely, alternatively,
    alternative, other possibility, also consider, cannot exclude, remains possible, rule out,
    versus...) also gives a reason (because, given, since, as, but, however, though, fits,
    argues, against, absence, lack, without, no, better); 1 for an alternative without a
    reason; else 0.

diagnostic_reasoning (0-19). When the entry has a readable item rubric, it is scored like
management_reasoning. Otherwise (no rubric, or one that cannot be read, which the justification
then says) a BASELINE HEURISTIC split written for this baseline (not the
published split, which is unknown here):
  differential 0-4: list lines that are not For/Against/next-step lines (else the items of a
    "Differential:"/"DDx:" line): 1 item 2, 2 items 3, 3+ items 4.
  supporting findings 0-4 and opposing findings 0-4: text after a For:/Pro:/Supporting: (or
    Against:/Con:/Opposing:) label, or after a prose cue (supporting, consistent with, because,
    given, suggests... / against, argues against, does not fit, however, but, lack of, absence
    of...), split at commas, semicolons and "and"; one point per distinct finding with at least
    half of its content words in the case vignette ("nothing", "none", "N/A" are no finding).
  final diagnosis 0-5: the Bond anchor of the first sentence with a lead cue (else the first
    differential item) against the final diagnosis.
  next steps 0-2: one per item after a next-step cue (next step, next diagnostic, workup, plan,
    I would order, further testing...), on its line or the list lines after it.
  The total is rescaled to max_score when that is not 19, and rounded to a whole number.

management_reasoning (0..max_score). The rubric is an object with an "items" list, a list of
items, or JSON text of either; each item needs a description and numeric points, else the
judgement fails (missing_score, "the rubric could not be read"). An item's words are its
description's content words without framing verbs (recognises, orders, considers, appropriate,
promptly...). The item is met when at least 50% of its words are in the answer, taking the
best of: the whole description, the description without its parentheses, and the text of each
parenthesis alone (parentheses hold examples or alternatives). A
negative (harmful) item is met only by words in clauses without negation or deferral (not, no,
avoid, without, never, withhold, hold, defer, reserve, unless, only if, contraindicated, instead
of, rather than). Score = sum of met items' points, clamped to 0..max_score, rounded to the
scale's step.

Every score is checked against the task's scale; a score off the scale is a failed judgement
(score_not_allowed), never a number.
`.trim();

/**
 * SHA-256 (hex) of `LEXICAL_RULES` with every word list and threshold the rules use, so that
 * changing any rule changes the hash (`provenance.prompt_hash`).
 *
 * @example
 * ```ts
 * import { LEXICAL_RULES_HASH } from "./baseline_judge.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(LEXICAL_RULES_HASH, /^[0-9a-f]{64}$/);
 * ```
 */
export const LEXICAL_RULES_HASH: string = createHash("sha256")
  .update(LEXICAL_RULES + "\u0000" + JSON.stringify(LEXICON))
  .digest("hex");

/**
 * The offline lexical baseline judge (`baseline:lexical`, provider `offline`, model
 * `lexical-v1`): scores all six tasks with the deterministic word-matching rules of
 * `LEXICAL_RULES`, summarised here.
 *
 * - **Bond** (`cpc_bond`, `bi_triage`): the differential is split into items; the best item's
 *   anchor is the score and its position `best_rank`. 5 = every content word of the final
 *   diagnosis is in the item, Jaccard ≥ 0.8, joined words within 0.15 edit distance, an
 *   initialism, or the item minus only generic qualifiers; 4 = the head word with Jaccard ≥ 0.5,
 *   or the diagnosis named too broadly; 3 = the head word, a shared disease noun (-itis, -oma…),
 *   or a shared specific word with Jaccard ≥ 0.5; 2 = any shared specific word or 6-letter stem;
 *   else 0. Words match through spelling normalisation (phaeo → pheo) and typos (one in a word of
 *   7–13 letters, two from 14).
 * - **Testing plan** (`cpc_management`): 2 when ≥ 80% of the test plan's content words are in the
 *   response; 1 when a specific word of it, or any generic test noun (CT, MRI, biopsy, culture,
 *   serology, antibody, level…), is; else 0.
 * - **R-IDEA** (`r_idea`): I 0–4 (a 6+-word summary sentence, +1 per semantic qualifier up to
 *   3), D 0–2 (commits to a lead diagnosis: 2; a bare differential: 1), E 0–2 (a reason cue next
 *   to the lead: 2; elsewhere: 1), A 0–2 (an alternative cue with a reason: 2; without: 1).
 * - **Diagnostic reasoning**: the entry's item rubric when readable; else a *baseline heuristic*
 *   split, not the published one: differential 0–4, supporting and opposing findings found in
 *   the vignette 0–4 each, final diagnosis 0–5 by the Bond matcher, next steps 0–2.
 * - **Management reasoning**: a rubric item is met when ≥ 50% of its description's content words
 *   are in the answer (harmful items only outside negated clauses); the sum of met points is
 *   clamped to 0..max_score. An unreadable rubric gives a failed judgement (`missing_score`).
 *
 * Judgements have `output_mode: "rules"`, one attempt, the measured latency, `raw` = the JSON the
 * judge would have replied, no `usage`, and `prompt_version`/`prompt_hash` =
 * `LEXICAL_RULES_VERSION`/`LEXICAL_RULES_HASH`. Missing required inputs are a programming error
 * (rejected with an `Error`), as for every judge.
 *
 * @example Scoring a differential on the Bond scale
 * ```ts
 * import { LexicalJudge } from "./baseline_judge.ts";
 * import { getTask } from "../tasks/tasks.ts";
 * import assert from "node:assert/strict";
 *
 * const judgement = await new LexicalJudge().judge(getTask("cpc_bond"), {
 *   response: "1. Phaeochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome",
 *   final_diagnosis: "Pheochromocytoma",
 * });
 * assert.equal(judgement.status, "scored");
 * if (judgement.status === "scored") {
 *   assert.equal(judgement.score, 5);
 *   assert.equal(judgement.fields?.best_rank, 1);
 * }
 * ```
 */
export class LexicalJudge implements Judge {
  /** `"baseline:lexical"`. */
  readonly id = "baseline:lexical";
  /** `"offline"`. */
  readonly provider = "offline";
  /** `"lexical-v1"`. */
  readonly model = "lexical-v1";
  /** No sampling: the rules are deterministic. */
  readonly parameters: Record<string, never> = {};

  /**
   * The rule set's hash, which identifies its judgements (there is no prompt).
   *
   * @param _task Any task: one rule set covers all six.
   * @returns `LEXICAL_RULES_HASH`.
   */
  promptHash(_task: Task): string {
    return LEXICAL_RULES_HASH;
  }

  /**
   * Scores one response by the lexical rules.
   *
   * @param task The task.
   * @param inputs The response and its context; the task's required inputs must be present.
   * @param options `signal`: an already-aborted signal rejects with its reason.
   * @returns A scored judgement, or a failed one (an unreadable management rubric).
   * @throws {Error} (as a rejected promise) when required inputs are missing.
   */
  judge(task: Task, inputs: TaskInputs, options: JudgeCallOptions = {}): Promise<Judgement> {
    // Justifications quote the response: a key pasted into it must not reach a ledger.
    return Promise.resolve().then(() => redactValue(this.#judgeNow(task, inputs, options)));
  }

  #judgeNow(task: Task, inputs: TaskInputs, options: JudgeCallOptions): Judgement {
    options.signal?.throwIfAborted();
    const missing = missingInputs(task, inputs);
    if (missing.length > 0) {
      throw new Error(
        `${this.id} cannot score ${task.key}: missing required input(s) ${missing.join(", ")}`,
      );
    }
    const started = performance.now();
    // A rubric given as JSON text is read first, so that the scale (whose maximum and step come
    // from the rubric's points when the entry has no max_score) sees its items.
    const scale = task.scale({ ...inputs, rubric: _readRubric(inputs.rubric) });
    const outcome = scoreByRules(task.key, inputs, scale);
    const provenance: Provenance = {
      judge: this.id,
      provider: this.provider,
      model: this.model,
      parameters: {},
      prompt_version: LEXICAL_RULES_VERSION,
      prompt_hash: LEXICAL_RULES_HASH,
      output_mode: "rules",
    };
    const base = { task: task.key, provenance, attempts: 1 };
    const failed = (reason: FailedJudgement["reason"], detail: string): FailedJudgement => ({
      ...base,
      status: "failed",
      reason,
      detail,
      raw: null,
      latency_ms: performance.now() - started,
    });
    if (!outcome.ok) return failed(outcome.reason, outcome.detail);
    // The rules are written to stay on the scale; this check keeps a rule bug from ever
    // becoming a number in the results.
    const problem = scoreProblem(outcome.score, scale);
    if (problem !== undefined) {
      return failed("score_not_allowed", `lexical rule gave an off-scale score: ${problem}`);
    }
    const fields = outcome.fields ?? {};
    const raw = JSON.stringify({
      score: outcome.score,
      justification: outcome.justification,
      ...fields,
    });
    return {
      ...base,
      status: "scored",
      score: outcome.score,
      justification: outcome.justification,
      fields,
      raw,
      latency_ms: performance.now() - started,
    };
  }
}

/**
 * The offline lexical baseline judge (see `LexicalJudge` for its rules).
 *
 * @returns A new `LexicalJudge`.
 *
 * @example
 * ```ts
 * import { lexicalJudge } from "./baseline_judge.ts";
 * import { getTask } from "../tasks/tasks.ts";
 * import assert from "node:assert/strict";
 *
 * const judge = lexicalJudge();
 * const judgement = await judge.judge(getTask("cpc_management"), {
 *   response: "Order 24-hour urine catecholamines and metanephrines, CT abdomen with contrast",
 *   test_plan: "24-hour urine catecholamines",
 * });
 * assert.equal(judge.id, "baseline:lexical");
 * assert.equal(judgement.status === "scored" && judgement.score, 2);
 * ```
 */
export function lexicalJudge(): Judge {
  return new LexicalJudge();
}

/** Dispatches to the task's rule. */
function scoreByRules(key: TaskKey, inputs: TaskInputs, scale: ScoreScale): RuleOutcome {
  switch (key) {
    case "cpc_bond":
    case "bi_triage": {
      const best = bestBondItem(inputs.response, inputs.final_diagnosis ?? "");
      const standard = bondScale();
      // An entry-specific max_score (bi_triage) replaces the Bond scale: rescale the anchor.
      const score = scale.max === standard.max
        ? best.score
        : snapToStep(best.score * scale.max / standard.max, scale.min, scale.max, scale.step ?? 1);
      const rescaled = score === best.score ? "" : ` Rescaled to ${score}/${scale.max}.`;
      return {
        ok: true,
        score,
        justification: `Bond ${best.score}: ${best.why}${rescaled}`,
        fields: { best_rank: best.rank },
      };
    }
    case "cpc_management":
      return testPlanScore(inputs.response, inputs.test_plan ?? "");
    case "r_idea":
      return rIdeaScore(inputs.response);
    case "diagnostic_reasoning": {
      // The rubric is optional here: without a readable one, the labelled heuristic applies.
      let note = "";
      if (inputs.rubric !== undefined && inputs.rubric !== null) {
        const rubric = readRubric(inputs.rubric);
        if (rubric.ok) return rubricScore(inputs.response, rubric.items, scale);
        note = ` (Not used: ${rubric.detail}.)`;
      }
      const outcome = diagnosticScore(
        inputs.response,
        inputs.final_diagnosis ?? "",
        inputs.case_vignette ?? "",
        scale,
      );
      return outcome.ok ? { ...outcome, justification: outcome.justification + note } : outcome;
    }
    case "management_reasoning": {
      const rubric = readRubric(inputs.rubric);
      if (!rubric.ok) return { ok: false, reason: "missing_score", detail: rubric.detail };
      return rubricScore(inputs.response, rubric.items, scale);
    }
  }
}
