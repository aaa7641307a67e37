/**
 * The six PrecepTron tasks, by key.
 *
 * @module
 */

import { TASK_KEYS, type TaskKey } from "../data/task_key.ts";
import { biTriage } from "./bi_triage.ts";
import { cpcBond } from "./cpc_bond.ts";
import { cpcManagement } from "./cpc_management.ts";
import { diagnosticReasoning } from "./diagnostic_reasoning.ts";
import { managementReasoning } from "./management_reasoning.ts";
import { rIdea } from "./r_idea.ts";
import type { InputName, Task, TaskInputs } from "./task.ts";

/** Every task, by key. */
export const TASKS: Readonly<Record<TaskKey, Task>> = {
  management_reasoning: managementReasoning,
  bi_triage: biTriage,
  cpc_bond: cpcBond,
  r_idea: rIdea,
  diagnostic_reasoning: diagnosticReasoning,
  cpc_management: cpcManagement,
};

/**
 * The task with this key.
 *
 * @param key A task key such as `"cpc_bond"`.
 * @returns The task.
 * @throws {Error} For an unknown key, listing the valid ones.
 *
 * @example
 * ```ts
 * import { getTask } from "./tasks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(getTask("cpc_bond").scale({ response: "" }).max, 5);
 * assert.throws(() => getTask("bond"), /unknown task "bond"; valid tasks: management_reasoning/);
 * ```
 */
export function getTask(key: string): Task {
  const task = (TASKS as Record<string, Task | undefined>)[key];
  if (!task) {
    throw new Error(`unknown task ${JSON.stringify(key)}; valid tasks: ${TASK_KEYS.join(", ")}`);
  }
  return task;
}

/**
 * The required inputs of a task that are missing (absent, null or blank) from `inputs`.
 *
 * @param task The task.
 * @param inputs The inputs given.
 * @returns The missing input names, in the task's order (empty when all are present).
 *
 * @example
 * ```ts
 * import { getTask, missingInputs } from "./tasks.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(missingInputs(getTask("cpc_bond"), { response: "1. Gout" }), ["final_diagnosis"]);
 * ```
 */
export function missingInputs(task: Task, inputs: Partial<TaskInputs>): InputName[] {
  return task.required.filter((name) => {
    const value = inputs[name];
    if (value === undefined || value === null) return true;
    if (typeof value === "string") return value.trim() === "";
    if (Array.isArray(value)) return value.length === 0;
    return false;
  });
}
