import assert from "node:assert/strict";
import { candidateBanner } from "./candidate_banner.ts";

Deno.test("candidateBanner() warns that the stand-in is not a model, and says how to run one", () => {
  const banner = candidateBanner(
    { name: "scripted-candidate", provider: "openai-compatible", model_id: "scripted-candidate" },
    true,
  );
  assert.equal(banner.tone, "warning");
  assert.match(String(banner), /it is not a model.*PRECEPTRON_CANDIDATE_BASE_URL/);
});

Deno.test("candidateBanner() names a real candidate's model and server", () => {
  const banner = candidateBanner({
    name: "Llama3-Med42-8B",
    provider: "openai-compatible",
    model_id: "m42-health/Llama3-Med42-8B",
    base_url: "http://localhost:8000/v1",
  }, false);
  assert.equal(banner.tone, "note");
  assert.equal(
    String(banner),
    "ℹ Candidate model: m42-health/Llama3-Med42-8B at http://localhost:8000/v1.",
  );
});

Deno.test("candidateBanner() shows a server's origin and path, never its credentials", () => {
  for (
    const base_url of [
      "http://alice:Hunter2-pass-xyz@localhost:8000/v1",
      "https://gateway.example/v1?api_key=Hunter2-pass-xyz",
      "https://gateway.example/v1#Hunter2-pass-xyz",
    ]
  ) {
    const banner = candidateBanner(
      { name: "m", provider: "openai-compatible", model_id: "m", base_url },
      false,
    );
    const shown = String(banner) + JSON.stringify(banner.displayBundle());
    assert.doesNotMatch(shown, /Hunter2|alice/, base_url);
    assert.match(String(banner), /^ℹ Candidate model: m at https?:\/\/[a-z.]+(:8000)?\/v1\.$/);
  }
});
