/**
 * Polling a judge's batches and collecting their results.
 *
 * @module
 */

import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { clientSecret, redact } from "../judge/redact.ts";
import { type RetryOptions, withRetries } from "../judge/retry.ts";
import { _anthropicBatches } from "./_anthropic_batches.ts";
import { type _BatchApi, type _Polled, _unrunReply, type BatchReply } from "./_batch_api.ts";
import { _BatchLog, type BatchRecord } from "./batch_records.ts";
import { _openaiBatches } from "./_openai_batches.ts";

/** Deliveries in flight at once: enough for a ledger to write many lines per flush. */
const WINDOW = 256;

/** What the batch transport needs from the runner. */
export interface BatchOptions {
  /** `"openai"` for an OpenAI-compatible client, `"azure"` for an `AzureOpenAI` one, `"anthropic"` for an Anthropic one. */
  provider: BatchProvider;
  /** The judge's client, from `makeClient`. */
  client: unknown;
  /** The run's output folder: the record of batches goes in its `batches/` folder. */
  outputDir: string;
  /** The judge's name in the config. */
  judge: string;
  /**
   * Takes one key's outcome — for the judge's `readReply`, then the ledger. Called once per key
   * of a batch; again only if the process was killed before the batch was marked collected,
   * so skip keys the ledger already holds.
   */
  deliver(key: string, reply: BatchReply): Promise<void>;
  /** Told each batch's state and counts at every poll. */
  onProgress?(progress: BatchProgress): void;
  /** Milliseconds between polls of the batches still running (default 30,000). */
  pollMs?: number;
  /**
   * Do not wait for batches still running: `judgeInBatches` returns once it has submitted,
   * `collectBatches` after one poll of each batch (collecting those that have ended).
   */
  detach?: boolean;
  /** How polls and downloads are retried (a dropped connection, a 5xx). */
  retry?: RetryOptions;
}

/** A batch's state at a poll. */
export interface BatchProgress {
  /** The judge's name. */
  judge: string;
  /** Whose batch API. */
  provider: BatchProvider;
  /** The provider's batch id. */
  id: string;
  /** The provider's status: `validating`, `in_progress`, `completed`… or `ended`. */
  status: string;
  /** The provider's `request_counts`. */
  counts: Record<string, number>;
  /** Requests in the batch. */
  requests: number;
}

/** What a call did. */
export interface BatchRunSummary {
  /** Batches submitted. */
  submitted: number;
  /** Requests in them. */
  requests: number;
  /** Items not submitted because a live batch already holds them. */
  alreadyLive: number;
  /** Batches collected: every outcome delivered. */
  collected: number;
  /** Batches still running. */
  live: number;
}

/**
 * Polls a judge's live batches (as recorded in the output folder) and collects each one that
 * has ended: every key's outcome is delivered — the provider's response for the judge to read,
 * or a failure (an item that errored, or that its batch never ran because it expired, was
 * cancelled or failed) — and only then is the batch marked collected. Waits until every batch
 * is collected, unless `detach`. A batch a killed run was submitting is first looked up at the
 * provider (see `judgeInBatches`).
 *
 * @param options The judge, its client, the output folder and the delivery.
 * @returns What was collected.
 * @throws {Error} When a poll or a download fails after its retries (the batches stay live:
 *   run again), or when `deliver` throws (its error).
 *
 * @example Nothing recorded, nothing to collect
 * ```ts
 * import OpenAI from "openai";
 * import { collectBatches } from "./collect_batches.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = await collectBatches({
 *   provider: "openai",
 *   client: new OpenAI({ apiKey: "unused", baseURL: "http://127.0.0.1:9/v1" }),
 *   outputDir: await Deno.makeTempDir(),
 *   judge: "gpt-4o",
 *   deliver: () => Promise.resolve(),
 * });
 * assert.deepEqual(summary, { submitted: 0, requests: 0, alreadyLive: 0, collected: 0, live: 0 });
 * ```
 */
export async function collectBatches(options: BatchOptions): Promise<BatchRunSummary> {
  const { log, api } = await _openBatches(options);
  const collected = await _collectAll(log, api, options);
  return { submitted: 0, requests: 0, alreadyLive: 0, collected, live: _live(log).length };
}

/** The judge's record of batches, its provider's API, and every unfinished submission settled. */
export async function _openBatches(
  options: BatchOptions,
): Promise<{ log: _BatchLog; api: _BatchApi }> {
  const log = await _BatchLog.open(options.outputDir, options.judge);
  const api = options.provider === "anthropic"
    ? _anthropicBatches(options.client as Anthropic)
    : _openaiBatches(options.client as OpenAI, options.provider);
  for (const record of log.records().filter((r) => r.state === "submitting")) {
    // Killed between recording the chunk and recording its id: ask the provider.
    const id = await _retried(
      options,
      "look for an unrecorded batch",
      () => api.find(record.chunk, Date.parse(record.time)),
    );
    await log.append(
      id === undefined
        ? { event: "abandoned", chunk: record.chunk, reason: "no batch was found for it" }
        : { event: "live", chunk: record.chunk, id },
    );
  }
  return { log, api };
}

/** The live batches. */
export function _live(log: _BatchLog): BatchRecord[] {
  return log.records().filter((record) => record.state === "live");
}

/** Polls the live batches until all are collected (one round when detached); how many were. */
export async function _collectAll(
  log: _BatchLog,
  api: _BatchApi,
  options: BatchOptions,
): Promise<number> {
  let collected = 0;
  for (;;) {
    for (const record of _live(log)) {
      const id = record.id!;
      const polled = await _retried(options, `poll batch ${id}`, () => api.poll(id));
      const { status, counts } = polled;
      const { judge, provider } = options;
      options.onProgress?.({ judge, provider, id, status, counts, requests: record.keys.length });
      if (!polled.ended) continue;
      await collect(log, record, polled, options);
      collected++;
    }
    if (options.detach || _live(log).length === 0) return collected;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 30_000));
  }
}

/** Delivers every key's outcome of an ended batch, then marks it collected. */
async function collect(
  log: _BatchLog,
  record: BatchRecord,
  polled: _Polled,
  options: BatchOptions,
): Promise<void> {
  const pending = new Set(record.keys);
  const deliveries: Promise<void>[] = [];
  let refused: unknown; // the runner's own error: never retried
  const deliver = (key: string, reply: BatchReply) => {
    pending.delete(key);
    deliveries.push(options.deliver(key, reply).catch((error) => void (refused ??= error)));
  };
  await _retried(options, `download the results of batch ${record.id}`, async () => {
    // A retried download skips the keys delivered before the connection dropped.
    for await (const [key, reply] of polled.results()) {
      if (pending.has(key)) deliver(key, reply);
      if (deliveries.length >= WINDOW) await Promise.all(deliveries.splice(0));
      if (refused !== undefined) return;
    }
  });
  await Promise.all(deliveries.splice(0));
  if (refused !== undefined) throw refused;
  const why = `batch ${record.id} ended ${polled.status} before this request ran`;
  for (const key of pending) deliver(key, _unrunReply(why));
  await Promise.all(deliveries);
  if (refused !== undefined) throw refused;
  await log.append({ event: "collected", chunk: record.chunk });
}

/** A read, retried on dropped connections and 5xx; its last error, redacted, when it fails. */
export async function _retried<T>(
  options: BatchOptions,
  what: string,
  read: () => Promise<T>,
): Promise<T> {
  const outcome = await withRetries(read, options.retry);
  if (outcome.ok) return outcome.value;
  const secret = clientSecret(options.client);
  throw new Error(
    redact(`${options.judge}: could not ${what}: ${outcome.error.message}`, [secret]),
  );
}
