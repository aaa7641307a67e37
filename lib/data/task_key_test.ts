import assert from "node:assert/strict";
import { TASKS } from "../tasks/tasks.ts";
import { isTaskKey, TASK_KEYS } from "./task_key.ts";

Deno.test("TASK_KEYS lists the six registered tasks in the site's order", () => {
  // The task registry is written out in the site's order too: the two must agree.
  assert.deepEqual(TASK_KEYS, Object.keys(TASKS));
  for (const key of TASK_KEYS) assert.equal(TASKS[key].key, key);
  assert.equal(TASK_KEYS.length, 6);
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
