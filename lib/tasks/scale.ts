/**
 * Score scales: the values a judge may give on a task.
 *
 * @module
 */

/** The values a score may take: a range, and either a step or a list of allowed values. */
export interface ScoreScale {
  /** The lowest score. */
  min: number;
  /** The highest score. */
  max: number;
  /**
   * The allowed values, when the scale skips some (the Bond scale has no 1). When absent, any
   * multiple of `step` from `min` to `max` is allowed.
   */
  allowed?: readonly number[];
  /** The spacing of allowed values when `allowed` is absent (1 for integer scales). */
  step?: number;
  /** How the scale is described to the judge and in errors, e.g. "Bond score 0, 2–5". */
  label: string;
}

/** The Bond scale's anchors (Bond et al., J Gen Intern Med 2012): 0, 2, 3, 4, 5, with no 1. */
export const BOND_ANCHORS: readonly number[] = [0, 2, 3, 4, 5];

/**
 * The Bond scale, with PrecepTron's borderline half points (2.5, 3.5, 4.5) unless turned off.
 * Never 1 or 1.5.
 *
 * @param halfPoints Whether 2.5, 3.5 and 4.5 are allowed (default true).
 * @returns The scale.
 *
 * @example
 * ```ts
 * import { bondScale } from "./scale.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(bondScale().allowed, [0, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
 * assert.deepEqual(bondScale(false).allowed, [0, 2, 3, 4, 5]);
 * ```
 */
export function bondScale(halfPoints = true): ScoreScale {
  return {
    min: 0,
    max: 5,
    allowed: halfPoints ? [0, 2, 2.5, 3, 3.5, 4, 4.5, 5] : BOND_ANCHORS,
    label: halfPoints
      ? "Bond score (0, 2, 2.5, 3, 3.5, 4, 4.5 or 5; never 1)"
      : "Bond score (0, 2, 3, 4 or 5)",
  };
}

/**
 * An integer scale from `min` to `max` (or in steps of `step`).
 *
 * @param min The lowest score.
 * @param max The highest score.
 * @param step The spacing (default 1).
 * @returns The scale.
 *
 * @example
 * ```ts
 * import { rangeScale } from "./scale.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rangeScale(0, 19).label, "integer from 0 to 19");
 * ```
 */
export function rangeScale(min: number, max: number, step = 1): ScoreScale {
  const label = step === 1
    ? `integer from ${min} to ${max}`
    : `number from ${min} to ${max} in steps of ${step}`;
  return { min, max, step, label };
}

/**
 * Why a number is not a valid score on a scale, or `undefined` when it is.
 *
 * @param score The judge's score.
 * @param scale The task's scale.
 * @returns A reason such as `"1 is not on the scale: Bond score (…)"`, or `undefined`.
 *
 * @example
 * ```ts
 * import { bondScale, scoreProblem } from "./scale.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(scoreProblem(4.5, bondScale()), undefined);
 * assert.match(scoreProblem(1, bondScale())!, /^1 is not on the scale: Bond score/);
 * ```
 */
export function scoreProblem(score: number, scale: ScoreScale): string | undefined {
  if (!Number.isFinite(score)) return `${score} is not a finite number`;
  if (score < scale.min || score > scale.max) {
    return `${score} is outside ${scale.min}..${scale.max} (${scale.label})`;
  }
  if (scale.allowed) {
    if (!scale.allowed.some((v) => Math.abs(v - score) < 1e-9)) {
      return `${score} is not on the scale: ${scale.label}`;
    }
    return undefined;
  }
  const step = scale.step ?? 1;
  const k = (score - scale.min) / step;
  if (Math.abs(k - Math.round(k)) > 1e-9) return `${score} is not on the scale: ${scale.label}`;
  return undefined;
}
