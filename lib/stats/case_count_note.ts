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
 * The fewest cases an interval on the physician ceiling is given for (the ceiling, and the
 * judge − ceiling difference). The ceiling varies from case to case in a
 * heavy-tailed way — on an easy case every physician agrees — so with few cases an interval
 * misses whenever the sample happens to hold no such case. In the kit's simulation the
 * jackknife-t for the ceiling and the difference covered 80–88% at 5–8 cases and 86–92% at
 * 10–15; from 20 cases on, 91–95%.
 */
export const MIN_CEILING_INTERVAL_CASES = 20;

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
 * @param minCases The fewest cases an interval is given for: `MIN_INTERVAL_CASES` (the
 *   default), or `MIN_CEILING_INTERVAL_CASES` for the physician ceiling.
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
 * assert.equal(caseCountNote(8, 20), "8 cases: too few for an interval on the ceiling (needs 20)");
 * ```
 */
export function caseCountNote(nCases: number, minCases = MIN_INTERVAL_CASES): string | null {
  if (nCases < minCases) {
    const cases = nCases === 1 ? "1 case" : `${nCases} cases`;
    const what = minCases === MIN_CEILING_INTERVAL_CASES
      ? "an interval on the ceiling"
      : "an interval";
    return `${cases}: too few for ${what} (needs ${minCases})`;
  }
  if (nCases < FEW_CASES) return `few cases (${nCases}): the interval covers about 90–95%`;
  return null;
}
