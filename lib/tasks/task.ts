/**
 * What a scoring task is: its inputs, its scale, its judge prompt and how a reply is read.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { ScoreScale } from "./scale.ts";

/** The inputs a task may use, named as in the dataset and PrecepTron's `score()`. */
export interface TaskInputs {
  /** The text being scored. */
  response: string;
  /** The case's final diagnosis (Bond tasks, diagnostic reasoning). */
  final_diagnosis?: string;
  /** The test plan actually carried out (testing-plan task). */
  test_plan?: string;
  /** The case text. */
  case_vignette?: string;
  /** The question put to the respondent. */
  question_text?: string;
  /** The scoring rubric: an object, a list, or text (management reasoning; an override elsewhere). */
  rubric?: unknown;
  /** The top of this entry's scale, where the dataset gives one (it overrides the task's). */
  max_score?: number;
}

/** The name of a task input. */
export type InputName = Exclude<keyof TaskInputs, "max_score">;

/** A judge prompt: the static rubric first (cacheable across entries), the entry's content last. */
export interface JudgePrompt {
  /** Instructions and rubric: the same for every entry of a task (prefix caching reuses it). */
  system: string;
  /** The entry's content, fenced as data. */
  user: string;
}

/** A reply read as a score, or the reason it cannot be one. */
export type ParsedReply =
  | { ok: true; score: number; justification: string; fields: Record<string, unknown> }
  | { ok: false; reason: ReplyFailure; detail: string };

/** Why a judge's reply is not a score. */
export type ReplyFailure =
  | "empty_reply"
  | "invalid_json"
  | "missing_score"
  | "score_not_allowed"
  | "refusal";

/** A PrecepTron scoring task. */
export interface Task {
  /** The task key, as in the dataset's `benchmark` field. */
  readonly key: TaskKey;
  /** A short human name, e.g. "CPC differential diagnosis (Bond score)". */
  readonly title: string;
  /** What is scored, in a sentence. */
  readonly description: string;
  /** Inputs that must be present (non-empty) for the task to be scored. */
  readonly required: readonly InputName[];
  /** Inputs used when present. */
  readonly optional: readonly InputName[];
  /** The prompt's version; bump it whenever the prompt text changes. */
  readonly promptVersion: string;
  /** SHA-256 of the prompt template (hex): identifies the prompt in ledgers and provenance. */
  readonly promptHash: string;
  /** The JSON schema of the reply (`{ score, justification }` and any task extras). */
  readonly outputSchema: Record<string, unknown>;
  /**
   * The scale for these inputs (management tasks take the entry's `max_score`).
   *
   * @param inputs The entry's inputs.
   */
  scale(inputs: TaskInputs): ScoreScale;
  /**
   * The judge prompt for these inputs.
   *
   * @param inputs The entry's inputs; required ones must be present.
   */
  prompt(inputs: TaskInputs): JudgePrompt;
}
