import assert from "node:assert/strict";
import { _jackknifeT } from "./_jackknife_t.ts";
import { assertClose } from "./_assert_close.ts";

Deno.test("_jackknifeT(): hand-worked interval on the identity scale", () => {
  // Leave-one-out values 1, 2, 3, 4 (G = 4): mean 2.5, Σ(θ₍c₎ − 2.5)² = 5,
  // SE² = 3/4 · 5 = 3.75, t₀.₉₇₅(3) = 3.182446305284263 (scipy.stats.t.ppf).
  const r = _jackknifeT(2.5, [1, 2, 3, 4], 0.95);
  const half = 3.182446305284263 * Math.sqrt(3.75);
  assertClose(r.standardError, Math.sqrt(3.75), 1e-15, "SE");
  assertClose(r.lower, 2.5 - half, 1e-11, "lower");
  assertClose(r.upper, 2.5 + half, 1e-11, "upper");
});

Deno.test("_jackknifeT(): built on the log scale and mapped back (an error stays positive)", () => {
  const jack = [0.5, 0.8, 1.1, 0.7, 0.9];
  const onLog = _jackknifeT(Math.log(0.8), jack.map(Math.log), 0.9);
  const r = _jackknifeT(0.8, jack, 0.9, "log");
  assertClose(r.lower, Math.exp(onLog.lower), 1e-15, "lower");
  assertClose(r.upper, Math.exp(onLog.upper), 1e-15, "upper");
  assert.ok(r.lower > 0);
  // Fisher's z keeps a correlation's limits inside (−1, 1).
  const z = _jackknifeT(0.95, [0.99, 0.9, 0.97, 0.93], 0.95, "atanh");
  assert.ok(z.lower > -1 && z.upper < 1 && z.lower < 0.95 && z.upper > 0.95);
});

Deno.test("_jackknifeT(): falls back to the identity scale when a value is outside the transform's domain", () => {
  // A leave-one-out MAE of 0 has no logarithm: the interval is the identity-scale one.
  assert.deepEqual(
    _jackknifeT(0.4, [0, 0.5, 0.6, 0.5], 0.95, "log"),
    _jackknifeT(0.4, [0, 0.5, 0.6, 0.5], 0.95),
  );
});

Deno.test("_jackknifeT(): NaN limits with fewer than two cases or a non-finite value", () => {
  assert.ok(Number.isNaN(_jackknifeT(1, [1], 0.95).lower));
  assert.ok(Number.isNaN(_jackknifeT(NaN, [1, 2], 0.95).upper));
  assert.ok(Number.isNaN(_jackknifeT(1, [1, NaN, 2], 0.95).lower));
});
