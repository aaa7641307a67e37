/**
 * The task keys that the dataset's `benchmark` field may hold.
 *
 * Five keys are the ones PrecepTron documents; `bi_triage` is our name for the BIDMC
 * emergency-department triage task, whose key the published pages do not give (unconfirmed).
 *
 * @module
 */

/** Every task key a dataset entry's `benchmark` field may hold, in the order the site lists tasks. */
export const TASK_KEYS = [
  "management_reasoning",
  "bi_triage",
  "cpc_bond",
  "r_idea",
  "diagnostic_reasoning",
  "cpc_management",
] as const;

/** One of the six PrecepTron task keys. */
export type TaskKey = typeof TASK_KEYS[number];

/**
 * Whether a string is one of the six task keys.
 *
 * @param key The value to test.
 * @returns `true` when `key` is a task key.
 *
 * @example
 * ```ts
 * import { isTaskKey } from "./task_key.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isTaskKey("cpc_bond"), true);
 * assert.equal(isTaskKey("bond"), false);
 * ```
 */
export function isTaskKey(key: unknown): key is TaskKey {
  return typeof key === "string" && (TASK_KEYS as readonly string[]).includes(key);
}
