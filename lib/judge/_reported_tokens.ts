/**
 * A token count as a provider reported it, read without inventing one.
 *
 * @module
 */

/**
 * A reported token count as a number: a number as it is (the runner checks its range), and
 * anything else — missing, `null`, text — as `NaN`, never 0: a missing count is not a real
 * zero, and the runner counts an estimate for it (`_checkedUsage`).
 *
 * @param value The count in the reply's `usage`.
 * @returns The count, or `NaN`.
 */
export function _reportedTokens(value: unknown): number {
  return typeof value === "number" ? value : Number.NaN;
}
