import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { agreementSummary } from "./agreement_summary.ts";

const FEW = "few cases (6): the interval covers about 90–95%";
const agreement = pl.DataFrame({
  task: ["cpc_bond", "cpc_bond", "cpc_bond", "r_idea"],
  judge: ["gpt-4o", "constant (mode)", "gpt-4o", "gpt-4o"],
  metric: ["lin_ccc", "lin_ccc", "mae", "lin_ccc"],
  estimate: [0.7, 0, 0.9, 0.8],
  lower: [0.6, 0, 0.8, 0.7],
  upper: [0.8, 0, 1.0, 0.9],
  n: [70, 70, 70, 48],
  n_cases: [30, 30, 30, 6],
  failure_rate: [0.01, 0, 0.01, 0],
  note: [null, null, null, FEW],
});
const ceiling = pl.DataFrame({
  task: ["cpc_bond", "r_idea", "cpc_bond"],
  judge: ["gpt-4o", "gpt-4o", "gpt-4o"],
  metric: ["lin_ccc", "lin_ccc", "mae"],
  ceiling: [0.85, 0.92, 0.6],
  ceiling_lower: [0.8, null, 0.5],
  ceiling_upper: [0.9, null, 0.7],
  judge_estimate: [0.7, 0.8, 0.9],
  difference: [-0.15, -0.12, 0.3],
  difference_lower: [-0.25, null, 0.1],
  difference_upper: [-0.05, null, 0.5],
  share_beaten: [0.2, 0.1, 0.3],
  note: [null, "6 cases: too few for an interval on the ceiling (needs 20)", null],
});

Deno.test("agreementSummary() joins one metric to its ceiling, per task and judge", () => {
  const summary = agreementSummary(agreement, ceiling, "lin_ccc");
  assert.equal(
    summary.columns.join(","),
    "task,judge,n,n_cases,failure_rate,estimate,lower,upper,ceiling,ceiling_lower,ceiling_upper,judge_on_ceiling_pairs,difference,difference_lower,difference_upper,note",
  );
  const gap = {
    ceiling: 0.85,
    ceiling_lower: 0.8,
    ceiling_upper: 0.9,
  };
  assert.deepEqual(summary.toRecords(), [
    {
      task: "cpc_bond",
      judge: "gpt-4o",
      n: 70,
      n_cases: 30,
      failure_rate: 0.01,
      estimate: 0.7,
      lower: 0.6,
      upper: 0.8,
      ...gap,
      judge_on_ceiling_pairs: 0.7,
      difference: -0.15,
      difference_lower: -0.25,
      difference_upper: -0.05,
      note: null,
    },
    {
      // The constant baseline: the task's ceiling beside it, no gap of its own.
      task: "cpc_bond",
      judge: "constant (mode)",
      n: 70,
      n_cases: 30,
      failure_rate: 0,
      estimate: 0,
      lower: 0,
      upper: 0,
      ...gap,
      judge_on_ceiling_pairs: null,
      difference: null,
      difference_lower: null,
      difference_upper: null,
      note: null,
    },
    {
      // Few cases: both notes, and no interval on the ceiling.
      task: "r_idea",
      judge: "gpt-4o",
      n: 48,
      n_cases: 6,
      failure_rate: 0,
      estimate: 0.8,
      lower: 0.7,
      upper: 0.9,
      ceiling: 0.92,
      ceiling_lower: null,
      ceiling_upper: null,
      judge_on_ceiling_pairs: 0.8,
      difference: -0.12,
      difference_lower: null,
      difference_upper: null,
      note: `${FEW}; 6 cases: too few for an interval on the ceiling (needs 20)`,
    },
  ]);
  // The gap reads from the numbers beside it.
  for (const r of summary.toRecords()) {
    if (r.difference === null) continue;
    const expected = (r.judge_on_ceiling_pairs as number) - (r.ceiling as number);
    assert.ok(Math.abs((r.difference as number) - expected) < 1e-12);
  }
});

Deno.test("agreementSummary() names an absent metric and a frame that is not the right one", () => {
  assert.throws(
    () => agreementSummary(agreement, ceiling, "icc_a1"),
    /no "icc_a1" rows; the agreement frame has "lin_ccc", "mae"/,
  );
  assert.throws(
    () => agreementSummary(agreement, ceiling.drop("judge_estimate"), "lin_ccc"),
    /the ceiling frame lacks "judge_estimate"; pass the frame from ceiling\(\)/,
  );
});
