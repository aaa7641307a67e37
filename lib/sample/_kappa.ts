/**
 * The sample generator's own check of physician–physician agreement: linear-weighted Cohen κ on
 * category values between the first two raters of each entry, per task. Used by the sample's
 * tests and by `scripts/sample_data.ts` to report calibration; the statistics library has the
 * full-featured versions.
 *
 * @module
 */

import { TASK_KEYS, type TaskKey } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";

/**
 * Linear-weighted Cohen κ of two raters, with weights from the category values (not their
 * positions): w = |vᵢ − vⱼ| / (max − min) over the union of observed values (Cohen 1968).
 * κ = 1 − Σ w·O / Σ w·E, with E from the two raters' marginals.
 *
 * @param a First rater's scores.
 * @param b Second rater's scores, paired with `a`.
 * @returns κ, or NaN when it is undefined (fewer than two categories, or no expected
 *   disagreement).
 * @throws {RangeError} When the lists differ in length.
 *
 * @example
 * ```ts
 * import { linearWeightedKappa } from "./_kappa.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(linearWeightedKappa([0, 2, 5, 5], [0, 2, 5, 5]), 1);
 * assert.ok(linearWeightedKappa([0, 2, 5, 5], [2, 0, 5, 4]) < 1);
 * ```
 */
export function linearWeightedKappa(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError("linearWeightedKappa(): lists differ in length");
  const n = a.length;
  const values = [...new Set([...a, ...b])].sort((x, y) => x - y);
  if (n === 0 || values.length < 2) return NaN;
  const range = values[values.length - 1]! - values[0]!;
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  const rowTotals = new Array<number>(k).fill(0);
  const colTotals = new Array<number>(k).fill(0);
  let observed = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    observed += Math.abs(x - y) / range;
    rowTotals[index.get(x)!]! += 1;
    colTotals[index.get(y)!]! += 1;
  }
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      expected += (Math.abs(values[i]! - values[j]!) / range) * rowTotals[i]! * colTotals[j]! / n;
    }
  }
  return expected === 0 ? NaN : 1 - observed / expected;
}

/**
 * Agreement between the first two raters of each entry, per task.
 *
 * @param entries Entries with at least two `grades` each (others are skipped).
 * @returns κ and the number of entries used, for each task present.
 *
 * @example
 * ```ts
 * import { firstPairKappa } from "./_kappa.ts";
 * import { generateSample } from "./generate_sample.ts";
 * import assert from "node:assert/strict";
 *
 * const kappas = firstPairKappa(generateSample());
 * assert.ok(kappas.r_idea !== undefined && kappas.r_idea.n > 0);
 * ```
 */
export function firstPairKappa(
  entries: readonly Entry[],
): Partial<Record<TaskKey, { kappa: number; n: number }>> {
  const out: Partial<Record<TaskKey, { kappa: number; n: number }>> = {};
  for (const task of TASK_KEYS) {
    const a: number[] = [];
    const b: number[] = [];
    for (const e of entries) {
      if (e.benchmark !== task) continue;
      const [first, second] = e.grades ?? [];
      if (!first || !second) continue;
      a.push(first.score);
      b.push(second.score);
    }
    if (a.length > 0) out[task] = { kappa: linearWeightedKappa(a, b), n: a.length };
  }
  return out;
}
