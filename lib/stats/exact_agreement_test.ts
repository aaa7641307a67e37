import assert from "node:assert/strict";
import { exactAgreement } from "./exact_agreement.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/errors.json" with { type: "json" };

Deno.test("exactAgreement() matches numpy on every fixture (Bond half points, 0-10, one pair)", () => {
  for (const c of fixtures.cases) {
    assertClose(exactAgreement(c.judge, c.physician), c.exactAgreement, 1e-12, c.name);
  }
});

Deno.test("exactAgreement() rejects empty, unequal and non-finite input, naming the argument", () => {
  assert.throws(() => exactAgreement([], []), /exactAgreement\(\): judge is empty/);
  assert.throws(() => exactAgreement([1, 2], [1]), /judge has 2 values but physician has 1/);
  assert.throws(() => exactAgreement([1], [NaN]), /physician\[0\] is NaN/);
});

Deno.test("exactAgreement() tells half points apart", () => {
  assert.equal(exactAgreement([2.5, 3, 3.5], [2.5, 3.5, 3]), 1 / 3);
});
