import assert from "node:assert/strict";
import { withinOneAgreement } from "./within_one_agreement.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

Deno.test("withinOneAgreement() matches numpy on every fixture (Bond half points, 0-10, one pair)", () => {
  for (const c of fixtures.cases) {
    assertClose(withinOneAgreement(c.judge, c.physician), c.withinOneAgreement, 1e-12, c.name);
  }
});

Deno.test("withinOneAgreement() rejects empty, unequal and non-finite input, naming the argument", () => {
  assert.throws(() => withinOneAgreement([], []), /withinOneAgreement\(\): judge is empty/);
  assert.throws(() => withinOneAgreement([1, 2], [1]), /judge has 2 values but physician has 1/);
  assert.throws(() => withinOneAgreement([1], [NaN]), /physician\[0\] is NaN/);
});

Deno.test("withinOneAgreement() counts a difference of exactly one, even in decimals", () => {
  assert.equal(withinOneAgreement([3, 2.5, 0], [2, 4, 2]), 1 / 3);
  // 2.2 − 1.2 is 1.0000000000000002 in binary: still one point.
  assert.equal(withinOneAgreement([2.2, 1.3], [1.2, 2.3]), 1);
});
