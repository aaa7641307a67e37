import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { agreementSummary, SUMMARY_COLUMNS } from "./agreement_summary.ts";

const agreement = pl.DataFrame({
  task: ["cpc_bond", "cpc_bond", "cpc_bond", "r_idea"],
  judge: ["gpt-4o", "constant (mode)", "gpt-4o", "gpt-4o"],
  metric: ["lin_ccc", "lin_ccc", "mae", "lin_ccc"],
  estimate: [0.7, 0, 0.9, 0.8],
  lower: [0.6, 0, 0.8, 0.7],
  upper: [0.8, 0, 1.0, 0.9],
  n: [70, 70, 70, 48],
  failure_rate: [0.01, 0, 0.01, 0],
});
const ceiling = pl.DataFrame({
  task: ["cpc_bond", "r_idea", "cpc_bond"],
  judge: ["gpt-4o", "gpt-4o", "gpt-4o"],
  metric: ["lin_ccc", "lin_ccc", "mae"],
  ceiling: [0.85, 0.92, 0.6],
  ceiling_lower: [0.8, 0.9, 0.5],
  ceiling_upper: [0.9, 0.95, 0.7],
  difference: [-0.15, -0.12, 0.3],
  difference_lower: [-0.25, -0.2, 0.1],
  difference_upper: [-0.05, -0.04, 0.5],
  share_beaten: [0.2, 0.1, 0.3],
});

Deno.test("agreementSummary() joins one metric to its ceiling, per task and judge", () => {
  const summary = agreementSummary(agreement, ceiling, "lin_ccc");
  assert.deepEqual(summary.columns, [...SUMMARY_COLUMNS]);
  assert.deepEqual(summary.toRecords(), [
    {
      task: "cpc_bond",
      judge: "gpt-4o",
      n: 70,
      failure_rate: 0.01,
      estimate: 0.7,
      lower: 0.6,
      upper: 0.8,
      ceiling: 0.85,
      ceiling_lower: 0.8,
      ceiling_upper: 0.9,
      difference: -0.15,
      difference_lower: -0.25,
      difference_upper: -0.05,
      share_beaten: 0.2,
    },
    {
      // The constant baseline: the task's ceiling beside it, no gap of its own.
      task: "cpc_bond",
      judge: "constant (mode)",
      n: 70,
      failure_rate: 0,
      estimate: 0,
      lower: 0,
      upper: 0,
      ceiling: 0.85,
      ceiling_lower: 0.8,
      ceiling_upper: 0.9,
      difference: null,
      difference_lower: null,
      difference_upper: null,
      share_beaten: null,
    },
    {
      task: "r_idea",
      judge: "gpt-4o",
      n: 48,
      failure_rate: 0,
      estimate: 0.8,
      lower: 0.7,
      upper: 0.9,
      ceiling: 0.92,
      ceiling_lower: 0.9,
      ceiling_upper: 0.95,
      difference: -0.12,
      difference_lower: -0.2,
      difference_upper: -0.04,
      share_beaten: 0.1,
    },
  ]);
});

Deno.test("agreementSummary() names an absent metric and a frame that is not the right one", () => {
  assert.throws(
    () => agreementSummary(agreement, ceiling, "icc_a1"),
    /no "icc_a1" rows; the agreement frame has "lin_ccc", "mae"/,
  );
  assert.throws(
    () => agreementSummary(agreement, ceiling.drop("share_beaten"), "lin_ccc"),
    /the ceiling frame lacks "share_beaten"; pass the frame from ceiling\(\)/,
  );
});
