import assert from "node:assert/strict";
import { linCcc } from "./lin_ccc.ts";
import { pearson } from "./pearson.ts";
import { assertClose } from "./_assert_close.ts";
import epiR from "./fixtures/lin_ccc_epir.json" with { type: "json" };
import numpy from "./fixtures/ccc_bland_altman.json" with { type: "json" };

Deno.test("linCcc() matches R epiR::epi.ccc on every fixture", () => {
  for (const c of epiR.cases) assertClose(linCcc(c.judge, c.physician), c.linCcc, 1e-9, c.name);
});

Deno.test("linCcc() matches Lin's formula computed in numpy on every fixture", () => {
  for (const c of numpy.cases) assertClose(linCcc(c.judge, c.physician), c.linCcc, 1e-12, c.name);
});

Deno.test("linCcc() penalises a shift that Pearson's r ignores", () => {
  const physician = [0, 2, 3, 4, 5, 2.5];
  const lenient = physician.map((p) => p + 1);
  assertClose(pearson(lenient, physician), 1, 1e-12, "r");
  // Hand-worked: both variances are v = 14.875 / 6 and the shift is 1, so CCC = 2v / (2v + 1).
  const v = 14.875 / 6;
  assertClose(linCcc(lenient, physician), (2 * v) / (2 * v + 1), 1e-12, "CCC");
});

Deno.test("linCcc() is NaN for one pair or equal constants, 0 for different constants", () => {
  assert.ok(Number.isNaN(linCcc([2], [3])));
  assert.ok(Number.isNaN(linCcc([2, 2], [2, 2])));
  assert.equal(linCcc([2, 2], [3, 3]), 0);
  assert.throws(() => linCcc([], []), /linCcc\(\): judge is empty/);
  assert.throws(() => linCcc([1, 2], [1]), /judge has 2 values but physician has 1/);
});
