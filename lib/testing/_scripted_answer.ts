/**
 * What the scripted server answers: a judge's grading, a router's choice of tasks, or a plain
 * text answer, each a deterministic function of the prompt and the server's seed.
 *
 * The grading is deliberately simple but not random: a score rises with how many key words of
 * the reference (the final diagnosis, the test actually done, the rubric's items) the response
 * contains, plus seeded noise, and is then placed on the task's own scale. Dry runs therefore
 * show a judge that agrees with physicians somewhat — neither perfectly nor by chance.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { TASK_KEYS, type TaskKey } from "../data/task_key.ts";
import { readFences } from "../tasks/_prompt.ts";
import type { ScoreScale } from "../tasks/scale.ts";
import type { InputName, Task, TaskInputs } from "../tasks/task.ts";
import { getTask, missingInputs } from "../tasks/tasks.ts";
import type { ContentFault } from "./_faults.ts";

/**
 * The phrase that marks a router's system prompt (case-insensitive): the scripted server answers
 * such a prompt with `{"tasks": [...]}`, choosing every task whose required inputs the user
 * message holds.
 *
 * @example
 * ```ts
 * import { ROUTER_MARKER, startScriptedServer } from "./scripted_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = startScriptedServer();
 * const response = await fetch(`${server.baseURL}/chat/completions`, {
 *   method: "POST",
 *   body: JSON.stringify({
 *     model: "scripted",
 *     response_format: { type: "json_object" },
 *     messages: [
 *       { role: "system", content: `${ROUTER_MARKER}: pick the tasks.` },
 *       { role: "user", content: "<response>\n1. Gout\n</response>\n<final_diagnosis>\nGout\n</final_diagnosis>" },
 *     ],
 *   }),
 * });
 * const content = (await response.json()).choices[0].message.content;
 * assert.deepEqual(JSON.parse(content), { tasks: ["cpc_bond"] });
 * ```
 */
export const ROUTER_MARKER = "PrecepTron router";

/**
 * The refusal the `refusal` fault answers with.
 *
 * @example
 * ```ts
 * import { REFUSAL_TEXT } from "./scripted_server.ts";
 * import { parseReply } from "../tasks/parse_reply.ts";
 * import { bondScale } from "../tasks/scale.ts";
 * import assert from "node:assert/strict";
 *
 * const parsed = parseReply(REFUSAL_TEXT, bondScale());
 * assert.equal(parsed.ok ? "scored" : parsed.reason, "refusal");
 * ```
 */
export const REFUSAL_TEXT = "I'm sorry, but I can't help with grading this.";

/** What a request is, read from its prompt. */
export type PromptKind =
  | { kind: "judge"; task: Task; inputs: TaskInputs }
  /** A candidate's generation prompt (`generationPrompt`): the case, and the task it is for. */
  | { kind: "generation"; task: TaskKey; case_vignette: string; question_text: string }
  | { kind: "router"; system: string; user: string }
  | { kind: "text"; user: string };

/** The answer before it is put into a provider's response shape. */
export type Answer =
  /** A JSON object: a grading or a routing. */
  | { kind: "json"; value: Record<string, unknown>; lead: string }
  /** Plain text, sent as it is whatever the format asked. */
  | { kind: "text"; text: string };

const HEADER = /^PrecepTron judge · task: (\S+) · prompt (\S+)/;
/** The first line of a generation prompt (see `lib/tasks/generation_prompt.ts`). */
const GENERATION_HEADER = /^PrecepTron candidate · task: (\S+) · prompt (\S+)/;

/**
 * Reads what a request asks for: a judge prompt (a PrecepTron header on the first line of the
 * system prompt, or of the user message when there is no system prompt), a candidate's
 * generation prompt (a `PrecepTron candidate · task: <key>` header, likewise), a router prompt
 * (the system prompt contains {@linkcode ROUTER_MARKER}), or anything else.
 *
 * @param system The system prompt ("" when there is none).
 * @param user The last user message.
 */
export function readPrompt(system: string, user: string): PromptKind {
  // Models without a system role get the whole prompt in the user message: look there too.
  const firstLine = (text: string) => text.trimStart().split("\n", 1)[0] ?? "";
  const header = HEADER.exec(firstLine(system)) ?? HEADER.exec(firstLine(user));
  if (header && (TASK_KEYS as readonly string[]).includes(header[1]!)) {
    return { kind: "judge", task: getTask(header[1]!), inputs: readInputs(user) };
  }
  const generation = GENERATION_HEADER.exec(firstLine(system)) ??
    GENERATION_HEADER.exec(firstLine(user));
  if (generation && (TASK_KEYS as readonly string[]).includes(generation[1]!)) {
    const fences = readFences(user);
    return {
      kind: "generation",
      task: generation[1] as TaskKey,
      case_vignette: fences.case_vignette ?? "",
      question_text: fences.question_text ?? "",
    };
  }
  if (system.toLowerCase().includes(ROUTER_MARKER.toLowerCase())) {
    return { kind: "router", system, user };
  }
  return { kind: "text", user };
}

/** The fenced inputs of a judge's user message, with `rubric` parsed when it is JSON. */
function readInputs(user: string): TaskInputs {
  const fences = readFences(user);
  const inputs: TaskInputs = { response: fences.response ?? "" };
  for (const name of ["final_diagnosis", "test_plan", "case_vignette", "question_text"] as const) {
    const value = fences[name];
    if (value !== undefined) inputs[name] = value;
  }
  if (fences.rubric !== undefined) {
    try {
      inputs.rubric = JSON.parse(fences.rubric);
    } catch {
      inputs.rubric = fences.rubric;
    }
  }
  const max = Number(fences.max_score);
  if (fences.max_score !== undefined && Number.isFinite(max)) inputs.max_score = max;
  return inputs;
}

/**
 * The answer to a prompt, spoiled by a content fault when one applies.
 *
 * @param prompt What the request asks for.
 * @param seed The server's seed.
 * @param fault A content fault, or undefined for a good answer.
 * @param wantsJson Whether the request asked for JSON (a JSON mode or a forced tool): a plain
 *   text answer then comes as `{"answer": text}`.
 */
export function scriptedAnswer(
  prompt: PromptKind,
  seed: number,
  fault: ContentFault | undefined,
  wantsJson: boolean,
): Answer {
  if (fault === "empty_reply") return { kind: "text", text: "" };
  if (fault === "refusal") return { kind: "text", text: REFUSAL_TEXT };
  switch (prompt.kind) {
    case "judge": {
      const scale = prompt.task.scale(prompt.inputs);
      const grading = scriptedGrading(prompt.task, prompt.inputs, seed);
      if (fault === "non_json") {
        return {
          kind: "text",
          text: `I would grade this response ${grading.score} out of ${scale.max}: ` +
            grading.justification,
        };
      }
      if (fault === "out_of_range") grading.score = outOfRange(scale);
      if (fault === "missing_field") delete grading.score;
      return { kind: "json", value: grading, lead: "Here is my grading: " };
    }
    case "router": {
      const tasks = scriptedRouting(prompt.system, prompt.user);
      if (fault === "non_json") {
        return { kind: "text", text: `The applicable tasks are ${tasks.join(" and ")}.` };
      }
      if (fault === "out_of_range") return routing(["not_a_task"]);
      if (fault === "missing_field") return routing(undefined);
      return routing(tasks);
    }
    case "generation": {
      const text = scriptedGeneration(prompt.task, prompt.case_vignette, seed);
      return wantsJson
        ? { kind: "json", value: { answer: text }, lead: "" }
        : { kind: "text", text };
    }
    case "text": {
      const text = scriptedText(prompt.user, seed);
      if (fault === "non_json") return { kind: "text", text: text.replace(/\n/g, " ") };
      return wantsJson
        ? { kind: "json", value: { answer: text }, lead: "" }
        : { kind: "text", text };
    }
  }
}

/** A router's reply: bare JSON whatever the format, as router prompts demand nothing else. */
function routing(tasks: string[] | undefined): Answer {
  const value: Record<string, unknown> = tasks === undefined
    ? { reason: "No tasks listed (scripted missing field)." }
    : { tasks };
  return { kind: "json", value, lead: "" };
}

/** A score just off the scale: 1 on the Bond scale (its missing point), else max + 3. */
function outOfRange(scale: ScoreScale): number {
  if (scale.allowed && !scale.allowed.includes(1) && scale.min < 1 && scale.max > 1) return 1;
  return scale.max + 3;
}

/**
 * The scripted judge's grading of one entry: `{ score, justification }` (and `best_rank` for the
 * Bond tasks), the score always on the task's scale for these inputs.
 *
 * @param task The task.
 * @param inputs The entry's inputs, as read from the prompt.
 * @param seed The server's seed.
 */
export function scriptedGrading(
  task: Task,
  inputs: TaskInputs,
  seed: number,
): Record<string, unknown> {
  const scale = task.scale(inputs);
  const { signal, why } = evidence(task, inputs);
  const key = `${task.key}\u0000${inputs.response}`;
  const noise = uniform(seed, "noise", key) - 0.5;
  const quality = Math.min(1, Math.max(0, signal + 0.35 * noise));
  let values = scaleValues(scale);
  // Graders mostly keep to whole points; half points are for borderline cases.
  const whole = values.filter(Number.isInteger);
  if (whole.length > 1 && uniform(seed, "half", key) > 0.15) values = whole;
  const score = values[Math.round(quality * (values.length - 1))] ?? scale.min;
  const grading: Record<string, unknown> = {
    score,
    justification: `Scripted grade (no model): ${why}.`,
  };
  if (task.key === "cpc_bond" || task.key === "bi_triage") {
    grading.best_rank = score === 0 ? null : bestRank(inputs.response, inputs.final_diagnosis);
  }
  return grading;
}

/** Every value a scale allows, in order (empty for a scale without any). */
function scaleValues(scale: ScoreScale): number[] {
  if (scale.allowed) return [...scale.allowed];
  const step = scale.step ?? 1;
  const n = Math.floor((scale.max - scale.min) / step + 1e-9);
  if (!(n >= 0) || n > 10_000) return [scale.min];
  return Array.from({ length: n + 1 }, (_, i) => Number((scale.min + i * step).toFixed(9)));
}

/** How much of the reference the response covers (0–1), and that fact in words. */
function evidence(task: Task, inputs: TaskInputs): { signal: number; why: string } {
  const reference = referenceFor(task, inputs);
  const wanted = [...new Set(contentWords(reference.text))];
  if (wanted.length === 0) return { signal: 0.5, why: `no ${reference.name} to compare with` };
  const have = new Set(contentWords(inputs.response));
  const found = wanted.filter((word) => have.has(word)).length;
  return {
    signal: found / wanted.length,
    why: `${found} of ${wanted.length} key words of the ${reference.name} appear in the response`,
  };
}

/** Markers of structured clinical reasoning, for R-IDEA (which has no reference answer). */
const REASONING_MARKERS = "summary likely differential because alternative consider favor " +
  "against supports explains presentation diagnosis";

function referenceFor(task: Task, inputs: TaskInputs): { name: string; text: string } {
  switch (task.key) {
    case "cpc_bond":
    case "bi_triage":
    case "diagnostic_reasoning":
      return { name: "final diagnosis", text: inputs.final_diagnosis ?? "" };
    case "cpc_management":
      return { name: "test plan", text: inputs.test_plan ?? "" };
    case "management_reasoning":
      return { name: "rubric", text: rubricText(inputs.rubric) };
    case "r_idea":
      return { name: "reasoning markers", text: REASONING_MARKERS };
  }
}

/** The descriptions of a rubric's positive items (or the rubric as text). */
function rubricText(rubric: unknown): string {
  if (typeof rubric === "string") return rubric;
  const items = Array.isArray(rubric)
    ? rubric
    : (rubric as { items?: unknown } | null)?.items ?? [];
  if (!Array.isArray(items)) return JSON.stringify(rubric ?? "");
  return items
    .filter((item) => !(typeof item?.points === "number" && item.points < 0))
    .map((item) => typeof item === "string" ? item : String(item?.description ?? item?.text ?? ""))
    .join(" ");
}

/** The position of the numbered item closest to the final diagnosis, or null if none is numbered. */
function bestRank(response: string, finalDiagnosis = ""): number | null {
  const wanted = new Set(contentWords(finalDiagnosis));
  let best: { rank: number; hits: number } | null = null;
  for (const line of response.split("\n")) {
    const item = /^\s*(\d{1,3})[.):]\s+(.*)$/.exec(line);
    if (!item) continue;
    const hits = contentWords(item[2]!).filter((word) => wanted.has(word)).length;
    if (best === null || hits > best.hits) best = { rank: Number(item[1]), hits };
  }
  return best?.rank ?? null;
}

/**
 * A router's choice: every task whose required inputs the user message holds — as `<name>`
 * fences, `name: value` lines, or a line `Inputs given: name, name, …` — restricted to the task
 * keys the system prompt names, when it names any. Bond and triage need the same inputs, so
 * triage is chosen instead of `cpc_bond` only when the message speaks of triage or the emergency
 * department.
 *
 * @param system The router's system prompt.
 * @param user The router's user message.
 */
export function scriptedRouting(system: string, user: string): string[] {
  const fences = readFences(user);
  const listed = /^\s*inputs(?: given)?\s*:\s*(.*)$/im.exec(user)?.[1]?.split(/[\s,]+/) ?? [];
  const inputs: Partial<TaskInputs> = {};
  for (const name of INPUT_NAMES) {
    const fenced = fences[name];
    const labelled = new RegExp(`^\\s*"?${name}"?\\s*[:=]\\s*(\\S.*)$`, "im").exec(user)?.[1];
    const value = fenced ?? labelled ?? (listed.includes(name) ? "(given)" : undefined);
    if (value !== undefined && value.trim() !== "") inputs[name] = value;
  }
  const named = TASK_KEYS.filter((key) => new RegExp(`\\b${key}\\b`).test(system));
  const offered = named.length > 0 ? named : TASK_KEYS;
  const chosen = offered.filter((key) => missingInputs(getTask(key), inputs).length === 0);
  const triage = /\b(triage|emergency department|ED)\b/.test(user);
  return chosen.filter((key) =>
    !(key === "cpc_bond" && triage && chosen.includes("bi_triage")) &&
    !(key === "bi_triage" && !triage)
  );
}

const INPUT_NAMES: readonly InputName[] = [
  "response",
  "final_diagnosis",
  "test_plan",
  "case_vignette",
  "question_text",
  "rubric",
];

const DIAGNOSES = [
  "Community-acquired pneumonia",
  "Pulmonary embolism",
  "Acute coronary syndrome",
  "Aortic dissection",
  "Sarcoidosis",
  "Tuberculosis",
  "Lymphoma",
  "Systemic lupus erythematosus",
  "Infective endocarditis",
  "Pheochromocytoma",
  "Hyperthyroidism",
  "Diabetic ketoacidosis",
  "Acute pancreatitis",
  "Cholangitis",
  "Giant-cell arteritis",
  "Multiple myeloma",
  "Hemophagocytic lymphohistiocytosis",
  "Amyloidosis",
];

const TESTS = [
  "Contrast-enhanced CT of the chest",
  "Blood cultures",
  "Echocardiography",
  "Biopsy of the lesion",
  "Serum protein electrophoresis",
  "Lumbar puncture",
  "Plasma metanephrines",
  "MRI of the brain",
  "Antinuclear antibodies",
  "Bone marrow biopsy",
];

/**
 * A deterministic plain answer for prompts that are neither judge nor router (generation): three
 * next tests when the message asks about tests or work-up, else a three-item differential.
 *
 * @param user The user message.
 * @param seed The server's seed.
 */
export function scriptedText(user: string, seed: number): string {
  const wantsTests = /\b(tests?|work-?up|next step)/i.test(user);
  const pool = wantsTests ? TESTS : DIAGNOSES;
  const picked: string[] = [];
  for (let i = 0; picked.length < 3; i++) {
    const choice = pool[Math.floor(uniform(seed, `pick${i}`, user) * pool.length)]!;
    if (!picked.includes(choice)) picked.push(choice);
  }
  const title = wantsTests ? "Next diagnostic tests:" : "Differential diagnosis:";
  return [title, ...picked.map((item, i) => `${i + 1}. ${item}`)].join("\n");
}

const MANAGEMENT = [
  "Admit to a monitored bed and reassess within the hour",
  "Start intravenous fluids and correct electrolytes",
  "Start empiric antibiotics after blood cultures",
  "Review the medication list and stop drugs that may contribute",
  "Start therapeutic anticoagulation unless bleeding risk forbids it",
  "Involve the relevant specialist team early",
  "Discuss goals of care with the patient and family",
  "Arrange follow-up and safety-net advice before discharge",
  "Treat pain and nausea",
  "Monitor kidney function and urine output",
];

/**
 * A candidate's deterministic answer to a generation prompt, in the task's own shape: a
 * numbered differential for the Bond and triage tasks (five items, three at triage), a numbered
 * test plan for `cpc_management`, an assessment note (summary, most likely diagnosis with its
 * support, alternatives) for `r_idea`, a structured reflection (three diagnoses with supporting
 * and opposing findings, a final diagnosis, next steps) for `diagnostic_reasoning`, and a list
 * of management steps for `management_reasoning`. Items are drawn from fixed lists by a hash of
 * the seed and the case, and findings are quoted from the case, so the answer never knows the
 * final diagnosis but does read like an answer to this case.
 *
 * @param task The task the prompt is for.
 * @param vignette The case text from the prompt.
 * @param seed The server's seed.
 */
export function scriptedGeneration(task: TaskKey, vignette: string, seed: number): string {
  const key = `${task}\u0000${vignette}`;
  const pick = (pool: readonly string[], n: number, purpose: string) => {
    const picked: string[] = [];
    for (let i = 0; picked.length < Math.min(n, pool.length); i++) {
      const choice = pool[Math.floor(uniform(seed, `${purpose}${i}`, key) * pool.length)]!;
      if (!picked.includes(choice)) picked.push(choice);
    }
    return picked;
  };
  const numbered = (items: readonly string[]) => items.map((item, i) => `${i + 1}. ${item}`);
  const found = caseFindings(vignette);
  const finding = (i: number) => found[i % Math.max(1, found.length)] ?? "the presentation";
  switch (task) {
    case "cpc_bond":
      return ["Differential diagnosis:", ...numbered(pick(DIAGNOSES, 5, "ddx"))].join("\n");
    case "bi_triage":
      return numbered(pick(DIAGNOSES, 3, "ddx")).join("\n");
    case "cpc_management":
      return ["Next diagnostic tests:", ...numbered(pick(TESTS, 3, "test"))].join("\n");
    case "r_idea": {
      const [first, ...others] = pick(DIAGNOSES, 3, "ddx");
      return [
        `Summary: ${summaryLine(vignette)}`,
        `Most likely diagnosis: ${first}, because ${finding(0)} and ${finding(1)} fit it.`,
        `Alternatives considered: ${
          others.map((d, i) => `${d} (less likely: it explains ${finding(i + 2)} less well)`)
            .join("; ")
        }.`,
      ].join("\n");
    }
    case "diagnostic_reasoning": {
      const ddx = pick(DIAGNOSES, 3, "ddx");
      return [
        "Differential diagnosis:",
        ...ddx.flatMap((d, i) => [
          `${i + 1}. ${d}`,
          `   Supporting: ${finding(i)}`,
          "   Opposing: nothing in the case argues clearly against it",
        ]),
        `Final diagnosis: ${ddx[0]}`,
        "Next diagnostic steps:",
        ...numbered(pick(TESTS, 2, "test")),
      ].join("\n");
    }
    case "management_reasoning":
      return pick(MANAGEMENT, 4, "plan").map((step) => `- ${step}.`).join("\n");
  }
}

/** The findings a case lists ("Notable findings included a, b and c"), else its clauses. */
function caseFindings(vignette: string): string[] {
  const listed = /(?:findings included|known so far:) ([^.]+)\./i.exec(vignette)?.[1];
  const text = listed ?? vignette.split(".").slice(1, 3).join(",");
  return text.split(/,| and /).map((part) => part.trim()).filter((part) => part.length > 2);
}

/** The case's first sentence, clipped, as a one-line summary. */
function summaryLine(vignette: string): string {
  // Staged cases open with "Stage 1 of 4 (triage): …"; the summary is of the patient.
  const text = vignette.replace(/\s+/g, " ").trim().replace(/^stage [^:]{0,40}:\s*/i, "");
  const first = text.split(/(?<=\.)\s/, 1)[0] ?? "";
  const clipped = first.length > 160 ? first.slice(0, 160).replace(/\s\S*$/, "") + "…" : first;
  return clipped === "" ? "a patient whose case is given." : clipped;
}

const STOPWORDS = new Set(
  ("the and with from that this for into onto over under not but are was were has have had " +
    "its their his her due other than then also any all each who which what when where why how " +
    "may can will would should could very more most less such both only").split(" "),
);

/** Lower-case words of three letters or more, without stop words or a plural -s. */
function contentWords(text: string): string[] {
  const words = text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .match(/[a-z0-9]+/g) ?? [];
  return words
    .filter((word) => word.length >= 3 && !STOPWORDS.has(word))
    .map((word) => word.length > 4 && word.endsWith("s") ? word.slice(0, -1) : word);
}

/** A uniform number in [0, 1) from SHA-256 of the seed, a purpose, and the text. */
function uniform(seed: number, purpose: string, text: string): number {
  const digest = createHash("sha256").update(`${seed}\u0000${purpose}\u0000${text}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
