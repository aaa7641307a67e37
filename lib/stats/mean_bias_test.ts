import assert from "node:assert/strict";
import { meanBias } from "./mean_bias.ts";
import { testErrorMetricContract } from "./_metric_contract_test_support.ts";

testErrorMetricContract("meanBias", meanBias);

Deno.test("meanBias() is judge minus physician: positive for a lenient judge", () => {
  assert.equal(meanBias([5, 4, 3], [4, 4, 2]), 2 / 3);
  assert.equal(meanBias([4, 4, 2], [5, 4, 3]), -2 / 3);
  assert.equal(meanBias([5, 4, 3], [4, 4, 2], { range: 4 }), 2 / 3 / 4);
});
