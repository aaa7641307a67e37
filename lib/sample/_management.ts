/**
 * Answers to management questions for `management_reasoning`, graded by the rubric items they
 * meet: the sum of the points of the positive items met plus the (negative) points of the
 * harmful actions proposed, kept inside `0..max_score`.
 *
 * Answers meet items through paraphrase, gesture at some without meeting them ("give fluids"),
 * and name harmful actions only to reject them ("I would not give tPA"): a matcher that counts
 * words from the item descriptions sees only part of this.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import type { ManagementQuestion, RubricItemSpec } from "./_management_cases.ts";
import { capitalize, type Voice } from "./_text.ts";

/**
 * What an answer did with one rubric item: met it, gestured at it, left it out (positive
 * items); proposed it, rejected it, left it out (harmful items).
 */
export type ItemState = "met" | "vague" | "absent" | "proposed" | "rejected";

/** A generated answer and the grade its content earns. */
export interface ManagementResponse {
  /** The answer as written. */
  text: string;
  /** Content score inside `0..max_score`. */
  score: number;
  /** Per rubric item, in rubric order. */
  states: ItemState[];
}

/** The rubric of a question as the entry carries it (no phrasings: those are the key). */
export interface EntryRubric {
  /** The items, positive and negative. */
  items: { id: string; description: string; points: number }[];
}

/**
 * The entry-facing rubric of a question and its maximum score (the sum of positive points).
 *
 * @param question The question.
 * @returns The rubric JSON and `max_score`.
 */
export function entryRubric(
  question: ManagementQuestion,
): { rubric: EntryRubric; maxScore: number } {
  const items = question.items.map(({ id, description, points }) => ({ id, description, points }));
  const maxScore = items.reduce((sum, item) => sum + Math.max(0, item.points), 0);
  return { rubric: { items }, maxScore };
}

/**
 * The score that a set of item states earns, clamped to `0..max_score`.
 *
 * @param items The rubric items.
 * @param credited Whether each item counts (met, or harmful action proposed).
 * @param maxScore The top of the scale.
 * @returns The score.
 */
export function rubricScore(
  items: readonly RubricItemSpec[],
  credited: readonly boolean[],
  maxScore: number,
): number {
  let sum = 0;
  items.forEach((item, i) => {
    if (credited[i]) sum += item.points;
  });
  return Math.min(maxScore, Math.max(0, sum));
}

const FILLERS = [
  "I would reassess after the first interventions",
  "document the plan and share it with the nursing team",
  "review the medication list",
  "keep the family updated",
];

/**
 * Writes an answer to a management question.
 *
 * @param question The question and its rubric.
 * @param skill 0..1: how often each positive item is met, before per-response variation.
 * @param voice Who writes.
 * @param rng Random source.
 * @returns The text, its content grade and what it did with each item.
 */
export function managementResponse(
  question: ManagementQuestion,
  skill: number,
  voice: Voice,
  rng: Random,
): ManagementResponse {
  const a = Math.min(0.98, Math.max(0.03, skill + 0.15 * rng.normal()));
  const { maxScore } = entryRubric(question);
  const states = new Map<string, ItemState>();
  // Harmful actions first: proposing one rules out the positive items it contradicts.
  for (const item of question.items) {
    if (item.points >= 0) continue;
    if (rng.chance(0.3 * (1 - a))) states.set(item.id, "proposed");
    else if ((item.rejects?.length ?? 0) > 0 && rng.chance(0.35 * a)) {
      states.set(item.id, "rejected");
    } else states.set(item.id, "absent");
  }
  const blocked = new Set<string>();
  for (const item of question.items) {
    if (states.get(item.id) === "proposed") {
      for (const id of item.contradicts ?? []) blocked.add(id);
    }
  }
  for (const item of question.items) {
    if (item.points < 0) continue;
    if (!blocked.has(item.id) && rng.chance(a)) states.set(item.id, "met");
    else if ((item.vague?.length ?? 0) > 0 && rng.chance(0.4)) states.set(item.id, "vague");
    else states.set(item.id, "absent");
  }

  const phrases: string[] = [];
  for (const item of question.items) {
    const state = states.get(item.id);
    if (state === "met" || state === "proposed") phrases.push(rng.pick(item.says));
    else if (state === "vague") phrases.push(rng.pick(item.vague!));
    else if (state === "rejected") phrases.push(rng.pick(item.rejects!));
  }
  // Language models pad their answers; physicians in a timed study mostly do not.
  const fillers = voice === "llm" ? rng.between(1, 2) : rng.chance(0.3) ? 1 : 0;
  phrases.push(...rng.sample(FILLERS, fillers));
  const ordered = rng.shuffle(phrases);
  let text: string;
  if (ordered.length === 0) text = "I would need more information before deciding.";
  else if (voice === "llm") text = ordered.map((p) => `- ${capitalize(p)}.`).join("\n");
  else text = ordered.map((p) => `${capitalize(p)}.`).join(" ");

  const itemStates = question.items.map((item) => states.get(item.id) ?? "absent");
  const credited = itemStates.map((s) => s === "met" || s === "proposed");
  return { text, score: rubricScore(question.items, credited, maxScore), states: itemStates };
}
