import assert from "node:assert/strict";
import { TASK_KEYS } from "../data/task_key.ts";
import type { Entry } from "../data/entry.ts";
import { loadEntries } from "../data/load_dataset.ts";
import { bondScale, rangeScale, scoreProblem } from "../tasks/scale.ts";
import type { TaskInputs } from "../tasks/task.ts";
import { getTask } from "../tasks/tasks.ts";
import { constantJudge, mostCommonScore } from "./constant_judge.ts";

/** Inputs that satisfy every task's required fields. */
const ALL_INPUTS: TaskInputs = {
  response: "1. Gout",
  final_diagnosis: "Pseudogout",
  test_plan: "Joint aspiration",
  case_vignette: "A 70-year-old man with a hot, swollen knee.",
  question_text: "What next?",
  rubric: { items: [{ id: "a", description: "Aspirates the joint", points: 2 }] },
};

Deno.test("constantJudge() gives its constant on every task, as a full judgement", async () => {
  const judge = constantJudge(0);
  assert.deepEqual([judge.id, judge.provider, judge.model], [
    "baseline:constant:0",
    "offline",
    "constant:0",
  ]);
  for (const key of TASK_KEYS) {
    const j = await judge.judge(getTask(key), ALL_INPUTS);
    assert.equal(j.status, "scored", key);
    if (j.status !== "scored") continue;
    assert.equal(j.score, 0);
    assert.equal(j.task, key);
    assert.equal(j.attempts, 1);
    assert.ok(j.latency_ms >= 0);
    assert.equal(j.usage, undefined);
    assert.equal(j.provenance.output_mode, "constant");
    assert.equal(j.provenance.prompt_version, "constant-v1");
    assert.match(j.provenance.prompt_hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(JSON.parse(j.raw!), {
      score: 0,
      justification: "Constant baseline (0): every response gets 0.",
    });
  }
});

Deno.test("constantJudge() fails with score_not_allowed for a constant off the task's scale", async () => {
  const cases: [number, string, RegExp][] = [
    [1, "cpc_bond", /not on the scale: Bond score/],
    [1.5, "cpc_management", /not on the scale: integer from 0 to 2/],
    [11, "r_idea", /outside 0\.\.10/],
    [3, "management_reasoning", /outside 0\.\.2/], // the rubric's maximum is 2
    [NaN, "cpc_bond", /not a finite number/],
  ];
  for (const [value, key, detail] of cases) {
    const j = await constantJudge(value).judge(getTask(key), ALL_INPUTS);
    assert.equal(j.status, "failed", `${value} on ${key}`);
    if (j.status !== "failed") continue;
    assert.equal(j.reason, "score_not_allowed");
    assert.match(j.detail, new RegExp(`^the constant ${value} is not a valid ${key} score: `));
    assert.match(j.detail, detail);
    assert.equal(j.raw, null);
  }
});

Deno.test("constantJudge() takes a per-task function and names it", async () => {
  const modes: Record<string, number> = { cpc_bond: 4.5, r_idea: 9 };
  const judge = constantJudge((task) => modes[task.key] ?? 0, { name: "training-mode" });
  assert.equal(judge.id, "baseline:constant:training-mode");
  const bond = await judge.judge(getTask("cpc_bond"), ALL_INPUTS);
  const idea = await judge.judge(getTask("r_idea"), ALL_INPUTS);
  assert.deepEqual(
    [bond.status === "scored" && bond.score, idea.status === "scored" && idea.score],
    [
      4.5,
      9,
    ],
  );
  assert.equal(constantJudge(() => 0).id, "baseline:constant:custom");
});

Deno.test("constantJudge()'s prompt_hash tells constants apart", async () => {
  const hash = async (judge: ReturnType<typeof constantJudge>) =>
    (await judge.judge(getTask("r_idea"), ALL_INPUTS)).provenance.prompt_hash;
  assert.equal(await hash(constantJudge(5)), await hash(constantJudge(5)));
  assert.notEqual(await hash(constantJudge(5)), await hash(constantJudge(6)));
  assert.notEqual(await hash(constantJudge(() => 5)), await hash(constantJudge(() => 6)));
});

Deno.test("constantJudge() rejects missing required inputs and an aborted signal", async () => {
  await assert.rejects(
    constantJudge(5).judge(getTask("cpc_bond"), { response: "1. Gout" }),
    /baseline:constant:5 cannot score cpc_bond: missing required input\(s\) final_diagnosis/,
  );
  const controller = new AbortController();
  controller.abort(new Error("stopped"));
  await assert.rejects(
    constantJudge(5).judge(getTask("cpc_bond"), ALL_INPUTS, { signal: controller.signal }),
    /stopped/,
  );
});

Deno.test("mostCommonScore() returns the mode, smallest on ties, whatever the order", () => {
  assert.equal(mostCommonScore([3]), 3);
  assert.equal(mostCommonScore([2, 5, 5, 0]), 5);
  assert.equal(mostCommonScore([5, 4, 5, 4]), 4);
  assert.equal(mostCommonScore([4, 5, 4, 5]), 4);
  assert.throws(() => mostCommonScore([]), RangeError);
  assert.throws(() => mostCommonScore([1, NaN]), /NaN is not a finite grade/);
});

Deno.test("mostCommonScore() with a scale counts each grade as its nearest allowed score", () => {
  // Means of raters (7.67, 8.33) are not integer scores; 8 is what they round to.
  assert.equal(mostCommonScore([7.67, 8.33, 8, 3, 3], rangeScale(0, 19)), 8);
  // Bond: 1 is not allowed, ties (exactly between 0 and 2) go down; 3.8 → 4; out of range → 5.
  assert.equal(mostCommonScore([1, 1, 2, 3.8], bondScale(false)), 0);
  assert.equal(mostCommonScore([3.8, 4.2, 7, 7, 7], bondScale(false)), 5);
  assert.equal(mostCommonScore([3.8, 4.2, 4.4], bondScale()), 4);
  for (const value of [0, 2, 3, 4, 5]) {
    assert.equal(
      scoreProblem(mostCommonScore([value + 0.3], bondScale(false)), bondScale()),
      undefined,
    );
  }
});

function inputsOf(entry: Entry): TaskInputs {
  const { response, max_score, final_diagnosis, test_plan, case_vignette, question_text, rubric } =
    entry;
  return Object.fromEntries(
    Object.entries({
      response,
      max_score,
      final_diagnosis,
      test_plan,
      case_vignette,
      question_text,
      rubric,
    }).filter(([, v]) => v !== undefined),
  ) as unknown as TaskInputs;
}

Deno.test("constantJudge() with each task's mode scores the whole synthetic sample", async () => {
  const { entries } = await loadEntries();
  // The mode over the whole sample stands in for a training split here (a demonstration).
  const modes = new Map<string, number>();
  for (const key of TASK_KEYS) {
    const mine = entries.filter((e) => e.benchmark === key);
    const scale = getTask(key).scale(inputsOf(mine[0]!));
    modes.set(key, mostCommonScore(mine.map((e) => e.grade), scale));
  }
  const judge = constantJudge(
    (task, inputs) => Math.min(modes.get(task.key)!, task.scale(inputs).max),
    { name: "sample-mode" },
  );
  const rows = [];
  for (const key of TASK_KEYS) {
    const mine = entries.filter((e) => e.benchmark === key);
    let exact = 0, absolute = 0;
    for (const entry of mine) {
      const j = await judge.judge(getTask(key), inputsOf(entry));
      assert.equal(j.status, "scored", entry.id);
      if (j.status !== "scored") continue;
      if (j.score === entry.grade) exact++;
      absolute += Math.abs(j.score - entry.grade);
    }
    rows.push({
      task: key,
      n: mine.length,
      constant: modes.get(key),
      exact: +(exact / mine.length).toFixed(3),
      mae: +(absolute / mine.length).toFixed(2),
    });
  }
  console.log("Constant baseline (each task's mode) vs physician grade, SYNTHETIC sample:");
  console.table(rows);
});
