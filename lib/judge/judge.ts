/**
 * The one interface for everything that produces judgements.
 *
 * @module
 */

import type { Task, TaskInputs } from "../tasks/task.ts";
import type { Judgement } from "./judgement.ts";

/** Options for one judgement. */
export interface JudgeCallOptions {
  /** Cancels the request (and any retries). */
  signal?: AbortSignal;
}

/**
 * Something that scores a response on a task: an LLM over a provider's API, the offline lexical
 * baseline, or a constant. Judges never throw for a bad reply or a provider error: they return a
 * failed judgement with its reason. They throw only for a programming error (e.g. missing
 * required inputs, which `score()` checks first).
 */
export interface Judge {
  /** A stable id, e.g. `"openai:gpt-4o"`, `"baseline:lexical"`. */
  readonly id: string;
  /** The provider (`"openai"`, `"anthropic"`, `"offline"`…). */
  readonly provider: string;
  /** The model id (or baseline name). */
  readonly model: string;
  /** The provider client, for LLM judges: lets `score()` route with the same model. */
  readonly client?: unknown;
  /** The sampling parameters that decide its judgements (part of a ledger key). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * What identifies the instructions it judges a task by: the task's prompt hash for LLM
   * judges (the default when absent), the rule set's hash for the baselines.
   */
  promptHash?(task: Task): string;
  /**
   * Scores one response on one task.
   *
   * @param task The task.
   * @param inputs The response and its context.
   * @param options Cancellation.
   */
  judge(task: Task, inputs: TaskInputs, options?: JudgeCallOptions): Promise<Judgement>;
}
