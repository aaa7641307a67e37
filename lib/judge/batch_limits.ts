/**
 * The providers' batch limits: how many requests, and how many bytes, one batch may hold. The
 * runner's batch transport splits work into chunks under these limits, and the batch imitation
 * in `preceptron/testing` enforces the same numbers, so both read them from here.
 *
 * @module
 */

/** How much one batch may hold. */
export interface BatchLimit {
  /** The most requests in one batch. */
  readonly requests: number;
  /** The most bytes: the input file (OpenAI) or the create request's body (Anthropic). */
  readonly bytes: number;
}

/**
 * A provider with a batch API.
 *
 * @example
 * ```ts
 * import { BATCH_LIMITS, type BatchProvider } from "./batch_limits.ts";
 * import assert from "node:assert/strict";
 *
 * const provider: BatchProvider = "anthropic";
 * assert.equal(BATCH_LIMITS[provider].bytes, 256 * 1024 * 1024);
 * ```
 */
export type BatchProvider = "openai" | "azure" | "anthropic";

/**
 * The batch limits of each provider with a batch API.
 *
 * - `openai`: the Batch API's input file "can contain up to 50,000 requests, and can be up to
 *   200 MB in size" (OpenAI API reference, *Batch › Create batch*, `input_file_id`; and the
 *   *Batch API* guide). 200 MB is 209,715,200 bytes, the figure OpenAI's own error quotes ("The
 *   batch input file is larger than the 209715200 maximum").
 * - `azure`: Azure OpenAI's global batch takes "Max requests per file: 100,000" and "Max input
 *   file size: 200 MB" (Microsoft Learn, *Azure OpenAI quotas and limits › Batch limits*). Azure
 *   quotes no byte figure, so 200 MB is taken as 200,000,000 bytes, the smaller reading.
 * - `anthropic`: "A Message Batch is limited to either 100,000 Message requests or 256 MB in
 *   size, whichever is reached first" (Claude docs, *Batch processing › Batch limitations*;
 *   the *Errors* page lists 256 MB as the Batch API's maximum request size, beyond which the
 *   API answers 413 `request_too_large`).
 *
 * A chunk must respect both numbers: the bytes are those of the serialized requests (the JSONL
 * file for OpenAI, the JSON body of `POST /v1/messages/batches` for Anthropic).
 *
 * @example Split work into chunks that fit
 * ```ts
 * import { BATCH_LIMITS } from "./batch_limits.ts";
 * import assert from "node:assert/strict";
 *
 * const { requests } = BATCH_LIMITS.openai;
 * const chunks = Math.ceil(120_000 / requests);
 * assert.equal(chunks, 3);
 * assert.equal(BATCH_LIMITS.openai.bytes, 209_715_200);
 * assert.equal(BATCH_LIMITS.anthropic.requests, 100_000);
 * ```
 */
export const BATCH_LIMITS: Readonly<Record<BatchProvider, BatchLimit>> = Object.freeze({
  openai: Object.freeze({ requests: 50_000, bytes: 200 * 1024 * 1024 }),
  azure: Object.freeze({ requests: 100_000, bytes: 200_000_000 }),
  anthropic: Object.freeze({ requests: 100_000, bytes: 256 * 1024 * 1024 }),
});

/**
 * The batch API a configured provider speaks: `azure` and `anthropic` their own, `openai` and
 * `openai-compatible` OpenAI's (an OpenAI-compatible server is held to OpenAI's limits).
 *
 * @param provider A model's `provider` in the run config.
 * @returns Whose batch API and limits apply.
 *
 * @example
 * ```ts
 * import { batchProvider } from "./batch_limits.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(batchProvider("openai-compatible"), "openai");
 * assert.equal(batchProvider("azure"), "azure");
 * ```
 */
export function batchProvider(provider: string): BatchProvider {
  return provider === "anthropic" || provider === "azure" ? provider : "openai";
}
