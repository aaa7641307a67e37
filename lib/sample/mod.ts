/**
 * The SYNTHETIC PrecepTron sample's generator: entries with the published dataset's schema, every
 * task, realistic studies and models, and per-rater scores from simulated physicians — generated
 * data, not physician scores and not the PrecepTron dataset (see data/README.md). The shipped
 * sample (`data/preceptron-sample.json`, what `loadDataset()` reads with no source) is its default
 * output; `deno task sample-data` writes other sizes and seeds.
 *
 * ```ts
 * import { generateSample } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const entries = generateSample({ size: "full", seed: 1 }); // Entry[], nothing written
 * assert.equal(entries.length, 5250);
 * assert.ok(entries.every((e) => e.extra?.synthetic === true));
 * ```
 *
 * @module
 */

export * from "./generate_sample.ts";
// The entry type the output is made of, and the types it names: they belong to
// `preceptron/data`, and are re-exported so that this entry point documents a complete signature.
export type { Entry, RaterScore } from "../data/entry.ts";
export { TASK_KEYS, type TaskKey } from "../data/task_key.ts";
