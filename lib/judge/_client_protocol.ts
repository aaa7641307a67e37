/**
 * Which API a provider client speaks: the one place the kit tells an OpenAI-compatible client
 * (OpenAI, Azure OpenAI, any `baseURL`: OpenRouter, vLLM, Ollama) from an Anthropic one.
 *
 * @module
 */

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
