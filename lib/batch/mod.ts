/**
 * Judging at provider scale through the providers' batch engines — OpenAI's Batch API (and
 * Azure OpenAI's) and Anthropic's Message Batches — with the same request bodies, ledger keys
 * and judgements as live judging, at the batch price.
 *
 * The runner gives each judgement still to make as `{ key, body }` (`judgementKey()` and the
 * judge's `requestBody()`), and takes back each key's reply to read with the judge's
 * `readReply()` and write to its ledger.
 *
 * ```ts
 * import { chunkRequests, readBatchRecords } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const items = [{ key: "k1", body: { model: "gpt-4o", messages: [] } }];
 * assert.equal([...chunkRequests("openai", items)].length, 1);
 * assert.deepEqual(await readBatchRecords(await Deno.makeTempDir(), "gpt-4o"), []);
 * ```
 *
 * @module
 */

export { BATCH_LIMITS, type BatchLimit, type BatchProvider } from "../judge/batch_limits.ts";
export type { ErrorClass, RetryOptions, RetryOutcome } from "../judge/retry.ts";
export type { BatchReply } from "./_batch_api.ts";
export {
  type BatchRecord,
  batchRecordsPath,
  type BatchState,
  readBatchRecords,
} from "./batch_records.ts";
export { type BatchChunk, type BatchItem, chunkRequests } from "./chunk_requests.ts";
export {
  type BatchOptions,
  type BatchProgress,
  type BatchRunSummary,
  collectBatches,
} from "./collect_batches.ts";
export { judgeInBatches, type SubmitOptions } from "./judge_in_batches.ts";
