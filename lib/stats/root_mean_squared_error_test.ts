import assert from "node:assert/strict";
import { rootMeanSquaredError } from "./root_mean_squared_error.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

Deno.test("rootMeanSquaredError() matches numpy on every fixture (Bond half points, 0-10, one pair)", () => {
  for (const c of fixtures.cases) {
    assertClose(rootMeanSquaredError(c.judge, c.physician), c.rootMeanSquaredError, 1e-12, c.name);
  }
});

Deno.test("rootMeanSquaredError() rejects empty, unequal and non-finite input, naming the argument", () => {
  assert.throws(() => rootMeanSquaredError([], []), /rootMeanSquaredError\(\): judge is empty/);
  assert.throws(() => rootMeanSquaredError([1, 2], [1]), /judge has 2 values but physician has 1/);
  assert.throws(() => rootMeanSquaredError([1], [NaN]), /physician\[0\] is NaN/);
});

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
