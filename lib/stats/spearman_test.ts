import assert from "node:assert/strict";
import { spearman } from "./spearman.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/correlations.json" with { type: "json" };

Deno.test("spearman() matches scipy's spearmanr on every fixture (ties, tiny n, constants)", () => {
  for (const c of fixtures.cases) {
    assertClose(spearman(c.x, c.y), c.spearman as number | null, 1e-9, c.name);
  }
});

Deno.test("spearman() gives ties midranks, so the order of the pairs does not matter", () => {
  const x = [1, 2, 2, 2, 3, 4], y = [2, 1, 3, 5, 4, 6];
  const order = [5, 2, 0, 4, 1, 3];
  // Hand-worked: midranks of x are 1, 3, 3, 3, 5, 6 and y's ranks 2, 1, 3, 5, 4, 6, so
  // ρ = 11.5 / √(15.5 · 17.5) (scipy: 0.6982532518267538).
  assertClose(spearman(x, y), 11.5 / Math.sqrt(15.5 * 17.5), 1e-12, "ρ");
  assertClose(
    spearman(order.map((i) => x[i]!), order.map((i) => y[i]!)),
    spearman(x, y),
    1e-15,
    "reordered",
  );
});

Deno.test("spearman() is NaN for a single pair or a constant vector; rejects bad input", () => {
  assert.ok(Number.isNaN(spearman([1], [2])));
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  assert.throws(() => spearman([1, 2, 3], [1, 2]), /x has 3 values but y has 2/);
  assert.throws(() => spearman([], []), /spearman\(\): x is empty/);
  assert.throws(() => spearman([1, 2], [1, Infinity]), /y\[1\] is Infinity/);
});
