/**
 * `chooseCandidate()`: the model a Brodeur-style experiment runs over the cases — the one the
 * environment names, or a stand-in the caller passes when none is.
 *
 * @module
 */

import { envKeys } from "../judge/providers.ts";
import type { ModelConfig } from "../judge/model_config.ts";

/** The candidate of a published experiment: Med42-v2 (Llama 3 8B) served by vLLM. */
export const DEFAULT_CANDIDATE_MODEL = "m42-health/Llama3-Med42-8B";

/**
 * A running server that stands in for a candidate model, such as `startScriptedServer()` from
 * `preceptron/testing`.
 */
export interface StandInServer {
  /** Its OpenAI-compatible base URL, `http://127.0.0.1:PORT/v1`. */
  readonly baseURL: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Options of {@linkcode chooseCandidate}. */
export interface CandidateOptions {
  /**
   * Starts the stand-in when the environment names no candidate: pass `startScriptedServer`
   * from `preceptron/testing` to run the experiment offline. Not called when it names one.
   */
  standIn?: () => StandInServer;
  /** The environment (default: the process's). */
  keys?: Readonly<Record<string, string | undefined>>;
}

/** The candidate to generate with, and the stand-in server when there is one. */
export interface CandidateChoice {
  /** A `models:` entry for `generateResponses`. */
  candidate: ModelConfig;
  /**
   * The stand-in server answering for a model, when the environment names none. The scripted
   * one is not a model: its answers are put together from the case text and cannot know the
   * diagnosis. Close it when done.
   */
  standIn?: StandInServer;
}

/**
 * The candidate model from the environment: `PRECEPTRON_CANDIDATE_BASE_URL` (an OpenAI-compatible
 * server such as vLLM, `http://localhost:8000/v1`) and `PRECEPTRON_CANDIDATE_MODEL` (default
 * `DEFAULT_CANDIDATE_MODEL`); a server that needs a key reads `PRECEPTRON_API_KEY`. Without a
 * base URL the candidate is the stand-in the caller passes (`options.standIn`, started here), so
 * the experiment runs offline — say so wherever its results are shown (`candidateBanner`).
 *
 * @param options The stand-in to start when the environment names no candidate, and the
 *   environment.
 * @returns The candidate, and the stand-in server to close when one was started.
 * @throws {Error} When `PRECEPTRON_CANDIDATE_BASE_URL` is not an http(s) URL, or is not set and
 *   no stand-in was passed.
 *
 * @example
 * ```ts
 * import { chooseCandidate } from "./candidate_model.ts";
 * import { startScriptedServer } from "../testing/scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * const { candidate, standIn } = chooseCandidate({
 *   keys: { PRECEPTRON_CANDIDATE_BASE_URL: "http://127.0.0.1:8000/v1" },
 * });
 * assert.equal(standIn, undefined);
 * assert.equal(candidate.model_id, "m42-health/Llama3-Med42-8B");
 * assert.equal(candidate.name, "Llama3-Med42-8B");
 *
 * const offline = chooseCandidate({ standIn: startScriptedServer, keys: {} });
 * assert.equal(offline.candidate.name, "scripted-candidate");
 * await offline.standIn?.close();
 * ```
 */
export function chooseCandidate(options: CandidateOptions = {}): CandidateChoice {
  const keys = options.keys ?? envKeys();
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
  if (options.standIn === undefined) {
    throw new Error(
      "No candidate model: set PRECEPTRON_CANDIDATE_BASE_URL (and PRECEPTRON_CANDIDATE_MODEL) to " +
        "an OpenAI-compatible server, or pass a stand-in to run offline: " +
        'chooseCandidate({ standIn: startScriptedServer }), from "preceptron/testing"',
    );
  }
  const standIn = options.standIn();
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
