/**
 * The task keys that the dataset's `benchmark` field may hold.
 *
 * Five keys are the ones PrecepTron documents; `bi_triage` is our name for the BIDMC
 * emergency-department triage task, whose key the published pages do not give (unconfirmed).
 *
 * @module
 */

/** Every task key a dataset entry's `benchmark` field may hold, in the order the site lists tasks. */
export const BENCHMARKS = [
  "management_reasoning",
  "bi_triage",
  "cpc_bond",
  "r_idea",
  "diagnostic_reasoning",
  "cpc_management",
] as const;

/** One of the six PrecepTron task keys. */
export type Benchmark = typeof BENCHMARKS[number];

/**
 * Whether a string is one of the six task keys.
 *
 * @param key The value to test.
 * @returns `true` when `key` is a task key.
 *
 * @example
 * ```ts
 * import { isBenchmark } from "./benchmark.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isBenchmark("cpc_bond"), true);
 * assert.equal(isBenchmark("bond"), false);
 * ```
 */
export function isBenchmark(key: unknown): key is Benchmark {
  return typeof key === "string" && (BENCHMARKS as readonly string[]).includes(key);
}
