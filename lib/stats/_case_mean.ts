/**
 * A mean of values grouped by case, with its cluster jackknife-t interval over cases.
 *
 * @module
 */

import { _jackknifeT } from "./_jackknife_t.ts";
import { MIN_INTERVAL_CASES } from "./case_count_note.ts";

/**
 * The mean of the values and its jackknife-t interval over cases (leave one case out at a time,
 * Student t with G − 1 df); `NaN` limits under `MIN_INTERVAL_CASES` cases. The interval
 * generalises to new cases like these, as `agreement()`'s does.
 *
 * @param entries Each value with its case.
 * @param level The confidence level.
 */
export function _caseMean(
  entries: readonly { value: number; caseId: string }[],
  level: number,
): { mean: number; lower: number; upper: number; cases: number } {
  const byCase = new Map<string, { sum: number; count: number }>();
  let sum = 0;
  for (const e of entries) {
    sum += e.value;
    const c = byCase.get(e.caseId) ?? { sum: 0, count: 0 };
    c.sum += e.value;
    c.count++;
    byCase.set(e.caseId, c);
  }
  const n = entries.length, mean = sum / n, G = byCase.size;
  if (G < MIN_INTERVAL_CASES) return { mean, lower: NaN, upper: NaN, cases: G };
  const leaveOut = [...byCase.values()].map((c) => (sum - c.sum) / (n - c.count));
  const { lower, upper } = _jackknifeT(mean, leaveOut, level);
  return { mean, lower, upper, cases: G };
}
