import assert from "node:assert/strict";
import { withinOneAgreement } from "./within_one_agreement.ts";
import { testErrorMetricContract } from "./_metric_contract_test_support.ts";

testErrorMetricContract("withinOneAgreement", withinOneAgreement);

Deno.test("withinOneAgreement() counts a difference of exactly one, even in decimals", () => {
  assert.equal(withinOneAgreement([3, 2.5, 0], [2, 4, 2]), 1 / 3);
  // 2.2 − 1.2 is 1.0000000000000002 in binary: still one point.
  assert.equal(withinOneAgreement([2.2, 1.3], [1.2, 2.3]), 1);
});
