/**
 * Structured diagnostic reflections for `diagnostic_reasoning` (0–19), graded by content.
 *
 * The published rubric (Goh et al., JAMA Netw Open 2024) scores the differential, the findings
 * supporting and opposing each diagnosis, the final diagnosis and the next steps, 19 points in
 * all; its split across components is not public. The split below is OUR OWN INVENTION, used
 * only to give the synthetic responses a content grade, and must not be presented as the
 * published one: three diagnoses × (1 plausible + 2 supporting findings + 1 opposing finding)
 * = 12, final diagnosis 4 (exact 4, very close 2, closely related 1), next steps 3 (one per
 * useful test).
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import { capitalize, type ClinicalCase, nameDiagnosis, nameTest, type Voice } from "./_text.ts";
import { type DiagnosisConcept, testConcept } from "./_vocabulary.ts";

/** A generated reflection and the grade its content earns. */
export interface ReflectionResponse {
  /** The reflection as written. */
  text: string;
  /** Content score, 0–19. */
  score: number;
}

interface Slot {
  text: string;
  plausible: boolean;
  exact: boolean;
}

/**
 * Writes a structured reflection for a case.
 *
 * @param c The case.
 * @param distractors Diagnoses unrelated to the case.
 * @param skill 0..1: the chance of earning each point, before per-response variation.
 * @param voice Who writes.
 * @param rng Random source.
 * @returns The text and its content grade.
 */
export function reflectionResponse(
  c: ClinicalCase,
  distractors: readonly DiagnosisConcept[],
  skill: number,
  voice: Voice,
  rng: Random,
): ReflectionResponse {
  // Respondents differ from case to case; the spread keeps scores from bunching at the mean.
  const a = Math.min(0.99, Math.max(0.05, skill + 0.12 * rng.normal()));
  const [d1, d2, d3] = rng.sample(distractors, 3);
  const final = finalDiagnosis(c.dx, voice, a, d1, rng);
  const slots = [final.slot, ...otherDiagnoses(c.dx, voice, a, final.slot, [d2, d3], rng)];
  // Findings that are not in this case, for answers that cite the wrong evidence.
  const foreign = [d1, d2, d3].flatMap((d) => d?.findings ?? []);
  const evidence = citeEvidence(c, slots, voice, a, foreign, rng);
  const steps = nextSteps(c.dx, voice, a, rng);
  const text = [
    voice === "llm" ? "Differential diagnosis:" : "DDx:",
    ...evidence.lines,
    `Most likely diagnosis: ${final.slot.text}`,
    `Next diagnostic steps: ${steps.names.length > 0 ? steps.names.join("; ") : "none"}`,
  ].join("\n");
  return { text, score: final.points + evidence.points + steps.points };
}

/** A diagnosis that earns nothing: a distractor, or a vague fallback. */
function wrong(d: DiagnosisConcept | undefined): Slot {
  return { text: d?.name ?? "viral syndrome", plausible: false, exact: false };
}

/** The final diagnosis and its points: exact 4, very close 2, closely related 1, else 0. */
function finalDiagnosis(
  dx: DiagnosisConcept,
  voice: Voice,
  a: number,
  distractor: DiagnosisConcept | undefined,
  rng: Random,
): { points: number; slot: Slot } {
  if (rng.chance(a)) {
    return {
      points: 4,
      slot: { text: nameDiagnosis(dx, voice, rng).text, plausible: true, exact: true },
    };
  }
  const u = rng.next();
  if (u < 0.5) {
    return { points: 2, slot: { text: rng.pick(dx.veryClose), plausible: true, exact: false } };
  }
  if (u < 0.8) {
    return {
      points: 1,
      slot: { text: rng.pick(dx.closelyRelated), plausible: true, exact: false },
    };
  }
  return { points: 0, slot: wrong(distractor) };
}

/** The two other diagnoses of the differential (the exact one among them, sometimes). */
function otherDiagnoses(
  dx: DiagnosisConcept,
  voice: Voice,
  a: number,
  final: Slot,
  distractors: readonly (DiagnosisConcept | undefined)[],
  rng: Random,
): Slot[] {
  const neighbours = rng.shuffle([...dx.veryClose, ...dx.closelyRelated, ...dx.related])
    .filter((t) => t !== final.text);
  const others: Slot[] = [];
  for (let i = 0; i < 2; i++) {
    if (!final.exact && i === 0 && rng.chance(a * 0.5)) {
      others.push({ text: nameDiagnosis(dx, voice, rng).text, plausible: true, exact: true });
    } else if (rng.chance(a)) {
      others.push({
        text: neighbours[i] ?? dx.related[0] ?? "another cause",
        plausible: true,
        exact: false,
      });
    } else {
      others.push(wrong(distractors[i]));
    }
  }
  return others;
}

/**
 * Each diagnosis with two findings for it and one against, and the points they earn: 1 for a
 * plausible diagnosis, 1 per finding of this case cited for it, 1 for a fair finding against.
 */
function citeEvidence(
  c: ClinicalCase,
  slots: readonly Slot[],
  voice: Voice,
  a: number,
  foreign: readonly string[],
  rng: Random,
): { lines: string[]; points: number } {
  const caseFindings = rng.shuffle(c.findings);
  let points = 0;
  const lines: string[] = [];
  const support = voice === "llm" ? "Supporting" : "For";
  const oppose = voice === "llm" ? "Opposing" : "Against";
  slots.forEach((slot, i) => {
    if (slot.plausible) points += 1;
    const cited: string[] = [];
    for (let k = 0; k < 2; k++) {
      if (rng.chance(a)) {
        points += 1;
        cited.push(caseFindings[(i * 2 + k) % caseFindings.length]!);
      } else {
        cited.push(foreign.length > 0 ? rng.pick(foreign) : "a normal examination");
      }
    }
    let against: string;
    if (rng.chance(a)) {
      points += 1;
      against = slot.exact
        ? "nothing in the case argues clearly against it"
        : rng.pick(c.negatives);
    } else {
      // Misread evidence: a finding of this very case cited against the right answer, or a
      // finding the case does not have.
      against = slot.exact ? rng.pick(c.findings) : foreign.length > 0 ? rng.pick(foreign) : "none";
    }
    lines.push(
      `${i + 1}. ${capitalize(slot.text)}\n   ${support}: ${
        cited.join("; ")
      }\n   ${oppose}: ${against}`,
    );
  });
  return { lines, points };
}

/** Up to three next diagnostic steps, a point for each useful one. */
function nextSteps(
  dx: DiagnosisConcept,
  voice: Voice,
  a: number,
  rng: Random,
): { names: string[]; points: number } {
  const useful = rng.shuffle([dx.test, ...(dx.equivalentTests ?? []), ...dx.helpfulTests]);
  const useless = rng.shuffle(dx.unhelpfulTests);
  const names: string[] = [];
  let points = 0;
  for (let k = 0; k < 3; k++) {
    const good = rng.chance(a) && useful.length > 0;
    const key = good ? useful.shift()! : useless.shift();
    if (key === undefined) continue;
    if (good) points += 1;
    names.push(nameTest(testConcept(key), voice === "llm" ? 0.5 : 0.3, rng).text);
  }
  return { names, points };
}
