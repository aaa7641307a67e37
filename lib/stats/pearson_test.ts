import assert from "node:assert/strict";
import { pearson } from "./pearson.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/correlations.json" with { type: "json" };

// Reference values from numpy.corrcoef (numpy 1.26), recorded by hand.
Deno.test("pearson() matches numpy's corrcoef", () => {
  assert.ok(Math.abs(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]) - 0.7745966692414834) < 1e-12);
  // Bond-scale scores with half points and ties.
  const judge = [0, 2, 2.5, 3, 5, 5, 4.5, 0];
  const physician = [0, 3, 2, 3, 5, 4.5, 4, 2];
  assert.ok(Math.abs(pearson(judge, physician) - 0.9081721861529887) < 1e-12);
});

Deno.test("pearson() matches scipy's pearsonr on every fixture (ties, tiny n, constants)", () => {
  for (const c of fixtures.cases) {
    assertClose(pearson(c.x, c.y), c.pearson as number | null, 1e-9, c.name);
  }
});

Deno.test("pearson() is exactly ±1 on a perfect line and NaN on a constant vector", () => {
  assert.equal(pearson([1, 2, 3], [3, 2, 1]), -1);
  assert.ok(Number.isNaN(pearson([2, 2, 2], [1, 2, 3])));
});

Deno.test("pearson() is NaN for a single pair, and rejects empty, unequal or non-finite input", () => {
  assert.ok(Number.isNaN(pearson([1], [1])));
  assert.throws(() => pearson([1, 2], [1]), /x has 2 values but y has 1/);
  assert.throws(() => pearson([], []), /pearson\(\): x is empty/);
  assert.throws(() => pearson([1, NaN], [1, 2]), /x\[1\] is NaN, not a finite number/);
});
