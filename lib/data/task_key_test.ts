import assert from "node:assert/strict";
import { isTaskKey, TASK_KEYS } from "./task_key.ts";

Deno.test("TASK_KEYS lists the six task keys in the site's order", () => {
  assert.deepEqual(TASK_KEYS, [
    "management_reasoning",
    "bi_triage",
    "cpc_bond",
    "r_idea",
    "diagnostic_reasoning",
    "cpc_management",
  ]);
});

Deno.test("isTaskKey() accepts exactly the task keys, case and spacing included", () => {
  for (const key of TASK_KEYS) assert.equal(isTaskKey(key), true, key);
  for (const other of ["CPC_BOND", " cpc_bond", "bond", "", "constructor", "toString"]) {
    assert.equal(isTaskKey(other), false, JSON.stringify(other));
  }
  for (const value of [undefined, null, 3, ["cpc_bond"], { cpc_bond: true }]) {
    assert.equal(isTaskKey(value), false, String(value));
  }
});
