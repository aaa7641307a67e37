import assert from "node:assert/strict";
import { BENCHMARKS, isBenchmark } from "./benchmark.ts";

Deno.test("BENCHMARKS lists the six task keys in the site's order", () => {
  assert.deepEqual(BENCHMARKS, [
    "management_reasoning",
    "bi_triage",
    "cpc_bond",
    "r_idea",
    "diagnostic_reasoning",
    "cpc_management",
  ]);
});

Deno.test("isBenchmark() accepts exactly the task keys, case and spacing included", () => {
  for (const key of BENCHMARKS) assert.equal(isBenchmark(key), true, key);
  for (const other of ["CPC_BOND", " cpc_bond", "bond", "", "constructor", "toString"]) {
    assert.equal(isBenchmark(other), false, JSON.stringify(other));
  }
  for (const value of [undefined, null, 3, ["cpc_bond"], { cpc_bond: true }]) {
    assert.equal(isBenchmark(value), false, String(value));
  }
});
