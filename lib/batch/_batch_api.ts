/**
 * What the batch transport needs of a provider's batch API, and the outcome of one request as
 * the judges read it. `_openai_batches.ts` and `_anthropic_batches.ts` speak the two APIs.
 *
 * @module
 */

import type { BatchProvider } from "../judge/batch_limits.ts";
import { classifyError, type RetryOutcome } from "../judge/retry.ts";
import type { BatchChunk } from "./chunk_requests.ts";

/**
 * One request's outcome, as a judge's `readReply` reads it: the provider's response body
 * (`ok: true`), or why the request failed. A failure the runner retries (the item errored with
 * a 429 or 5xx, or its batch expired or was cancelled before it ran) is `exhausted`, which the
 * judges record as `retries_exhausted`; a request the provider refused (a 4xx) is not.
 */
export type BatchReply = RetryOutcome<unknown>;

/** A batch as a poll finds it. */
export interface _Polled {
  /** The provider's status (OpenAI's `status`, Anthropic's `processing_status`). */
  status: string;
  /** Whether it has ended: no request of it will run any more. */
  ended: boolean;
  /** The provider's `request_counts`. */
  counts: Record<string, number>;
  /** The results of an ended batch, by `custom_id`, in whatever order the provider sends. */
  results(): AsyncIterable<[string, BatchReply]>;
}

/** A provider's batch API. Reads may be retried; `create` is sent once. */
export interface _BatchApi {
  readonly provider: BatchProvider;
  /**
   * Makes a batch of the chunk's requests, tagged with `chunk` where the API can tag one.
   *
   * @returns The provider's batch id.
   */
  create(chunk: string, requests: BatchChunk): Promise<string>;
  /** The id of a batch made for `chunk` since `since` (ms), if the API can tell. */
  find(chunk: string, since: number): Promise<string | undefined>;
  /** The batch now. */
  poll(id: string): Promise<_Polled>;
}

/**
 * The reply of an item that failed inside its batch: a 429 or 5xx is retried by a later run,
 * another status is a refusal, as for a live request.
 */
export function _failedReply(status: number, message: string): BatchReply {
  const error = classifyError({ status, message });
  return { ok: false, error, attempts: 1, exhausted: error.transient };
}

/** The reply of an item its batch never ran (expired, cancelled, failed): retried by a later run. */
export function _unrunReply(message: string): BatchReply {
  return { ok: false, error: { transient: true, message }, attempts: 1, exhausted: true };
}
