import assert from "node:assert/strict";
import { exactAgreement } from "./exact_agreement.ts";
import { testErrorMetricContract } from "./_metric_contract_test_support.ts";

testErrorMetricContract("exactAgreement", exactAgreement);

Deno.test("exactAgreement() tells half points apart", () => {
  assert.equal(exactAgreement([2.5, 3, 3.5], [2.5, 3.5, 3]), 1 / 3);
});
