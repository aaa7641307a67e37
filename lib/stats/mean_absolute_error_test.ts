import assert from "node:assert/strict";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { assertClose } from "./_assert_close.ts";
import { testErrorMetricContract } from "./_metric_contract_test_support.ts";

testErrorMetricContract("meanAbsoluteError", meanAbsoluteError);

Deno.test("meanAbsoluteError() divides by the scale range when given, and checks it", () => {
  // |5−4| + |0−2.5| + |3−3| = 3.5 over 3 items, on Bond's 0–5 scale.
  assertClose(meanAbsoluteError([5, 0, 3], [4, 2.5, 3], { range: 5 }), 3.5 / 3 / 5, 1e-15, "MAE");
  assert.throws(
    () => meanAbsoluteError([1], [2], { range: 0 }),
    /options.range must be a positive number, got 0/,
  );
});
