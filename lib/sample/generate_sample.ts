/**
 * The synthetic PrecepTron sample: generated entries with the published dataset's schema, for
 * notebooks, tests and load tests while the real (gated) data is out of reach.
 *
 * SYNTHETIC: these are not physician scores and not the PrecepTron dataset. See data/README.md.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";
import { generateWithTruth } from "./_generate.ts";

/** Options of `generateSample`. */
export interface SampleOptions {
  /** Seed of every random draw (an integer; default 1). */
  seed?: number;
  /**
   * `"small"`: 360 entries over all six tasks, for quick notebooks and tests; `"full"`: the
   * published per-task counts, 5,250 entries. Default: `"small"`, or `"full"` when `scale` is
   * given.
   */
  size?: "small" | "full";
  /** Multiplies the chosen size's per-study counts (rounded); 10 × `full` is 52,500 entries. */
  scale?: number;
}

/**
 * Generates the synthetic PrecepTron sample: every task, realistic study ids, models and
 * physician groups, several responses per case, per-rater physician scores and a reference
 * `grade`, each entry marked `extra.synthetic = true`.
 *
 * Responses are written from a vocabulary of real diagnoses, tests and management actions,
 * often through synonyms, abbreviations, eponyms, paraphrases and misspellings; each has a
 * content grade by its task's rule, and each simulated rater scores it as that grade plus
 * rater noise tuned to published physician–physician agreement. The reference `grade` is the
 * raters' mean, except on the Bond scale (`cpc_bond`, `bi_triage`), where it is the allowed
 * Bond value nearest that mean (the lower one on a tie), so it is never 1 or 1.5.
 *
 * Deterministic: the same options give the same entries, byte for byte once serialised.
 *
 * @param options Seed, size and scale.
 * @returns The entries, grouped by task and study.
 * @throws {RangeError} When `seed` is not an integer, `size` is unknown, or `scale` is not a
 *   positive finite number.
 *
 * @example
 * ```ts
 * import { generateSample } from "./generate_sample.ts";
 * import assert from "node:assert/strict";
 *
 * const sample = generateSample();
 * assert.equal(new Set(sample.map((e) => e.benchmark)).size, 6);
 * assert.ok(sample.every((e) => e.extra?.synthetic === true && (e.grades?.length ?? 0) >= 2));
 *
 * const full = generateSample({ size: "full", seed: 7 });
 * assert.equal(full.length, 5250);
 * assert.equal(full.filter((e) => e.study.startsWith("brodeur")).length, 1403);
 * ```
 */
export function generateSample(options: SampleOptions = {}): Entry[] {
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`generateSample(): seed must be an integer, got ${seed}`);
  }
  const size = options.size ?? (options.scale === undefined ? "small" : "full");
  if (size !== "small" && size !== "full") {
    throw new RangeError(
      `generateSample(): size must be "small" or "full", got ${JSON.stringify(size)}`,
    );
  }
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new RangeError(`generateSample(): scale must be a positive number, got ${scale}`);
  }
  return generateWithTruth({ seed, size, scale }).entries;
}
