/**
 * The content address of a judgement: a hash of everything that decides it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import { _contentKey } from "./_content_key.ts";

/** Everything that decides a judgement, and nothing else. */
export interface KeyParts {
  /** The task scored. */
  task: TaskKey;
  /** The entry's inputs; only those the task uses (and `max_score`) enter the key. */
  inputs: TaskInputs;
  /** The judge as the provider sees it: not its display name. */
  judge: { provider: string; model: string; parameters: Record<string, unknown> };
  /** What identifies the judge's instructions for this task (the task's prompt hash for LLMs). */
  promptHash: string;
  /** The repeat index, from 0 (`repeats: k` asks for k independent judgements). */
  repeat: number;
}

/**
 * The version of the key's layout. Changing what goes into the key changes every key (and so
 * re-scores everything); bump it only on purpose.
 */
const KEY_VERSION = 1;

/**
 * The ledger key of a judgement: the SHA-256 (hex) of a canonical JSON text (object keys
 * sorted at every depth, `undefined` members dropped) of exactly what decides it — the task;
 * the inputs the task reads (`getTask(task).required` and `.optional`; `null` counts as absent)
 * plus `max_score` (it can change the scale); the judge's provider, model and sampling
 * parameters; the prompt hash; and the repeat index. Values are otherwise taken as given: a
 * rubric as an object and as JSON text, or two responses that differ only in whitespace, are
 * different keys.
 *
 * Deliberately **not** in the key: the judge's display name (renaming a judge re-uses its
 * judgements, once its ledger file is renamed too), the entry id (renaming an id re-uses the
 * judgement of the same content), and inputs the task does not read (adding a `test_plan` to a
 * Bond entry re-scores nothing).
 *
 * @param parts The task, inputs, judge, prompt hash and repeat index.
 * @returns 64 hex characters.
 * @throws {Error} For an unknown task, or a repeat index that is not a non-negative integer.
 * @throws {TypeError} For a value JSON cannot hold faithfully (a non-finite number, a bigint,
 *   a cycle).
 *
 * @example
 * ```ts
 * import { judgementKey } from "./judgement_key.ts";
 * import assert from "node:assert/strict";
 *
 * const parts = {
 *   task: "cpc_bond" as const,
 *   inputs: { response: "1. Pheochromocytoma", final_diagnosis: "Pheochromocytoma" },
 *   judge: { provider: "openai", model: "gpt-4o", parameters: { temperature: 0 } },
 *   promptHash: "ab12",
 *   repeat: 0,
 * };
 * const key = judgementKey(parts);
 * assert.match(key, /^[0-9a-f]{64}$/);
 * assert.equal(judgementKey({ ...parts, inputs: { ...parts.inputs, test_plan: "unused" } }), key);
 * assert.notEqual(judgementKey({ ...parts, repeat: 1 }), key);
 * ```
 */
export function judgementKey(parts: KeyParts): string {
  const task = getTask(parts.task);
  if (!Number.isInteger(parts.repeat) || parts.repeat < 0) {
    throw new Error(
      `judgementKey(): repeat must be a non-negative integer, not ${String(parts.repeat)}`,
    );
  }
  const inputs: Record<string, unknown> = {};
  for (const name of [...task.required, ...task.optional, "max_score"] as const) {
    const value = parts.inputs[name];
    if (value !== undefined && value !== null) inputs[name] = value;
  }
  return _contentKey({
    v: KEY_VERSION,
    task: task.key,
    inputs,
    judge: {
      provider: parts.judge.provider,
      model: parts.judge.model,
      parameters: parts.judge.parameters,
    },
    prompt_hash: parts.promptHash,
    repeat: parts.repeat,
  }, "judgementKey()");
}
