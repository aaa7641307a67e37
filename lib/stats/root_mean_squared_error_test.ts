import { rootMeanSquaredError } from "./root_mean_squared_error.ts";
import { assertClose } from "./_assert_close.ts";
import { testErrorMetricContract } from "./_metric_contract_test_support.ts";

testErrorMetricContract("rootMeanSquaredError", rootMeanSquaredError);

Deno.test("rootMeanSquaredError() weighs large misses more than MAE (hand-worked)", () => {
  // Differences 0, 0, 3: MAE 1, RMSE √3.
  assertClose(rootMeanSquaredError([1, 2, 5], [1, 2, 2]), Math.sqrt(3), 1e-15, "RMSE");
  assertClose(
    rootMeanSquaredError([1, 2, 5], [1, 2, 2], { range: 10 }),
    Math.sqrt(3) / 10,
    1e-15,
    "scaled",
  );
});
