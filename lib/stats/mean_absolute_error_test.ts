import assert from "node:assert/strict";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

Deno.test("meanAbsoluteError() matches numpy on every fixture (Bond half points, 0-10, one pair)", () => {
  for (const c of fixtures.cases) {
    assertClose(meanAbsoluteError(c.judge, c.physician), c.meanAbsoluteError, 1e-12, c.name);
  }
});

Deno.test("meanAbsoluteError() rejects empty, unequal and non-finite input, naming the argument", () => {
  assert.throws(() => meanAbsoluteError([], []), /meanAbsoluteError\(\): judge is empty/);
  assert.throws(() => meanAbsoluteError([1, 2], [1]), /judge has 2 values but physician has 1/);
  assert.throws(() => meanAbsoluteError([1], [NaN]), /physician\[0\] is NaN/);
});

Deno.test("meanAbsoluteError() divides by the scale range when given, and checks it", () => {
  // |5−4| + |0−2.5| + |3−3| = 3.5 over 3 items, on Bond's 0–5 scale.
  assertClose(meanAbsoluteError([5, 0, 3], [4, 2.5, 3], { range: 5 }), 3.5 / 3 / 5, 1e-15, "MAE");
  assert.throws(
    () => meanAbsoluteError([1], [2], { range: 0 }),
    /options.range must be a positive number, got 0/,
  );
});
