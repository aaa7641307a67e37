/**
 * Differentials for the Bond-scale tasks (`cpc_bond`, `bi_triage`), written from the private
 * vocabulary and graded by what they mean.
 *
 * The content score follows the Bond rule as the GEPA prompt states it: the highest score earned
 * by any single item, whatever its rank (5 exact, 4 very close, 3 closely related and helpful,
 * 2 related but unhelpful, 0 nothing close; halves only for truly borderline items). The exact
 * diagnosis is often written through a synonym, abbreviation, eponym, paraphrase or misspelling,
 * which a matcher that knows only the canonical name cannot see.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import { capitalize, type FormKind, lowerFirst, nameDiagnosis, type Voice } from "./_text.ts";
import type { DiagnosisConcept } from "./_vocabulary.ts";

/** Allowed Bond values, lowest first: there is no 1 or 1.5. */
export const BOND_VALUES = [0, 2, 2.5, 3, 3.5, 4, 4.5, 5] as const;

/** A generated differential and the grade its content earns. */
export interface BondResponse {
  /** The differential as written. */
  text: string;
  /** The Bond score of its content. */
  score: number;
  /** 1-based rank of the item that earned the score (0 when the score is 0). */
  bestRank: number;
  /** How the best item was written, when it names the exact diagnosis. */
  form?: FormKind;
}

/** Where the differential was written, which sets its length and layout. */
export type BondSetting = "cpc" | "ed";

/**
 * The level a response aims at, from the writer's skill: `skill` is the chance of naming the
 * exact diagnosis; the rest spreads over the lower levels in fixed proportions.
 */
function drawTarget(skill: number, rng: Random): number {
  const rest = 1 - skill;
  return rng.weighted<number>([
    [5, skill],
    [4.5, rest * 0.05],
    [4, rest * 0.3],
    [3.5, rest * 0.05],
    [3, rest * 0.24],
    [2.5, rest * 0.03],
    [2, rest * 0.15],
    [0, rest * 0.18],
  ]);
}

/** Items of the diagnosis's neighbourhood scoring exactly `level`. */
function itemsAt(dx: DiagnosisConcept, level: number): readonly string[] {
  switch (level) {
    case 4:
      return dx.veryClose;
    case 3:
      return dx.closelyRelated;
    case 2:
      return dx.related;
    default:
      return (dx.borderline ?? []).filter(([, s]) => s === level).map(([t]) => t);
  }
}

/**
 * Writes a differential for a case.
 *
 * @param dx The case's final diagnosis.
 * @param distractors Diagnoses unrelated to it (Bond 0 items).
 * @param skill Chance that the differential names the exact diagnosis.
 * @param voice Who writes.
 * @param setting Conference case or emergency department.
 * @param rng Random source.
 * @returns The text and its content grade.
 */
export function bondResponse(
  dx: DiagnosisConcept,
  distractors: readonly DiagnosisConcept[],
  skill: number,
  voice: Voice,
  setting: BondSetting,
  rng: Random,
): BondResponse {
  let target = drawTarget(skill, rng);
  // A half level exists only where the vocabulary has a borderline item; else step down.
  if (target !== 5 && target !== 0 && itemsAt(dx, target).length === 0) target = Math.floor(target);
  if (target !== 5 && target !== 0 && itemsAt(dx, target).length === 0) target = 0;

  const length = setting === "cpc"
    ? rng.between(voice === "llm" ? 5 : 3, voice === "llm" ? 10 : 6)
    : rng.between(voice === "llm" ? 3 : 2, voice === "llm" ? 6 : 4);

  let best: { text: string; form?: FormKind } | undefined;
  if (target === 5) {
    const named = nameDiagnosis(dx, voice, rng);
    best = { text: named.text, form: named.kind };
  } else if (target > 0) {
    best = { text: rng.pick(itemsAt(dx, target)) };
  }

  // Fillers score strictly below the target, so the target is the differential's score. Most
  // come from the diagnosis's own neighbourhood (they fit the presentation); the rest are
  // unrelated diagnoses, the only kind a differential that scores 0 contains.
  const lower: string[] = [];
  for (const level of [4.5, 4, 3.5, 3, 2.5, 2]) {
    if (level < target) lower.push(...itemsAt(dx, level));
  }
  const fillerCount = best ? length - 1 : length;
  const fromNeighbours = Math.min(lower.length, Math.round(fillerCount * (0.5 + 0.4 * rng.next())));
  const unrelated = rng.sample(distractors, fillerCount - fromNeighbours).map((d) =>
    rng.chance(0.75) ? d.name : nameDiagnosis(d, voice, rng).text
  );
  const fillers = [...rng.sample(lower, fromNeighbours), ...unrelated];

  const items = rng.shuffle(dedupe(fillers));
  let bestRank = 0;
  if (best) {
    // Stronger writers put the right answer first more often; rank does not change the score.
    const top = rng.chance(0.35 + 0.45 * skill);
    bestRank = top || items.length === 0 ? 1 : rng.between(2, items.length + 1);
    items.splice(bestRank - 1, 0, best.text);
  }
  const text = layout(items, voice, setting, rng);
  const response: BondResponse = { text, score: target, bestRank };
  if (best?.form !== undefined) response.form = best.form;
  return response;
}

function dedupe(items: readonly string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Lays a differential out the way its writer would. */
function layout(
  items: readonly string[],
  voice: Voice,
  setting: BondSetting,
  rng: Random,
): string {
  if (voice === "llm") {
    const head = rng.pick([
      "",
      "Differential diagnosis:\n",
      "Most likely diagnoses, in order:\n",
      "Ranked differential:\n",
    ]);
    return head + items.map((item, i) => `${i + 1}. ${capitalize(item)}`).join("\n");
  }
  // Inside a sentence, names lose their capital (abbreviations and eponyms keep theirs).
  const inline = items.map(lowerFirst);
  switch (rng.int(setting === "ed" ? 3 : 2)) {
    case 0:
      return inline.map((item, i) => `${i + 1}) ${item}`).join(" ");
    case 1:
      return `DDx: ${inline.join(", ")}`;
    default: {
      const [first, ...others] = inline;
      return others.length === 0
        ? `Concern for ${first}`
        : `Concern for ${first} vs ${others.join(" vs ")}`;
    }
  }
}
