/**
 * Clinical-reasoning notes for `r_idea`, graded by the Revised-IDEA components they contain:
 * I (interpretive summary with semantic qualifiers, 0–4), D (differential committing to a lead
 * diagnosis, 0–2), E (explanation of the lead, 0–2), A (alternatives with reasoning, 0–2). The
 * I = 0–4 / D, E, A = 0–2 split is the commonly described one and is unconfirmed for the
 * published data (lib/tasks/README.md, "R-IDEA").
 *
 * What a note earns depends on how it reasons (a summary with qualifiers versus a copy of the
 * data, a committed lead versus a list), which word overlap with the question cannot see.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import {
  capitalize,
  type ClinicalCase,
  describePatient,
  healerFindings,
  joinAnd,
  lowerFirst,
  nameDiagnosis,
  type Voice,
} from "./_text.ts";

/** A generated note and the grade its content earns. */
export interface RIdeaResponse {
  /** The note as written. */
  text: string;
  /** I + D + E + A. */
  score: number;
  /** Component scores. */
  components: { I: number; D: number; E: number; A: number };
}

/**
 * Writes a reasoning note for a case at a stage.
 *
 * @param c The case.
 * @param stage The stage (0 to 3), which sets the findings the writer had seen.
 * @param skill 0..1: how often each component is done fully.
 * @param voice Who writes.
 * @param rng Random source.
 * @returns The text and its content grade.
 */
export function rIdeaResponse(
  c: ClinicalCase,
  stage: number,
  skill: number,
  voice: Voice,
  rng: Random,
): RIdeaResponse {
  const rest = 1 - skill;
  const I = rng.weighted<number>([[4, skill], [3, rest * 0.55], [2, rest * 0.3], [1, rest * 0.1], [
    0,
    rest * 0.05,
  ]]);
  const D = rng.weighted<number>([[2, 0.5 + 0.5 * skill], [1, rest * 0.5 * 0.85], [
    0,
    rest * 0.5 * 0.15,
  ]]);
  const E = rng.weighted<number>([[2, skill], [1, rest * 0.8], [0, rest * 0.2]]);
  const A = rng.weighted<number>([[2, skill * 0.95], [1, (1 - skill * 0.95) * 0.7], [
    0,
    (1 - skill * 0.95) * 0.3,
  ]]);

  const [f1 = c.dx.complaint, f2 = c.dx.complaint] = rng.sample(healerFindings(c, stage), 2);
  // Pertinent negatives come with the test results, at the last stage.
  const [n1, n2] = stage >= 3 ? rng.shuffle(c.negatives) : [];
  // The lead is not always right: R-IDEA grades the reasoning, not the diagnosis.
  const lead = rng.chance(0.5 + 0.4 * skill)
    ? nameDiagnosis(c.dx, voice, rng).text
    : rng.pick([...c.dx.veryClose, ...c.dx.closelyRelated]);
  const [alt1, alt2] = rng.sample([...c.dx.closelyRelated, ...c.dx.related], 2);
  const who = describePatient(c.patient);
  // The semantic qualifier, unless the complaint already carries it ("episodic headache").
  const qualified = c.dx.complaint.startsWith(c.dx.tempo)
    ? c.dx.complaint
    : `${c.dx.tempo} ${c.dx.complaint}`;

  const parts: string[] = [];
  switch (I) {
    case 4:
      parts.push(
        `Summary: ${who} with ${qualified}, notable for ${f1} and ${f2}` +
          (n1 === undefined ? "." : `; pertinent negatives include ${n1}.`),
      );
      break;
    case 3:
      parts.push(`Summary: ${who} with ${c.dx.complaint} and ${f1}.`);
      break;
    case 2:
      // A copy of the data rather than a synthesis: long, no qualifiers.
      parts.push(
        `Patient is a ${who}. Came in with ${c.dx.complaint}. ${capitalize(f1)}. ` +
          `${capitalize(f2)}.` + (n1 === undefined ? "" : ` ${capitalize(n1)}.`),
      );
      break;
    case 1:
      parts.push(`${who}, here for evaluation.`);
      break;
  }
  switch (D) {
    case 2:
      parts.push(`Most likely diagnosis: ${lowerFirst(lead)}.`);
      break;
    case 1:
      parts.push(
        `Differential includes ${
          joinAnd([lead, alt1 ?? "other causes", alt2 ?? "others"].map(lowerFirst))
        }.`,
      );
      break;
  }
  switch (E) {
    case 2:
      parts.push(
        `${capitalize(lead)} is favoured because ${f1} and ${f2} together fit its usual ` +
          `presentation over ${c.duration}.`,
      );
      break;
    case 1:
      parts.push(`${capitalize(lead)} fits the overall picture.`);
      break;
  }
  switch (A) {
    case 2:
      parts.push(
        `${capitalize(alt1 ?? "An alternative")} is less likely because ${f1} fits ${lead} ` +
          `better; ${alt2 ?? "another cause"} remains possible given ${f2}, but ` +
          `${n2 ?? n1 ?? "the course so far"} argues against it.`,
      );
      break;
    case 1:
      parts.push(`Also consider ${joinAnd([alt1 ?? "other causes", alt2 ?? "others"])}.`);
      break;
  }
  if (parts.length === 0) parts.push("Will discuss with the team.");
  const text = voice === "physician" && rng.chance(0.5) ? parts.join(" ") : parts.join("\n");
  return { text, score: I + D + E + A, components: { I, D, E, A } };
}
