import assert from "node:assert/strict";
import { kendallTauB } from "./kendall_tau_b.ts";
import { assertClose } from "./_assert_close.ts";
import { _uniform } from "./_prng.ts";
import fixtures from "./fixtures/correlations.json" with { type: "json" };

Deno.test("kendallTauB() matches scipy's kendalltau (variant b) on every fixture", () => {
  for (const c of fixtures.cases) {
    assertClose(kendallTauB(c.x, c.y), c.kendallTauB as number | null, 1e-9, c.name);
  }
});

Deno.test("kendallTauB() corrects for ties in both vectors (hand-worked)", () => {
  // 15 pairs; x ties 3 of them, y none; concordant 10, discordant 2 → 8 / √(12 · 15)
  // (scipy.stats.kendalltau: 0.5962847939999439).
  const tau = kendallTauB([1, 2, 2, 2, 3, 4], [2, 1, 3, 5, 4, 6]);
  assertClose(tau, 8 / Math.sqrt(12 * 15), 1e-12, "τ-b");
});

Deno.test("kendallTauB() is NaN for a single pair or a constant vector; rejects bad input", () => {
  assert.ok(Number.isNaN(kendallTauB([1], [2])));
  assert.ok(Number.isNaN(kendallTauB([1, 2, 3], [4, 4, 4])));
  assert.throws(() => kendallTauB([1], [1, 2]), /x has 1 values but y has 2/);
  assert.throws(() => kendallTauB([], []), /kendallTauB\(\): x is empty/);
});

Deno.test("kendallTauB() agrees with counting every pair on tie-heavy random data", () => {
  const uniform = _uniform(17);
  for (const [n, levels] of [[2, 3], [7, 2], [50, 4], [301, 9], [1000, 30]] as const) {
    const x = Array.from({ length: n }, () => Math.floor(uniform() * levels) / 2);
    const y = x.map((v) => uniform() < 0.6 ? v : Math.floor(uniform() * levels) / 2);
    assertClose(kendallTauB(x, y), _bruteForce(x, y), 1e-12, `n=${n}, ${levels} levels`);
  }
});

/** τ-b by the definition: every pair's concordance, O(n²). */
function _bruteForce(x: readonly number[], y: readonly number[]): number {
  let score = 0, tiedX = 0, tiedY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const dx = Math.sign(x[j]! - x[i]!), dy = Math.sign(y[j]! - y[i]!);
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      score += dx * dy;
    }
  }
  const pairs = (x.length * (x.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  return denominator > 0 ? score / denominator : NaN;
}
