import assert from "node:assert/strict";
import { _evaluator, _METRICS, METRIC_NAMES, type MetricName } from "./_metric_registry.ts";
import { _WeightedPairs } from "./_weighted_pairs.ts";
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
import type { SampleWeightsOptions } from "./sample_weights.ts";

type Paired = (j: number[], p: number[], o: SampleWeightsOptions) => number;
const matrix = (j: number[], p: number[]) => j.map((v, i) => [v, p[i]!]);

/** Each metric by its public function (`max` only for the share of the scale). */
const PUBLIC: Record<Exclude<MetricName, "mae_share">, Paired> = {
  pearson,
  spearman,
  kendall_tau_b: kendallTauB,
  mae: meanAbsoluteError,
  rmse: rootMeanSquaredError,
  bias: meanBias,
  exact: exactAgreement,
  within_one: withinOneAgreement,
  kappa: cohenKappa,
  kappa_linear: (j, p, o) => cohenKappa(j, p, { ...o, weights: "linear" }),
  kappa_quadratic: (j, p, o) => cohenKappa(j, p, { ...o, weights: "quadratic" }),
  icc_a1: (j, p, o) => icc(matrix(j, p), { ...o, form: "ICC2" }).value,
  lin_ccc: linCcc,
  krippendorff_interval: (j, p, o) => krippendorffAlpha(matrix(j, p), { ...o, level: "interval" }),
};

function publicValue(
  m: MetricName,
  j: number[],
  p: number[],
  max: number[],
  o: SampleWeightsOptions = {},
): number {
  if (m !== "mae_share") return PUBLIC[m](j, p, o);
  return meanAbsoluteError(j.map((v, i) => v / max[i]!), p.map((v, i) => v / max[i]!), o);
}

/** `x` with item i repeated `w[i]` times. */
function repeated(x: readonly number[], w: readonly number[]): number[] {
  return x.flatMap((v, i) => Array<number>(w[i]!).fill(v));
}

/**
 * Compares every registered metric under item weights `w` with the public functions on the
 * items repeated `w` times, and with the public functions given `sampleWeights: w`.
 */
function checkEqual(label: string, j: number[], p: number[], max: number[], w: number[]): void {
  const pairs = new _WeightedPairs(j, p, max);
  pairs.setItemWeights(w);
  const out = new Float64Array(METRIC_NAMES.length);
  _evaluator(METRIC_NAMES)(pairs, out);
  const [rj, rp, rmax] = [repeated(j, w), repeated(p, w), repeated(max, w)];
  METRIC_NAMES.forEach((m, k) => {
    const expected = publicValue(m, rj, rp, rmax);
    const weighted = publicValue(m, j, p, max, { sampleWeights: w });
    for (const [got, what] of [[out[k]!, "registry"], [weighted, "sampleWeights"]] as const) {
      const where = `${label}: ${m} (${what} ${got}, repeated rows ${expected})`;
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(got), where);
      else assert.ok(Math.abs(got - expected) <= 1e-9, where);
    }
  });
}

const BOND = [0, 2, 2.5, 3, 3.5, 4, 4.5, 5];

Deno.test("every registered metric under integer weights equals its public function on the repeated rows", () => {
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

Deno.test("the registry gives NaN exactly where the public functions do (constants, one pair)", () => {
  // Judge constant: correlations undefined; errors, κ and CCC defined.
  checkEqual("judge constant", [3, 3, 3, 3], [1, 2, 3, 2], [5, 5, 5, 5], [1, 2, 1, 1]);
  // Both constant and equal: almost everything undefined.
  checkEqual("all equal", [2, 2, 2], [2, 2, 2], [5, 5, 5], [2, 1, 3]);
  // Both constant and equal at a value that a weighted mean does not reproduce exactly.
  checkEqual("all equal thirds", [7 / 3, 7 / 3], [7 / 3, 7 / 3], [5, 5], [3, 4]);
  // Both constant, different values.
  checkEqual("two constants", [4, 4, 4], [2, 2, 2], [5, 5, 5], [1, 1, 2]);
  // One pair, repeated: a resample that drew a single one-item cluster.
  checkEqual("one item", [4, 1], [5, 0], [5, 5], [3, 0]);
  checkEqual("one row", [4], [5], [5], [1]);
  // A single category used by both raters in the resample while the data have more.
  checkEqual("one category drawn", [0, 2, 5, 2], [0, 2, 4, 2], [5, 5, 5, 5], [0, 3, 0, 2]);
});

Deno.test("sampleWeights: hand-worked weighted values", () => {
  // Pairs (4, 5) twice and (2, 2) once: MAE = 2/3, bias = −2/3, exact = 1/3, Pearson = 1.
  const o = { sampleWeights: [2, 1] };
  const round = (x: number) => Math.round(x * 1e12) / 1e12;
  assert.equal(round(meanAbsoluteError([4, 2], [5, 2], o)), 0.666666666667);
  assert.equal(round(meanBias([4, 2], [5, 2], o)), -0.666666666667);
  assert.equal(round(exactAgreement([4, 2], [5, 2], o)), 0.333333333333);
  assert.equal(pearson([4, 2], [5, 2], o), 1);
  assert.equal(round(meanAbsoluteError([4, 2], [5, 2], { ...o, range: 5 })), 0.133333333333);
  // The registry's share of the scale divides each difference by its own maximum.
  const pairs = new _WeightedPairs([4, 2], [5, 2], [5, 10]);
  pairs.setItemWeights([2, 1]);
  assert.equal(round(_METRICS.mae_share.compute(pairs)), 0.133333333333);
});

Deno.test("sampleWeights: a weight of 0 drops the pair; bad weights are rejected", () => {
  assert.equal(spearman([1, 2, 3, 9], [1, 2, 3, 0], { sampleWeights: [1, 1, 1, 0] }), 1);
  assert.throws(
    () => pearson([1, 2], [1, 2], { sampleWeights: [1] }),
    /pearson\(\): options.sampleWeights must hold one weight per item \(2\)/,
  );
  assert.throws(
    () => linCcc([1, 2], [1, 2], { sampleWeights: [1, -1] }),
    /options.sampleWeights\[1\] is -1, not a finite number ≥ 0/,
  );
  assert.throws(() => icc([[1, 2]], { form: "ICC1", sampleWeights: [0] }), /are all 0/);
});

Deno.test("_WeightedPairs merges equal items into one distinct pair", () => {
  const pairs = new _WeightedPairs([1, 1, 2], [2, 2, 2], [5, 5, 5]);
  assert.equal(pairs.size, 2);
  assert.deepEqual([...pairs.pairOf], [0, 0, 1]);
  assert.deepEqual([...pairs.weights], [2, 1]);
  assert.equal(pairs.total, 3);
});

Deno.test("every metric has its registry entry, and the report order is METRIC_NAMES", () => {
  assert.deepEqual(Object.keys(_METRICS), [...METRIC_NAMES]);
  for (const m of METRIC_NAMES) assert.equal(typeof _METRICS[m].compute, "function", m);
});
