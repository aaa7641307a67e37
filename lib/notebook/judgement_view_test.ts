import assert from "node:assert/strict";
import { lexicalJudge } from "../judge/baseline_judge.ts";
import { score } from "../judge/score.ts";
import { showJudgement } from "./judgement_view.ts";

Deno.test("showJudgement() tabulates a judgement with its score, reasons and judge", async () => {
  const result = await score({
    task: "cpc_bond",
    response: "1. Pheochromocytoma <b>",
    final_diagnosis: "Pheochromocytoma",
    judge: lexicalJudge(),
  });
  const bundle = showJudgement(result).displayBundle();
  assert.match(bundle["text/html"]!, /<td>cpc_bond<\/td><td><strong>5<\/strong><\/td>/);
  assert.match(bundle["text/html"]!, /baseline:lexical<\/td><td>rules<\/td><td>–<\/td>/);
  assert.doesNotMatch(bundle["text/html"]!, /<b>/, "response text is escaped");
  assert.match(bundle["text/plain"]!, /^cpc_bond: 5 — /);
});

Deno.test("showJudgement() of a routed result says what the router chose and skipped", async () => {
  const routed = await score({
    response: "1. Gout\n2. Pseudogout",
    final_diagnosis: "Gout",
    judge: lexicalJudge(),
  });
  const text = String(showJudgement(routed));
  assert.match(
    text,
    /^Router \(rules\) chose cpc_bond; skipped .*cpc_management \(missing test_plan\)/,
  );
  assert.match(text, /\ncpc_bond: 5 — /);
});

Deno.test("showJudgement() never shows a key or URL credentials, even in a hand-made result", () => {
  const key = "sk-proj-ViewLeak4Probe9Zz81Qm";
  const failed = {
    task: "cpc_bond" as const,
    status: "failed" as const,
    reason: "request_rejected" as const,
    detail: `401 Incorrect API key provided: ${key} at https://u:pw-view-123@h.example/v1?sig=abc`,
    raw: `{"error": "${key}"}`,
    provenance: {
      judge: "openai:gpt-4o",
      provider: "openai",
      model: "gpt-4o",
      parameters: {},
      prompt_version: "1",
      prompt_hash: "",
      output_mode: "json_schema" as const,
    },
    attempts: 1,
    latency_ms: 1,
  };
  const routed = {
    router: {
      tasks: ["cpc_bond" as const],
      skipped: [],
      method: "rules" as const,
      note: `the LLM router failed (Bearer ${key}); the rules decided`,
    },
    results: { cpc_bond: failed },
  };
  for (const view of [showJudgement(failed), showJudgement(routed)]) {
    const shown = String(view) + JSON.stringify(view.displayBundle());
    assert.doesNotMatch(shown, /ViewLeak|pw-view-123|sig=abc/);
  }
});
