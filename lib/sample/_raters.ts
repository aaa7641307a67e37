/**
 * The synthetic physician raters: each score is the response's content grade plus that rater's
 * leniency and random slips, kept on the task's allowed values and inside `0..max_score`.
 *
 * The noise levels in `RATER_NOISE` were tuned so that agreement between the first two raters of
 * each entry (linear-weighted Cohen κ on category values, per task, on the `full` sample) lands
 * near the inter-rater agreement Brodeur et al. report: about 0.66 for Bond-scale differentials,
 * 0.89 for R-IDEA and 0.71 for management; the other tasks in between.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it.
 *
 * @module
 */

import type { Random } from "./_random.ts";
import { BOND_VALUES } from "./_bond.ts";
import type { ItemState } from "./_management.ts";
import type { RubricItemSpec } from "./_management_cases.ts";

/** The eleven physician evaluators. */
export const RATERS = [
  "phys-01",
  "phys-02",
  "phys-03",
  "phys-04",
  "phys-05",
  "phys-06",
  "phys-07",
  "phys-08",
  "phys-09",
  "phys-10",
  "phys-11",
] as const;

// Each rater's standing tendency, in units of the task's noise scale: positive is lenient.
// Fixed rather than drawn from the seed so that agreement is similar for every seed.
const LENIENCY: Readonly<Record<string, number>> = {
  "phys-01": 0.35,
  "phys-02": -0.25,
  "phys-03": 0.1,
  "phys-04": -0.15,
  "phys-05": 0.25,
  "phys-06": -0.35,
  "phys-07": 0.05,
  "phys-08": -0.1,
  "phys-09": 0.2,
  "phys-10": -0.2,
  "phys-11": 0.15,
};

// Raters who use the Bond half points; the others keep to the anchors 0, 2, 3, 4, 5.
const HALF_POINT_RATERS: ReadonlySet<string> = new Set(["phys-03", "phys-05"]);

/** Noise of a rater on a numeric scale. */
export interface ScaleNoise {
  /** Standard deviation of the per-score jitter (scale steps). */
  sigma: number;
  /** Chance of a slip of one step up or down. */
  slip: number;
  /** How much leniency moves a score (scale steps per unit of leniency). */
  bias: number;
}

/** Noise of a rater reading an answer against a rubric. */
export interface RubricNoise {
  /** Chance of missing an item the answer meets. */
  miss: number;
  /** Chance of crediting an item the answer does not address. */
  falseCredit: number;
  /** Chance of crediting an item the answer only gestures at. */
  vagueCredit: number;
  /** Chance of missing a harmful action the answer proposes. */
  missHarm: number;
  /** Chance of penalising a harmful action the answer explicitly rejects. */
  misreadRejection: number;
  /** How much leniency shifts the chances above. */
  bias: number;
}

/** Rater noise per kind of scale, tuned against the published κ (see the module comment). */
export const RATER_NOISE: {
  bond: ScaleNoise;
  testPlan: ScaleNoise;
  rIdea: ScaleNoise;
  reflection: ScaleNoise;
  management: RubricNoise;
} = {
  bond: { sigma: 0.45, slip: 0.1, bias: 0.6 },
  testPlan: { sigma: 0.25, slip: 0.05, bias: 0.4 },
  rIdea: { sigma: 0.27, slip: 0.03, bias: 0.4 },
  reflection: { sigma: 0.65, slip: 0.06, bias: 1 },
  management: {
    miss: 0.06,
    falseCredit: 0.03,
    vagueCredit: 0.3,
    missHarm: 0.1,
    misreadRejection: 0.08,
    bias: 0.3,
  },
};

/** Bond values as positions on an evenly spaced ladder (0 → 0, 2 → 1, … 5 → 4). */
function bondPosition(value: number): number {
  return value === 0 ? 0 : value - 1;
}

/**
 * One rater's Bond score for a response whose content earns `content`.
 *
 * Works on the ladder of anchors, where 0 and 2 are neighbours (there is no 1), and snaps to
 * the values this rater uses.
 *
 * @param content The content grade (an allowed Bond value).
 * @param rater The rater id.
 * @param noise The noise level.
 * @param rng Random source.
 * @returns An allowed Bond value.
 */
export function bondRaterScore(
  content: number,
  rater: string,
  noise: ScaleNoise,
  rng: Random,
): number {
  let latent = bondPosition(content) + (LENIENCY[rater] ?? 0) * noise.bias +
    noise.sigma * rng.normal();
  if (rng.chance(noise.slip)) latent += rng.chance(0.5) ? 1 : -1;
  const values: readonly number[] = HALF_POINT_RATERS.has(rater) ? BOND_VALUES : [0, 2, 3, 4, 5];
  return nearest(values, latent, bondPosition);
}

/**
 * One rater's score on an integer scale `0..max` for a response whose content earns `content`.
 *
 * @param content The content grade.
 * @param max The top of the scale.
 * @param rater The rater id.
 * @param noise The noise level.
 * @param rng Random source.
 * @returns An integer inside `0..max`.
 */
export function integerRaterScore(
  content: number,
  max: number,
  rater: string,
  noise: ScaleNoise,
  rng: Random,
): number {
  let latent = content + (LENIENCY[rater] ?? 0) * noise.bias + noise.sigma * rng.normal();
  if (rng.chance(noise.slip)) latent += rng.chance(0.5) ? 1 : -1;
  return Math.min(max, Math.max(0, Math.round(latent)));
}

/**
 * One rater's rubric score: the rater decides item by item whether the answer meets it, and
 * sums the points, clamped to `0..max_score`.
 *
 * @param items The rubric items.
 * @param states What the answer did with each item.
 * @param maxScore The top of the scale.
 * @param rater The rater id.
 * @param noise The noise level.
 * @param rng Random source.
 * @returns The score.
 */
export function rubricRaterScore(
  items: readonly RubricItemSpec[],
  states: readonly ItemState[],
  maxScore: number,
  rater: string,
  noise: RubricNoise,
  rng: Random,
): number {
  const lean = (LENIENCY[rater] ?? 0) * noise.bias;
  let sum = 0;
  items.forEach((item, i) => {
    const state = states[i] ?? "absent";
    let p: number;
    switch (state) {
      case "met":
        p = 1 - noise.miss * (1 - lean);
        break;
      case "vague":
        p = noise.vagueCredit * (1 + lean);
        break;
      case "proposed":
        p = 1 - noise.missHarm * (1 + lean);
        break;
      case "rejected":
        p = noise.misreadRejection * (1 - lean);
        break;
      default:
        p = item.points > 0 ? noise.falseCredit * (1 + lean) : 0;
    }
    if (rng.chance(p)) sum += item.points;
  });
  return Math.min(maxScore, Math.max(0, sum));
}

/**
 * The Bond reference grade from several raters' scores: their mean when that is an allowed
 * value, otherwise the nearest allowed value, and on a tie the lower one (a split between
 * "related" and "nothing close" resolves to the stricter reading, so a mean of 1 becomes 0 and
 * a mean of 4.25 becomes 4).
 *
 * @param scores The raters' scores (allowed Bond values).
 * @returns An allowed Bond value.
 */
export function bondConsensus(scores: readonly number[]): number {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return nearest(BOND_VALUES, mean, (v) => v);
}

/** The value whose position is nearest to `target`; ties go to the lower value. */
function nearest(
  values: readonly number[],
  target: number,
  position: (v: number) => number,
): number {
  let best = values[0]!;
  let bestDistance = Infinity;
  for (const v of values) {
    const d = Math.abs(position(v) - target);
    // Values are sorted ascending, so a strict comparison keeps the lower one on a tie.
    if (d < bestDistance - 1e-9) {
      best = v;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Picks who scores an entry: two raters from the study's panel, in random order, and sometimes
 * a third (from the panel if it has one left, else from all evaluators).
 *
 * @param panel The study's raters (at least two).
 * @param thirdRater Chance of a third rater.
 * @param rng Random source.
 * @returns Two or three distinct rater ids; the first two are the pair agreement is measured on.
 */
export function assignRaters(panel: readonly string[], thirdRater: number, rng: Random): string[] {
  const chosen = rng.sample(panel, 2);
  if (rng.chance(thirdRater)) {
    const left = panel.filter((r) => !chosen.includes(r));
    const pool = left.length > 0 ? left : RATERS.filter((r) => !chosen.includes(r));
    chosen.push(rng.pick(pool));
  }
  return chosen;
}
