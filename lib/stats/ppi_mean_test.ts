import assert from "node:assert/strict";
import { ppiMean, type PpiMeanResult } from "./ppi_mean.ts";
import { assertClose } from "./_assert_close.ts";
import { _normalQuantile, _tQuantile } from "./_distributions.ts";
import { _normal, _uniform } from "./_prng.ts";
import fixtures from "./fixtures/ppi.json" with { type: "json" };

const Z975 = _normalQuantile(0.975);

Deno.test("ppiMean() matches hand-worked PPI++ values on a tiny input", () => {
  // n = 3, N = 2. mean Y = 8/3, mean f = 2, cov_n(Y, f) = (2/3 + 0 + 4/3) / 3 = 2/3.
  // f_all = [1, 2, 3, 2, 4]: mean 2.4, sum of squares 5.2, var (÷ n + N − 1 = 4) = 1.3.
  // λ = (2/3) / ((1 + 3/2) · 1.3) = 8/39.
  // estimate = λ · mean(u) + mean(Y) − λ · mean(f) = 8/3 + 8/39 · (3 − 2) = 112/39.
  // sd₀(λu)²/N = (64/1521) · 1 / 2 = 32/1521.
  // sd₀(Y − λf)² = var₀(Y) − 2λ cov_n + λ² var₀(f) = 8/9 − 32/117 + 128/4563 = 2936/4563, ÷ n.
  // SE² = 32/1521 + 2936/13689 = 3224/13689 = 248/1053.
  const r = ppiMean({ judge: [1, 2, 3], physician: [2, 2, 4] }, { judge: [2, 4] });
  assertClose(r.lambda, 8 / 39, 1e-15, "lambda");
  assertClose(r.estimate, 112 / 39, 1e-14, "estimate");
  assertClose(r.standardError, Math.sqrt(248 / 1053), 1e-14, "standard error");
  assertClose(r.lower, 112 / 39 - Z975 * Math.sqrt(248 / 1053), 1e-12, "lower");
  assertClose(r.upper, 112 / 39 + Z975 * Math.sqrt(248 / 1053), 1e-12, "upper");
  // Physicians only: 8/3 ± z · √(var₀(Y) / n) = 8/3 ± z · √(8/27).
  assertClose(r.physicianOnly.estimate, 8 / 3, 1e-15, "physician-only estimate");
  assertClose(r.physicianOnly.upper, 8 / 3 + Z975 * Math.sqrt(8 / 27), 1e-12, "physician upper");
});

Deno.test("ppiMean() with clusters matches hand-worked cluster-robust values", () => {
  // λ = 1/2 fixed. r = Y − f/2 = [1.5, 1, 2.5], mean 5/3; mean u = 3; estimate = 1.5 + 5/3.
  // Case a: (1/3)(−1/6 − 2/3) + (0.5/2)(4 − 3) = −1/36; case b: (1/3)(5/6) + (1/4)(2 − 3) = 1/36.
  // SE² = G/(G − 1) · Σ ψ² = 2 · 2/1296 = 1/324, SE = 1/18; t quantile with 1 df.
  // Physicians only: ψ = ∓4/9, SE² = 2 · 32/81, SE = 8/9.
  const r = ppiMean(
    { judge: [1, 2, 3], physician: [2, 2, 4], clusters: ["a", "a", "b"] },
    { judge: [2, 4], clusters: ["b", "a"] },
    { lambda: 0.5 },
  );
  const t = _tQuantile(0.975, 1);
  assertClose(r.estimate, 19 / 6, 1e-14, "estimate");
  assertClose(r.standardError, 1 / 18, 1e-14, "standard error");
  assertClose(r.upper, 19 / 6 + t / 18, 1e-12, "upper");
  assertClose(r.physicianOnly.lower, 8 / 3 - t * 8 / 9, 1e-12, "physician lower");
  assertClose(r.physicianOnly.upper, 8 / 3 + t * 8 / 9, 1e-12, "physician upper");
});

Deno.test("ppiMean() matches numpy and ppi_py's ppi_mean_ci on every fixture", () => {
  for (const c of fixtures.cases) {
    for (const want of c.results) {
      const label = `${c.name} lambda=${want.lambda} level=${want.level}`;
      const got = ppiMean(c.labeled, c.unlabeled, {
        level: want.level,
        lambda: want.lambda as "tuned" | number,
      });
      assertClose(got.lambda, want.numpy.lambda, 1e-12, `${label} lambda`);
      for (const key of ["estimate", "lower", "upper"] as const) {
        assertClose(got[key], want.numpy[key], 1e-10, `${label} ${key} (numpy)`);
        assertClose(got[key], want.ppi_py[key], 1e-10, `${label} ${key} (ppi_py)`);
        assertClose(
          got.physicianOnly[key],
          want.numpy.physicianOnly[key],
          1e-10,
          `${label} physician-only ${key}`,
        );
      }
      assertClose(got.standardError, want.numpy.standardError, 1e-12, `${label} SE`);
    }
  }
});

Deno.test("ppiMean() clustered SEs match statsmodels' cluster-robust OLS on the fixtures", () => {
  for (const c of fixtures.clustered) {
    const got = ppiMean(c.labeled, c.unlabeled, { lambda: c.lambda });
    assertClose(got.estimate, c.estimate, 1e-10, `${c.name} estimate`);
    assertClose(got.standardError, c.statsmodels.standardError, 1e-10, `${c.name} SE`);
    assertClose(
      got.upper,
      c.estimate + c.tQuantile975 * c.statsmodels.standardError,
      1e-8,
      `${c.name} upper`,
    );
    const halfWidth = (got.physicianOnly.upper - got.physicianOnly.lower) / 2;
    assertClose(
      halfWidth,
      c.tQuantile975Labeled * c.statsmodels.physicianOnlySe,
      1e-8,
      `${c.name} physician-only half-width`,
    );
    // The tuned λ with clusters is the same formula as without.
    assertClose(ppiMean(c.labeled, c.unlabeled).lambda, c.lambda, 1e-12, `${c.name} lambda`);
  }
});

Deno.test("ppiMean() at λ = 0 is the physicians-only interval, and λ = 1 is classic PPI", () => {
  const labeled = { judge: [3, 4, 5, 4, 2], physician: [2, 3, 5, 3, 2] };
  const unlabeled = { judge: [5, 3, 4, 4, 2, 5, 3, 4] };
  const zero = ppiMean(labeled, unlabeled, { lambda: 0 });
  assert.equal(zero.estimate, zero.physicianOnly.estimate);
  assertClose(zero.lower, zero.physicianOnly.lower, 1e-15, "lower");
  assertClose(zero.upper, zero.physicianOnly.upper, 1e-15, "upper");
  const one = ppiMean(labeled, unlabeled, { lambda: 1 });
  // Classic PPI: mean of the judge on the unlabeled + mean rectifier (Y − f).
  assertClose(one.estimate, 30 / 8 + (-3 / 5), 1e-14, "classic PPI estimate");
  // A fixed λ outside [0, 1] is used as given (PPI++ is valid for any fixed λ).
  assert.equal(ppiMean(labeled, unlabeled, { lambda: 1.5 }).lambda, 1.5);
});

Deno.test("ppiMean(): a constant judge gets λ = 0, and a level narrows the interval", () => {
  const r = ppiMean({ judge: [3, 3, 3], physician: [1, 2, 4] }, { judge: [3, 3] });
  assert.equal(r.lambda, 0);
  assert.equal(r.estimate, 7 / 3);
  const wide = ppiMean({ judge: [1, 2, 3], physician: [2, 2, 4] }, { judge: [2, 4] });
  const narrow = ppiMean({ judge: [1, 2, 3], physician: [2, 2, 4] }, { judge: [2, 4] }, {
    level: 0.8,
  });
  assert.ok(narrow.upper - narrow.lower < wide.upper - wide.lower);
});

Deno.test("ppiMean() intervals are NaN with one grade, or clustered grades from one case", () => {
  const one = ppiMean({ judge: [3], physician: [2] }, { judge: [3, 4] });
  assert.equal(one.estimate, 2); // λ = 0: one pair has no covariance
  assert.ok(Number.isNaN(one.lower) && Number.isNaN(one.physicianOnly.upper));
  const oneCase = ppiMean(
    { judge: [3, 4], physician: [2, 4], clusters: ["a", "a"] },
    { judge: [3, 4, 5], clusters: ["a", "b", "b"] },
  );
  assert.ok(Number.isFinite(oneCase.lower), "the PPI interval has 2 cases");
  assert.ok(Number.isNaN(oneCase.physicianOnly.lower), "the graded ones come from 1 case");
  assert.equal(oneCase.physicianOnly.estimate, 3);
});

Deno.test("ppiMean() rejects bad input with a RangeError naming the argument", () => {
  const lab = { judge: [1, 2, 3], physician: [2, 2, 4] };
  const unl = { judge: [2, 4] };
  const bad = (args: Parameters<typeof ppiMean>, message: RegExp) =>
    assert.throws(
      () => ppiMean(...args),
      (e: unknown) => e instanceof RangeError && message.test(e.message),
    );
  bad([{ judge: [], physician: [] }, unl], /ppiMean\(\): labeled.judge is empty/);
  bad([lab, { judge: [] }], /ppiMean\(\): unlabeled.judge is empty/);
  bad(
    [{ judge: [1, 2], physician: [1] }, unl],
    /labeled.judge has 2 values but labeled.physician has 1/,
  );
  bad([{ judge: [1, NaN], physician: [1, 2] }, unl], /labeled.judge\[1\] is NaN/);
  bad([lab, { judge: [Infinity] }], /unlabeled.judge\[0\] is Infinity/);
  bad(
    [{ judge: [1, 2], physician: [1, null as unknown as number] }, unl],
    /labeled.physician\[1\]/,
  );
  bad([{ ...lab, clusters: ["a", "b", "c"] }, unl], /unlabeled.clusters is missing/);
  bad([lab, { ...unl, clusters: ["a", "b"] }], /labeled.clusters is missing/);
  bad(
    [{ ...lab, clusters: ["a", "b"] }, { ...unl, clusters: ["a", "b"] }],
    /labeled.judge has 3 values but labeled.clusters has 2/,
  );
  bad(
    [{ ...lab, clusters: ["a", "b", "c"] }, { ...unl, clusters: ["a"] }],
    /unlabeled.judge has 2 values but unlabeled.clusters has 1/,
  );
  bad(
    [{ ...lab, clusters: ["a", 2 as unknown as string, "c"] }, { ...unl, clusters: ["a", "b"] }],
    /labeled.clusters\[1\] is 2, not a string/,
  );
  bad(
    [{ ...lab, clusters: ["a", "a", "a"] }, { ...unl, clusters: ["a", "a"] }],
    /1 case; a clustered interval needs at least 2/,
  );
  bad([lab, unl, { level: 1 }], /options.level must be in \(0, 1\), got 1/);
  bad([lab, unl, { level: 0 }], /options.level/);
  bad([lab, unl, { lambda: NaN }], /options.lambda must be "tuned" or a finite number/);
  bad(
    [lab, unl, { lambda: "best" as "tuned" }],
    /options.lambda must be "tuned" or a finite number, got "best"/,
  );
});

/** One simulated data set's intervals. */
interface Draw {
  clustered: PpiMeanResult;
  naive: PpiMeanResult;
}

/**
 * Simulates the respondent's responses with strong case effects and grades a random share.
 *
 * Case g has its own mean grade 3 + u_g (u ~ N(0, 1)) and its own judge bias b_g (N(0, 0.6²));
 * a response's quality q ~ N(0, 1); physician Y = 3 + u + q + N(0, 0.5²); judge
 * f = 3.5 + 0.8 (u + q) + b + N(0, 0.5²). Every case has `size` responses, so the mean grade
 * over new cases is exactly 3.
 */
function simulate(cases: number, size: number, share: number, seed: number, reps: number): Draw[] {
  const rand = _uniform(seed);
  const draws: Draw[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const y: number[] = [], f: number[] = [], c: string[] = [];
    for (let g = 0; g < cases; g++) {
      const u = _normal(rand), b = 0.6 * _normal(rand);
      for (let k = 0; k < size; k++) {
        const q = _normal(rand);
        y.push(3 + u + q + 0.5 * _normal(rand));
        f.push(3.5 + 0.8 * (u + q) + b + 0.5 * _normal(rand));
        c.push(`case ${g}`);
      }
    }
    const m = y.length, n = Math.round(share * m);
    const order = Array.from({ length: m }, (_, i) => i);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rand() * (m - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lab = order.slice(0, n), unl = order.slice(n);
    const pick = <T>(x: T[], at: number[]) => at.map((i) => x[i]!);
    draws.push({
      clustered: ppiMean(
        { judge: pick(f, lab), physician: pick(y, lab), clusters: pick(c, lab) },
        { judge: pick(f, unl), clusters: pick(c, unl) },
      ),
      naive: ppiMean({ judge: pick(f, lab), physician: pick(y, lab) }, { judge: pick(f, unl) }),
    });
  }
  return draws;
}

const covers = (r: { lower: number; upper: number }) => r.lower <= 3 && 3 <= r.upper;
const share = (draws: Draw[], pick: (d: Draw) => { lower: number; upper: number }) =>
  draws.filter((d) => covers(pick(d))).length / draws.length;

Deno.test(
  "ppiMean() clustered 95% intervals cover the mean grade over new cases: >= 90% at 5 cases, " +
    "93-97% at 20 and 76 cases, where the no-cluster interval covers < 85%",
  () => {
    // Seeded. Binomial sd of a coverage near 0.95: 1.1% at 400 data sets, 0.55% at 1,600.
    const five = simulate(5, 500, 0.1, 501, 400);
    assert.ok(
      share(five, (d) => d.clustered) >= 0.9,
      `5 cases: ${share(five, (d) => d.clustered)}`,
    );
    assert.ok(share(five, (d) => d.clustered.physicianOnly) >= 0.9);
    // Negative control: the same data, the independent-responses interval.
    assert.ok(share(five, (d) => d.naive) < 0.85, `naive: ${share(five, (d) => d.naive)}`);
    for (const [cases, size, reps] of [[20, 15, 1600], [76, 12, 800]] as const) {
      const draws = simulate(cases, size, 0.15, 20_000 + cases, reps);
      const ppi = share(draws, (d) => d.clustered);
      const physicians = share(draws, (d) => d.clustered.physicianOnly);
      assert.ok(ppi >= 0.93 && ppi <= 0.97, `${cases} cases: PPI coverage ${ppi}`);
      assert.ok(physicians >= 0.93 && physicians <= 0.97, `${cases} cases: ${physicians}`);
      assert.ok(share(draws, (d) => d.naive) < 0.85, `${cases} cases: naive coverage`);
    }
  },
);

Deno.test("ppiMean() without clusters covers 93-97% on independent responses (n = 100)", () => {
  // At n = 30 the same design covers about 92%: PPI++'s normal interval with sd₀ runs a little
  // narrow with few grades (as any z interval does), so this checks it where n is ample.
  const rand = _uniform(77);
  let hits = 0;
  const reps = 1600;
  for (let rep = 0; rep < reps; rep++) {
    const q = Array.from({ length: 1000 }, () => _normal(rand));
    const y = q.map((v) => 3 + v + 0.5 * _normal(rand));
    const f = q.map((v) => 3.5 + 0.8 * v + 0.5 * _normal(rand));
    const r = ppiMean({ judge: f.slice(0, 100), physician: y.slice(0, 100) }, {
      judge: f.slice(100),
    });
    if (covers(r)) hits++;
  }
  assert.ok(hits / reps >= 0.93 && hits / reps <= 0.97, `coverage ${hits / reps}`);
});
