/**
 * What the one redaction point costs: `redact()` on a 680-character judge justification, with two
 * secrets known (one from the environment, one registered), per call. Every message, judgement
 * and ledger line leaving the kit passes it, so a batch collect of 52,500 replies pays it for
 * each of their strings.
 *
 * Usage: `deno run -A bench/redact_bench.ts`
 *
 * @module
 */

import { redact, registerSecret } from "../lib/judge/redact.ts";

Deno.env.set("PRECEPTRON_BENCH_API_KEY", "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789");
registerSecret("sk-ant-api03-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210");
const text = "The response lists giant cell arteritis first, then polymyalgia rheumatica; score 4. "
  .repeat(8);
const calls = 5000;
redact(text); // warm up
const started = performance.now();
for (let i = 0; i < calls; i++) redact(text);
const micros = (performance.now() - started) / calls * 1000;
console.log("redact() per call (SYNTHETIC text)");
console.table([{
  characters: text.length,
  "environment variables": Object.keys(Deno.env.toObject()).length,
  calls,
  "µs per call": Math.round(micros),
}]);
