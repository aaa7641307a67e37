/**
 * `chooseCandidate()`: the model a Brodeur-style experiment runs over the cases — the one the
 * environment names, or the scripted stand-in when none is.
 *
 * @module
 */

import { envKeys } from "../judge/providers.ts";
import { type ScriptedServer, startScriptedServer } from "../testing/scripted_server.ts";
import type { ModelConfig } from "./config.ts";

/** The candidate of a published experiment: Med42-v2 (Llama 3 8B) served by vLLM. */
export const DEFAULT_CANDIDATE_MODEL = "m42-health/Llama3-Med42-8B";

/** The candidate to generate with, and the stand-in server when there is one. */
export interface CandidateChoice {
  /** A `models:` entry for `generateResponses`. */
  candidate: ModelConfig;
  /**
   * The scripted server standing in for a model, when the environment names none. It is not a
   * model: its answers are put together from the case text and cannot know the diagnosis. Close
   * it when done.
   */
  standIn?: ScriptedServer;
}

/**
 * The candidate model from the environment: `PRECEPTRON_CANDIDATE_BASE_URL` (an OpenAI-compatible
 * server such as vLLM, `http://localhost:8000/v1`) and `PRECEPTRON_CANDIDATE_MODEL` (default
 * `DEFAULT_CANDIDATE_MODEL`); a server that needs a key reads `PRECEPTRON_API_KEY`. Without a
 * base URL the candidate is the kit's scripted server on 127.0.0.1, started here, so the
 * experiment runs offline — say so wherever its results are shown (`candidateBanner`).
 *
 * @param keys The environment (default: the process's).
 * @returns The candidate, and the stand-in server to close when one was started.
 * @throws {Error} When `PRECEPTRON_CANDIDATE_BASE_URL` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { chooseCandidate } from "./candidate_model.ts";
 * import assert from "node:assert/strict";
 *
 * const { candidate, standIn } = chooseCandidate({
 *   PRECEPTRON_CANDIDATE_BASE_URL: "http://127.0.0.1:8000/v1",
 * });
 * assert.equal(standIn, undefined);
 * assert.equal(candidate.model_id, "m42-health/Llama3-Med42-8B");
 * assert.equal(candidate.name, "Llama3-Med42-8B");
 *
 * const offline = chooseCandidate({});
 * assert.equal(offline.candidate.name, "scripted-candidate");
 * await offline.standIn?.close();
 * ```
 */
export function chooseCandidate(
  keys: Readonly<Record<string, string | undefined>> = envKeys(),
): CandidateChoice {
  const baseURL = keys.PRECEPTRON_CANDIDATE_BASE_URL?.trim();
  if (baseURL) {
    if (!/^https?:\/\//i.test(baseURL)) {
      throw new Error(
        `PRECEPTRON_CANDIDATE_BASE_URL must be an http(s) URL such as http://localhost:8000/v1, ` +
          `got ${JSON.stringify(baseURL)}`,
      );
    }
    const model = keys.PRECEPTRON_CANDIDATE_MODEL?.trim() || DEFAULT_CANDIDATE_MODEL;
    return {
      candidate: {
        // Ledgers and figure labels are named after it: the model's own name, file-name safe.
        name: (model.split("/").pop() ?? model).replace(/[^A-Za-z0-9._-]+/g, "-"),
        provider: "openai-compatible",
        model_id: model,
        base_url: baseURL,
      },
    };
  }
  const standIn = startScriptedServer();
  return {
    candidate: {
      name: "scripted-candidate",
      provider: "openai-compatible",
      model_id: "scripted-candidate",
      base_url: standIn.baseURL,
    },
    standIn,
  };
}
