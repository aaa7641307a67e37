import assert from "node:assert/strict";
import { meanBias } from "./mean_bias.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

Deno.test("meanBias() matches numpy on every fixture (Bond half points, 0-10, one pair)", () => {
  for (const c of fixtures.cases) {
    assertClose(meanBias(c.judge, c.physician), c.meanBias, 1e-12, c.name);
  }
});

Deno.test("meanBias() rejects empty, unequal and non-finite input, naming the argument", () => {
  assert.throws(() => meanBias([], []), /meanBias\(\): judge is empty/);
  assert.throws(() => meanBias([1, 2], [1]), /judge has 2 values but physician has 1/);
  assert.throws(() => meanBias([1], [NaN]), /physician\[0\] is NaN/);
});

Deno.test("meanBias() is judge minus physician: positive for a lenient judge", () => {
  assert.equal(meanBias([5, 4, 3], [4, 4, 2]), 2 / 3);
  assert.equal(meanBias([4, 4, 2], [5, 4, 3]), -2 / 3);
  assert.equal(meanBias([5, 4, 3], [4, 4, 2], { range: 4 }), 2 / 3 / 4);
});
