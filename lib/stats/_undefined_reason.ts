/**
 * Why a metric has no value on a set of pairs, in one short phrase read from the data.
 *
 * @module
 */

import { _METRICS, type MetricName } from "./_metric_registry.ts";

/** How the two sides of the pairs are named when one of them is constant. */
export interface _Sides {
  /** The first side when constant: `"a constant judge"`. */
  first: string;
  /** The second side when constant: `"constant physician grades"`. */
  second: string;
}

const JUDGE_SIDES: _Sides = { first: "a constant judge", second: "constant physician grades" };

/**
 * The reason a metric is `NaN` on pairs `(first[i], second[i])`: fewer than 2 pairs, a
 * constant side (correlations), one category only (the κs), no variation at all (ICC, CCC, α).
 *
 * @param metric The metric whose estimate is `NaN`.
 * @param first The first side's values (the judge).
 * @param second The second side's values (the physicians).
 * @param sides How to name a constant side.
 * @returns The phrase, e.g. `"a constant judge: correlation undefined"`.
 */
export function _undefinedReason(
  metric: MetricName,
  first: readonly number[],
  second: readonly number[],
  sides: _Sides = JUDGE_SIDES,
): string {
  const n = first.length;
  if (n === 0) return "no pair";
  const constFirst = new Set(first).size === 1, constSecond = new Set(second).size === 1;
  const { family, label } = _METRICS[metric];
  if (family === "kappa") {
    return new Set([...first, ...second]).size < 2
      ? "one category only: κ undefined"
      : "κ undefined on these pairs";
  }
  if (n < 2) return "fewer than 2 pairs";
  if (family === "correlation") {
    if (constFirst && constSecond) {
      return `${sides.first} and ${sides.second.replace(/^an? /, "")}: correlation undefined`;
    }
    if (constFirst) return `${sides.first}: correlation undefined`;
    if (constSecond) return `${sides.second}: correlation undefined`;
  }
  if (constFirst && constSecond) {
    return first[0] === second[0]
      ? `every score the same value: ${label} undefined`
      : `both sides constant: ${label} undefined`;
  }
  return `${label} undefined on these pairs`;
}
