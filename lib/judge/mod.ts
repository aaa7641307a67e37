/**
 * Judges: the `Judge` interface; LLM judges over OpenAI-compatible and Anthropic clients; the
 * offline lexical and constant baselines; the router; and `score()`.
 *
 * ```ts
 * import { lexicalJudge, score } from "./mod.ts";
 *
 * await score({
 *   task: "cpc_bond",
 *   response: "1. Pheochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome",
 *   final_diagnosis: "Pheochromocytoma",
 *   judge: lexicalJudge(),
 * });
 * ```
 *
 * @module
 */

export * from "./anthropic_judge.ts";
export * from "./authentication_error.ts";
export * from "./baseline_judge.ts";
export * from "./constant_judge.ts";
export * from "./default_judge_config.ts";
export * from "./judge.ts";
export * from "./judgement.ts";
export * from "./keys_file.ts";
export * from "./model_config.ts";
export * from "./openai_judge.ts";
export * from "./providers.ts";
export * from "./redact.ts";
export * from "./retry.ts";
export * from "./router.ts";
export * from "./score.ts";
export {
  CHARS_PER_TOKEN,
  type Encoding,
  encodingFor,
  TOKEN_ESTIMATE,
  type TokenCounter,
  tokenCounter,
} from "./token_count.ts";
