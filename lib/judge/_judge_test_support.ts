/**
 * What the provider judges' tests grade: a Bond-scale case whose differential names the final
 * diagnosis first, and retries that do not really wait.
 *
 * @module
 */

import { getTask } from "../tasks/tasks.ts";

/** The Bond task. */
export const bond = getTask("cpc_bond");

/** A differential and the final diagnosis it ranks first. */
export const bondInputs = {
  response: "1. Pheochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome",
  final_diagnosis: "Pheochromocytoma",
};

/** Retries without real waiting: the schedule is tested in retry_test.ts. */
export const noWait = { sleep: async () => {}, maxRetries: 3 };
