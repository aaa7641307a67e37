/**
 * The Benjamini–Yekutieli false discovery rate procedure, for `altTest()`.
 *
 * @module
 */

/**
 * Benjamini–Yekutieli adjusted p-values and decisions (Benjamini & Yekutieli 2001, Annals of
 * Statistics 29(4), Theorem 1.3): the step-up procedure that controls the false discovery rate
 * at `q` under any dependence between the tests.
 *
 * With m p-values sorted p₍₁₎ ≤ … ≤ p₍ₘ₎ and c(m) = Σᵢ₌₁ᵐ 1/i, the step-up form rejects the
 * hypotheses of p₍₁₎ … p₍ₖ₎ for the largest k with p₍ₖ₎ ≤ k·q / (m·c(m)). The same decisions
 * come from the adjusted p-values p̃₍ₖ₎ = min over i ≥ k of min(1, m·c(m)·p₍ᵢ₎ / i): a
 * hypothesis is rejected when p̃ ≤ q. This returns the adjusted values (those of
 * `scipy.stats.false_discovery_control(p, method="by")`) and decides with them.
 *
 * @param p The p-values, each in [0, 1].
 * @param q The false discovery rate, in (0, 1).
 * @returns `adjusted[i]` and `rejected[i]` for each `p[i]`, in the order given.
 * @throws {RangeError} When a p-value is not in [0, 1] or `q` is not in (0, 1).
 *
 * @example
 * ```ts
 * import { _benjaminiYekutieli } from "./_benjamini_yekutieli.ts";
 * import assert from "node:assert/strict";
 *
 * // m = 2, c(2) = 1.5: 0.01 · 2 · 1.5 / 1 = 0.03; 0.04 · 2 · 1.5 / 2 = 0.06.
 * const { adjusted, rejected } = _benjaminiYekutieli([0.04, 0.01], 0.05);
 * assert.ok(Math.abs(adjusted[0]! - 0.06) < 1e-15 && Math.abs(adjusted[1]! - 0.03) < 1e-15);
 * assert.deepEqual(rejected, [false, true]);
 * ```
 */
export function _benjaminiYekutieli(
  p: readonly number[],
  q: number,
): { adjusted: number[]; rejected: boolean[] } {
  const fn = "_benjaminiYekutieli";
  if (!(q > 0 && q < 1)) throw new RangeError(`${fn}(): q must be in (0, 1), got ${q}`);
  p.forEach((v, i) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${fn}(): p[${i}] must be in [0, 1], got ${v}`);
  });
  const m = p.length;
  let cm = 0;
  for (let i = 1; i <= m; i++) cm += 1 / i;
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
  const adjusted = new Array<number>(m).fill(NaN);
  let running = 1;
  for (let k = m; k >= 1; k--) {
    const at = order[k - 1]!;
    running = Math.min(running, (p[at]! * m * cm) / k);
    adjusted[at] = running;
  }
  return { adjusted, rejected: adjusted.map((a) => a <= q) };
}
