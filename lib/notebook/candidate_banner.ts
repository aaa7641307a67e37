/**
 * The banner that says which candidate model a Brodeur-style notebook runs.
 *
 * @module
 */

import { displayUrl } from "../judge/redact.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { type Banner, banner } from "./banner.ts";

/**
 * Says whether the candidate is a real model server or the scripted stand-in, and how to run a
 * real one. Never shows a key.
 *
 * @param candidate The candidate's `models:` entry (from `chooseCandidate`).
 * @param standIn Whether it is the scripted stand-in (`chooseCandidate().standIn` is set).
 * @returns A warning for the stand-in, a note for a real server.
 *
 * @example
 * ```ts
 * import { candidateBanner } from "./candidate_banner.ts";
 * import assert from "node:assert/strict";
 *
 * const entry = { name: "scripted-candidate", provider: "openai-compatible", model_id: "scripted-candidate" };
 * assert.match(String(candidateBanner(entry, true)), /Scripted stand-in candidate\./);
 * ```
 */
export function candidateBanner(candidate: ModelConfig, standIn: boolean): Banner {
  if (standIn) {
    return banner(
      "Scripted stand-in candidate.",
      "No candidate model server is configured, so the kit's scripted server on 127.0.0.1 " +
        "answers the cases: it is not a model, its responses are assembled from the case text " +
        "and cannot know the diagnosis, so judges will score it low. Serve a model with an " +
        "OpenAI-compatible API (e.g. vLLM: vllm serve m42-health/Llama3-Med42-8B) and set " +
        "PRECEPTRON_CANDIDATE_BASE_URL (and PRECEPTRON_CANDIDATE_MODEL) to run the real experiment.",
    );
  }
  return banner(
    "Candidate model:",
    `${candidate.model_id} at ${
      candidate.base_url === undefined ? candidate.provider : displayUrl(candidate.base_url)
    }.`,
    "note",
  );
}
