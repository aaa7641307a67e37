import assert from "node:assert/strict";
import { icc, type IccForm } from "./icc.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/icc.json" with { type: "json" };

const FORMS: readonly IccForm[] = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"];

Deno.test("icc() matches R psych::ICC (values 1e-9, F-based 95% limits 1e-6) on every fixture", () => {
  for (const c of fixtures.cases) {
    for (const form of FORMS) {
      const got = icc(c.ratings, { form });
      const want = c[form];
      const label = `${c.name}, ${form}`;
      assertClose(got.value, want.value, 1e-9, `${label} value`);
      assertClose(got.lower, want.lower, 1e-6, `${label} lower`);
      assertClose(got.upper, want.upper, 1e-6, `${label} upper`);
    }
  }
});

Deno.test("icc() reproduces Shrout & Fleiss (1979) Table 4 to two decimals", () => {
  const table = fixtures.cases[0]!.ratings;
  const published = { ICC1: 0.17, ICC2: 0.29, ICC3: 0.71, ICC1k: 0.44, ICC2k: 0.62, ICC3k: 0.91 };
  for (const form of FORMS) {
    assert.equal(icc(table, { form }).value.toFixed(2), published[form].toFixed(2), form);
  }
});

Deno.test("icc() widens its interval with the confidence level", () => {
  const table = fixtures.cases[0]!.ratings;
  const narrow = icc(table, { form: "ICC2", level: 0.8 });
  const wide = icc(table, { form: "ICC2", level: 0.99 });
  assert.ok(wide.lower < narrow.lower && narrow.upper < wide.upper);
  assert.equal(narrow.value, wide.value);
});

Deno.test("icc() is NaN when undefined and 1 (limits 1) for perfect consistency", () => {
  for (const form of FORMS) {
    const constant = icc([[3, 3], [3, 3], [3, 3]], { form });
    assert.ok(Number.isNaN(constant.value) && Number.isNaN(constant.lower), `constant, ${form}`);
    assert.ok(Number.isNaN(icc([[1, 2, 3]], { form }).value), `one item, ${form}`);
    assert.ok(Number.isNaN(icc([[1], [2], [3]], { form }).value), `one rater, ${form}`);
  }
  const perfect = icc([[1, 1], [2, 2], [4, 4]], { form: "ICC3" });
  assert.deepEqual(perfect, { value: 1, lower: 1, upper: 1 });
  const same = icc([[1, 1], [2, 2], [4, 4]], { form: "ICC1" });
  assert.deepEqual(same, { value: 1, lower: 1, upper: 1 });
  // ICC2's Satterthwaite df is 0/0 there: the value is 1, the limits are NaN (as documented).
  const absolute = icc([[1, 1], [2, 2], [4, 4]], { form: "ICC2" });
  assert.equal(absolute.value, 1);
  assert.ok(Number.isNaN(absolute.lower) && Number.isNaN(absolute.upper));
});

Deno.test("icc() rejects empty, ragged or incomplete matrices and bad options", () => {
  assert.throws(() => icc([], { form: "ICC1" }), /icc\(\): ratings is empty/);
  assert.throws(
    () => icc([[1, 2], [3]], { form: "ICC1" }),
    /ratings\[1\] has 1 ratings but ratings\[0\] has 2/,
  );
  assert.throws(
    // @ts-expect-error: null is how a missing rating arrives from a data frame.
    () => icc([[1, 2], [3, null]], { form: "ICC2" }),
    /ratings\[1\]\[1\] is null; icc\(\) needs a complete matrix/,
  );
  // @ts-expect-error: an unknown form is a caller error worth a clear message.
  assert.throws(() => icc([[1, 2]], { form: "ICC4" }), /options.form must be one of ICC1, ICC2/);
  assert.throws(
    () => icc([[1, 2]], { form: "ICC1", level: 95 }),
    /options.level must be in \(0, 1\)/,
  );
});

Deno.test("icc() of a perfect matrix with more than two raters is exactly 1, limits 1", () => {
  const perfect = [[0.1, 0.1, 0.1], [0.7, 0.7, 0.7], [0.3, 0.3, 0.3], [0.9, 0.9, 0.9]];
  for (const form of ["ICC1", "ICC3", "ICC3k"] as const) {
    assert.deepEqual(icc(perfect, { form }), { value: 1, lower: 1, upper: 1 }, form);
  }
});
