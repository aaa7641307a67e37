/**
 * What one lexical rule returns: a score with the reasons that decided it, or why no score can
 * be given (never a made-up number).
 *
 * @module
 */

/** A rule's result, before it is checked against the task's scale. */
export type RuleOutcome =
  | { ok: true; score: number; justification: string; fields?: Record<string, unknown> }
  | { ok: false; reason: "missing_score"; detail: string };

/**
 * A value moved onto a scale's steps: rounded to the nearest multiple of `step` from `min`,
 * then kept inside `min..max`.
 */
export function snapToStep(value: number, min: number, max: number, step: number): number {
  const snapped = min + Math.round((value - min) / step + 1e-9) * step;
  // Clean binary noise (0.1 + 0.2) so the result compares equal to the scale's own values.
  const clean = Math.round(snapped * 1e6) / 1e6;
  return Math.min(max, Math.max(min, clean));
}
