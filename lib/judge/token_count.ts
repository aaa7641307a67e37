/**
 * Counting a prompt's tokens as the provider will: OpenAI's tokenizers (`o200k_base` for the
 * GPT-4o, GPT-4.1, GPT-5 and o-series families, `cl100k_base` for GPT-4 and GPT-3.5) through
 * the `gpt-tokenizer` package; for every other model, an estimate of characters ÷ 4, said to be
 * one.
 *
 * @module
 */

/** Characters per token assumed where no tokenizer is known: the usual rule for English text. */
export const CHARS_PER_TOKEN = 4;

/** The tokenizers the kit can count with. */
export type Encoding = "o200k_base" | "cl100k_base";

/** Counts the tokens of text for one model. */
export interface TokenCounter {
  /** The tokenizer counted with, or `null` when the count is characters ÷ 4. */
  readonly encoding: Encoding | null;
  /** The tokens of `text`. */
  count(text: string): number;
}

/**
 * The tokenizer a model uses, from its provider and model id; `null` when the kit does not know
 * it (Anthropic, Gemini and open models publish none that runs here). OpenRouter's `openai/`
 * prefix is read through; Azure deployments are named by their users, so they count only when
 * the deployment is named after its model.
 *
 * @param provider The model's provider (`openai`, `azure`, `openrouter`, …).
 * @param modelId The model id as configured.
 * @returns The encoding, or `null`.
 *
 * @example
 * ```ts
 * import { encodingFor } from "./token_count.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodingFor("openai", "gpt-4o-2024-08-06"), "o200k_base");
 * assert.equal(encodingFor("openrouter", "openai/gpt-4-turbo"), "cl100k_base");
 * assert.equal(encodingFor("anthropic", "claude-sonnet-4-5"), null);
 * ```
 */
export function encodingFor(provider: string, modelId: string): Encoding | null {
  if (!["openai", "azure", "openrouter", "openai-compatible"].includes(provider)) return null;
  const id = modelId.toLowerCase().replace(/^openai\//, "");
  if (/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss)/.test(id)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|gpt-35)/.test(id)) return "cl100k_base";
  return null;
}

/**
 * A counter for a model: its tokenizer where `encodingFor` knows one (loaded on first use: the
 * tables take a moment to read), else characters ÷ 4.
 *
 * @param provider The model's provider.
 * @param modelId The model id.
 * @returns The counter.
 *
 * @example
 * ```ts
 * import { tokenCounter } from "./token_count.ts";
 * import assert from "node:assert/strict";
 *
 * const exact = await tokenCounter("openai", "gpt-4o");
 * assert.equal(exact.encoding, "o200k_base");
 * assert.equal(exact.count("Hello, world!"), 4); // "Hello", ",", " world", "!"
 *
 * const estimate = await tokenCounter("anthropic", "claude-sonnet-4-5");
 * assert.equal(estimate.encoding, null);
 * assert.equal(estimate.count("Hello, world!"), 4); // 13 characters ÷ 4, rounded up
 * ```
 */
export async function tokenCounter(provider: string, modelId: string): Promise<TokenCounter> {
  const encoding = encodingFor(provider, modelId);
  if (encoding === null) return TOKEN_ESTIMATE;
  const tokenizer = encoding === "o200k_base"
    ? await import("gpt-tokenizer/encoding/o200k_base")
    : await import("gpt-tokenizer/encoding/cl100k_base");
  return { encoding, count: (text) => tokenizer.countTokens(text) };
}

/**
 * The counter where no tokenizer is known: characters ÷ `CHARS_PER_TOKEN`, rounded up.
 *
 * @example
 * ```ts
 * import { TOKEN_ESTIMATE } from "./token_count.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TOKEN_ESTIMATE.count("Hello, world!"), 4); // 13 characters ÷ 4, rounded up
 * ```
 */
export const TOKEN_ESTIMATE: TokenCounter = {
  encoding: null,
  count: (text) => Math.ceil(text.length / CHARS_PER_TOKEN),
};
