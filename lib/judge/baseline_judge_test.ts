import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Entry } from "../data/entry.ts";
import { loadEntries } from "../data/load_dataset.ts";
import { pearson } from "../stats/pearson.ts";
import { scoreProblem } from "../tasks/scale.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import * as LEXICON from "./_lexical_words.ts";
import {
  LEXICAL_RULES,
  LEXICAL_RULES_HASH,
  LEXICAL_RULES_VERSION,
  LexicalJudge,
  lexicalJudge,
} from "./baseline_judge.ts";
import type { Judgement, ScoredJudgement } from "./judgement.ts";

const judge = new LexicalJudge();

/** Judges and asserts the judgement is scored. */
async function scored(task: string, inputs: TaskInputs): Promise<ScoredJudgement> {
  const judgement = await judge.judge(getTask(task), inputs);
  assert.equal(judgement.status, "scored", JSON.stringify(judgement));
  return judgement as ScoredJudgement;
}

async function bond(response: string, finalDiagnosis: string) {
  const j = await scored("cpc_bond", { response, final_diagnosis: finalDiagnosis });
  return { score: j.score, rank: j.fields?.best_rank, why: j.justification };
}

const PHEO = "1. Pheochromocytoma\n2. Thyroid storm\n3. Carcinoid syndrome";

Deno.test("LexicalJudge scores the PrecepTron example 5 with best_rank 1, as a full judgement", async () => {
  const j = await scored("cpc_bond", { response: PHEO, final_diagnosis: "Pheochromocytoma" });
  assert.equal(j.score, 5);
  assert.deepEqual(j.fields, { best_rank: 1 });
  assert.equal(j.task, "cpc_bond");
  assert.equal(j.attempts, 1);
  assert.ok(j.latency_ms >= 0 && Number.isFinite(j.latency_ms));
  assert.equal(j.usage, undefined);
  assert.deepEqual(j.provenance, {
    judge: "baseline:lexical",
    provider: "offline",
    model: "lexical-v1",
    parameters: {},
    prompt_version: LEXICAL_RULES_VERSION,
    prompt_hash: LEXICAL_RULES_HASH,
    output_mode: "rules",
  });
  assert.equal(
    j.justification,
    'Bond 5: best item 1 "Pheochromocytoma" against final diagnosis "Pheochromocytoma": ' +
      "contains every content word of the final diagnosis (3 item(s) read).",
  );
  assert.deepEqual(JSON.parse(j.raw!), {
    score: 5,
    justification: j.justification,
    best_rank: 1,
  });
});

Deno.test("LexicalJudge's Bond matcher: spelling, typos, rank and each anchor", async () => {
  // British spelling and a light typo are the same diagnosis.
  assert.equal((await bond("1. Phaeochromocytoma\n2. Gout", "Pheochromocytoma")).score, 5);
  assert.equal((await bond("1. Pheochromocytma", "Pheochromocytoma")).score, 5);
  assert.equal((await bond("1. Infective endocardits", "Infective endocarditis")).score, 5);
  // A heavier misspelling (over 15% of the letters) is beyond a string matcher: 0.
  assert.equal((await bond("1. Feokromocytoma", "Pheochromocytoma")).score, 0);
  // The score is rank-independent; the rank is reported.
  assert.deepEqual(
    (await bond("1. Thyroid storm\n2. Carcinoid syndrome\n3. Pheochromocytoma", "Pheochromocytoma"))
      .rank,
    3,
  );
  assert.deepEqual(
    await bond("1) community-acquired pneumonia 2) acute appendicitis", "Acute appendicitis")
      .then((b) => [b.score, b.rank]),
    [5, 2],
  );
  // 5 without a generic qualifier, and for an initialism.
  assert.equal((await bond("1. Appendicitis", "Acute appendicitis")).score, 5);
  assert.equal((await bond("1. SBO\n2. Ileus", "Small-bowel obstruction")).score, 5);
  // 4: named too broadly, or the same head word with half the words.
  const broad = await bond("1. Encephalitis", "Anti-NMDA receptor encephalitis");
  assert.equal(broad.score, 4);
  assert.match(broad.why, /names it more broadly \(lacks nmda, receptor\)/);
  assert.equal((await bond("Large-bowel obstruction", "Small-bowel obstruction")).score, 4);
  // 3: the head word with little else.
  assert.equal((await bond("1. Viral encephalitis", "Anti-NMDA receptor encephalitis")).score, 3);
  // 2: a shared specific word that is not the head.
  assert.equal((await bond("1. Pulmonary tuberculosis", "Pulmonary embolism")).score, 2);
  // 0: an unrelated list, or only a generic qualifier in common; no rank then.
  const none = await bond("1. Gout\n2. Migraine\n3. Acute otitis media", "Acute pancreatitis");
  assert.deepEqual([none.score, none.rank], [0, null]);
  assert.match(none.why, /None of the 3 item\(s\) read shares a specific word/);
});

Deno.test("LexicalJudge rescales Bond anchors on a bi_triage entry with its own max_score", async () => {
  const inputs = { response: "DDx: appendicitis", final_diagnosis: "Acute appendicitis" };
  assert.equal((await scored("bi_triage", inputs)).score, 5);
  assert.equal((await scored("bi_triage", { ...inputs, max_score: 10 })).score, 10);
  const close = { response: "DDx: encephalitis", final_diagnosis: "Autoimmune encephalitis" };
  const three = await scored("bi_triage", { ...close, max_score: 3 }); // 4 × 3/5 = 2.4
  assert.equal(three.score, 2);
  assert.match(three.justification, /Bond 4: .* Rescaled to 2\/3\./);
});

Deno.test("LexicalJudge scores testing plans 2, 1 and 0", async () => {
  const plan = (response: string, test_plan: string) =>
    scored("cpc_management", { response, test_plan }).then((j) => j.score);
  assert.equal(
    await plan(
      "Order 24-hour urine catecholamines and metanephrines, CT abdomen with contrast",
      "24-hour urine catecholamines",
    ),
    2,
  );
  assert.equal(await plan("Measure ACE activity", "Serum ACE level"), 1); // a specific word
  assert.equal(await plan("Chest CT and blood cultures", "Serum ACE level"), 1); // some test
  assert.equal(await plan("Reassure her and follow up in clinic", "Serum ACE level"), 0);
});

Deno.test("LexicalJudge scores R-IDEA domains from structural cues", async () => {
  const idea = (response: string) =>
    scored("r_idea", { response, question_text: "Document your assessment." });
  const full = await idea(
    "Summary: 54-year-old man with acute, progressive, painless jaundice and weight loss.\n" +
      "The most likely diagnosis is pancreatic adenocarcinoma because painless jaundice with " +
      "weight loss suggests a malignant obstruction.\n" +
      "Choledocholithiasis is less likely because there is no pain.",
  );
  assert.equal(full.score, 10);
  assert.deepEqual(full.fields, { domains: { I: 4, D: 2, E: 2, A: 2 } });
  const alternativesOnly = await idea(
    "Summary: 54-year-old man with painless jaundice.\nMost likely pancreatic cancer.\n" +
      "Gallstones are less likely.",
  );
  // I: 1 + painless; D: commits; E: no reason cue; A: an alternative without a reason.
  assert.deepEqual(alternativesOnly.fields, { domains: { I: 2, D: 2, E: 0, A: 1 } });
  assert.equal((await idea("Differential: hepatitis, gallstones")).score, 1);
  assert.equal((await idea("Jaundice.")).score, 0);
});

const VIGNETTE = "A 30-year-old woman who injects drugs has fever, a new heart murmur and " +
  "splinter haemorrhages. Blood cultures are pending.";
const REFLECTION = [
  "1. Infective endocarditis",
  "   For: fever; new heart murmur; splinter hemorrhages",
  "   Against: no known valve disease",
  "2. Rheumatic fever",
  "   For: fever",
  "3. Lupus",
  "   Against: no rash",
  "Most likely diagnosis: infective endocarditis",
  "Next steps: blood cultures; transesophageal echocardiogram",
].join("\n");

Deno.test("LexicalJudge scores diagnostic reasoning with its labelled heuristic split", async () => {
  const inputs = {
    response: REFLECTION,
    final_diagnosis: "Infective endocarditis",
    case_vignette: VIGNETTE,
    question_text: "Give your differential, findings for and against, and next steps.",
  };
  const j = await scored("diagnostic_reasoning", inputs);
  // 3 items → 4; 3 distinct grounded supporting findings → 3; the opposing ones are not in the
  // vignette → 0; final diagnosis exact → 5; two next steps → 2.
  assert.deepEqual(j.fields, {
    components: { differential: 4, supporting: 3, opposing: 0, final: 5, next: 2 },
  });
  assert.equal(j.score, 14);
  assert.match(j.justification, /^Baseline heuristic split \(not the published one\)/);
  // Another maximum rescales the 19-point total.
  assert.equal((await scored("diagnostic_reasoning", { ...inputs, max_score: 38 })).score, 28);
  // An item rubric, when the entry has one, replaces the heuristic.
  const rubric = {
    items: [
      { id: "dx", description: "Names infective endocarditis as most likely", points: 10 },
      { id: "bc", description: "Orders blood cultures", points: 9 },
    ],
  };
  const withRubric = await scored("diagnostic_reasoning", { ...inputs, rubric });
  assert.equal(withRubric.score, 19);
  assert.match(withRubric.justification, /^Rubric word coverage: met dx \(\+10\), bc \(\+9\)/);
  // An unreadable optional rubric falls back to the heuristic, and says so.
  const unreadable = await scored("diagnostic_reasoning", { ...inputs, rubric: "ten points" });
  assert.equal(unreadable.score, 14);
  assert.match(unreadable.justification, /\(Not used: the rubric could not be read: /);
});

const RUBRIC = {
  items: [
    { id: "a", description: "Starts low-molecular-weight heparin (enoxaparin)", points: 2 },
    { id: "b", description: "Admits to a monitored bed", points: 1 },
    { id: "h", description: "Gives systemic thrombolysis", points: -2 },
  ],
};
const CONTEXT = {
  case_vignette: "A 64-year-old woman with a submassive pulmonary embolism.",
  question_text: "How would you treat her initially?",
};

Deno.test("LexicalJudge scores management answers by rubric items, harmful ones subtracted", async () => {
  const manage = (response: string, rubric: unknown = RUBRIC, max?: number) =>
    scored("management_reasoning", {
      response,
      rubric,
      ...CONTEXT,
      ...(max === undefined ? {} : { max_score: max }),
    });
  const good = await manage("Start enoxaparin and admit her to a monitored bed.");
  assert.equal(good.score, 3);
  assert.deepEqual(good.fields, { met: ["a", "b"] });
  assert.match(good.justification, /met a \(\+2\), b \(\+1\); not met none; sum 3 of 3/);
  // A harmful action subtracts its points; the sum is kept at 0.
  const harmful = await manage("Give systemic thrombolysis now.");
  assert.equal(harmful.score, 0);
  assert.match(harmful.justification, /harmful proposed h \(−2\); .* sum -2, kept to 0 of 3/);
  // Declining the harmful action is not proposing it.
  assert.equal(
    (await manage("Start enoxaparin; avoid systemic thrombolysis unless she becomes unstable."))
      .score,
    2,
  );
  assert.equal(
    (await manage("Start enoxaparin, admit to a monitored bed and give systemic thrombolysis."))
      .score,
    1,
  );
  // The same rubric as a list, and as JSON text with or without the entry's max_score.
  assert.equal((await manage("Start enoxaparin.", RUBRIC.items)).score, 2);
  assert.equal((await manage("Start enoxaparin.", JSON.stringify(RUBRIC))).score, 2);
  assert.equal((await manage("Start enoxaparin.", JSON.stringify(RUBRIC), 3)).score, 2);
});

Deno.test("LexicalJudge fails, never guesses, when a management rubric cannot be read", async () => {
  const task = getTask("management_reasoning");
  for (
    const [rubric, detail] of [
      ["Give points for good answers", /it is text but not JSON/],
      [{ items: [] }, /no items/],
      [[{ description: "Starts heparin" }], /item 1 has no numeric points/],
      [{ criteria: [] }, /expected a list of items or an object with an `items` list/],
      [42, /expected a list of items/],
    ] as const
  ) {
    const j: Judgement = await judge.judge(task, {
      response: "Start heparin.",
      rubric,
      max_score: 5,
      ...CONTEXT,
    });
    assert.equal(j.status, "failed");
    if (j.status !== "failed") continue;
    assert.equal(j.reason, "missing_score");
    assert.match(j.detail, /^the rubric could not be read: /);
    assert.match(j.detail, detail);
    assert.equal(j.raw, null);
    assert.equal(j.provenance.output_mode, "rules");
  }
});

Deno.test("LexicalJudge rejects missing required inputs and an aborted signal", async () => {
  await assert.rejects(
    judge.judge(getTask("cpc_bond"), { response: PHEO }),
    /baseline:lexical cannot score cpc_bond: missing required input\(s\) final_diagnosis/,
  );
  const controller = new AbortController();
  controller.abort(new Error("stopped"));
  await assert.rejects(
    judge.judge(getTask("cpc_bond"), { response: PHEO, final_diagnosis: "Gout" }, {
      signal: controller.signal,
    }),
    /stopped/,
  );
});

Deno.test("lexicalJudge() has the baseline's identity; the hash covers rules and word lists", () => {
  const j = lexicalJudge();
  assert.deepEqual([j.id, j.provider, j.model], ["baseline:lexical", "offline", "lexical-v1"]);
  const expected = createHash("sha256")
    .update(LEXICAL_RULES + "\u0000" + JSON.stringify(LEXICON))
    .digest("hex");
  assert.equal(LEXICAL_RULES_HASH, expected);
  // Editing a threshold changes the hash even if the description is not updated.
  const edited = { ...LEXICON, THRESHOLDS: { ...LEXICON.THRESHOLDS, testPlanCoverage: 0.7 } };
  const changed = createHash("sha256")
    .update(LEXICAL_RULES + "\u0000" + JSON.stringify(edited))
    .digest("hex");
  assert.notEqual(changed, LEXICAL_RULES_HASH);
  assert.ok(JSON.stringify(LEXICON).includes('"testPlanCoverage":0.8'));
});

/** The task inputs of a dataset entry. */
function inputsOf(entry: Entry): TaskInputs {
  const inputs: TaskInputs = { response: entry.response, max_score: entry.max_score };
  if (entry.final_diagnosis !== undefined) inputs.final_diagnosis = entry.final_diagnosis;
  if (entry.test_plan !== undefined) inputs.test_plan = entry.test_plan;
  if (entry.case_vignette !== undefined) inputs.case_vignette = entry.case_vignette;
  if (entry.question_text !== undefined) inputs.question_text = entry.question_text;
  if (entry.rubric !== undefined) inputs.rubric = entry.rubric;
  return inputs;
}

const { entries } = await loadEntries();

Deno.test("LexicalJudge scores every entry of the shipped sample on its task's scale", async () => {
  const tasks = new Set<string>();
  for (const entry of entries) {
    const task = getTask(entry.benchmark);
    const j = await judge.judge(task, inputsOf(entry));
    assert.equal(j.status, "scored", `${entry.id}: ${j.status === "failed" ? j.detail : ""}`);
    if (j.status !== "scored") continue;
    assert.equal(scoreProblem(j.score, task.scale(inputsOf(entry))), undefined, entry.id);
    assert.ok(j.justification.length > 0);
    tasks.add(entry.benchmark);
  }
  assert.equal(tasks.size, 6);
});

Deno.test("LexicalJudge is deterministic across runs and instances", async () => {
  const run = (j: ReturnType<typeof lexicalJudge>) =>
    Promise.all(
      entries.map(async (entry) => {
        const { latency_ms: _, ...rest } = await j.judge(getTask(entry.benchmark), inputsOf(entry));
        return rest;
      }),
    );
  assert.deepEqual(await run(lexicalJudge()), await run(lexicalJudge()));
});

Deno.test("LexicalJudge's agreement with physicians on the synthetic sample stays below theirs", async () => {
  const byTask = new Map<string, { judge: number[]; grade: number[]; a: number[]; b: number[] }>();
  for (const entry of entries) {
    const j = await judge.judge(getTask(entry.benchmark), inputsOf(entry));
    if (j.status !== "scored") continue;
    let t = byTask.get(entry.benchmark);
    if (!t) byTask.set(entry.benchmark, t = { judge: [], grade: [], a: [], b: [] });
    t.judge.push(j.score);
    t.grade.push(entry.grade);
    const [first, second] = entry.grades ?? [];
    if (first && second) {
      t.a.push(first.score);
      t.b.push(second.score);
    }
  }
  const rows = [...byTask].map(([task, t]) => {
    const n = t.judge.length;
    const exact = t.judge.filter((v, i) => v === t.grade[i]).length / n;
    const mae = t.judge.reduce((s, v, i) => s + Math.abs(v - t.grade[i]!), 0) / n;
    const physicianExact = t.a.filter((v, i) => v === t.b[i]).length / t.a.length;
    return {
      task,
      n,
      pearson: +pearson(t.judge, t.grade).toFixed(3),
      exact: +exact.toFixed(3),
      mae: +mae.toFixed(2),
      physician_pairs: t.a.length,
      physician_pearson: +pearson(t.a, t.b).toFixed(3),
      physician_exact: +physicianExact.toFixed(3),
    };
  });
  console.log("Lexical baseline vs physician grade on the SYNTHETIC sample (first two raters):");
  console.table(rows);
  // The baseline's purpose: a string matcher lands clearly below the physician ceiling.
  for (const row of rows) {
    assert.ok(row.pearson < row.physician_pearson, `${row.task}: ${JSON.stringify(row)}`);
  }
});
