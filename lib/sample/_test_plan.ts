/**
 * Testing plans for `cpc_management`, graded by what they mean: 2 when the plan includes the
 * test actually done or an equivalent one (under any of its names), 1 when it includes a test
 * that would have helped but not that one, 0 otherwise.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import { capitalize, joinAnd, lowerFirst, nameTest, type Voice } from "./_text.ts";
import { type DiagnosisConcept, testConcept } from "./_vocabulary.ts";

/** A generated testing plan and the grade its content earns. */
export interface TestPlanResponse {
  /** The plan as written. */
  text: string;
  /** 0, 1 or 2. */
  score: number;
  /** Whether the plan names the actual test by its canonical name (what `test_plan` says). */
  canonical: boolean;
}

/**
 * Writes a testing plan for a case.
 *
 * @param dx The case's final diagnosis (its `test` is the case's `test_plan`).
 * @param skill Chance that the plan includes the actual test or an equivalent.
 * @param voice Who writes.
 * @param rng Random source.
 * @returns The text and its content grade.
 */
export function testPlanResponse(
  dx: DiagnosisConcept,
  skill: number,
  voice: Voice,
  rng: Random,
): TestPlanResponse {
  const score = rng.weighted<number>([[2, skill], [1, (1 - skill) * 0.8], [0, (1 - skill) * 0.2]]);
  const named: string[] = [];
  let canonical = false;
  if (score === 2) {
    const equivalents = dx.equivalentTests ?? [];
    const key = equivalents.length > 0 && rng.chance(0.35) ? rng.pick(equivalents) : dx.test;
    const name = nameTest(testConcept(key), voice === "llm" ? 0.45 : 0.3, rng);
    canonical = key === dx.test && name.kind === "canonical";
    named.push(name.text);
  }
  if (score >= 1) {
    const helpful = rng.sample(dx.helpfulTests, score === 2 ? rng.int(3) : rng.between(1, 2));
    for (const key of helpful) named.push(nameTest(testConcept(key), 0.5, rng).text);
  }
  const unhelpful = rng.sample(dx.unhelpfulTests, score === 0 ? rng.between(1, 3) : rng.int(2));
  for (const key of unhelpful) named.push(nameTest(testConcept(key), 0.5, rng).text);

  const tests = rng.shuffle(named);
  return { text: layout(tests, voice, rng), score, canonical };
}

function layout(tests: readonly string[], voice: Voice, rng: Random): string {
  if (voice === "llm" && rng.chance(0.6)) {
    return "Recommended next tests:\n" +
      tests.map((t, i) => `${i + 1}. ${capitalize(t)}`).join("\n");
  }
  return rng.pick(["I would order ", "Next: ", "Obtain ", "Plan: "]) +
    joinAnd(tests.map(lowerFirst)) + ".";
}
