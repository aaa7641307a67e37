import assert from "node:assert/strict";
import { lexicalJudge } from "../judge/baseline_judge.ts";
import { judgeFor } from "../judge/providers.ts";
import { judgeBanner } from "./judge_banner.ts";

Deno.test("judgeBanner() warns about the offline baseline and names the variables to set", () => {
  const banner = judgeBanner(lexicalJudge());
  assert.equal(banner.tone, "warning");
  assert.match(String(banner), /Offline baseline judge\. .*OPENAI_API_KEY .*PRECEPTRON_BASE_URL/);
});

Deno.test("judgeBanner() names an LLM judge's model and provider, never its key", () => {
  const key = "sk-test-banner-0123456789";
  const judge = judgeFor({ provider: "openai", model_id: "gpt-4o" }, {}, { OPENAI_API_KEY: key });
  const banner = judgeBanner(judge);
  assert.equal(banner.tone, "note");
  assert.equal(String(banner), "ℹ LLM judge: gpt-4o via openai (openai:gpt-4o).");
  assert.doesNotMatch(JSON.stringify(banner.displayBundle()), /sk-test-banner/);
});

Deno.test("judgeBanner() describes a models: entry the same way as the judge built from it", () => {
  const offline = judgeBanner({
    name: "lexical-baseline",
    provider: "offline",
    model_id: "lexical",
  });
  assert.equal(offline.tone, "warning");
  assert.match(String(offline), /Offline baseline judge\. .*baseline:lexical scores/);
  const llm = judgeBanner({
    name: "med42",
    provider: "openai-compatible",
    model_id: "med42",
    base_url: "http://127.0.0.1:8000/v1",
  });
  assert.equal(String(llm), "ℹ LLM judge: med42 via openai-compatible (openai-compatible:med42).");
});
