/**
 * The banner that says which judge a notebook is using.
 *
 * @module
 */

import type { Judge } from "../judge/judge.ts";
import type { ModelConfig } from "../judge/model_config.ts";
import { type Banner, banner } from "./banner.ts";

/**
 * Says whether the judge is the offline lexical baseline (no provider configured) or an LLM,
 * and how to switch. Never shows a key.
 *
 * @param judge The judge in use, or the `models:` entry a benchmark will build it from (as
 *   `defaultJudgeConfig()` gives).
 * @returns A warning for the offline baseline, a note for an LLM judge.
 *
 * @example
 * ```ts
 * import { judgeBanner } from "./judge_banner.ts";
 * import assert from "node:assert/strict";
 *
 * const offline = { id: "baseline:lexical", provider: "offline", model: "lexical-v1", judge: () => Promise.reject() };
 * assert.match(String(judgeBanner(offline)), /Offline baseline judge\./);
 * const entry = { name: "gpt-4o", provider: "openai", model_id: "gpt-4o" };
 * assert.match(String(judgeBanner(entry)), /LLM judge: gpt-4o via openai/);
 * ```
 */
export function judgeBanner(judge: Judge | ModelConfig): Banner {
  if ("model_id" in judge) {
    const id = `${judge.provider}:${judge.model_id}`;
    return judgeBanner(
      judge.provider === "offline"
        ? {
          id: `baseline:${judge.model_id}`,
          provider: "offline",
          model: judge.model_id,
          judge: none,
        }
        : { id, provider: judge.provider, model: judge.model_id, judge: none },
    );
  }
  if (judge.provider === "offline") {
    return banner(
      "Offline baseline judge.",
      `No LLM provider is configured, so ${judge.id} scores by documented string-matching rules: ` +
        "a floor that any LLM judge must beat, not an LLM's judgement. Set OPENAI_API_KEY (or " +
        "ANTHROPIC_API_KEY, OPENROUTER_API_KEY, the AZURE_OPENAI_* variables, or " +
        "PRECEPTRON_BASE_URL for a local server) and rerun to use an LLM.",
    );
  }
  return banner("LLM judge:", `${judge.model} via ${judge.provider} (${judge.id}).`, "note");
}

/** A judge that is only described, never called. */
function none(): never {
  throw new Error("judgeBanner(): a banner's judge is not called");
}
