import assert from "node:assert/strict";
import { CHARS_PER_TOKEN, encodingFor, tokenCounter } from "./token_count.ts";

// Counts recorded with js-tiktoken 1.0.21 (a separate port of OpenAI's tiktoken, with OpenAI's
// own rank files), not with the package under test.
const FIXTURES: [text: string, o200k: number, cl100k: number][] = [
  ["Hello, world!", 4, 4],
  ["62M w/ HTN, DM2 p/w acute-onset SOB & pleuritic CP; D-dimer ↑, CTPA: segmental PE.", 34, 35],
  ["Differential: 1) Takotsubo cardiomyopathy 2) STEMI 3) myocarditis — Bond 4/5?", 29, 30],
  [
    "<response>\nEmpiric ceftriaxone 2 g IV q24h + azithromycin 500 mg; CURB-65 = 2.\n</response>",
    36,
    39,
  ],
];

Deno.test("tokenCounter() counts clinical text exactly as tiktoken does, in both encodings", async () => {
  const o200k = await tokenCounter("openai", "gpt-4o");
  const cl100k = await tokenCounter("openai", "gpt-4-0613");
  assert.equal(cl100k.encoding, "cl100k_base");
  for (const [text, a, b] of FIXTURES) {
    assert.equal(o200k.count(text), a, text);
    assert.equal(cl100k.count(text), b, text);
  }
});

Deno.test("encodingFor() knows the OpenAI families and says null for the rest", () => {
  const expected: Record<string, string | null> = {
    "openai gpt-4o-mini": "o200k_base",
    "openai o3-mini": "o200k_base",
    "openai gpt-5": "o200k_base",
    "azure gpt-4.1": "o200k_base",
    "openrouter openai/o1-preview": "o200k_base",
    "openai gpt-4-turbo": "cl100k_base",
    "openai gpt-3.5-turbo": "cl100k_base",
    "anthropic claude-3-5-sonnet-latest": null,
    "openrouter meta-llama/llama-3.1-405b-instruct": null,
    "openai-compatible m42-health/Llama3-Med42-8B": null,
    "offline lexical": null,
  };
  for (const [providerModel, encoding] of Object.entries(expected)) {
    const [provider, model] = providerModel.split(" ") as [string, string];
    assert.equal(encodingFor(provider, model), encoding, providerModel);
  }
});

Deno.test("tokenCounter() estimates characters ÷ 4 where no tokenizer is known", async () => {
  const counter = await tokenCounter("anthropic", "claude-opus-4");
  assert.equal(counter.encoding, null);
  assert.equal(counter.count(""), 0);
  assert.equal(counter.count("a".repeat(9)), Math.ceil(9 / CHARS_PER_TOKEN));
});
