/**
 * A loopback imitation of the OpenAI Batch API (with the Files API it reads from) and the
 * Anthropic Message Batches API, on 127.0.0.1, for tests of a batch transport with the official
 * clients.
 *
 * Every request in a batch is answered by a private scripted server
 * ({@linkcode startScriptedServer}) with the same seed, so a batch item gets exactly the reply a
 * live call with the same body would get — the same grading, hence the same score. Batches move
 * through their provider's states as clients poll them (or as time passes, or on `tick()`), and
 * faults can be scripted: expiry, failed items, results out of order, polls and downloads cut
 * mid-response, failed uploads. Counters say what happened, so a test can assert, say, exactly
 * one batch per chunk.
 *
 * @module
 */

import { BATCH_LIMITS, type BatchLimit, type BatchProvider } from "../judge/batch_limits.ts";
import { anthropicEndpoints } from "./_batch_anthropic.ts";
import { ScriptedAnswers } from "./_batch_answers.ts";
import { type DialectContext, router } from "./_batch_context.ts";
import { errorResponse } from "./_batch_http.ts";
import { openaiEndpoints } from "./_batch_openai.ts";
import { BatchBook, type StoredBatch } from "./_batch_store.ts";
import type { Fault } from "./scripted_server.ts";

export type { BatchLimit, BatchProvider } from "../judge/batch_limits.ts";

/**
 * How an ended batch ended: OpenAI's final statuses (Anthropic's `ended` batches end
 * `completed`, `expired` or `cancelled` in these words).
 *
 * @example
 * ```ts
 * import type { BatchEnding } from "./batch_imitation.ts";
 *
 * const ending: BatchEnding = "expired";
 * ```
 */
export type BatchEnding = "completed" | "failed" | "expired" | "cancelled";

/**
 * A scripted batch fault. Per-batch faults (`expire`, `fail_items`, `out_of_order`) are given to
 * each new batch of their provider (or of both, without `provider`), up to `batches` batches
 * (every batch without it). Per-request faults (`drop_polls`, `drop_results`, `upload_error`)
 * meet the next `times` requests of their kind.
 *
 * - `expire`: the batch's window closes once `afterItems` of its items (default 0) are
 *   processed: the rest expire (OpenAI: status `expired`, `batch_expired` lines in the error
 *   file; Anthropic: `expired` results). `control.expire()` does the same on demand.
 * - `fail_items`: items error instead of being answered, with `status` (default 500; OpenAI
 *   error-file lines with that `status_code`, Anthropic `errored` results): every custom id in
 *   `customIds`, and enough others, picked by the seed, to make `share` (0–1) of the batch.
 * - `out_of_order`: results come back shuffled (seeded, never in the order sent).
 * - `drop_polls`: the next `times` retrievals of a batch (`GET /v1/batches/{id}`,
 *   `GET /v1/messages/batches/{id}`) send their headers and half the body, then close the
 *   connection. A cut retrieval does not move the batch on.
 * - `drop_results`: the same for the next `times` downloads of results (an OpenAI output or
 *   error file's content, an Anthropic batch's results).
 * - `upload_error`: the next `times` uploads answer `status` (default 500): OpenAI's
 *   `POST /v1/files`, Anthropic's `POST /v1/messages/batches` (whose body carries the requests).
 *
 * @example Expire every batch after one item
 * ```ts
 * import { type BatchFault, startBatchImitation } from "./batch_imitation.ts";
 *
 * const faults: BatchFault[] = [{ kind: "expire", afterItems: 1 }];
 * await using _imitation = startBatchImitation({ faults });
 * ```
 */
export type BatchFault =
  | { kind: "expire"; afterItems?: number; batches?: number; provider?: BatchProvider }
  | {
    kind: "fail_items";
    share?: number;
    customIds?: readonly string[];
    status?: number;
    batches?: number;
    provider?: BatchProvider;
  }
  | { kind: "out_of_order"; batches?: number; provider?: BatchProvider }
  | { kind: "drop_polls"; times: number; provider?: BatchProvider }
  | { kind: "drop_results"; times: number; provider?: BatchProvider }
  | { kind: "upload_error"; times: number; status?: number; provider?: BatchProvider };

/**
 * Options of {@linkcode startBatchImitation}.
 *
 * @example Move only when the test says so
 * ```ts
 * import { type BatchImitationOptions, startBatchImitation } from "./batch_imitation.ts";
 *
 * const options: BatchImitationOptions = { seed: 3, advanceAfterPolls: Infinity };
 * await using _imitation = startBatchImitation(options);
 * ```
 */
export interface BatchImitationOptions {
  /** Seeds the answers (as the scripted server's seed), the failing share and shuffles. */
  seed?: number;
  /** The model id(s) the answering scripted server accepts; others error per item (404). */
  model?: string | readonly string[];
  /** Faults of the answering scripted server (e.g. `non_json`), met in the items' order. */
  answerFaults?: Fault[];
  /** When set, requests must carry it (`Authorization: Bearer`, or `x-api-key`); else 401. */
  apiKey?: string;
  /** The port (default 0: a free one). */
  port?: number;
  /** A batch moves one step every this many retrievals (default 1; `Infinity`: never). */
  advanceAfterPolls?: number;
  /** …and one step every this many milliseconds (default `Infinity`: never by time). */
  advanceAfterMs?: number;
  /** Items processed per step while in progress (default `Infinity`: all in one step). */
  itemsPerStep?: number;
  /** Batch faults, in order (default none). */
  faults?: BatchFault[];
  /** Smaller limits than the providers' ({@linkcode BATCH_LIMITS}), to test them cheaply. */
  limits?: { [P in BatchProvider]?: Partial<BatchLimit> };
}

/**
 * What the imitation has counted.
 *
 * @example
 * ```ts
 * import { type BatchImitationCounts, startBatchImitation } from "./batch_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * await using imitation = startBatchImitation();
 * const counts: BatchImitationCounts = imitation.counts;
 * assert.deepEqual(counts.batchesCreated, { openai: 0, azure: 0, anthropic: 0 });
 * ```
 */
export interface BatchImitationCounts {
  /** Every HTTP request received. */
  requests: number;
  /** OpenAI files stored by `POST /v1/files`. */
  filesUploaded: number;
  /** Uploads answered with a scripted `upload_error`. */
  uploadsFailed: number;
  /** Batches created, by provider. */
  batchesCreated: Record<BatchProvider, number>;
  /** Retrievals of a batch (`GET …/batches/{id}`), cut ones included, by provider. */
  polls: Record<BatchProvider, number>;
  /** Retrievals cut mid-response (`drop_polls`). */
  pollsDropped: number;
  /** Cancel requests, by provider. */
  cancels: Record<BatchProvider, number>;
  /** Downloads of results (OpenAI output and error files; Anthropic results), by provider. */
  resultsDownloaded: Record<BatchProvider, number>;
  /** Downloads cut mid-response (`drop_results`). */
  resultsDropped: number;
  /** Requests the answering scripted server has answered. */
  readonly itemsAnswered: number;
}

/**
 * A batch as a test sees it.
 *
 * @example
 * ```ts
 * import { type BatchSummary } from "./batch_imitation.ts";
 *
 * const summary: BatchSummary = {
 *   id: "msgbatch_scripted_1",
 *   provider: "anthropic",
 *   status: "in_progress",
 *   ending: null,
 *   customIds: ["a", "b"],
 *   processed: 0,
 * };
 * ```
 */
export interface BatchSummary {
  /** The batch id (`batch_scripted_1`, `msgbatch_scripted_1`…). */
  id: string;
  /** Whose API it was created with. */
  provider: BatchProvider;
  /** The status in the provider's words (OpenAI's `status`, Anthropic's `processing_status`). */
  status: string;
  /** How it ended, once it has (Anthropic's `ended` does not say; this does). */
  ending: BatchEnding | null;
  /** Its requests' custom ids, in the order sent. */
  customIds: string[];
  /** Items processed so far. */
  processed: number;
}

/**
 * The test's hand on the imitation's clock and faults.
 *
 * @example Run a batch to its end without polling
 * ```ts
 * import { startBatchImitation } from "./batch_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * await using imitation = startBatchImitation({ advanceAfterPolls: Infinity });
 * const response = await fetch(`${imitation.anthropicBaseURL}/v1/messages/batches`, {
 *   method: "POST",
 *   body: JSON.stringify({
 *     requests: [{
 *       custom_id: "one",
 *       params: { model: "m", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] },
 *     }],
 *   }),
 * });
 * const { id } = await response.json();
 * imitation.control.finish(id);
 * assert.equal(imitation.control.batch(id)?.status, "ended");
 * ```
 */
export interface BatchControl {
  /**
   * Moves one batch (or every unfinished batch) one step on.
   *
   * @throws {Error} For an unknown batch id.
   */
  tick(batchId?: string): void;
  /**
   * Moves one batch (or every batch) on until it has ended.
   *
   * @throws {Error} For an unknown batch id.
   */
  finish(batchId?: string): void;
  /**
   * Closes one batch's (or every unfinished batch's) window now: unprocessed items expire.
   *
   * @throws {Error} For an unknown batch id.
   */
  expire(batchId?: string): void;
  /**
   * Replaces the faults (and restarts their counts).
   *
   * @throws {RangeError} For an invalid fault.
   */
  setFaults(faults: BatchFault[]): void;
  /** One batch, or undefined. */
  batch(batchId: string): BatchSummary | undefined;
  /** Every batch (of one provider), oldest first. */
  batches(provider?: BatchProvider): BatchSummary[];
}

/** One request as the imitation saw it. */
export interface BatchRequestLog {
  /** The HTTP method. */
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The status sent (a cut response still sent its status). */
  status: number;
}

/**
 * A running batch imitation. `await using` closes it.
 *
 * @example
 * ```ts
 * import { startBatchImitation } from "./batch_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * const imitation = startBatchImitation();
 * assert.match(imitation.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
 * await imitation.close();
 * ```
 */
export interface BatchImitation extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/v1`, for OpenAI clients. */
  readonly baseURL: string;
  /** `http://127.0.0.1:PORT`, for the Anthropic SDK (which appends `/v1/messages/batches`). */
  readonly anthropicBaseURL: string;
  /** `http://127.0.0.1:PORT`, the `endpoint` of an `AzureOpenAI` client (which appends `/openai/…`). */
  readonly azureEndpoint: string;
  /** The port. */
  readonly port: number;
  /** Counters, updated as requests arrive. */
  readonly counts: BatchImitationCounts;
  /** Every request received, in order. */
  readonly requests: BatchRequestLog[];
  /** The clock and the faults. */
  readonly control: BatchControl;
  /** Closes the server and the answering scripted server. */
  close(): Promise<void>;
}

/**
 * Starts the batch imitation on 127.0.0.1.
 *
 * OpenAI (base URL `…/v1`): `POST /v1/files` (multipart `file` and `purpose: "batch"`; a
 * `.jsonl` of `{custom_id, method: "POST", url: "/v1/chat/completions", body}` lines),
 * `GET /v1/files/{id}`, `GET /v1/files/{id}/content`, `DELETE /v1/files/{id}`,
 * `POST /v1/batches` (`input_file_id`, `endpoint: "/v1/chat/completions"`,
 * `completion_window: "24h"`), `GET /v1/batches/{id}`, `POST /v1/batches/{id}/cancel`,
 * `GET /v1/batches`. A batch goes `validating` → `in_progress` → `finalizing` → `completed`
 * (or `failed` when its input file is bad, `expired`, `cancelling` → `cancelled`); once it has
 * ended, `output_file_id` holds the answers with status 200 and `error_file_id` the rest, as
 * `{id, custom_id, response: {status_code, request_id, body}, error}` lines.
 *
 * Azure OpenAI's global batch (an `AzureOpenAI` client's `endpoint`): the same API under
 * `/openai/files…` and `/openai/batches…`, answering only requests with an `api-version` query
 * and taking the key as `api-key`; its lines and batches name `/chat/completions`, and it has
 * Azure's limits and files and batches of its own.
 *
 * Anthropic (base URL without `/v1`): `POST /v1/messages/batches` (`requests: [{custom_id,
 * params}]`), `GET /v1/messages/batches/{id}`, `GET …/{id}/results`, `POST …/{id}/cancel`,
 * `DELETE …/{id}`, `GET /v1/messages/batches`. A batch goes `in_progress` (→ `canceling`) →
 * `ended`, with `results_url` and results `{custom_id, result: {type: "succeeded", message} |
 * {type: "errored", error} | {type: "canceled"} | {type: "expired"}}`.
 *
 * Limits ({@linkcode BATCH_LIMITS} unless `limits` lowers them): an OpenAI batch input file over
 * the byte limit is refused at upload (400, "File is too large"), and one with too many requests
 * makes its batch fail validation (`too_many_tasks`); an Anthropic create body over the byte
 * limit gets 413 `request_too_large`, and one with too many requests 400.
 *
 * @param options Seed, pace, faults, limits, required API key, port.
 * @returns The running imitation; close it (or `await using` it) when done.
 * @throws {RangeError} For an invalid pace or fault.
 *
 * @example A full OpenAI cycle with plain fetch
 * ```ts
 * import { startBatchImitation } from "./batch_imitation.ts";
 * import assert from "node:assert/strict";
 *
 * await using imitation = startBatchImitation({ seed: 1 });
 * const line = {
 *   custom_id: "case-1",
 *   method: "POST",
 *   url: "/v1/chat/completions",
 *   body: { model: "scripted", messages: [{ role: "user", content: "Hello" }] },
 * };
 * const form = new FormData();
 * form.append("purpose", "batch");
 * form.append("file", new File([JSON.stringify(line) + "\n"], "chunk-1.jsonl"));
 * const post = (path: string, body: BodyInit) =>
 *   fetch(`${imitation.baseURL}${path}`, { method: "POST", body }).then((r) => r.json());
 * const file = await post("/files", form);
 * let batch = await post("/batches", JSON.stringify({
 *   input_file_id: file.id,
 *   endpoint: "/v1/chat/completions",
 *   completion_window: "24h",
 * }));
 * while (!["completed", "failed", "expired", "cancelled"].includes(batch.status)) {
 *   batch = await (await fetch(`${imitation.baseURL}/batches/${batch.id}`)).json();
 * }
 * const output = await (await fetch(`${imitation.baseURL}/files/${batch.output_file_id}/content`))
 *   .text();
 * assert.equal(JSON.parse(output).response.status_code, 200);
 * assert.equal(imitation.counts.batchesCreated.openai, 1);
 * ```
 */
export function startBatchImitation(options: BatchImitationOptions = {}): BatchImitation {
  const seed = options.seed ?? 0;
  const book = new BatchBook(
    {
      advanceAfterPolls: options.advanceAfterPolls ?? 1,
      advanceAfterMs: options.advanceAfterMs ?? Infinity,
      itemsPerStep: options.itemsPerStep ?? Infinity,
    },
    seed,
    options.faults ?? [],
  );
  const answers = new ScriptedAnswers({
    seed,
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.answerFaults === undefined ? {} : { faults: options.answerFaults }),
  });
  const counts = newCounts(answers);
  const requests: BatchRequestLog[] = [];
  let port = 0;
  const ids = new Map<string, number>();
  const ctx: DialectContext = {
    book,
    answers,
    counts,
    limits: {
      openai: { ...BATCH_LIMITS.openai, ...options.limits?.openai },
      azure: { ...BATCH_LIMITS.azure, ...options.limits?.azure },
      anthropic: { ...BATCH_LIMITS.anthropic, ...options.limits?.anthropic },
    },
    origin: () => `http://127.0.0.1:${port}`,
    nextId(prefix, separator = "_") {
      const n = (ids.get(prefix) ?? 0) + 1;
      ids.set(prefix, n);
      return `${prefix}${separator}scripted${separator}${n}`;
    },
    retrieval(batch) {
      counts.polls[batch.provider]++;
      const cut = book.takeRequestFault("drop_polls", batch.provider) !== undefined;
      if (cut) counts.pollsDropped++;
      else book.poll(batch);
      return cut;
    },
    download(provider) {
      counts.resultsDownloaded[provider]++;
      const cut = book.takeRequestFault("drop_results", provider) !== undefined;
      if (cut) counts.resultsDropped++;
      return cut;
    },
  };
  const routes = [
    router("openai", openaiEndpoints(ctx)),
    router("openai", openaiEndpoints(ctx, "azure")),
    router("anthropic", anthropicEndpoints(ctx)),
  ];

  async function handle(request: Request): Promise<Response> {
    counts.requests++;
    const url = new URL(request.url);
    const path = url.pathname;
    const dialect = path.startsWith("/v1/messages") ? "anthropic" : "openai";
    let response: Response | undefined;
    if (options.apiKey !== undefined && !hasKey(request.headers, options.apiKey)) {
      await request.arrayBuffer();
      response = errorResponse(dialect, 401, "Incorrect API key provided.", {
        code: "invalid_api_key",
      });
    }
    for (const route of routes) response ??= await route(request, path, url);
    response ??= errorResponse(dialect, 404, `Unknown request URL: ${request.method} ${path}.`, {
      code: "unknown_url",
    });
    requests.push({ method: request.method, path, status: response.status });
    return response;
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    handle,
  );
  port = server.addr.port;
  let closing: Promise<void> | undefined;
  const close = () => closing ??= server.shutdown().then(() => answers.close());
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    anthropicBaseURL: `http://127.0.0.1:${port}`,
    azureEndpoint: `http://127.0.0.1:${port}`,
    port,
    counts,
    requests,
    control: batchControl(book),
    close,
    [Symbol.asyncDispose]: close,
  };
}

function newCounts(answers: ScriptedAnswers): BatchImitationCounts {
  const perProvider = () => ({ openai: 0, azure: 0, anthropic: 0 });
  return {
    requests: 0,
    filesUploaded: 0,
    uploadsFailed: 0,
    batchesCreated: perProvider(),
    polls: perProvider(),
    pollsDropped: 0,
    cancels: perProvider(),
    resultsDownloaded: perProvider(),
    resultsDropped: 0,
    get itemsAnswered() {
      return answers.answered;
    },
  };
}

function batchControl(book: BatchBook): BatchControl {
  const pick = (id: string | undefined): StoredBatch[] => {
    if (id === undefined) return book.list().filter((batch) => batch.stage !== "ended");
    const batch = book.get(id);
    if (!batch) throw new Error(`The batch imitation has no batch ${id}.`);
    return [batch];
  };
  return {
    tick: (id) => pick(id).forEach((batch) => book.step(batch)),
    finish: (id) => pick(id).forEach((batch) => book.finish(batch)),
    expire: (id) => pick(id).forEach((batch) => book.expire(batch)),
    setFaults: (faults) => book.setFaults(faults),
    batch(id) {
      const batch = book.get(id);
      return batch && summary(batch);
    },
    batches: (provider) => book.list(provider).reverse().map(summary),
  };
}

function summary(batch: StoredBatch): BatchSummary {
  let status: string = batch.stage === "ended" ? batch.ending! : batch.stage;
  if (batch.provider === "anthropic") {
    status = batch.stage === "ended"
      ? "ended"
      : batch.stage === "cancelling"
      ? "canceling"
      : "in_progress";
  }
  return {
    id: batch.id,
    provider: batch.provider,
    status,
    ending: batch.ending,
    customIds: batch.items.map((item) => item.customId),
    processed: batch.processed,
  };
}

function hasKey(headers: Headers, key: string): boolean {
  return headers.get("authorization") === `Bearer ${key}` || headers.get("x-api-key") === key ||
    headers.get("api-key") === key;
}
