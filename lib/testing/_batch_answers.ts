/**
 * The answers of a batch's requests. Each request body is sent, as it is, to a private scripted
 * server (`startScriptedServer`) on 127.0.0.1, so a batch item gets exactly the reply — the
 * same grading, the same errors for a malformed body, the same response shape — that a live
 * call with that body gets from a scripted server with the same seed.
 *
 * @module
 */

import type { BatchProvider } from "../judge/batch_limits.ts";
import { anthropicErrorBody, openaiErrorBody, requestId } from "./_batch_http.ts";
import type { PreparedAnswer } from "./_batch_store.ts";
import { type Fault, type ScriptedServer, startScriptedServer } from "./scripted_server.ts";

/** How many requests are in flight to the scripted server at once. */
const CONCURRENCY = 8;

/** Answers batch requests through a private scripted server. */
export class ScriptedAnswers {
  readonly #server: ScriptedServer;

  /**
   * @param options The scripted server's seed, accepted models and faults.
   * @throws {RangeError} For an invalid fault.
   */
  constructor(options: { seed: number; model?: string | readonly string[]; faults?: Fault[] }) {
    this.#server = startScriptedServer({
      seed: options.seed,
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.faults === undefined ? {} : { faults: options.faults }),
    });
  }

  /** Requests the scripted server has answered. */
  get answered(): number {
    return this.#server.counts.chat + this.#server.counts.messages;
  }

  /**
   * The live replies to these request bodies, in order.
   *
   * @param provider `openai` bodies go to `/v1/chat/completions`, `anthropic` ones to
   *   `/v1/messages`.
   * @param bodies The request bodies.
   */
  async answerAll(provider: BatchProvider, bodies: readonly unknown[]): Promise<PreparedAnswer[]> {
    const answers: PreparedAnswer[] = new Array(bodies.length);
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const index = next++;
        answers[index] = await this.#answer(provider, bodies[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, bodies.length) }, worker));
    return answers;
  }

  async #answer(provider: BatchProvider, body: unknown): Promise<PreparedAnswer> {
    const url = provider === "anthropic"
      ? `${this.#server.anthropicBaseURL}/v1/messages`
      : `${this.#server.baseURL}/chat/completions`;
    const id = requestId();
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      if (provider === "anthropic" && response.status !== 200) {
        // Anthropic's errored results carry the request id inside the error response.
        parsed = { ...(parsed as Record<string, unknown>), request_id: id };
      }
      return { status: response.status, body: parsed, requestId: id };
    } catch (error) {
      // A dropped connection (a `drop_connection` answer fault): the provider's own failure.
      const message = `The request failed inside the batch (${(error as Error).message}).`;
      return failure(provider, 500, message, id);
    }
  }

  /** Closes the private scripted server. */
  close(): Promise<void> {
    return this.#server.close();
  }
}

/** A scripted failure of one item (the `fail_items` fault), in the provider's error shape. */
export function failure(
  provider: BatchProvider,
  status: number,
  message = "The server had an error while processing your request (scripted batch failure).",
  id: string = requestId(),
): PreparedAnswer {
  const body = provider === "anthropic"
    ? anthropicErrorBody(status, message, id)
    : openaiErrorBody(status, message);
  return { status, body, requestId: id };
}
