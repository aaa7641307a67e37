/**
 * A judgement: what a judge said about one response on one task — a score, or a failure with
 * its reason. Never a number the judge did not give.
 *
 * @module
 */

import type { TaskKey } from "../data/task_key.ts";
import type { ReplyFailure } from "../tasks/task.ts";

/** How the judge's JSON was obtained. */
export type OutputMode =
  | "json_schema" // response_format: json_schema (OpenAI-compatible structured output)
  | "json_object" // response_format: json_object (JSON mode)
  | "extracted" // one JSON object found in free text
  | "tool_call" // a forced tool call (Anthropic)
  | "rules" // the offline lexical baseline
  | "constant"; // a fixed score

/** Why a judgement failed. */
export type FailureReason =
  | ReplyFailure
  | "retries_exhausted" // transient errors (429, 5xx, timeouts, dropped connections) outlasted the retries
  | "request_rejected" // the provider refused the request (400, 401, 403, 404…): retrying cannot help
  | "budget_exhausted"; // a run's budget ran out before this judgement

/** Where a judgement came from: enough to reproduce it, and to tell judgements apart. */
export interface Provenance {
  /** The judge's id, e.g. `"openai:gpt-4o"` or `"baseline:lexical"`. */
  judge: string;
  /** `"openai"`, `"azure"`, `"openrouter"`, `"anthropic"`, `"openai-compatible"`, `"offline"`. */
  provider: string;
  /** The model id sent to the provider (or the baseline's name). */
  model: string;
  /** Sampling parameters that decide the judgement. */
  parameters: { temperature?: number; seed?: number; max_tokens?: number };
  /** The task's prompt version. */
  prompt_version: string;
  /** The SHA-256 of the task's prompt. */
  prompt_hash: string;
  /** How the JSON was obtained. */
  output_mode: OutputMode;
}

/**
 * Tokens used by one judgement (all attempts), as the provider reported them: a count it left
 * out (missing or `null`) is `NaN`, never 0, and the runner records an estimate in its place.
 */
export interface Usage {
  /** Prompt tokens. */
  input_tokens: number;
  /** Reply tokens (reasoning tokens included, where the provider counts them). */
  output_tokens: number;
  /** Input tokens served from the provider's prompt cache, where reported. */
  cached_input_tokens?: number;
}

/** What every judgement carries. */
export interface JudgementBase {
  /** The task scored. */
  task: TaskKey;
  /** The judge's reply text (or tool-call arguments); `null` when no reply arrived. */
  raw: string | null;
  /** Tokens used, where the provider reports them. */
  usage?: Usage;
  /** Provenance. */
  provenance: Provenance;
  /** Requests sent (1 unless retried). */
  attempts: number;
  /** Wall time from first request to last reply, in milliseconds. */
  latency_ms: number;
}

/** The judge gave a valid score. */
export interface ScoredJudgement extends JudgementBase {
  /** Scored. */
  status: "scored";
  /** The score, on the task's scale. */
  score: number;
  /** The judge's reasons. */
  justification: string;
  /** Other fields of the judge's reply (e.g. `best_rank` for Bond). */
  fields?: Record<string, unknown>;
}

/** The judge did not give a valid score. */
export interface FailedJudgement extends JudgementBase {
  /** Failed: no score. */
  status: "failed";
  /** Why, as a code. */
  reason: FailureReason;
  /** Why, in words (never containing an API key). */
  detail: string;
}

/** A judgement: scored, or failed with a reason. */
export type Judgement = ScoredJudgement | FailedJudgement;
