/**
 * Testing aids: a scripted LLM provider on 127.0.0.1 that speaks the OpenAI chat-completions and
 * Anthropic Messages APIs, answers judge prompts deterministically on each task's scale, and
 * fails on cue (rate limits, 5xx, dropped connections, malformed replies); and an imitation of
 * the Hugging Face Hub's dataset API with its CDN, for tests of the dataset loaders.
 * `startBatchImitation` imitates both providers' batch APIs (OpenAI's Files and Batch APIs,
 * Anthropic's Message Batches), answering each item as the scripted server would.
 *
 * Not part of `preceptron`: import it as `preceptron/testing`. Product code never starts these
 * servers itself; a notebook or script that wants the scripted stand-in passes it in (see
 * `chooseCandidate`).
 *
 * ```ts
 * import { startScriptedServer } from "./mod.ts";
 *
 * await using server = startScriptedServer({
 *   seed: 1,
 *   faults: [{ kind: "rate_limit", retryAfterSeconds: 1, times: 1 }],
 * });
 * // new OpenAI({ baseURL: server.baseURL, apiKey: "unused" })
 * // new Anthropic({ baseURL: server.anthropicBaseURL, apiKey: "unused" })
 * ```
 *
 * @module
 */

export * from "./batch_imitation.ts";
export * from "./hub_imitation.ts";
export * from "./scripted_server.ts";
