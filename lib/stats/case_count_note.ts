/**
 * What the number of cases behind an estimate means for its interval: none below
 * `MIN_INTERVAL_CASES`, a flag below `FEW_CASES`.
 *
 * @module
 */

/**
 * The fewest cases an interval is given for. With 3 cases a leave-one-case-out interval rests
 * on 2 degrees of freedom and a cluster bootstrap has 10 distinct resamples: no method gives
 * an honest interval, so the kit gives none and says why.
 */
export const MIN_INTERVAL_CASES = 4;

/**
 * Below this many cases a task is flagged "few cases". In the kit's coverage simulation
 * (`bench/interval_coverage_bench.ts`: strong case effects, 4–8 cases of hundreds of responses)
 * 95% jackknife-t intervals covered 89–96% of the time, and were wide; from 20 cases on they
 * covered 93–97%.
 */
export const FEW_CASES = 20;

/**
 * The note that goes beside an estimate resting on `nCases` cases: why there is no interval,
 * or that the interval rests on few cases; `null` when there is nothing to say.
 *
 * @param nCases The number of distinct cases (clusters) behind the estimate.
 * @returns The note, or `null`.
 *
 * @example
 * ```ts
 * import { caseCountNote } from "./case_count_note.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(caseCountNote(3), "3 cases: too few for an interval (needs 4)");
 * assert.equal(caseCountNote(5), "few cases (5): the interval covers about 90–95%");
 * assert.equal(caseCountNote(76), null);
 * ```
 */
export function caseCountNote(nCases: number): string | null {
  if (nCases < MIN_INTERVAL_CASES) {
    const cases = nCases === 1 ? "1 case" : `${nCases} cases`;
    return `${cases}: too few for an interval (needs ${MIN_INTERVAL_CASES})`;
  }
  if (nCases < FEW_CASES) return `few cases (${nCases}): the interval covers about 90–95%`;
  return null;
}
