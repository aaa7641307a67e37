import assert from "node:assert/strict";
import { _PairTable, METRIC_NAMES, type MetricName } from "./_weighted_metrics.ts";
import { _uniform } from "./_prng.ts";
import { pearson } from "./pearson.ts";
import { spearman } from "./spearman.ts";
import { kendallTauB } from "./kendall_tau_b.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { rootMeanSquaredError } from "./root_mean_squared_error.ts";
import { meanBias } from "./mean_bias.ts";
import { exactAgreement } from "./exact_agreement.ts";
import { withinOneAgreement } from "./within_one_agreement.ts";
import { cohenKappa } from "./cohen_kappa.ts";
import { icc } from "./icc.ts";
import { linCcc } from "./lin_ccc.ts";
import { krippendorffAlpha } from "./krippendorff_alpha.ts";

/** Each metric by the plain `lib/stats` function on materialised rows. */
function plain(m: MetricName, j: number[], p: number[], max: number[]): number {
  switch (m) {
    case "pearson":
      return pearson(j, p);
    case "spearman":
      return spearman(j, p);
    case "kendall_tau_b":
      return kendallTauB(j, p);
    case "mae":
      return meanAbsoluteError(j, p);
    case "mae_share":
      return meanAbsoluteError(j.map((v, i) => v / max[i]!), p.map((v, i) => v / max[i]!));
    case "rmse":
      return rootMeanSquaredError(j, p);
    case "bias":
      return meanBias(j, p);
    case "exact":
      return exactAgreement(j, p);
    case "within_one":
      return withinOneAgreement(j, p);
    case "kappa":
      return cohenKappa(j, p);
    case "kappa_linear":
      return cohenKappa(j, p, { weights: "linear" });
    case "kappa_quadratic":
      return cohenKappa(j, p, { weights: "quadratic" });
    case "icc_a1":
      return icc(j.map((v, i) => [v, p[i]!]), { form: "ICC2" }).value;
    case "lin_ccc":
      return linCcc(j, p);
    case "krippendorff_interval":
      return krippendorffAlpha(j.map((v, i) => [v, p[i]!]), { level: "interval" });
  }
}

/** Compares every engine metric with the plain functions on rows repeated `w` times. */
function checkEqual(
  label: string,
  j: number[],
  p: number[],
  max: number[],
  w: number[],
): void {
  const table = new _PairTable(
    Float64Array.from(j),
    Float64Array.from(p),
    Float64Array.from(max),
  );
  const tw = new Float64Array(table.triples);
  table.tripleWeights(w, tw);
  const out = new Float64Array(METRIC_NAMES.length);
  table.evaluate(tw, METRIC_NAMES, out);
  const mj: number[] = [], mp: number[] = [], mm: number[] = [];
  w.forEach((k, i) => {
    for (let r = 0; r < k; r++) {
      mj.push(j[i]!);
      mp.push(p[i]!);
      mm.push(max[i]!);
    }
  });
  METRIC_NAMES.forEach((m, k) => {
    const expected = plain(m, mj, mp, mm), got = out[k]!;
    const where = `${label}: ${m} (engine ${got}, plain ${expected})`;
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(got), where);
    else assert.ok(Math.abs(got - expected) <= 1e-9, where);
  });
}

const BOND = [0, 2, 2.5, 3, 3.5, 4, 4.5, 5];

Deno.test("_PairTable: every metric equals the plain function on materialised duplicates", () => {
  const u = _uniform(20261201);
  const pick = (xs: readonly number[]) => xs[Math.floor(u() * xs.length)]!;
  for (let trial = 0; trial < 120; trial++) {
    const n = 2 + Math.floor(u() * 40);
    const kind = trial % 4;
    const j: number[] = [], p: number[] = [], max: number[] = [], w: number[] = [];
    for (let i = 0; i < n; i++) {
      if (kind === 0) { // small integer scale, heavy ties
        const truth = Math.floor(u() * 4);
        j.push(truth);
        p.push(Math.min(3, Math.max(0, truth + pick([-1, 0, 0, 1]))));
        max.push(3);
      } else if (kind === 1) { // Bond's values with half points
        j.push(pick(BOND));
        p.push(pick(BOND));
        max.push(5);
      } else if (kind === 2) { // case-specific maxima, as management reasoning
        const m = pick([6, 8, 12]);
        j.push(Math.floor(u() * (m + 1)));
        p.push(Math.floor(u() * (m + 1)));
        max.push(m);
      } else { // means of physicians (thirds), continuous-ish
        j.push(pick([0, 1, 2, 3, 4, 5]));
        p.push(Math.floor(u() * 16) / 3);
        max.push(5);
      }
      w.push(Math.floor(u() * 4)); // 0..3 copies, as a resample draws a cluster
    }
    if (!w.some((k) => k > 0)) w[0] = 1;
    checkEqual(`trial ${trial}`, j, p, max, w);
  }
});

Deno.test("_PairTable: NaN exactly where the plain functions give NaN (constants, one pair)", () => {
  // Judge constant: correlations undefined; errors, κ and CCC defined.
  checkEqual("judge constant", [3, 3, 3, 3], [1, 2, 3, 2], [5, 5, 5, 5], [1, 2, 1, 1]);
  // Both constant and equal: almost everything undefined.
  checkEqual("all equal", [2, 2, 2], [2, 2, 2], [5, 5, 5], [2, 1, 3]);
  // Both constant, different values.
  checkEqual("two constants", [4, 4, 4], [2, 2, 2], [5, 5, 5], [1, 1, 2]);
  // One pair, repeated: a resample that drew a single one-item cluster.
  checkEqual("one item", [4, 1], [5, 0], [5, 5], [3, 0]);
  checkEqual("one row", [4], [5], [5], [1]);
  // A single category used by both raters in the resample while the data have more.
  checkEqual("one category drawn", [0, 2, 5, 2], [0, 2, 4, 2], [5, 5, 5, 5], [0, 3, 0, 2]);
});

Deno.test("_PairTable: hand-worked weighted values", () => {
  // Pairs (4,5) twice and (2,2) once: MAE = 2/3, bias = −2/3, exact = 1/3, Pearson = 1.
  const table = new _PairTable(
    Float64Array.of(4, 2),
    Float64Array.of(5, 2),
    Float64Array.of(5, 5),
  );
  const out = new Float64Array(5);
  table.evaluate(Float64Array.of(2, 1), ["mae", "bias", "exact", "pearson", "mae_share"], out);
  assert.deepEqual([...out].map((x) => Math.round(x * 1e12) / 1e12), [
    0.666666666667,
    -0.666666666667,
    0.333333333333,
    1,
    0.133333333333,
  ]);
});

Deno.test("_PairTable: merges equal pairs into one triple and rejects off-category scores", () => {
  const table = new _PairTable(
    Float64Array.of(1, 1, 2),
    Float64Array.of(2, 2, 2),
    Float64Array.of(5, 5, 5),
  );
  assert.equal(table.triples, 2);
  assert.deepEqual([...table.tripleOf], [0, 0, 1]);
  assert.throws(
    () => new _PairTable(Float64Array.of(1), Float64Array.of(1.5), Float64Array.of(5), [0, 1, 2]),
    /1\.5 is not one of the kappa categories/,
  );
  assert.throws(
    () => new _PairTable(Float64Array.of(1), Float64Array.of(NaN), Float64Array.of(5)),
    /pair 0 is not finite/,
  );
});

Deno.test("_PairTable: declared kappa categories give the plain cohenKappa() with those categories", () => {
  const j = [0, 2, 2.5, 5, 4, 2], p = [2, 2, 3, 4.5, 4, 0];
  const table = new _PairTable(
    Float64Array.from(j),
    Float64Array.from(p),
    Float64Array.from(j, () => 5),
    BOND,
  );
  const tw = new Float64Array(table.triples);
  table.tripleWeights(j.map(() => 1), tw);
  const out = new Float64Array(3);
  table.evaluate(tw, ["kappa", "kappa_linear", "kappa_quadratic"], out);
  const expected = (["none", "linear", "quadratic"] as const).map((weights) =>
    cohenKappa(j, p, { weights, categories: BOND })
  );
  out.forEach((x, k) => assert.ok(Math.abs(x - expected[k]!) < 1e-12, `${k}: ${x}`));
});
