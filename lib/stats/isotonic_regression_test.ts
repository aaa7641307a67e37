import assert from "node:assert/strict";
import { assertClose } from "./_assert_close.ts";
import { isotonicPredict, isotonicRegression } from "./isotonic_regression.ts";
import fixtures from "./fixtures/isotonic.json" with { type: "json" };

/** The fitted value at each input x. */
function fitted(x: number[], y: number[], w?: number[]): number[] {
  const fit = isotonicRegression(x, y, w);
  return x.map((v) => isotonicPredict(fit, v));
}

Deno.test("isotonicRegression() leaves monotone input as it is", () => {
  assert.deepEqual(isotonicRegression([0, 1, 2, 3], [0, 1, 1, 5]), {
    x: [0, 1, 2, 3],
    y: [0, 1, 1, 5],
  });
  assert.deepEqual(isotonicRegression([7], [3]), { x: [7], y: [3] });
});

Deno.test("isotonicRegression() pools a single violator with its neighbours (hand-worked)", () => {
  // 4 > 2 violates; pooled mean 3; then 3 ≤ 3 holds. Then 6 > 1: pool (6 + 1) / 2 = 3.5.
  assert.deepEqual(fitted([1, 2, 3, 4, 5, 6], [1, 4, 2, 3, 6, 1]), [1, 3, 3, 3, 3.5, 3.5]);
  // A late low value pools backwards block by block: (3 − 3) / 2 = 0, then with the 2 before
  // it 2 / 3, then with the first 2: (2 + 2 + 3 − 3) / 4 = 1.
  assert.deepEqual(fitted([1, 2, 3, 4], [2, 2, 3, -3]), [1, 1, 1, 1]);
  // It stops where the order holds: (2 + 3 + 0) / 3 = 5/3 is above the first point's 1.
  assert.deepEqual(fitted([1, 2, 3, 4], [1, 2, 3, 0]), [1, 5 / 3, 5 / 3, 5 / 3]);
  // A decreasing sequence pools into its mean.
  assert.deepEqual(fitted([1, 2, 3], [3, 2, 1]), [2, 2, 2]);
  // The map keeps each block's two ends only.
  assert.deepEqual(isotonicRegression([1, 2, 3, 4, 5], [0, 3, 2, 1, 9]), {
    x: [1, 2, 4, 5],
    y: [0, 2, 2, 9],
  });
});

Deno.test("isotonicRegression() uses weights in the pooled means (hand-worked)", () => {
  // Points (x=1, y=3, w=3) and (x=2, y=1, w=1) pool at (9 + 1) / 4 = 2.5.
  assert.deepEqual(fitted([1, 2, 3], [3, 1, 4], [3, 1, 2]), [2.5, 2.5, 4]);
  // Integer weights equal repeated points.
  assert.deepEqual(
    fitted([1, 2, 3], [3, 1, 4], [2, 1, 1]),
    fitted([1, 1, 2, 3], [3, 3, 1, 4]).slice(1),
  );
});

Deno.test("isotonicRegression() gives tied x one value, pooled before any violator", () => {
  // x=2 holds 1 and 100: as one point (mean 50.5, weight 2) it does not violate x=1's 5.
  // Pooling the 1 with x=1 first (and adding the 100 later) would give 35.33 for both.
  assert.deepEqual(isotonicRegression([2, 1, 2], [1, 5, 100]), { x: [1, 2], y: [5, 50.5] });
  // Ties that do violate: x=1 → mean 4, x=2 → mean 2, pooled: (8 + 4) / 4 = 3.
  assert.deepEqual(fitted([1, 1, 2, 2], [3, 5, 1, 3]), [3, 3, 3, 3]);
  // Input order does not matter.
  assert.deepEqual(
    isotonicRegression([3, 1, 2, 1], [2, 0, 5, 1]),
    isotonicRegression([1, 1, 2, 3], [1, 0, 5, 2]),
  );
});

Deno.test("isotonicRegression() matches scipy.optimize.isotonic_regression", () => {
  for (const c of fixtures.scipy.cases) {
    const got = fitted(c.x, c.y, c.weights ?? undefined);
    got.forEach((v, i) => assertClose(v, c.fitted[i]!, 1e-12, `n=${c.x.length}, i=${i}`));
  }
});

Deno.test("isotonicRegression() and isotonicPredict() match sklearn's IsotonicRegression", () => {
  for (const c of fixtures.sklearn.cases) {
    const fit = isotonicRegression(c.x, c.y, c.weights ?? undefined);
    c.x.forEach((v, i) =>
      assertClose(isotonicPredict(fit, v), c.fitted[i]!, 1e-12, `n=${c.x.length}, i=${i}`)
    );
    c.query.forEach((q, i) =>
      assertClose(isotonicPredict(fit, q), c.predicted[i]!, 1e-12, `n=${c.x.length}, x=${q}`)
    );
  }
});

Deno.test("isotonicRegression() output is non-decreasing and the predictions are too", () => {
  let state = 7;
  const random = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const x = Array.from({ length: 300 }, () => Math.floor(random() * 20));
  const y = x.map((v) => v + 10 * (random() - 0.5));
  const fit = isotonicRegression(x, y);
  for (let k = 1; k < fit.x.length; k++) {
    assert.ok(fit.x[k]! > fit.x[k - 1]!);
    assert.ok(fit.y[k]! >= fit.y[k - 1]!);
  }
  let previous = -Infinity;
  for (let v = -2; v <= 22; v += 0.37) {
    const p = isotonicPredict(fit, v);
    assert.ok(p >= previous);
    previous = p;
  }
  // Least squares keeps the weighted total: Σ ŷ = Σ y.
  const total = (a: number[]) => a.reduce((s, v) => s + v, 0);
  assertClose(total(x.map((v) => isotonicPredict(fit, v))), total(y), 1e-9, "sum");
});

Deno.test("isotonicPredict() interpolates between blocks, is flat in one, clamps outside", () => {
  const fit = { x: [0, 2, 3, 5], y: [1, 1, 2, 4] };
  assert.equal(isotonicPredict(fit, 1), 1); // inside the pooled block [0, 2]
  assert.equal(isotonicPredict(fit, 2.5), 1.5);
  assert.equal(isotonicPredict(fit, 4), 3);
  assert.equal(isotonicPredict(fit, -10), 1);
  assert.equal(isotonicPredict(fit, 10), 4);
  assert.ok(Number.isNaN(isotonicPredict(fit, NaN)));
  assert.throws(() => isotonicPredict({ x: [], y: [] }, 1), /isotonicPredict\(\): fit must/);
  assert.throws(() => isotonicPredict({ x: [1, 2], y: [1] }, 1), /same length/);
});

Deno.test("isotonicRegression() rejects bad input with a RangeError naming the argument", () => {
  assert.throws(() => isotonicRegression([], []), /isotonicRegression\(\): x is empty/);
  assert.throws(() => isotonicRegression([1, 2], [1]), /x has 2 values but y has 1/);
  assert.throws(() => isotonicRegression([1, NaN], [1, 2]), /x\[1\] is NaN, not a finite/);
  assert.throws(() => isotonicRegression([1, 2], [1, Infinity]), /y\[1\] is Infinity/);
  assert.throws(() => isotonicRegression([1, 2], [1, 2], [1]), /weights has 1/);
  assert.throws(
    () => isotonicRegression([1, 2], [1, 2], [1, 0]),
    (e: unknown) => e instanceof RangeError && /weights\[1\] is 0, not a positive/.test(e.message),
  );
});
