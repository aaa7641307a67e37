import assert from "node:assert/strict";
import { _normal, _uniform } from "./_prng.ts";

Deno.test("_uniform() is reproducible per seed and different across seeds", () => {
  const a = _uniform(7), b = _uniform(7), c = _uniform(8);
  const xa = Array.from({ length: 5 }, a), xb = Array.from({ length: 5 }, b);
  assert.deepEqual(xa, xb);
  assert.notDeepEqual(xa, Array.from({ length: 5 }, c));
});

Deno.test("_uniform() fills [0, 1) evenly and _normal() has mean 0 and variance 1", () => {
  const u = _uniform(1);
  const n = 200_000;
  const bins = new Array(10).fill(0);
  let sum = 0, squares = 0;
  for (let i = 0; i < n; i++) {
    const x = u();
    assert.ok(x >= 0 && x < 1);
    bins[Math.floor(x * 10)]++;
  }
  // Each decile holds 20,000 ± 134 (binomial sd); allow 5 sd.
  for (const count of bins) assert.ok(Math.abs(count - n / 10) < 5 * 134, `decile ${count}`);
  for (let i = 0; i < n; i++) {
    const z = _normal(u);
    sum += z;
    squares += z * z;
  }
  // The mean's sd is 1/√n ≈ 0.0022 and the variance's √(2/n) ≈ 0.0032; allow 5 sd.
  assert.ok(Math.abs(sum / n) < 0.011, `mean ${sum / n}`);
  assert.ok(Math.abs(squares / n - 1) < 0.016, `variance ${squares / n}`);
});
