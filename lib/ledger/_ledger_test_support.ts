/**
 * Provenance for the tests of the ledgers and of what reads them: what a judge, or a candidate
 * that generated a response, records of itself.
 *
 * @module
 */

import type { Provenance } from "../judge/judgement.ts";
import type { GenerationProvenance } from "./_ledger_formats.ts";

const settings = {
  parameters: { temperature: 0 },
  prompt_version: "1",
  prompt_hash: "ab".repeat(32),
};

/** The provenance of a judgement by `provider:model`, as its judge records it. */
export function judgeProvenance(provider: string, model: string): Provenance {
  const output_mode = provider === "anthropic" ? "tool_call" : "json_schema";
  return { judge: `${provider}:${model}`, provider, model, ...settings, output_mode };
}

/** The provenance of a generation by a candidate served under its own name. */
export function generationProvenance(candidate: string): GenerationProvenance {
  return { candidate, provider: "openai-compatible", model: candidate, ...settings };
}
