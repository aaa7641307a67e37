/**
 * Splitting judge requests into provider batches, under the providers' limits.
 *
 * @module
 */

import { BATCH_LIMITS, type BatchLimit, type BatchProvider } from "../judge/batch_limits.ts";

/** One judgement still to make: its ledger key, and the exact body a live call would send. */
export interface BatchItem {
  /** The judgement's ledger key (`judgementKey()`): the request's `custom_id`. */
  key: string;
  /** The request body (`judge.requestBody(task, inputs)`). */
  body: Record<string, unknown>;
}

/** Requests that go in one batch. */
export interface BatchChunk {
  /** The items' keys, in order. */
  keys: string[];
  /**
   * Each request as the provider reads it — a JSONL line (OpenAI), an element of `requests`
   * (Anthropic) — in UTF-8, ending with a newline. Bytes, not strings: half the memory of
   * V8's two-byte strings, and ready to send.
   */
  lines: Uint8Array<ArrayBuffer>[];
  /** The size the provider limits: the input file (OpenAI) or the create body (Anthropic). */
  bytes: number;
}

/** Anthropic's pattern for a `custom_id`: ledger keys (64 hex digits) fit it as they are. */
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** The bytes of `{"requests":[` and `]}` around Anthropic's comma-separated requests, less a comma. */
const ANTHROPIC_ENVELOPE = 14;

const encoder = new TextEncoder();

/**
 * The chat-completions path a batch line names, and its batch's `endpoint`: OpenAI's carries its
 * `/v1`, Azure OpenAI's global batch names the path under its own API root.
 */
export const _CHAT_URL = {
  openai: "/v1/chat/completions",
  azure: "/chat/completions",
} as const;

/**
 * Splits requests into batches that each fit the provider's limits (`BATCH_LIMITS`): no more
 * requests than `limit.requests`, and no more bytes than `limit.bytes` — the bytes of the
 * OpenAI input file (a JSONL line `{custom_id, method, url, body}` per request), or of the JSON
 * body of Anthropic's `POST /v1/messages/batches` (`{requests: [{custom_id, params}]}`). Items
 * are read one at a time, so a chunk's requests are built only when it is due. A key that comes
 * twice is sent once.
 *
 * @param provider Whose batch API the chunks are for.
 * @param items The requests.
 * @param limit Limits to respect (default the provider's; tests pass smaller ones).
 * @returns The chunks, in the items' order.
 * @throws {RangeError} For a key Anthropic cannot take as a `custom_id` (ledger keys always
 *   fit), or one request larger than the byte limit on its own.
 *
 * @example
 * ```ts
 * import { chunkRequests } from "./chunk_requests.ts";
 * import assert from "node:assert/strict";
 *
 * const items = ["a", "b", "c"].map((key) => ({ key, body: { model: "m" } }));
 * const chunks = [...chunkRequests("openai", items, { requests: 2, bytes: 1e6 })];
 * assert.deepEqual(chunks.map((chunk) => chunk.keys), [["a", "b"], ["c"]]);
 * assert.equal(
 *   new TextDecoder().decode(chunks[1]!.lines[0]),
 *   '{"custom_id":"c","method":"POST","url":"/v1/chat/completions","body":{"model":"m"}}\n',
 * );
 * ```
 */
export function* chunkRequests(
  provider: BatchProvider,
  items: Iterable<BatchItem>,
  limit: BatchLimit = BATCH_LIMITS[provider],
): Generator<BatchChunk> {
  const envelope = provider === "anthropic" ? ANTHROPIC_ENVELOPE : 0;
  const seen = new Set<string>();
  let chunk: BatchChunk = { keys: [], lines: [], bytes: envelope };
  for (const { key, body } of items) {
    if (seen.has(key)) continue;
    seen.add(key);
    const line = encoder.encode(requestLine(provider, key, body) + "\n");
    const bytes = line.byteLength + (envelope > 0 ? 1 : 0); // Anthropic's: a comma after it
    if (envelope + bytes > limit.bytes) {
      throw new RangeError(
        `the request ${key} is ${bytes} bytes: more than a ${provider} batch holds (${limit.bytes})`,
      );
    }
    if (chunk.keys.length >= limit.requests || chunk.bytes + bytes > limit.bytes) {
      yield chunk;
      chunk = { keys: [], lines: [], bytes: envelope };
    }
    chunk.keys.push(key);
    chunk.lines.push(line);
    chunk.bytes += bytes;
  }
  if (chunk.keys.length > 0) yield chunk;
}

function requestLine(provider: BatchProvider, key: string, body: Record<string, unknown>): string {
  if (provider !== "anthropic") {
    return JSON.stringify({ custom_id: key, method: "POST", url: _CHAT_URL[provider], body });
  }
  if (!CUSTOM_ID.test(key)) {
    throw new RangeError(`Anthropic cannot take ${JSON.stringify(key)} as a custom_id`);
  }
  return JSON.stringify({ custom_id: key, params: body });
}
