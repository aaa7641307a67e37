/**
 * Keeping credentials out of messages.
 *
 * @module
 */

/** Shapes of common API keys and tokens (OpenAI, Anthropic, OpenRouter, Hugging Face, bearer). */
const KEY_SHAPES = [
  /\bsk-[A-Za-z0-9_\-*]{8,}/g,
  /\bhf_[A-Za-z0-9]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._\-]{8,}/g,
];

/**
 * Replaces the given secrets, and anything shaped like an API key, with `***`.
 *
 * @param text A message that may quote a credential (servers echo masked keys in 401s).
 * @param secrets Known secrets to remove (e.g. the client's API key).
 * @returns The text without them.
 *
 * @example
 * ```ts
 * import { redact } from "./redact.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redact("401 Incorrect API key provided: sk-proj-abc123def456", []),
 *   "401 Incorrect API key provided: ***",
 * );
 * assert.equal(redact("key=s3cr3t-value!", ["s3cr3t-value!"]), "key=***");
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("***");
  }
  for (const shape of KEY_SHAPES) out = out.replace(shape, "***");
  return out;
}
