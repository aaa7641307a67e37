import {
  _fCdf,
  _fQuantile,
  _normalCdf,
  _normalQuantile,
  _tCdf,
  _tQuantile,
} from "./_distributions.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/distributions.json" with { type: "json" };
import tFixtures from "./fixtures/student_t.json" with { type: "json" };

Deno.test("_fQuantile() matches scipy.stats.f.ppf to 1e-9 relative, real-valued df included", () => {
  for (const c of fixtures.fQuantiles) {
    const q = _fQuantile(c.p, c.df1, c.df2);
    assertClose(q, c.quantile, 1e-9 * Math.max(1, c.quantile), `F(${c.df1}, ${c.df2}) at ${c.p}`);
  }
});

Deno.test("_fCdf() matches scipy.stats.f.cdf and inverts _fQuantile()", () => {
  for (const c of fixtures.fCdf) {
    assertClose(_fCdf(c.x, c.df1, c.df2), c.cdf, 1e-12, `F(${c.df1}, ${c.df2}) at ${c.x}`);
  }
  // Not against scipy's cdf at its ppf: far in the upper tail (F(3, 0.5) at 0.999, x ≈ 2.9e11)
  // scipy's cdf loses digits (0.99900001) while the two quantiles agree to 2e-15.
  for (const c of fixtures.fQuantiles) {
    const label = `F(${c.df1}, ${c.df2}) at its ${c.p} quantile`;
    assertClose(_fCdf(_fQuantile(c.p, c.df1, c.df2), c.df1, c.df2), c.p, 1e-12 * c.p, label);
  }
});

Deno.test("_normalCdf() and _normalQuantile() match scipy.stats.norm in both tails", () => {
  for (const c of fixtures.normalCdf) {
    assertClose(_normalCdf(c.z), c.cdf, 1e-15 + 1e-12 * c.cdf, `Φ(${c.z})`);
  }
  for (const c of fixtures.normalQuantiles) {
    assertClose(_normalQuantile(c.p), c.quantile, 1e-9, `Φ⁻¹(${c.p})`);
  }
});

Deno.test("_fQuantile() and _normalQuantile() return the limits and NaN for invalid input", () => {
  assertClose(_fQuantile(0, 3, 4), 0, 0, "p = 0");
  assertClose(_fQuantile(1, 3, 4), Infinity, 0, "p = 1");
  assertClose(_fQuantile(0.5, 0, 4), NaN, 0, "df1 = 0");
  assertClose(_fQuantile(1.5, 3, 4), NaN, 0, "p > 1");
  assertClose(_normalQuantile(0), -Infinity, 0, "Φ⁻¹(0)");
  assertClose(_normalQuantile(-0.1), NaN, 0, "Φ⁻¹(−0.1)");
});

Deno.test("_tCdf() and _tQuantile() match scipy.stats.t in both tails", () => {
  for (const c of tFixtures.tCdf) {
    const label = `t(${c.df}) at ${c.x}`;
    assertClose(_tCdf(c.x, c.df), c.cdf, 1e-14 + 1e-11 * c.cdf, label);
    assertClose(_tCdf(c.x, c.df, true), c.sf, 1e-14 + 1e-11 * c.sf, `${label}, upper`);
  }
  for (const c of tFixtures.tQuantiles) {
    const q = _tQuantile(c.p, c.df);
    assertClose(q, c.quantile, 1e-9 * Math.max(1, Math.abs(c.quantile)), `t(${c.df}) at ${c.p}`);
  }
  assertClose(_tQuantile(0.975, 4), 2.7764451051977987, 1e-12, "the 5-cluster interval's t");
  assertClose(_tQuantile(0, 3), -Infinity, 0, "p = 0");
  assertClose(_tQuantile(0.5, 0), NaN, 0, "df = 0");
  assertClose(_tCdf(NaN, 3), NaN, 0, "NaN");
});
