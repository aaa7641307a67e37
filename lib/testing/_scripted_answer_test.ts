import assert from "node:assert/strict";
import { TASK_KEYS } from "../data/task_key.ts";
import { generationPrompt } from "../tasks/generation_prompt.ts";
import { getTask } from "../tasks/tasks.ts";
import { readPrompt, scriptedAnswer, scriptedGeneration } from "./_scripted_answer.ts";

const VIGNETTE = "A 43-year-old woman was evaluated because of crampy abdominal pain. Notable " +
  "findings included abdominal distension, prior abdominal surgery and bilious vomiting.";

Deno.test("readPrompt() tells a generation prompt from judge and plain prompts", () => {
  const generation = generationPrompt("management_reasoning", {
    case_vignette: VIGNETTE,
    question_text: "How would you manage her?",
  });
  assert.deepEqual(readPrompt(generation.system, generation.user), {
    kind: "generation",
    task: "management_reasoning",
    case_vignette: VIGNETTE,
    question_text: "How would you manage her?",
  });
  const judge = getTask("cpc_bond").prompt({ response: "1. Gout", final_diagnosis: "Gout" });
  assert.equal(readPrompt(judge.system, judge.user).kind, "judge");
  assert.equal(readPrompt("You are a clinician.", "Give your differential.").kind, "text");
});

Deno.test("scriptedGeneration() answers in each task's shape, the same way every time", () => {
  const shapes: Record<string, RegExp> = {
    cpc_bond: /^Differential diagnosis:\n(\d\. .+\n){4}5\. .+$/,
    bi_triage: /^1\. .+\n2\. .+\n3\. .+$/,
    cpc_management: /^Next diagnostic tests:\n1\. .+\n2\. .+\n3\. .+$/,
    r_idea:
      /^Summary: A 43-year-old woman .+\nMost likely diagnosis: .+, because .+\nAlternatives considered: .+\.$/,
    diagnostic_reasoning:
      /^Differential diagnosis:\n1\. .+\n {3}Supporting: abdominal distension\n {3}Opposing: .+\n(.+\n){6}Final diagnosis: .+\nNext diagnostic steps:\n1\. .+\n2\. .+$/,
    management_reasoning: /^(- .+\.\n){3}- .+\.$/,
  };
  for (const task of TASK_KEYS) {
    const text = scriptedGeneration(task, VIGNETTE, 3);
    assert.match(text, shapes[task]!, task);
    assert.equal(scriptedGeneration(task, VIGNETTE, 3), text);
  }
  // Another case (or seed) gets another answer.
  assert.notEqual(
    scriptedGeneration("cpc_bond", VIGNETTE, 3),
    scriptedGeneration("cpc_bond", VIGNETTE + " Fever.", 3),
  );
});

Deno.test("scriptedAnswer() spoils a generation with the empty and refusal faults", () => {
  const prompt = {
    kind: "generation" as const,
    task: "cpc_bond" as const,
    case_vignette: VIGNETTE,
    question_text: "",
  };
  assert.deepEqual(scriptedAnswer(prompt, 0, "empty_reply", false), { kind: "text", text: "" });
  assert.equal(scriptedAnswer(prompt, 0, "refusal", false).kind, "text");
  const good = scriptedAnswer(prompt, 0, undefined, false);
  assert.ok(good.kind === "text" && good.text.startsWith("Differential diagnosis:\n1. "));
});
