/**
 * A run stopped because a provider rejected a judge's credentials.
 *
 * @module
 */

import { redact } from "./redact.ts";
import type { ModelConfig } from "./model_config.ts";

/** The variable that holds each provider's key. */
const KEY_VARIABLE: Readonly<Record<string, string>> = {
  openai: "OPENAI_API_KEY",
  azure: "AZURE_OPENAI_API_KEY",
  openrouter: "OPENROUTER_API_KEY",
  anthropic: "ANTHROPIC_API_KEY",
  "openai-compatible": "PRECEPTRON_API_KEY",
};

/**
 * A provider rejected a judge's (or a generation run's candidate's) credentials (HTTP 401 or
 * 403, `invalid_api_key`). That is the run's failure, not the item's: the run stops at the
 * first one, records nothing for it, and a re-run with the key fixed judges (or generates)
 * everything not yet done. What was made before it stays in the ledger.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from "./authentication_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new AuthenticationError(
 *   { name: "gpt", provider: "openai", model_id: "gpt-4o" },
 *   { status: "failed", detail: "HTTP 401: bad key" }, // the failed judgement
 *   { judged: 0 },
 * );
 * assert.match(error.message, /judge "gpt".*HTTP 401.*OPENAI_API_KEY/s);
 * // A generation run's candidate: `done` counts generations.
 * const candidate = new AuthenticationError(
 *   { name: "med42", provider: "openai-compatible", model_id: "med42" },
 *   { status: "failed", detail: "HTTP 403: forbidden" }, // the failed generation
 *   { generated: 3 },
 * );
 * assert.equal(candidate.role, "candidate");
 * assert.match(candidate.message, /candidate "med42".*PRECEPTRON_API_KEY.*3 generation/s);
 * ```
 */
export class AuthenticationError extends Error {
  /** The judge (or candidate) whose key was rejected. */
  readonly judge: string;
  /** Whether it was a judge or a generation run's candidate. */
  readonly role: "judge" | "candidate";
  /** The provider's answer (redacted). */
  readonly detail: string;

  /**
   * Makes the error for a model whose key the provider refused.
   *
   * @param model The judge's (or candidate's) config entry.
   * @param failure The failed judgement (or generation): its `detail` is the provider's answer.
   * @param done What the run recorded before it stopped: `judged` for a judging run,
   *   `generated` for a generation run (whose model is then named a candidate).
   */
  constructor(
    model: ModelConfig,
    failure: { status: string; detail?: string },
    done: { judged: number } | { generated: number },
  ) {
    const detail = redact(failure.status === "failed" ? failure.detail ?? "" : "");
    const role = "generated" in done ? "candidate" : "judge";
    const [made, verb] = "generated" in done
      ? [`${done.generated} generation(s)`, "generates"]
      : [`${done.judged} judgement(s)`, "judges"];
    const variable = KEY_VARIABLE[model.provider];
    const fix = variable === undefined
      ? `fix the ${role}'s credentials`
      : `fix ${variable} (in the environment or the --keys file)`;
    super(redact(
      `${role} "${model.name}" (provider ${model.provider}, model ${model.model_id}): the ` +
        `provider rejected the credentials (${detail}). The run stopped: ${fix}, or the ` +
        "key's access to this model, and run again. Nothing was recorded for the rejected " +
        `request(s), so the re-run ${verb} them; the ${made} made before are kept.`,
    ));
    this.name = "AuthenticationError";
    this.judge = model.name;
    this.role = role;
    this.detail = detail;
  }
}
