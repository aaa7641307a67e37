/**
 * Judging through the providers' batch engines: OpenAI's Batch API and Anthropic's Message
 * Batches.
 *
 * @module
 */

import type { BatchLimit } from "../judge/batch_limits.ts";
import { clientSecret, redact } from "../judge/redact.ts";
import { classifyError } from "../judge/retry.ts";
import { type BatchChunk, type BatchItem, chunkRequests } from "./chunk_requests.ts";
import type { _BatchApi } from "./_batch_api.ts";
import type { _BatchLog } from "./batch_records.ts";
import {
  _collectAll,
  _live,
  _openBatches,
  type BatchOptions,
  type BatchRunSummary,
} from "./collect_batches.ts";

/** What to judge in batches. */
export interface SubmitOptions extends BatchOptions {
  /** The judgements still to make; keys a live batch already holds are not sent again. */
  items: Iterable<BatchItem>;
  /** Smaller limits than the provider's (`BATCH_LIMITS`), for tests. */
  limit?: BatchLimit;
  /**
   * Asked before each item no batch holds yet is submitted (a budget): `false` leaves it for a
   * later run. Items a live batch holds are not asked about; they cost nothing new.
   */
  admit?: () => boolean;
}

/**
 * Judges items through the provider's batch engine, then (unless `detach`) polls until every
 * batch has ended and delivers each key's outcome (see `collectBatches`).
 *
 * Items are split into chunks under the provider's limits (`chunkRequests`), each submitted as
 * one batch with the ledger keys as `custom_id`s. Every step is recorded in
 * `{outputDir}/batches/{judge}.jsonl`, flushed to disk before the next step, so a process can
 * be killed anywhere:
 * - before a chunk's `submitting` record: nothing was sent; the next run submits the items;
 * - after it, before its `live` record (the upload or the create under way): the next run
 *   asks the provider. An OpenAI batch carries the chunk's id in its `metadata` and is found
 *   and resumed; Anthropic's batches carry nothing to find them by, so the chunk is abandoned
 *   and its items sent again — a batch made in the moment between Anthropic's answer and the
 *   record is then never collected (it is billed, but its results never reach the ledger);
 * - after `live`: the next run resumes polling it and never submits its keys again;
 * - while collecting: outcomes already delivered are delivered again (the runner skips keys its
 *   ledger holds); the batch is marked `collected` only once all its outcomes are delivered.
 *
 * One process at a time may use a judge's record (the runner holds the judge's lock).
 *
 * @param options The items, the judge, its client, the output folder and the delivery.
 * @returns What was submitted and collected.
 * @throws {Error} When a submission fails: the provider refused it (nothing of it is live; the
 *   next run submits it again) or did not answer (the next run asks the provider first). Also as
 *   `collectBatches`.
 *
 * @example
 * ```ts
 * import OpenAI from "openai";
 * import { judgeInBatches } from "./judge_in_batches.ts";
 * import { startBatchImitation } from "../testing/batch_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * await using imitation = startBatchImitation();
 * const replies = new Map<string, unknown>();
 * const summary = await judgeInBatches({
 *   provider: "openai",
 *   client: new OpenAI({ apiKey: "unused", baseURL: imitation.baseURL }),
 *   outputDir: await Deno.makeTempDir(),
 *   judge: "scripted",
 *   items: [{ key: "k1", body: { model: "scripted", messages: [{ role: "user", content: "Hi" }] } }],
 *   deliver: (key, reply) => Promise.resolve(void replies.set(key, reply.ok)),
 *   pollMs: 1,
 * });
 * assert.deepEqual(summary, { submitted: 1, requests: 1, alreadyLive: 0, collected: 1, live: 0 });
 * assert.deepEqual([...replies], [["k1", true]]);
 * ```
 */
export async function judgeInBatches(options: SubmitOptions): Promise<BatchRunSummary> {
  const { log, api } = await _openBatches(options);
  const busy = new Set(_live(log).flatMap((record) => record.keys));
  let alreadyLive = 0;
  function* fresh() {
    for (const item of options.items) {
      if (busy.has(item.key)) alreadyLive++;
      else if (options.admit?.() ?? true) yield item;
    }
  }
  let submitted = 0;
  let requests = 0;
  for (const chunk of chunkRequests(api.provider, fresh(), options.limit)) {
    await submit(log, api, options, chunk);
    submitted++;
    requests += chunk.keys.length;
  }
  const collected = options.detach ? 0 : await _collectAll(log, api, options);
  return { submitted, requests, alreadyLive, collected, live: _live(log).length };
}

/** Records the chunk, makes its batch, records the batch's id. */
async function submit(
  log: _BatchLog,
  api: _BatchApi,
  options: SubmitOptions,
  requests: BatchChunk,
): Promise<void> {
  const chunk = crypto.randomUUID();
  const { provider } = api;
  await log.append({
    event: "submitting",
    chunk,
    provider,
    judge: options.judge,
    keys: requests.keys,
  });
  let id: string;
  try {
    id = await api.create(chunk, requests);
  } catch (error) {
    const { status, message } = classifyError(error);
    // An answer means no batch was made; without one, the next run asks the provider.
    if (status !== undefined) await log.append({ event: "abandoned", chunk, reason: message });
    const next = status !== undefined
      ? "nothing of it is live; the next run submits it again"
      : "the next run asks the provider whether it was made before submitting it again";
    const text = `${options.judge}: could not submit a batch of ${requests.keys.length} ` +
      `requests to ${provider}: ${message}; ${next}`;
    throw new Error(redact(text, [clientSecret(options.client)]));
  }
  await log.append({ event: "live", chunk, id });
}
