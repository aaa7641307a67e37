/**
 * The judge a benchmark uses when none is configured: the environment's provider, or the
 * offline lexical baseline.
 *
 * @module
 */

import { envKeys, providerFromEnv } from "./providers.ts";
import type { ModelConfig } from "./model_config.ts";

/**
 * A `models:` entry for the judge configured in the environment (see `providerFromEnv`), or
 * for the offline lexical baseline when no provider is configured — so a notebook's "run the
 * judge" cell works with or without an API key.
 *
 * @param keys The environment (default: the process's).
 * @returns The model entry; its `name` names the ledger files.
 *
 * @example
 * ```ts
 * import { defaultJudgeConfig } from "./default_judge_config.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(defaultJudgeConfig({}), { name: "lexical-baseline", provider: "offline", model_id: "lexical" });
 * assert.deepEqual(defaultJudgeConfig({ PRECEPTRON_BASE_URL: "http://127.0.0.1:8000/v1", PRECEPTRON_MODEL: "med42" }), {
 *   name: "med42",
 *   provider: "openai-compatible",
 *   model_id: "med42",
 *   base_url: "http://127.0.0.1:8000/v1",
 * });
 * ```
 */
export function defaultJudgeConfig(
  keys: Readonly<Record<string, string | undefined>> = envKeys(),
): ModelConfig {
  const { entry } = providerFromEnv(keys);
  if (!entry) return { name: "lexical-baseline", provider: "offline", model_id: "lexical" };
  return {
    // A file-name-safe name: ledgers are named after it.
    name: entry.model_id.replace(/[^A-Za-z0-9._-]+/g, "-"),
    provider: entry.provider,
    model_id: entry.model_id,
    ...(entry.base_url === undefined ? {} : { base_url: entry.base_url }),
  };
}
