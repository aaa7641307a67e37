/**
 * What the one redaction point costs: `redact()` on a 680-character judge justification, with two
 * secrets known (one from the environment, one registered), per call; and `redactValue()` on a
 * judgement with that justification (its 13 strings), as each judge and ledger line pays it. Every
 * message, judgement and ledger line leaving the kit passes it, so a batch collect of 52,500
 * replies pays it for each of their strings.
 *
 * Usage: `deno run -A bench/redact_bench.ts`
 *
 * @module
 */

import { redact, redactValue, registerSecret } from "../lib/judge/redact.ts";

Deno.env.set("PRECEPTRON_BENCH_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789");
registerSecret("sk-ant-api03-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210");
const text = "The response lists giant cell arteritis first, then polymyalgia rheumatica; score 4. "
  .repeat(8);
const judgement = {
  status: "scored",
  task: "cpc_bond",
  score: 4,
  justification: text,
  raw: JSON.stringify({ score: 4, justification: text }),
  attempts: 1,
  latency_ms: 210,
  usage: { input_tokens: 900, output_tokens: 120 },
  provenance: {
    judge: "openai:gpt-4o",
    provider: "openai",
    model: "gpt-4o",
    parameters: { temperature: 0 },
    prompt_version: "1",
    prompt_hash: "ab12",
    output_mode: "json_schema",
    request_id: "req_0123456789",
    system_fingerprint: "fp_0123",
  },
  fields: { best_rank: 1, note: "ranked first" },
};
const calls = 5000;

/** Microseconds per call of `f`, after one warm-up call. */
function perCall(f: () => unknown): number {
  f();
  const started = performance.now();
  for (let i = 0; i < calls; i++) f();
  return (performance.now() - started) / calls * 1000;
}

const env = Object.keys(Deno.env.toObject()).length;
console.log("the redaction point per call (SYNTHETIC text)");
console.table([
  { call: "redact(justification)", characters: text.length, "µs per call": 0 },
  {
    call: "redactValue(judgement)",
    characters: JSON.stringify(judgement).length,
    "µs per call": 0,
  },
].map((row, i) => ({
  ...row,
  "environment variables": env,
  calls,
  "µs per call": Math.round(
    perCall(i === 0 ? () => redact(text) : () => redactValue(judgement)),
  ),
})));
