import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { OVERVIEW_COLUMNS, trialsOverview } from "./trials_overview.ts";

Deno.test("trialsOverview() counts failures by reason and keeps them out of every score column", () => {
  const frame = pl.DataFrame([
    { judge: "a", task: "r_idea", status: "scored", score: 8, reason: null, grade: 9 },
    { judge: "a", task: "r_idea", status: "scored", score: 6, reason: null, grade: 5 },
    { judge: "a", task: "r_idea", status: "scored", score: 10, reason: null, grade: 10 },
    { judge: "a", task: "r_idea", status: "failed", score: null, reason: "refusal", grade: 0 },
    { judge: "a", task: "r_idea", status: "failed", score: null, reason: "invalid_json", grade: 0 },
    { judge: "a", task: "r_idea", status: "failed", score: null, reason: "invalid_json", grade: 0 },
  ]);
  const [row] = trialsOverview(frame).toRecords();
  assert.ok(row);
  assert.deepEqual(
    [row.judgements, row.scored, row.failed, row.failure_rate],
    [6, 3, 3, 0.5],
  );
  assert.equal(row.failures, "invalid_json 2, refusal 1");
  // Hand-worked on the three scored pairs (8,9), (6,5), (10,10):
  assert.equal(row.mean_score, 8);
  assert.equal(row.mean_grade, 8);
  assert.equal(row.mae, (1 + 1 + 0) / 3);
  // r = Σdxdy / √(Σdx² Σdy²) = (0·1 + (−2)(−3) + 2·2) / √(8 · 14) = 10 / √112
  assert.ok(Math.abs((row.pearson as number) - 10 / Math.sqrt(112)) < 1e-12);
});

Deno.test("trialsOverview() gives one row per judge and task, sorted, with every column", () => {
  const frame = pl.DataFrame([
    { judge: "z", task: "cpc_bond", status: "scored", score: 5, reason: null, latency_ms: 30 },
    {
      judge: "a",
      task: "cpc_management",
      status: "scored",
      score: 2,
      reason: null,
      latency_ms: 10,
    },
    { judge: "a", task: "cpc_bond", status: "scored", score: 4, reason: null, latency_ms: 10 },
    { judge: "a", task: "cpc_bond", status: "scored", score: 3, reason: null, latency_ms: 20 },
  ]);
  const overview = trialsOverview(frame);
  assert.deepEqual(overview.columns, [...OVERVIEW_COLUMNS]);
  assert.deepEqual(overview.getColumn("judge").toArray(), ["a", "a", "z"]);
  assert.deepEqual(overview.getColumn("task").toArray(), [
    "cpc_bond",
    "cpc_management",
    "cpc_bond",
  ]);
  // Without a grade column: the mean of every scored judgement, and no agreement figures.
  assert.deepEqual(overview.getColumn("mean_score").toArray(), [3.5, 2, 5]);
  assert.deepEqual(overview.getColumn("mae").toArray(), [null, null, null]);
  assert.deepEqual(overview.getColumn("median_latency_ms").toArray(), [15, 10, 30]);
  assert.deepEqual(overview.getColumn("failures").toArray(), ["", "", ""]);
});

Deno.test("trialsOverview() gives NaN, not a number, for r on a constant judge", () => {
  const frame = pl.DataFrame([
    { judge: "c", task: "cpc_bond", status: "scored", score: 3, reason: null, grade: 5 },
    { judge: "c", task: "cpc_bond", status: "scored", score: 3, reason: null, grade: 2 },
  ]);
  const [row] = trialsOverview(frame).toRecords();
  assert.ok(Number.isNaN(row?.pearson));
  assert.equal(row?.mae, 1.5);
});

Deno.test("trialsOverview() names a missing column", () => {
  assert.throws(
    () => trialsOverview(pl.DataFrame({ judge: ["a"], task: ["r_idea"] })),
    /lacks "status", "score", "reason"/,
  );
});

Deno.test("trialsOverview() counts the cases behind the scored, graded pairs", () => {
  const trials = pl.DataFrame({
    judge: ["j", "j", "j", "j"],
    task: ["r_idea", "r_idea", "r_idea", "r_idea"],
    status: ["scored", "scored", "scored", "failed"],
    score: [5, 3, 4, null],
    reason: [null, null, null, "invalid_json"],
    grade: [4, 3, null, 5],
    case_id: ["a", "a", "b", "c"],
  });
  // Pairs come from a (twice); b has no grade and c failed.
  assert.equal(trialsOverview(trials).toRecords()[0]!.n_cases, 1);
  assert.equal(trialsOverview(trials.drop("case_id")).toRecords()[0]!.n_cases, null);
});
