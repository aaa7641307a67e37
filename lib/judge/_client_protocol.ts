/**
 * Which API a provider client speaks — the one place the kit tells an OpenAI-compatible client
 * (OpenAI, Azure OpenAI, any `baseURL`: OpenRouter, vLLM, Ollama) from an Anthropic one — and
 * the one way a request goes out and its reply is read, whichever it is.
 *
 * @module
 */

import type { Usage } from "./judgement.ts";
import { type ErrorClass, type RetryOptions, type RetryOutcome, withRetries } from "./retry.ts";

/** Chat completions (`client.chat.completions.create`) or Anthropic's Messages API (`client.messages.create`). */
export type _Protocol = "chat" | "messages";

/** The part of a client that sends a request, whichever API it speaks. */
type _Create = (body: unknown, options?: unknown) => Promise<unknown>;

/**
 * The API a client speaks, read from its shape (not its provider's name, so that any
 * OpenAI-compatible client works).
 *
 * @param client A client, e.g. from `makeClient`.
 * @returns `"chat"`, `"messages"`, or `undefined` for anything else.
 */
export function _clientProtocol(client: unknown): _Protocol | undefined {
  // deno-lint-ignore no-explicit-any
  const c = client as any;
  if (typeof c?.chat?.completions?.create === "function") return "chat";
  if (typeof c?.messages?.create === "function") return "messages";
  return undefined;
}

/**
 * Sends one request body with a client, by the API it speaks.
 *
 * @param client An OpenAI-compatible or Anthropic client.
 * @param body The request body.
 * @param options The SDK's request options (`maxRetries`, `signal`).
 * @returns The SDK's reply.
 * @throws {TypeError} When the client speaks neither API; the SDK's error when the request fails.
 */
export function _send(client: unknown, body: unknown, options: unknown): Promise<unknown> {
  // deno-lint-ignore no-explicit-any
  const c = client as any;
  const protocol = _clientProtocol(c);
  if (protocol === undefined) {
    throw new TypeError(
      "client must be an OpenAI, AzureOpenAI (any OpenAI-compatible baseURL) or Anthropic client",
    );
  }
  const owner = protocol === "chat" ? c.chat.completions : c.messages;
  return (owner.create as _Create).call(owner, body, options);
}

/**
 * Sends one request body with the kit's bounded retries (`withRetries`) in place of the SDK's
 * own, so that every attempt is counted and `Retry-After` is honoured.
 *
 * @param client An OpenAI-compatible or Anthropic client.
 * @param body The request body.
 * @param retry Retry limits.
 * @param signal The caller's cancellation.
 * @param onRetry Told before each wait.
 * @returns The reply, or the last error, with the attempts made.
 */
export function _sendWithRetries(
  client: unknown,
  body: unknown,
  retry?: RetryOptions,
  signal?: AbortSignal,
  onRetry?: (error: ErrorClass, waitMs: number, attempt: number) => void,
): Promise<RetryOutcome<unknown>> {
  return withRetries(
    (_n, timeout) => _send(client, body, { maxRetries: 0, signal: timeout }),
    retry,
    signal,
    onRetry,
  );
}

/** What a reply says, whichever API it came from. */
export interface _Reply {
  /** The reply's text: a chat completion's content (`null` without one), a message's text blocks. */
  text: string | null;
  /** Tokens as reported; a missing count is `NaN` (see `reportedTokens`). */
  usage: Usage;
  /** Why the model stopped (`finish_reason`, `stop_reason`), when it says. */
  finish: string | undefined;
  /** The refusal the API reports, when it reports one. */
  refusal: string | undefined;
}

/**
 * A chat completion or an Anthropic message, read as a reply.
 *
 * @param protocol The API the reply came from.
 * @param response The provider's response body.
 * @returns Its text, usage, finish reason and refusal.
 */
// deno-lint-ignore no-explicit-any
export function _readReply(protocol: _Protocol, response: any): _Reply {
  const usage = response?.usage;
  if (protocol === "chat") {
    const choice = response?.choices?.[0];
    const content = choice?.message?.content;
    const refusal = choice?.message?.refusal;
    return {
      text: typeof content === "string" ? content : null,
      usage: usageOf(
        usage?.prompt_tokens,
        usage?.completion_tokens,
        usage?.prompt_tokens_details?.cached_tokens,
      ),
      finish: typeof choice?.finish_reason === "string" ? choice.finish_reason : undefined,
      refusal: typeof refusal === "string" && refusal !== "" ? refusal : undefined,
    };
  }
  const blocks: unknown[] = Array.isArray(response?.content) ? response.content : [];
  const text = blocks
    // deno-lint-ignore no-explicit-any
    .filter((b: any) => b?.type === "text" && typeof b.text === "string")
    // deno-lint-ignore no-explicit-any
    .map((b: any) => b.text as string)
    .join("\n");
  return {
    text,
    // Anthropic counts cache reads and writes apart from `input_tokens`; the kit's input tokens
    // are the whole prompt's, as OpenAI's `prompt_tokens` are.
    usage: usageOf(
      promptTokens(
        usage?.input_tokens,
        usage?.cache_read_input_tokens,
        usage?.cache_creation_input_tokens,
      ),
      usage?.output_tokens,
      usage?.cache_read_input_tokens,
    ),
    finish: typeof response?.stop_reason === "string" ? response.stop_reason : undefined,
    refusal: response?.stop_reason === "refusal" ? text || "(no text)" : undefined,
  };
}

/** Anthropic's prompt tokens: uncached input plus cache reads and writes (missing ones 0). */
function promptTokens(input: unknown, read: unknown, written: unknown): unknown {
  if (typeof input !== "number") return input;
  const extra = (value: unknown) => typeof value === "number" && value > 0 ? value : 0;
  return input + extra(read) + extra(written);
}

function usageOf(input: unknown, output: unknown, cached: unknown): Usage {
  return {
    input_tokens: reportedTokens(input),
    output_tokens: reportedTokens(output),
    ...(typeof cached === "number" && cached > 0 ? { cached_input_tokens: cached } : {}),
  };
}

/**
 * A reported token count as a number: a number as it is (the runner checks its range), and
 * anything else — missing, `null`, text — as `NaN`, never 0: a missing count is not a real
 * zero, and the runner counts an estimate for it (the pipeline's `#checkedUsage`).
 */
function reportedTokens(value: unknown): number {
  return typeof value === "number" ? value : Number.NaN;
}
