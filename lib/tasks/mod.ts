/**
 * The six scoring tasks: inputs, scales, judge prompts and reply parsing; and the prompt a
 * candidate model is asked a case with (`generationPrompt`).
 *
 * ```ts
 * import { getTask, parseReply } from "./mod.ts";
 *
 * const bond = getTask("cpc_bond");
 * const { system, user } = bond.prompt({ response: "1. Pheo", final_diagnosis: "Pheochromocytoma" });
 * parseReply('{"score": 5, "justification": "Exact."}', bond.scale({ response: "" }));
 * ```
 *
 * @module
 */

export * from "./bi_triage.ts";
export * from "./cpc_bond.ts";
export * from "./cpc_management.ts";
export * from "./diagnostic_reasoning.ts";
export * from "./generation_prompt.ts";
export * from "./management_reasoning.ts";
export * from "./parse_reply.ts";
export * from "./r_idea.ts";
export * from "./scale.ts";
export * from "./task.ts";
export { type InputFields, taskInputs } from "./task_inputs.ts";
export * from "./tasks.ts";
