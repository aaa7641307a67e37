/**
 * A run stopped because a provider rejected a judge's credentials.
 *
 * @module
 */

import type { Judgement } from "../judge/judgement.ts";
import { redact } from "../judge/redact.ts";
import type { ModelConfig } from "./config.ts";

/** The variable that holds each provider's key. */
const KEY_VARIABLE: Readonly<Record<string, string>> = {
  openai: "OPENAI_API_KEY",
  azure: "AZURE_OPENAI_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  "openai-compatible": "PRECEPTRON_API_KEY",
};

/**
 * A provider rejected a judge's credentials (HTTP 401 or 403, `invalid_api_key`). That is the
 * run's failure, not the item's: the run stops at the first one, records nothing for it, and a
 * re-run with the key fixed judges everything not yet judged. Judgements made before it stay in
 * the ledger (`summary`).
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "./authentication_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new AuthenticationError(
 *   { name: "gpt", provider: "openai", model_id: "gpt-4o" },
 *   { status: "failed", reason: "request_rejected", detail: "HTTP 401: bad key", task: "r_idea",
 *     raw: null, attempts: 1, latency_ms: 5, provenance: { judge: "openai:gpt-4o",
 *     provider: "openai", model: "gpt-4o", parameters: {}, prompt_version: "1",
 *     prompt_hash: "ab", output_mode: "json_schema" } },
 *   { judged: 0 },
 * );
 * assert.match(error.message, /judge "gpt".*HTTP 401.*OPENAI_API_KEY/s);
 * ```
 */
export class AuthenticationError extends Error {
  /** The judge whose key was rejected. */
  readonly judge: string;
  /** The provider's answer (redacted). */
  readonly detail: string;

  /**
   * @param model The judge's config entry.
   * @param judgement The failed judgement carrying the provider's answer.
   * @param done What the run recorded before it stopped.
   */
  constructor(model: ModelConfig, judgement: Judgement, done: { judged: number }) {
    const detail = redact(judgement.status === "failed" ? judgement.detail : "");
    const variable = KEY_VARIABLE[model.provider];
    const fix = variable === undefined
      ? "fix the judge's credentials"
      : `fix ${variable} (in the environment or the --keys file)`;
    super(
      `judge "${model.name}" (provider ${model.provider}, model ${model.model_id}): the ` +
        `provider rejected the credentials (${detail}). The run stopped: ${fix}, or the ` +
        "key's access to this model, and run again. Nothing was recorded for the rejected " +
        `request(s), so the re-run judges them; the ${done.judged} judgement(s) made before ` +
        "are kept.",
    );
    this.name = "AuthenticationError";
    this.judge = model.name;
    this.detail = detail;
  }
}
