/**
 * Task inputs from the fields of a dataset entry or a `score()` request (`taskInputs`): the one
 * conversion, and the one reading of a rubric stored as JSON text and of its list of items.
 *
 * @module
 */

import { CONTEXT_FIELDS } from "../data/entry.ts";
import type { TaskInputs } from "./task.ts";

/** What task inputs are read from: a dataset entry, or a `score()` request (same field names). */
export type InputFields =
  & Pick<TaskInputs, "response" | "max_score">
  & { rubric?: unknown }
  & { [field in typeof CONTEXT_FIELDS[number]]?: string | null };

/**
 * The task inputs of a dataset entry or a `score()` request: the response, `max_score` where
 * given, the context fields it has (a `null` is absent), and the rubric. A rubric stored as JSON
 * text (as CSV and Parquet files hold it) is parsed back into its object or list; other text is
 * kept as text.
 *
 * @param fields The entry or request.
 * @returns The inputs for `Task.prompt` and judges.
 *
 * @example
 * ```ts
 * import { taskInputs } from "./task_inputs.ts";
 * import type { Entry } from "../data/entry.ts";
 * import assert from "node:assert/strict";
 *
 * const entry: Entry = {
 *   id: "e1", case_id: "c1", benchmark: "management_reasoning", study: "goh2025", model: "gpt-4",
 *   grade: 2, max_score: 3, response: "Start heparin.", question_text: "Next step?",
 *   case_vignette: "A 64-year-old woman…", rubric: '{"items": [{"id": "a", "points": 3}]}',
 * };
 * assert.deepEqual(taskInputs(entry), {
 *   response: "Start heparin.",
 *   max_score: 3,
 *   case_vignette: "A 64-year-old woman…",
 *   question_text: "Next step?",
 *   rubric: { items: [{ id: "a", points: 3 }] },
 * });
 * ```
 */
export function taskInputs(fields: InputFields): TaskInputs {
  const inputs: TaskInputs = {
    response: fields.response,
    ...(fields.max_score === undefined ? {} : { max_score: fields.max_score }),
  };
  for (const field of CONTEXT_FIELDS) {
    const value = fields[field];
    if (value !== undefined && value !== null) inputs[field] = value;
  }
  if (fields.rubric !== undefined && fields.rubric !== null) {
    inputs.rubric = _readRubric(fields.rubric);
  }
  return inputs;
}

/**
 * A rubric as judges read it: a rubric stored as JSON text (as CSV and Parquet files and
 * dataset frames hold it) parsed back into its object or list; anything else kept as it is,
 * text that only looks like JSON included.
 *
 * @param rubric The rubric as stored.
 * @returns The object or list, or the rubric unchanged.
 */
export function _readRubric(rubric: unknown): unknown {
  if (typeof rubric !== "string") return rubric;
  const text = rubric.trim();
  if (
    !(text.startsWith("{") && text.endsWith("}")) && !(text.startsWith("[") && text.endsWith("]"))
  ) {
    return rubric;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? parsed : rubric;
  } catch {
    return rubric;
  }
}

/**
 * A rubric's items: the rubric itself when it is a list, else its `items` list (JSON text read
 * by `_readRubric` first).
 *
 * @param rubric The rubric as stored.
 * @returns The items, unchecked, or undefined when the rubric holds no list.
 */
export function _rubricItems(rubric: unknown): unknown[] | undefined {
  const value = _readRubric(rubric);
  if (Array.isArray(value)) return value;
  const items = value !== null && typeof value === "object"
    ? (value as { items?: unknown }).items
    : undefined;
  return Array.isArray(items) ? items : undefined;
}
