import assert from "node:assert/strict";
import { blandAltman } from "./bland_altman.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/ccc_bland_altman.json" with { type: "json" };

Deno.test("blandAltman() matches numpy and scipy's linregress on every fixture", () => {
  for (const c of fixtures.cases) {
    const got = blandAltman(c.judge, c.physician);
    for (const key of ["bias", "lower", "upper", "slope"] as const) {
      assertClose(got[key], c[key], 1e-12, `${c.name}, ${key}`);
    }
  }
});

Deno.test("blandAltman() finds proportional bias (hand-worked)", () => {
  // The judge compresses the scale: j = 1 + p/2 on p = 0, 2, 4. Differences 1, 0, −1 on pair
  // means 0.5, 2, 3.5: bias 0, s_d = 1, slope −3 / 4.5 = −2/3.
  const ba = blandAltman([1, 2, 3], [0, 2, 4]);
  assertClose(ba.bias, 0, 1e-15, "bias");
  assertClose(ba.lower, -1.96, 1e-15, "lower");
  assertClose(ba.upper, 1.96, 1e-15, "upper");
  assertClose(ba.slope, -2 / 3, 1e-15, "slope");
});

Deno.test("blandAltman() leaves undefined parts NaN: limits of one pair, slope of equal means", () => {
  const one = blandAltman([3], [2]);
  assert.equal(one.bias, 1);
  assert.ok(Number.isNaN(one.lower) && Number.isNaN(one.upper) && Number.isNaN(one.slope));
  const flat = blandAltman([1, 2, 3], [3, 2, 1]);
  assert.ok(Number.isNaN(flat.slope));
  assert.throws(() => blandAltman([], []), /blandAltman\(\): judge is empty/);
});
