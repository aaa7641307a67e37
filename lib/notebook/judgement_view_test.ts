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
