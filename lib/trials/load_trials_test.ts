import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import type { TaskKey } from "../data/task_key.ts";
import { loadDataset, SAMPLE_PATH } from "../data/load_dataset.ts";
import type { Judgement } from "../judge/judgement.ts";
import { Ledger, ledgerPath } from "../ledger/ledger.ts";
import { DATASET_TRIAL_COLUMNS, loadTrials, TRIAL_COLUMNS } from "./load_trials.ts";

const dataset = await loadDataset();
const idsOf = (task: TaskKey) =>
  (dataset.filter(pl.col("benchmark").eq(pl.lit(task))).getColumn("id").toArray() as string[])
    .slice(0, 2);
const [bond1, bond2] = idsOf("cpc_bond") as [string, string];
assert.ok("not-in-dataset" < bond1 && bond1 < bond2, "the test's expected order");
const [idea1] = idsOf("r_idea") as [string];

function judgement(task: TaskKey, score: number | null, model = "gpt-4o"): Judgement {
  const provenance = {
    judge: `openai:${model}`,
    provider: "openai",
    model,
    parameters: { temperature: 0 },
    prompt_version: "1",
    prompt_hash: "ab".repeat(32),
    output_mode: "json_schema" as const,
  };
  if (score === null) {
    return {
      status: "failed",
      reason: "invalid_json",
      detail: "the reply is not JSON",
      task,
      raw: "Score: high",
      provenance,
      attempts: 1,
      latency_ms: 300,
    };
  }
  return {
    status: "scored",
    score,
    justification: `because ${score}`,
    task,
    raw: "{}",
    usage: { input_tokens: 1000 + score, output_tokens: 40 },
    provenance,
    attempts: 2,
    latency_ms: 250,
  };
}

let counter = 0;
async function write(
  dir: string,
  judge: string,
  task: TaskKey,
  rows: [entry: string, repeat: number, score: number | null, model?: string][],
): Promise<void> {
  const ledger = await Ledger.open(ledgerPath(dir, judge, task));
  for (const [entry_id, repeat, score, model] of rows) {
    await ledger.append({
      key: `key-${counter++}`,
      judge,
      task,
      entry_id,
      repeat,
      judgement: judgement(task, score, model),
      time: new Date(Date.UTC(2025, 0, 1, 0, 0, counter)).toISOString(),
    });
  }
  await ledger.close();
}

/** Two judges (a jury), two repeats, a failure, and an entry the dataset lacks. */
async function run(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await write(dir, "gpt-4o", "cpc_bond", [
    [bond2, 0, 3],
    [bond1, 0, 4],
    [bond1, 1, 5],
    [bond2, 1, null],
    ["not-in-dataset", 0, 2],
  ]);
  await write(dir, "claude", "cpc_bond", [[bond1, 0, 2, "claude-sonnet-4"]]);
  await write(dir, "claude", "r_idea", [[idea1, 0, 8, "claude-sonnet-4"]]);
  return dir;
}

function quiet(): { warnings: string[]; onWarning: (m: string) => void } {
  const warnings: string[] = [];
  return { warnings, onWarning: (m) => warnings.push(m) };
}

Deno.test("loadTrials() gives one row per judgement, juries and repeats included", async () => {
  const { warnings, onWarning } = quiet();
  const trials = await loadTrials(await run(), { onWarning });
  assert.deepEqual(trials.columns, [...TRIAL_COLUMNS]);
  assert.equal(trials.height, 7);
  assert.deepEqual(warnings, []);
  const rows = trials.toRecords();
  // Sorted by judge, task, entry and repeat.
  assert.deepEqual(
    rows.map((r) => [r.judge, r.task, r.entry_id, r.repeat]),
    [
      ["claude", "cpc_bond", bond1, 0],
      ["claude", "r_idea", idea1, 0],
      ["gpt-4o", "cpc_bond", "not-in-dataset", 0],
      ["gpt-4o", "cpc_bond", bond1, 0],
      ["gpt-4o", "cpc_bond", bond1, 1],
      ["gpt-4o", "cpc_bond", bond2, 0],
      ["gpt-4o", "cpc_bond", bond2, 1],
    ],
  );
  const failure = rows.find((r) => r.status === "failed")!;
  assert.deepEqual(
    [failure.score, failure.reason, failure.detail, failure.justification, failure.input_tokens],
    [null, "invalid_json", "the reply is not JSON", null, null],
  );
  const score = rows.find((r) => r.judge === "claude" && r.task === "r_idea")!;
  assert.deepEqual(
    [score.score, score.reason, score.justification, score.judge_model, score.judge_provider],
    [8, null, "because 8", "claude-sonnet-4", "openai"],
  );
  assert.deepEqual(
    [score.input_tokens, score.output_tokens, score.attempts, score.latency_ms, score.output_mode],
    [1008, 40, 2, 250, "json_schema"],
  );
  assert.equal(trials.getColumn("repeat").dtype.toString(), pl.Int64.toString());
  assert.equal(trials.getColumn("score").dtype.toString(), pl.Float64.toString());
  // Judges and repeats are there to group by.
  const perJudge = trials.groupBy("judge").len().sort("judge").toRecords();
  assert.deepEqual(perJudge.map((r) => [r.judge, Number(r.len)]), [["claude", 2], ["gpt-4o", 5]]);
});

Deno.test("loadTrials() joins the dataset's grades, keeping and counting entries it lacks", async () => {
  const dir = await run();
  const { warnings, onWarning } = quiet();
  const trials = await loadTrials(dir, { dataset, onWarning });
  assert.deepEqual(trials.columns, [...TRIAL_COLUMNS, ...DATASET_TRIAL_COLUMNS, "synthetic"]);
  assert.equal(trials.height, 7);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /1 judgement \(1 entry, e\.g\. "not-in-dataset"\) name entries/);

  const expected = dataset.filter(pl.col("id").eq(pl.lit(bond1))).toRecords()[0]!;
  const row = trials.filter(
    pl.col("judge").eq(pl.lit("gpt-4o")).and(pl.col("entry_id").eq(pl.lit(bond1))),
  )
    .toRecords();
  assert.equal(row.length, 2); // two repeats, the same grade
  for (const r of row) {
    assert.deepEqual(
      [r.case_id, r.study, r.model, r.grade, r.max_score, r.rater_scores, r.raters, r.synthetic],
      [
        expected.case_id,
        expected.study,
        expected.model,
        expected.grade,
        expected.max_score,
        expected.rater_scores,
        expected.raters,
        true,
      ],
    );
    assert.equal(r.judge_model, "gpt-4o"); // the judge's model, apart from the respondent's
  }
  const orphan = trials.filter(pl.col("entry_id").eq(pl.lit("not-in-dataset"))).toRecords()[0]!;
  assert.deepEqual([orphan.score, orphan.grade, orphan.case_id], [2, null, null]);

  // A loadDataset source works as well as a frame.
  const bySource = await loadTrials(dir, { dataset: SAMPLE_PATH, onWarning: () => {} });
  assert.deepEqual(bySource.toRecords(), trials.toRecords());
});

Deno.test("loadTrials() joins on the task too: an id of another task does not match", async () => {
  const dir = await Deno.makeTempDir();
  // A cpc_bond entry id judged (oddly) under r_idea has no r_idea entry to join.
  await write(dir, "lexical", "r_idea", [[bond1, 0, 5]]);
  const { warnings, onWarning } = quiet();
  const trials = await loadTrials(dir, { dataset, onWarning });
  assert.equal(trials.toRecords()[0]!.grade, null);
  assert.equal(warnings.length, 1);
});

Deno.test("loadTrials() of an empty folder is an empty frame with every column", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "notes.txt"), "not a ledger");
  const empty = await loadTrials(dir);
  assert.deepEqual([empty.height, empty.columns], [0, [...TRIAL_COLUMNS]]);
  const joined = await loadTrials(dir, { dataset });
  assert.deepEqual(joined.height, 0);
  assert.deepEqual(joined.columns, [...TRIAL_COLUMNS, ...DATASET_TRIAL_COLUMNS, "synthetic"]);
  assert.equal(joined.getColumn("grade").dtype.toString(), pl.Float64.toString());
});

Deno.test("loadTrials() says when the folder does not exist", async () => {
  const dir = join(await Deno.makeTempDir(), "missing");
  await assert.rejects(() => loadTrials(dir), /no such output folder: .*missing/);
  const file = join(await Deno.makeTempDir(), "file.txt");
  await Deno.writeTextFile(file, "");
  await assert.rejects(() => loadTrials(file), /not a folder/);
});

Deno.test("loadTrials() rejects a dataset frame without the columns it joins", async () => {
  const dir = await run();
  await assert.rejects(
    () => loadTrials(dir, { dataset: dataset.select("id", "benchmark", "grade") }),
    /lacks "case_id", "study", "model", "max_score", "raters", "rater_scores"/,
  );
  const twice = pl.concat([dataset, dataset]);
  await assert.rejects(() => loadTrials(dir, { dataset: twice }), /repeats an \(id, benchmark\)/);
});

Deno.test("loadTrials() keeps the latest judgement of an entry re-judged under a new key", async () => {
  const dir = await Deno.makeTempDir();
  // The same judge, entry and repeat judged by an old model, then by a new one.
  await write(dir, "judge", "cpc_bond", [[bond1, 0, 2, "old-model"], [bond1, 0, 4, "new-model"]]);
  const { warnings, onWarning } = quiet();
  const current = await loadTrials(dir, { onWarning });
  assert.deepEqual(current.getColumn("judge_model").toArray(), ["new-model"]);
  assert.match(warnings[0]!, /left out 1 superseded judgement .*superseded: "keep"/);
  const all = await loadTrials(dir, { superseded: "keep", onWarning: () => {} });
  assert.deepEqual(all.getColumn("judge_model").toArray().toSorted(), ["new-model", "old-model"]);
});

Deno.test("loadTrials() leaves out a torn last line, with a warning", async () => {
  const dir = await Deno.makeTempDir();
  await write(dir, "judge", "cpc_bond", [[bond1, 0, 3]]);
  const path = ledgerPath(dir, "judge", "cpc_bond");
  await Deno.writeTextFile(path, '{"key":"torn","ju', { append: true });
  const { warnings, onWarning } = quiet();
  const trials = await loadTrials(dir, { onWarning });
  assert.equal(trials.height, 1);
  assert.match(warnings[0]!, /judge_cpc_bond\.jsonl: left out a torn last line/);
});

Deno.test("loadTrials() names the judge after its ledger file", async () => {
  const dir = await Deno.makeTempDir();
  await write(dir, "openai/gpt-4o", "cpc_bond", [[bond1, 0, 3]]);
  await write(dir, "old name", "r_idea", [[idea1, 0, 7]]);
  // Renaming a judge: move its ledger; the records inside still say "old name".
  await Deno.rename(ledgerPath(dir, "old name", "r_idea"), ledgerPath(dir, "new name", "r_idea"));
  // A file not named by ledgerPath: the records' own judge name is used.
  await write(dir, "odd", "cpc_bond", [[bond2, 0, 2]]);
  await Deno.rename(ledgerPath(dir, "odd", "cpc_bond"), join(dir, "copied.jsonl"));
  const trials = await loadTrials(dir);
  assert.deepEqual(
    (trials.getColumn("judge").toArray() as string[]).toSorted(),
    ["new name", "odd", "openai/gpt-4o"],
  );
});

Deno.test("loadTrials() on a ledger with only failed judgements keeps typed columns", async () => {
  const dir = await Deno.makeTempDir();
  await write(dir, "judge", "cpc_bond", [[bond1, 0, null]]);
  const trials = await loadTrials(dir);
  assert.equal(trials.getColumn("score").dtype.toString(), pl.Float64.toString());
  assert.equal(trials.getColumn("justification").dtype.toString(), pl.String.toString());
  assert.equal(trials.getColumn("input_tokens").dtype.toString(), pl.Int64.toString());
});

Deno.test("loadTrials() refuses a ledger with a score off the scale or another task's record", async () => {
  const dir = await Deno.makeTempDir();
  await write(dir, "gpt-4o", "cpc_bond", [[bond1, 0, 4], [bond2, 0, 5]]);
  // Edited by hand (or by a tool gone wrong): 99 on the Bond scale.
  const path = ledgerPath(dir, "gpt-4o", "cpc_bond");
  const lines = (await Deno.readTextFile(path)).trim().split("\n").map((l) => JSON.parse(l));
  lines[1].judgement.score = 99;
  await Deno.writeTextFile(path, lines.map((l) => JSON.stringify(l) + "\n").join(""));
  await assert.rejects(() => loadTrials(dir), /gpt-4o_cpc_bond\.jsonl line 2: score 99 is outside/);
  const other = await Deno.makeTempDir();
  await write(other, "gpt-4o", "r_idea", [[bond1, 0, 7]]);
  // The r_idea record moved into the cpc_bond ledger, next to a record of its own.
  await write(other, "gpt-4o", "cpc_bond", [[bond2, 0, 4]]);
  await Deno.writeTextFile(
    ledgerPath(other, "gpt-4o", "cpc_bond"),
    await Deno.readTextFile(ledgerPath(other, "gpt-4o", "r_idea")),
    { append: true },
  );
  await assert.rejects(() => loadTrials(other), /line 2: a r_idea record in a cpc_bond ledger/);
});
