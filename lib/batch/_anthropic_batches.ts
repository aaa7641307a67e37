/**
 * Anthropic's Message Batches API: one create request holding every `{custom_id, params}`,
 * and the results as JSON Lines once the batch has ended.
 *
 * @module
 */

import type Anthropic from "@anthropic-ai/sdk";
import { type _BatchApi, _failedReply, type _Polled, _unrunReply } from "./_batch_api.ts";

/** The SDK's own retries are off: the transport retries reads, and never a create. */
const ONCE = { maxRetries: 0 };

/** The HTTP status behind each of Anthropic's error types, for the retry rules. */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/**
 * The Message Batches API of an Anthropic client. A message batch carries no tag of ours, so a
 * batch made in the moment between the API's answer and its record cannot be found again.
 */
export function _anthropicBatches(client: Anthropic): _BatchApi {
  return {
    provider: "anthropic",
    async create(_chunk, requests) {
      // The body as bytes: the SDK would hold the requests as objects, then as one JSON string.
      const parts: BlobPart[] = ['{"requests":['];
      requests.lines.forEach((line, i) => parts.push(...(i > 0 ? [",", line] : [line])));
      parts.push("]}");
      const body = new Blob(parts, { type: "application/json" });
      const headers = { "content-type": "application/json" };
      const batch = await client.messages.batches.create({ requests: [] }, {
        ...ONCE,
        body,
        headers,
      });
      return batch.id;
    },
    find: () => Promise.resolve(undefined),
    async poll(id): Promise<_Polled> {
      const batch = await client.messages.batches.retrieve(id, {}, ONCE);
      return {
        status: batch.processing_status,
        ended: batch.processing_status === "ended",
        counts: { ...batch.request_counts },
        async *results() {
          for await (const line of await client.messages.batches.results(id, {}, ONCE)) {
            yield [line.custom_id, reply(line.result)];
          }
        },
      };
    },
  };
}

function reply(result: Anthropic.Messages.MessageBatchResult) {
  if (result.type === "succeeded") {
    return { ok: true as const, value: result.message, attempts: 1 };
  }
  if (result.type === "errored") {
    const { type, message } = result.error.error;
    return _failedReply(ERROR_STATUS[type] ?? 500, `${type}: ${message}`);
  }
  return _unrunReply(`the request was ${result.type} before it ran`);
}
