import assert from "node:assert/strict";
import { cohenKappa } from "./cohen_kappa.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/kappa.json" with { type: "json" };

const WEIGHTS = ["none", "linear", "quadratic"] as const;

/** Every weighting of a fixture case, with the categories left to the data and declared. */
function assertMatchesFixture(c: typeof fixtures.cases[number]): void {
  for (const weights of WEIGHTS) {
    const label = `${c.name}, ${weights}`;
    assertClose(cohenKappa(c.a, c.b, { weights }), c[weights], 1e-9, label);
    assertClose(
      cohenKappa(c.a, c.b, { weights, categories: c.categories }),
      c[weights],
      1e-9,
      label,
    );
  }
}

Deno.test("cohenKappa() matches sklearn's cohen_kappa_score on contiguous integer scales", () => {
  for (const c of fixtures.cases.filter((c) => c.reference === "sklearn")) assertMatchesFixture(c);
});

Deno.test("cohenKappa() uses category values, not positions, on Bond's scale", () => {
  for (const c of fixtures.cases.filter((c) => c.reference !== "sklearn")) {
    assertMatchesFixture(c);
    // Positional weighting (what sklearn does on this scale) gives a different number.
    const positional = c.sklearnPositionalLinear as number;
    assert.ok(Math.abs(cohenKappa(c.a, c.b, { weights: "linear" }) - positional) > 1e-3, c.name);
  }
});

Deno.test("cohenKappa() on a hand-worked 2 × 2 table", () => {
  // Cells yes/yes 20, yes/no 5, no/yes 10, no/no 15 (n = 50): p_o = 0.7,
  // p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.5, κ = (0.7 − 0.5) / 0.5 = 0.4.
  const a = [...Array(25).fill(1), ...Array(25).fill(0)];
  const b = [...Array(20).fill(1), ...Array(5).fill(0), ...Array(10).fill(1), ...Array(15).fill(0)];
  assertClose(cohenKappa(a, b), 0.4, 1e-12, "κ");
  // With two categories every weighting is the same.
  assertClose(cohenKappa(a, b, { weights: "quadratic" }), 0.4, 1e-12, "quadratic κ");
});

Deno.test("cohenKappa() is NaN for a single shared category and 1 for perfect agreement", () => {
  assert.ok(Number.isNaN(cohenKappa([3, 3, 3], [3, 3, 3])));
  assert.ok(Number.isNaN(cohenKappa([3], [3], { weights: "linear" })));
  assert.equal(cohenKappa([0, 2, 2.5], [0, 2, 2.5], { weights: "quadratic" }), 1);
  // One rater constant, the other not: chance agreement equals observed, κ = 0.
  assert.equal(cohenKappa([3, 3, 3, 3], [3, 4, 3, 4]), 0);
});

Deno.test("cohenKappa() rejects scores outside the declared scale and bad options", () => {
  const bond = [0, 2, 2.5, 3, 3.5, 4, 4.5, 5];
  assert.throws(
    () => cohenKappa([0, 1], [0, 2], { categories: bond }),
    /a\[1\] = 1 is not one of options.categories \(0, 2, 2.5/,
  );
  assert.throws(() => cohenKappa([0], [0], { categories: [0, 0] }), /lists 0 twice/);
  assert.throws(() => cohenKappa([0], [0], { categories: [] }), /non-empty array/);
  assert.throws(
    // @ts-expect-error: an unknown weighting is a caller error worth a clear message.
    () => cohenKappa([0], [0], { weights: "cubic" }),
    /options.weights must be "none", "linear" or "quadratic", got "cubic"/,
  );
  assert.throws(() => cohenKappa([], []), /cohenKappa\(\): a is empty/);
  assert.throws(() => cohenKappa([1, 2], [1]), /a has 2 values but b has 1/);
});
