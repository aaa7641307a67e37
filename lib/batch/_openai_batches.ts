/**
 * OpenAI's Batch API, and Azure OpenAI's global batch through an `AzureOpenAI` client: a JSONL
 * input file uploaded with `purpose: "batch"`, a batch over chat completions within `24h`
 * (endpoint `/v1/chat/completions` at OpenAI, `/chat/completions` at Azure), and its output and
 * error files.
 *
 * @module
 */

import type { AzureOpenAI, OpenAI } from "openai";
import { type _BatchApi, _failedReply, type _Polled, _unrunReply } from "./_batch_api.ts";
import { _CHAT_URL } from "./chunk_requests.ts";

const ENDED = new Set(["completed", "failed", "expired", "cancelled"]);

/** How far back a search for a batch goes before its chunk was recorded, for clock skew. */
const SKEW_MS = 10 * 60_000;

/** The SDK's own retries are off: the transport retries reads, and never a create. */
const ONCE = { maxRetries: 0 };

/**
 * The Batch API of an OpenAI (or, with `provider: "azure"`, an `AzureOpenAI`) client. The chunk's
 * id goes in the batch's `metadata`, so that a batch made just before a kill can be found again.
 */
export function _openaiBatches(client: OpenAI, provider: "openai" | "azure" = "openai"): _BatchApi {
  // A judge's AzureOpenAI client names its deployment, which the SDK also puts in front of
  // `/batches` (`/openai/deployments/{d}/batches`); Azure's batch API is `/openai/batches`.
  if (provider === "azure") client = (client as AzureOpenAI).withOptions({ deployment: undefined });
  return {
    provider,
    async create(chunk, requests) {
      const file = await client.files.create(
        { file: new File(requests.lines, `${chunk}.jsonl`), purpose: "batch" },
        ONCE,
      );
      const batch = await client.batches.create({
        input_file_id: file.id,
        // The SDK's type lists only OpenAI's `/v1/…` paths; Azure's is `/chat/completions`.
        endpoint: _CHAT_URL[provider] as "/v1/chat/completions",
        completion_window: "24h",
        metadata: { preceptron_chunk: chunk },
      }, ONCE);
      return batch.id;
    },
    async find(chunk, since) {
      for await (const batch of client.batches.list({ limit: 100 }, ONCE)) {
        if (batch.metadata?.preceptron_chunk === chunk) return batch.id;
        if (batch.created_at * 1000 < since - SKEW_MS) return undefined; // newest first
      }
      return undefined;
    },
    async poll(id): Promise<_Polled> {
      const batch = await client.batches.retrieve(id, ONCE);
      const files = [batch.output_file_id, batch.error_file_id].filter((f) => !!f) as string[];
      return {
        status: batch.status,
        ended: ENDED.has(batch.status),
        counts: { ...batch.request_counts },
        async *results() {
          for (const file of files) {
            const response = await client.files.content(file, ONCE);
            for await (const line of jsonLines(response.body!)) yield [line.custom_id, reply(line)];
          }
        },
      };
    },
  };
}

/** A line of an output or error file. */
interface ResultLine {
  custom_id: string;
  response: { status_code: number; body: unknown } | null;
  error: { code: string; message: string } | null;
}

function reply(line: ResultLine) {
  const { response, error } = line;
  if (response?.status_code === 200) {
    return { ok: true as const, value: response.body, attempts: 1 };
  }
  if (response) {
    // deno-lint-ignore no-explicit-any
    const message = (response.body as any)?.error?.message ?? "the request failed in its batch";
    return _failedReply(response.status_code, message);
  }
  return _unrunReply(`${error?.code}: ${error?.message}`);
}

/** The JSON lines of a streamed file, one at a time. */
async function* jsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<ResultLine> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of body) {
    const lines = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = lines.pop()!;
    for (const line of lines) if (line.trim() !== "") yield JSON.parse(line);
  }
  if (rest.trim() !== "") yield JSON.parse(rest);
}
