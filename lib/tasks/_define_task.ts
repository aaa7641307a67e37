/**
 * Builds a `Task` from its parts, so each task file holds only what is particular to it.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import { buildPrompt, hashPrompt, outputRules, promptHeader, replySchema } from "./_prompt.ts";
import type { ScoreScale } from "./scale.ts";
import type { InputName, JudgePrompt, Task, TaskInputs } from "./task.ts";

/** What a task file declares. */
export interface TaskDefinition {
  key: TaskKey;
  title: string;
  description: string;
  required: readonly InputName[];
  optional: readonly InputName[];
  version: string;
  /** The rubric part of the system prompt (role, scale, anchors), in our own words. */
  rubric: string;
  /** The scale for an entry. */
  scale: (inputs: TaskInputs) => ScoreScale;
  /** Whether the entry's `max_score` is shown to the judge (case-specific scales). */
  showsMaxScore?: boolean | ((inputs: TaskInputs) => boolean);
  /** Extra reply fields: name → JSON schema. */
  extraFields?: Record<string, Record<string, unknown>>;
  /** How the extra fields appear in the output contract, e.g. `, "best_rank": <integer or null>`. */
  extraContract?: string;
}

/**
 * A task from its definition: the system prompt is header + rubric + output rules, and the
 * prompt hash covers all of it.
 */
export function defineTask(definition: TaskDefinition): Task {
  const system = [
    promptHeader(definition.key, definition.version),
    "",
    definition.rubric.trim(),
    "",
    outputRules(definition.extraContract ?? ""),
  ].join("\n");
  const shown = [...definition.required, ...definition.optional];
  return {
    key: definition.key,
    title: definition.title,
    description: definition.description,
    required: definition.required,
    optional: definition.optional,
    promptVersion: definition.version,
    promptHash: hashPrompt(system),
    outputSchema: replySchema(definition.extraFields),
    scale: definition.scale,
    prompt(inputs: TaskInputs): JudgePrompt {
      const shows = typeof definition.showsMaxScore === "function"
        ? definition.showsMaxScore(inputs)
        : definition.showsMaxScore === true;
      const max = shows ? definition.scale(inputs).max : undefined;
      return buildPrompt(system, inputs, shown, max);
    },
  };
}
