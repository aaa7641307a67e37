import assert from "node:assert/strict";
import { routeByRules } from "./router.ts";

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
