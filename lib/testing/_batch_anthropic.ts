/**
 * The Anthropic dialect of the batch imitation: the Message Batches API
 * (`/v1/messages/batches`), over the shared book of batches.
 *
 * Shapes follow the @anthropic-ai/sdk types (`MessageBatch`, `MessageBatchRequestCounts`,
 * `MessageBatchIndividualResponse`, `MessageBatchResult`, `ErrorResponse`). As the API does,
 * `request_counts` keeps every request under `processing` until the whole batch has ended, and
 * each request's `params` are checked only when it is processed: a malformed one comes back as
 * an `errored` result, not as a refused batch.
 *
 * @module
 */

import { failure } from "./_batch_answers.ts";
import { type DialectContext, type Endpoints, page, pageLimit } from "./_batch_context.ts";
import {
  bytesResponse,
  DAY_MS,
  errorResponse,
  isRecord,
  jsonl,
  jsonResponse,
  rfc3339,
} from "./_batch_http.ts";
import { itemResults, type StoredBatch } from "./_batch_store.ts";

/** Anthropic's pattern for a request's `custom_id`. */
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const encoder = new TextEncoder();

/**
 * The Anthropic routes: `/v1/messages/batches…`.
 *
 * @param ctx The shared state.
 * @returns The endpoints and their handlers.
 */
export function anthropicEndpoints(ctx: DialectContext): Endpoints {
  const api = new MessageBatchApi(ctx);
  return {
    "POST /v1/messages/batches": (_id, request) => api.create(request),
    "GET /v1/messages/batches": (_id, _request, url) => api.list(url),
    "GET /v1/messages/batches/{id}": (id) => api.retrieve(id),
    "DELETE /v1/messages/batches/{id}": (id) => api.delete(id),
    "POST /v1/messages/batches/{id}/cancel": (id) => api.cancel(id),
    "GET /v1/messages/batches/{id}/results": (id) => api.results(id),
  };
}

class MessageBatchApi {
  constructor(readonly ctx: DialectContext) {}

  /** `POST /v1/messages/batches`: checks the requests, prepares every answer, files the batch. */
  async create(request: Request): Promise<Response> {
    const { ctx } = this;
    const raw = new Uint8Array(await request.arrayBuffer());
    const fault = ctx.book.takeRequestFault("upload_error", "anthropic");
    if (fault?.kind === "upload_error") {
      ctx.counts.uploadsFailed++;
      return errorResponse(
        "anthropic",
        fault.status ?? 500,
        "Internal server error " +
          "(scripted upload failure).",
      );
    }
    if (raw.byteLength > ctx.limits.anthropic.bytes) {
      // Anthropic's edge answers this before the API reads the body.
      return errorResponse(
        "anthropic",
        413,
        "Request exceeds the maximum allowed number of " +
          `bytes (${ctx.limits.anthropic.bytes} for the Message Batches API).`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      return errorResponse("anthropic", 400, "The request body is not valid JSON.");
    }
    const requests = this.#checkRequests(body);
    if (requests instanceof Response) return requests;
    const ids = requests.map((r) => r.custom_id);
    const plan = ctx.book.plan("anthropic", ids);
    const toAnswer = requests.filter((r) => !plan.failing.has(r.custom_id));
    const answers = await ctx.answers.answerAll("anthropic", toAnswer.map((r) => r.params));
    const byId = new Map(toAnswer.map((r, i) => [r.custom_id, answers[i]!]));
    const items = requests.map((r) => ({
      customId: r.custom_id,
      answer: byId.get(r.custom_id) ?? failure("anthropic", plan.failing.get(r.custom_id)!),
    }));
    const batch = ctx.book.create(ctx.nextId("msgbatch"), "anthropic", items, [], plan);
    ctx.counts.batchesCreated.anthropic++;
    return jsonResponse("anthropic", this.#render(batch));
  }

  /** The requests of a create body, or the 400 that refuses it. */
  #checkRequests(body: unknown): { custom_id: string; params: unknown }[] | Response {
    const refuse = (message: string) => errorResponse("anthropic", 400, message);
    if (!isRecord(body) || !Array.isArray(body.requests)) {
      return refuse("requests: Field required");
    }
    const requests = body.requests;
    if (requests.length === 0) return refuse("requests: List should have at least 1 item");
    const limit = this.ctx.limits.anthropic.requests;
    if (requests.length > limit) {
      return refuse(
        `requests: a Message Batch can hold at most ${limit} requests; this one ` +
          `has ${requests.length}.`,
      );
    }
    const seen = new Set<string>();
    for (const [i, item] of requests.entries()) {
      if (!isRecord(item)) return refuse(`requests.${i}: Input should be an object`);
      const id = item.custom_id;
      if (typeof id !== "string" || !CUSTOM_ID.test(id)) {
        return refuse(
          `requests.${i}.custom_id: String should match pattern ` +
            `'${CUSTOM_ID.source}'`,
        );
      }
      if (seen.has(id)) {
        return refuse(
          `requests.${i}.custom_id: Duplicate custom_id '${id}': each request in a ` +
            "batch needs its own.",
        );
      }
      seen.add(id);
      if (!isRecord(item.params)) return refuse(`requests.${i}.params: Field required`);
    }
    return requests as { custom_id: string; params: unknown }[];
  }

  /** `GET /v1/messages/batches/{id}`: a poll, which may move the batch on (or be cut). */
  retrieve(id: string): Promise<Response> {
    const batch = this.ctx.book.get(id, "anthropic");
    if (!batch) return Promise.resolve(notFound(id));
    const cut = this.ctx.retrieval(batch);
    return Promise.resolve(jsonResponse("anthropic", this.#render(batch), { cut }));
  }

  /** `GET /v1/messages/batches/{id}/results`: JSON Lines, once the batch has ended. */
  results(id: string): Promise<Response> {
    const batch = this.#ended(id, "has not ended: its results are not available yet.");
    if (batch instanceof Response) return Promise.resolve(batch);
    const cut = this.ctx.download("anthropic");
    const lines = itemResults(batch).map((result) => ({
      custom_id: result.customId,
      result: result.kind === "answered"
        ? result.answer.status === 200
          ? { type: "succeeded", message: result.answer.body }
          : { type: "errored", error: result.answer.body }
        : { type: result.kind === "expired" ? "expired" : "canceled" },
    }));
    return Promise.resolve(
      bytesResponse("anthropic", encoder.encode(jsonl(lines)), "application/binary", { cut }),
    );
  }

  /** `POST /v1/messages/batches/{id}/cancel`. */
  cancel(id: string): Promise<Response> {
    const { ctx } = this;
    const batch = this.ctx.book.get(id, "anthropic");
    if (!batch) return Promise.resolve(notFound(id));
    ctx.counts.cancels.anthropic++;
    if (!ctx.book.cancel(batch)) {
      return Promise.resolve(
        errorResponse(
          "anthropic",
          400,
          `Message Batch ${id} has already ended and cannot be ` +
            "canceled.",
        ),
      );
    }
    return Promise.resolve(jsonResponse("anthropic", this.#render(batch)));
  }

  /** `DELETE /v1/messages/batches/{id}`: only once it has ended. */
  delete(id: string): Promise<Response> {
    const batch = this.#ended(id, "is still processing: cancel it before deleting it.");
    if (batch instanceof Response) return Promise.resolve(batch);
    this.ctx.book.delete(id);
    return Promise.resolve(
      jsonResponse("anthropic", { id, type: "message_batch_deleted" }),
    );
  }

  /** `GET /v1/messages/batches?limit=&after_id=&before_id=`: newest first. */
  list(url: URL): Promise<Response> {
    const limit = pageLimit(url, 20, 1000);
    if (limit === null) {
      return Promise.resolve(
        errorResponse("anthropic", 400, "limit: Input should be between 1 and 1000"),
      );
    }
    const batches = this.ctx.book.list("anthropic");
    const { data, hasMore } = page(batches, limit, {
      after: url.searchParams.get("after_id"),
      before: url.searchParams.get("before_id"),
    });
    return Promise.resolve(jsonResponse("anthropic", {
      data: data.map((batch) => this.#render(batch)),
      has_more: hasMore,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    }));
  }

  /** The batch once it has ended, or the 404 or 400 (`Message Batch {id} ${notEnded}`). */
  #ended(id: string, notEnded: string): StoredBatch | Response {
    const batch = this.ctx.book.get(id, "anthropic");
    if (!batch) return notFound(id);
    if (batch.stage === "ended") return batch;
    return errorResponse("anthropic", 400, `Message Batch ${id} ${notEnded}`);
  }

  /** The `MessageBatch` object. */
  #render(batch: StoredBatch): Record<string, unknown> {
    const ended = batch.stage === "ended";
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    if (!ended) counts.processing = batch.items.length;
    else {
      for (const result of itemResults(batch)) {
        if (result.kind !== "answered") {
          counts[result.kind === "expired" ? "expired" : "canceled"]++;
        } else if (result.answer.status === 200) counts.succeeded++;
        else counts.errored++;
      }
    }
    const t = batch.times;
    return {
      id: batch.id,
      type: "message_batch",
      processing_status: ended
        ? "ended"
        : batch.stage === "cancelling"
        ? "canceling"
        : "in_progress",
      request_counts: counts,
      ended_at: rfc3339(t.completed ?? t.expired ?? t.cancelled),
      created_at: rfc3339(batch.createdAt),
      expires_at: rfc3339(batch.createdAt + DAY_MS),
      archived_at: null,
      cancel_initiated_at: rfc3339(t.cancelling),
      results_url: ended ? `${this.ctx.origin()}/v1/messages/batches/${batch.id}/results` : null,
    };
  }
}

function notFound(id: string): Response {
  return errorResponse("anthropic", 404, `Message Batch ${id} not found.`);
}
