import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { routeByRules, routeWithLLM } from "./router.ts";

const differential = "1. Pheochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome";
const reflection =
  "The most likely diagnosis is pheochromocytoma because of episodic hypertension, " +
  "headache and sweating. Supporting findings include palpitations; opposing, a normal TSH.\n" +
  "Next steps: plasma free metanephrines, then adrenal CT.";
const context = {
  case_vignette: "A 45-year-old with episodic headache, sweating and palpitations.",
  question_text: "Give your differential and next steps.",
};

Deno.test("routeByRules() sends a bare differential with a final diagnosis to cpc_bond", () => {
  const routing = routeByRules({ response: differential, final_diagnosis: "Pheochromocytoma" });
  assert.deepEqual(routing.tasks, ["cpc_bond"]);
  assert.equal(routing.method, "rules");
  const skipped = Object.fromEntries(routing.skipped.map((s) => [s.task, s.missing]));
  assert.deepEqual(skipped.cpc_management, ["test_plan"]);
  assert.deepEqual(skipped.management_reasoning, ["case_vignette", "question_text", "rubric"]);
  assert.deepEqual(skipped.bi_triage, []);
});

Deno.test("routeByRules() routes by the inputs present and the response's shape", () => {
  assert.deepEqual(routeByRules({ response: "CT abdomen", test_plan: "Adrenal CT" }).tasks, [
    "cpc_management",
  ]);
  assert.deepEqual(
    routeByRules({ response: reflection, question_text: "Evaluate this consult." }).tasks,
    ["r_idea"],
  );
  const full = { ...context, final_diagnosis: "Pheochromocytoma" };
  assert.deepEqual(routeByRules({ response: reflection, ...full }).tasks, ["diagnostic_reasoning"]);
  assert.deepEqual(routeByRules({ response: differential, ...full }).tasks, ["cpc_bond"]);
  assert.deepEqual(
    routeByRules({ response: reflection, ...context, rubric: { items: [{ id: "a", points: 1 }] } })
      .tasks,
    ["management_reasoning"],
  );
  assert.deepEqual(
    routeByRules({ response: reflection, ...full, test_plan: "Plasma metanephrines" }).tasks,
    ["diagnostic_reasoning", "cpc_management"],
  );
});

Deno.test("routeByRules() chooses nothing when no task has its inputs", () => {
  const routing = routeByRules({ response: differential });
  assert.deepEqual(routing.tasks, []);
  assert.equal(routing.skipped.length, 6);
});

Deno.test("routeWithLLM() asks an OpenAI or an Anthropic client, retrying a 503, and reads either reply", async () => {
  await using server = startScriptedServer({
    faults: [{ kind: "server_error", status: 503, times: 2 }],
  });
  const clients = [
    new OpenAI({ apiKey: "unused", baseURL: server.baseURL, maxRetries: 0 }),
    new Anthropic({ apiKey: "unused", baseURL: server.anthropicBaseURL, maxRetries: 0 }),
  ];
  for (const client of clients) {
    const routed = await routeWithLLM(client, "scripted", {
      ...context,
      response: reflection,
      final_diagnosis: "Pheochromocytoma",
    });
    assert.equal(routed.method, "llm");
    assert.ok(routed.tasks.length >= 1, client.constructor.name);
  }
  assert.equal(server.counts.byStatus[503], 2, "the first client's two 503s were retried");
});
