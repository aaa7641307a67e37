/**
 * The lexical testing-plan rule (`cpc_management`, 0–2).
 *
 * @module
 */

import type { RuleOutcome } from "./_lexical_outcome.ts";
import { contentWords, foundWords, isGeneric, quote, tokenize } from "./_lexical_text.ts";
import { TEST_WORDS, THRESHOLDS } from "./_lexical_words.ts";

const TESTS = new Set(TEST_WORDS.flatMap(tokenize));

/**
 * Scores a testing plan against the test actually done (T = the test plan's content words,
 * R = the response's):
 * - 2: at least 80% of T is found in R (the plan names the test done);
 * - 1: R shares a specific word of T (not a generic test noun or qualifier), or R names any
 *   generic test noun ("CT", "MRI", "biopsy", "culture", "serology", "antibody", "level"…):
 *   a test is proposed, but not recognisably the one done;
 * - 0: R names no test and nothing of T.
 */
export function testPlanScore(response: string, testPlan: string): RuleOutcome {
  const t = contentWords(testPlan);
  const r = contentWords(response);
  const found = foundWords(t, r);
  const coverage = t.length === 0 ? 0 : found.length / t.length;
  const fields = { coverage: Math.round(coverage * 100) / 100 };
  if (t.length > 0 && coverage >= THRESHOLDS.testPlanCoverage) {
    return {
      ok: true,
      score: 2,
      justification: `The plan names ${found.length} of ${t.length} content words of the test ` +
        `done ${quote(testPlan)} (${found.join(", ")}).`,
      fields,
    };
  }
  const specific = found.filter((w) => !TESTS.has(w) && !isGeneric(w));
  if (specific.length > 0) {
    return {
      ok: true,
      score: 1,
      justification: `The plan shares ${specific.join(", ")} with the test done ` +
        `${quote(testPlan)} but not the whole test.`,
      fields,
    };
  }
  const tests = r.filter((w) => TESTS.has(w));
  if (tests.length > 0) {
    return {
      ok: true,
      score: 1,
      justification: `The plan proposes tests (${tests.slice(0, 4).join(", ")}) but not ` +
        `recognisably the test done ${quote(testPlan)}.`,
      fields,
    };
  }
  return {
    ok: true,
    score: 0,
    justification: `The plan names no test and nothing of the test done ${quote(testPlan)}.`,
    fields,
  };
}
