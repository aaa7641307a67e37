/**
 * The private engine behind `agreement()` and `ceiling()`: every agreement metric of a set of
 * judge–physician pairs under a vector of WEIGHTS, in one pass over the distinct pairs.
 *
 * A cluster-bootstrap resample is the data with each item counted as many times as its cluster
 * was drawn, and a jackknife sample the data with one cluster's weight zeroed; so one weighted
 * evaluation replaces materialising the rows and calling each statistic on them. The metrics
 * only depend on the multiset of (judge, physician, max_score) values, so items are first
 * merged into distinct triples: a resample costs one multiply-add per (cluster, triple) and the
 * metrics run on the triples (tens to hundreds, not thousands). For integer weights every
 * metric equals the corresponding `lib/stats` function applied to the materialised rows
 * (tested to 1e-9), including its `NaN` cases.
 *
 * @module
 */

import type { _IntervalScale } from "./_jackknife_t.ts";

/** Every metric name, in report order. */
export const METRIC_NAMES = [
  "pearson",
  "spearman",
  "kendall_tau_b",
  "mae",
  "mae_share",
  "rmse",
  "bias",
  "exact",
  "within_one",
  "kappa",
  "kappa_linear",
  "kappa_quadratic",
  "icc_a1",
  "lin_ccc",
  "krippendorff_interval",
] as const;

/** An agreement metric's name. */
export type MetricName = typeof METRIC_NAMES[number];

/** Metrics that need the task's own points (left out on the pooled share scale). */
export const POINTS_ONLY_METRICS: readonly MetricName[] = [
  "exact",
  "within_one",
  "kappa",
  "kappa_linear",
  "kappa_quadratic",
];

/**
 * Whether a higher value is better (`"higher"`), a lower one (`"lower"`: errors), or a value
 * closer to 0 (`"zero"`: the signed bias).
 */
export const METRIC_DIRECTION: Readonly<Record<MetricName, "higher" | "lower" | "zero">> = {
  pearson: "higher",
  spearman: "higher",
  kendall_tau_b: "higher",
  mae: "lower",
  mae_share: "lower",
  rmse: "lower",
  bias: "zero",
  exact: "higher",
  within_one: "higher",
  kappa: "higher",
  kappa_linear: "higher",
  kappa_quadratic: "higher",
  icc_a1: "higher",
  lin_ccc: "higher",
  krippendorff_interval: "higher",
};

/**
 * The scale each metric's interval is built on before its limits are mapped back (see
 * `_jackknifeT`): errors are positive and right-skewed (log), correlations and agreement
 * coefficients live in (−1, 1) (Fisher's z, atanh), shares in (0, 1) (logit), the signed bias
 * on its own scale. The simulation in `_interval_simulation.ts` chose these: on the raw scale
 * the Pearson interval covered 92% with 30 cases of 1–3 responses, on Fisher's z 94%.
 */
export const METRIC_INTERVAL_SCALE: Readonly<Record<MetricName, _IntervalScale>> = {
  pearson: "atanh",
  spearman: "atanh",
  kendall_tau_b: "atanh",
  mae: "log",
  mae_share: "log",
  rmse: "log",
  bias: "identity",
  exact: "logit",
  within_one: "logit",
  kappa: "atanh",
  kappa_linear: "atanh",
  kappa_quadratic: "atanh",
  icc_a1: "atanh",
  lin_ccc: "atanh",
  krippendorff_interval: "atanh",
};

/** Slack of the within-one test, as `withinOneAgreement()` (half points and shares). */
const SLACK = 1e-9;

/** Distinct sorted values of `x` and, per element, the index of its value. */
function _distinct(x: Float64Array): { values: Float64Array; index: Int32Array } {
  const values = Float64Array.from(new Set(x)).sort();
  const position = new Map<number, number>();
  values.forEach((v, i) => position.set(v, i));
  const index = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) index[i] = position.get(x[i]!)!;
  return { values, index };
}

/**
 * Judge–physician pairs prepared for weighted evaluation: items merged into distinct
 * (judge, physician, max_score) triples, with the value orders that ranks, Kendall's τ-b and κ
 * need computed once.
 */
export class _PairTable {
  /** Number of items. */
  readonly items: number;
  /** Number of distinct triples. */
  readonly triples: number;
  /** The triple of each item. */
  readonly tripleOf: Int32Array;
  readonly #j: Float64Array;
  readonly #p: Float64Array;
  readonly #max: Float64Array;
  readonly #jIdx: Int32Array;
  readonly #pIdx: Int32Array;
  readonly #jVals: Float64Array;
  readonly #pVals: Float64Array;
  /** Triples ordered by (judge value, physician value), for the Fenwick pass. */
  readonly #byJP: Int32Array;
  readonly #catVals: Float64Array;
  readonly #jCat: Int32Array;
  readonly #pCat: Int32Array;
  // Scratch, reused by every evaluation.
  readonly #wj: Float64Array;
  readonly #wp: Float64Array;
  readonly #rj: Float64Array;
  readonly #rp: Float64Array;
  readonly #fenwick: Float64Array;
  readonly #rowCat: Float64Array;
  readonly #colCat: Float64Array;

  /**
   * Prepares the pairs.
   *
   * @param judge The judge's scores, one per item.
   * @param physician The physician reference, paired with `judge`.
   * @param maxScore Each item's scale maximum (for `mae_share`).
   * @param categories κ's category values; default: the union of the observed values.
   * @throws {RangeError} When lengths differ, the input is empty, a value is not finite or a
   *   maximum is not positive, or a score is not one of `categories`.
   */
  constructor(
    judge: Float64Array,
    physician: Float64Array,
    maxScore: Float64Array,
    categories?: readonly number[],
  ) {
    const n = judge.length;
    if (n === 0) throw new RangeError("_PairTable: no pairs");
    if (physician.length !== n || maxScore.length !== n) {
      throw new RangeError("_PairTable: judge, physician and maxScore differ in length");
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(judge[i]!) || !Number.isFinite(physician[i]!)) {
        throw new RangeError(`_PairTable: pair ${i} is not finite`);
      }
      if (!(maxScore[i]! > 0) || !Number.isFinite(maxScore[i]!)) {
        throw new RangeError(`_PairTable: maxScore[${i}] is ${maxScore[i]}, not positive`);
      }
    }
    this.items = n;
    // Merge items into distinct triples (first-appearance order).
    const key = new Map<string, number>();
    const tripleOf = new Int32Array(n);
    const j: number[] = [], p: number[] = [], max: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = `${judge[i]}|${physician[i]}|${maxScore[i]}`;
      let t = key.get(k);
      if (t === undefined) {
        t = j.length;
        key.set(k, t);
        j.push(judge[i]!);
        p.push(physician[i]!);
        max.push(maxScore[i]!);
      }
      tripleOf[i] = t;
    }
    this.tripleOf = tripleOf;
    const T = this.triples = j.length;
    this.#j = Float64Array.from(j);
    this.#p = Float64Array.from(p);
    this.#max = Float64Array.from(max);
    const dj = _distinct(this.#j), dp = _distinct(this.#p);
    this.#jVals = dj.values;
    this.#jIdx = dj.index;
    this.#pVals = dp.values;
    this.#pIdx = dp.index;
    this.#byJP = Int32Array.from({ length: T }, (_, t) => t)
      .sort((a, b) => dj.index[a]! - dj.index[b]! || dp.index[a]! - dp.index[b]!);
    const cats = categories === undefined
      ? Float64Array.from(new Set([...j, ...p])).sort()
      : Float64Array.from(categories).sort();
    const catIndex = new Map<number, number>();
    cats.forEach((v, i) => catIndex.set(v, i));
    this.#catVals = cats;
    this.#jCat = Int32Array.from(j, (v) => _category(catIndex, v, cats));
    this.#pCat = Int32Array.from(p, (v) => _category(catIndex, v, cats));
    this.#wj = new Float64Array(dj.values.length);
    this.#wp = new Float64Array(dp.values.length);
    this.#rj = new Float64Array(dj.values.length);
    this.#rp = new Float64Array(dp.values.length);
    this.#fenwick = new Float64Array(dp.values.length + 1);
    this.#rowCat = new Float64Array(cats.length);
    this.#colCat = new Float64Array(cats.length);
  }

  /**
   * Sums item weights into triple weights.
   *
   * @param itemWeights One non-negative weight per item.
   * @param out Receives one weight per triple (overwritten).
   */
  tripleWeights(itemWeights: ArrayLike<number>, out: Float64Array): void {
    out.fill(0);
    for (let i = 0; i < this.items; i++) out[this.tripleOf[i]!]! += itemWeights[i]!;
  }

  /**
   * Every requested metric under triple weights `w` (see {@linkcode _PairTable.tripleWeights}).
   *
   * @param w One non-negative weight per triple.
   * @param metrics The metrics to compute.
   * @param out Receives `out[k]` = the value of `metrics[k]` (`NaN` where undefined).
   */
  evaluate(w: Float64Array, metrics: readonly MetricName[], out: Float64Array): void {
    const T = this.triples;
    const j = this.#j, p = this.#p, max = this.#max;
    let N = 0, sj = 0, sp = 0;
    for (let t = 0; t < T; t++) {
      const wt = w[t]!;
      N += wt;
      sj += wt * j[t]!;
      sp += wt * p[t]!;
    }
    if (!(N > 0)) {
      out.fill(NaN, 0, metrics.length);
      return;
    }
    const mj = sj / N, mp = sp / N, mx = (sj + sp) / (2 * N);
    let cjj = 0, cpp = 0, cjp = 0, sAbs = 0, sSq = 0, sShare = 0, same = 0, close = 0;
    let ssAll = 0, sumD = 0;
    for (let t = 0; t < T; t++) {
      const wt = w[t]!;
      if (wt === 0) continue;
      const a = j[t]! - mj, b = p[t]! - mp, d = j[t]! - p[t]!, ad = Math.abs(d);
      cjj += wt * a * a;
      cpp += wt * b * b;
      cjp += wt * a * b;
      sumD += wt * d;
      sAbs += wt * ad;
      sSq += wt * d * d;
      sShare += wt * ad / max[t]!;
      if (d === 0) same += wt;
      if (ad <= 1 + SLACK) close += wt;
      const x = j[t]! - mx, y = p[t]! - mx;
      ssAll += wt * (x * x + y * y);
    }
    // Which values carry weight: constants make correlations undefined.
    const wj = this.#wj, wp = this.#wp;
    wj.fill(0);
    wp.fill(0);
    for (let t = 0; t < T; t++) {
      wj[this.#jIdx[t]!]! += w[t]!;
      wp[this.#pIdx[t]!]! += w[t]!;
    }
    let usedJ = 0, usedP = 0, onlyJ = NaN, onlyP = NaN;
    for (let v = 0; v < wj.length; v++) if (wj[v]! > 0) (usedJ++, onlyJ = this.#jVals[v]!);
    for (let v = 0; v < wp.length; v++) if (wp[v]! > 0) (usedP++, onlyP = this.#pVals[v]!);
    const constant = usedJ === 1 || usedP === 1;
    const allEqual = usedJ === 1 && usedP === 1 && onlyJ === onlyP;

    let spearman = NaN, kendall = NaN, kappas: [number, number, number] | undefined;
    for (let k = 0; k < metrics.length; k++) {
      const m = metrics[k]!;
      let value: number;
      switch (m) {
        case "pearson":
          value = N < 2 || constant ? NaN : _clamp(cjp / Math.sqrt(cjj * cpp));
          break;
        case "spearman":
          if (Number.isNaN(spearman) && N >= 2 && !constant) spearman = this.#spearman(w, N);
          value = spearman;
          break;
        case "kendall_tau_b":
          if (Number.isNaN(kendall) && N >= 2 && !constant) kendall = this.#kendall(w, N);
          value = kendall;
          break;
        case "mae":
          value = sAbs / N;
          break;
        case "mae_share":
          value = sShare / N;
          break;
        case "rmse":
          value = Math.sqrt(sSq / N);
          break;
        case "bias":
          value = sumD / N;
          break;
        case "exact":
          value = same / N;
          break;
        case "within_one":
          value = close / N;
          break;
        case "kappa":
        case "kappa_linear":
        case "kappa_quadratic":
          kappas ??= this.#kappas(w, N, N - same, sAbs, sSq, constant);
          value = kappas[m === "kappa" ? 0 : m === "kappa_linear" ? 1 : 2];
          break;
        case "icc_a1": {
          // Two raters (judge, physician) crossed on N items: with d = j − p and s = j + p,
          // SSE = Σ(d − d̄)²/2, SSR = Σ(s − s̄)²/2, SSC = N d̄²/2 (McGraw & Wong 1996, ICC(A,1)).
          if (N < 2 || allEqual) {
            value = NaN;
            break;
          }
          const dBar = sumD / N;
          const sse = (cjj + cpp - 2 * cjp) / 2;
          const ssr = (cjj + cpp + 2 * cjp) / 2;
          const msr = ssr / (N - 1), mse = sse / (N - 1), msc = (N * dBar * dBar) / 2;
          value = (msr - mse) / (msr + mse + (2 * (msc - mse)) / N);
          break;
        }
        case "lin_ccc": {
          const den = cjj / N + cpp / N + (mj - mp) ** 2;
          value = N < 2 || allEqual || !(den > 0) ? NaN : _clamp((2 * cjp) / N / den);
          break;
        }
        case "krippendorff_interval": {
          // Two coders, no missing: α = 1 − (M − 1) Σd² / (M · SS), M = 2N pairable values.
          const M = 2 * N;
          value = allEqual || !(ssAll > 0) ? NaN : 1 - ((M - 1) * sSq) / (M * ssAll);
          break;
        }
        default:
          throw new RangeError(`_PairTable: unknown metric ${JSON.stringify(m)}`);
      }
      out[k] = Number.isFinite(value) ? value : NaN;
    }
  }

  /** Spearman's ρ: Pearson's r on weighted midranks (ties share the mean rank they span). */
  #spearman(w: Float64Array, N: number): number {
    const rj = this.#rj, rp = this.#rp, wj = this.#wj, wp = this.#wp;
    let below = 0;
    for (let v = 0; v < wj.length; v++) {
      rj[v] = below + (wj[v]! + 1) / 2;
      below += wj[v]!;
    }
    below = 0;
    for (let v = 0; v < wp.length; v++) {
      rp[v] = below + (wp[v]! + 1) / 2;
      below += wp[v]!;
    }
    const mean = (N + 1) / 2; // the mean of the ranks 1..N
    let cjj = 0, cpp = 0, cjp = 0;
    for (let t = 0; t < this.triples; t++) {
      const wt = w[t]!;
      if (wt === 0) continue;
      const a = rj[this.#jIdx[t]!]! - mean, b = rp[this.#pIdx[t]!]! - mean;
      cjj += wt * a * a;
      cpp += wt * b * b;
      cjp += wt * a * b;
    }
    return _clamp(cjp / Math.sqrt(cjj * cpp));
  }

  /**
   * Kendall's τ-b from weighted pair counts: triples in (judge, physician) order, a Fenwick
   * tree of the weight already seen per physician value; copies of one item (and items with
   * equal values) are tied on both, so they add nothing to n_c − n_d and the τ-b denominator
   * only needs the ties per judge value and per physician value (Knight 1966, weighted).
   */
  #kendall(w: Float64Array, N: number): number {
    const fen = this.#fenwick, K = this.#pVals.length, order = this.#byJP, T = this.triples;
    fen.fill(0);
    let seen = 0, score = 0;
    for (let start = 0; start < T;) {
      const jv = this.#jIdx[order[start]!]!;
      let end = start;
      while (end < T && this.#jIdx[order[end]!]! === jv) end++;
      // Each triple of the group against the weight with a strictly smaller judge value:
      // concordant below its physician value, discordant above it.
      for (let q = start; q < end; q++) {
        const t = order[q]!, wt = w[t]!;
        if (wt === 0) continue;
        const pi = this.#pIdx[t]!;
        const less = _fenwickPrefix(fen, pi), notGreater = _fenwickPrefix(fen, pi + 1);
        score += wt * (less - (seen - notGreater));
      }
      for (let q = start; q < end; q++) {
        const t = order[q]!, wt = w[t]!;
        if (wt === 0) continue;
        for (let i = this.#pIdx[t]! + 1; i <= K; i += i & -i) fen[i]! += wt;
        seen += wt;
      }
      start = end;
    }
    let tiedJ = 0, tiedP = 0;
    for (const x of this.#wj) tiedJ += (x * (x - 1)) / 2;
    for (const x of this.#wp) tiedP += (x * (x - 1)) / 2;
    const pairs = (N * (N - 1)) / 2;
    const den = Math.sqrt((pairs - tiedJ) * (pairs - tiedP));
    return den > 0 ? _clamp(score / den) : NaN;
  }

  /**
   * Cohen's κ unweighted, linear and quadratic, over the fixed category values, in O(k): chance
   * disagreement from the marginals' sums (values scaled by the range, which cancels).
   */
  #kappas(
    w: Float64Array,
    N: number,
    unequal: number,
    sAbs: number,
    sSq: number,
    constant: boolean,
  ): [number, number, number] {
    const rows = this.#rowCat, cols = this.#colCat, v = this.#catVals, k = v.length;
    rows.fill(0);
    cols.fill(0);
    for (let t = 0; t < this.triples; t++) {
      rows[this.#jCat[t]!]! += w[t]!;
      cols[this.#pCat[t]!]! += w[t]!;
    }
    let used = 0;
    for (let c = 0; c < k; c++) if (rows[c]! > 0 || cols[c]! > 0) used++;
    if (used < 2) return [NaN, NaN, NaN];
    // One rater constant: observed and chance disagreement are the same sums, κ = 0 exactly
    // (the constant baseline should read 0, not rounding noise).
    if (constant) return [0, 0, 0];
    const range = v[k - 1]! - v[0]!;
    let agreeChance = 0;
    for (let c = 0; c < k; c++) agreeChance += rows[c]! * cols[c]!;
    const kappa = 1 - (unequal / N) / ((N * N - agreeChance) / (N * N));
    // Linear: Σ_r R_r Σ_c |v_r − v_c| C_c, with running sums of C and C·v below r.
    let totalC = 0, totalCv = 0;
    for (let c = 0; c < k; c++) {
      totalC += cols[c]!;
      totalCv += cols[c]! * (v[c]! - v[0]!);
    }
    let belowC = 0, belowCv = 0, linear = 0;
    for (let r = 0; r < k; r++) {
      const x = v[r]! - v[0]!;
      linear += rows[r]! *
        (x * belowC - belowCv + (totalCv - belowCv - cols[r]! * x) -
          x * (totalC - belowC - cols[r]!));
      belowC += cols[r]!;
      belowCv += cols[r]! * x;
    }
    // Quadratic: N Σ R (v − a)² + N Σ C (v − a)² − 2 Σ R (v − a) Σ C (v − a), a = mean value.
    let a = 0;
    for (let c = 0; c < k; c++) a += (rows[c]! + cols[c]!) * v[c]!;
    a /= 2 * N;
    let r1 = 0, r2 = 0, c1 = 0, c2 = 0;
    for (let c = 0; c < k; c++) {
      const x = v[c]! - a;
      r1 += rows[c]! * x;
      r2 += rows[c]! * x * x;
      c1 += cols[c]! * x;
      c2 += cols[c]! * x * x;
    }
    const quadratic = N * r2 + N * c2 - 2 * r1 * c1;
    const kl = 1 - (sAbs / range / N) / (linear / range / (N * N));
    const kq = 1 - (sSq / (range * range) / N) / (quadratic / (range * range) / (N * N));
    return [kappa, linear > 0 ? kl : NaN, quadratic > 0 ? kq : NaN];
  }
}

/** Sum of the Fenwick tree's first `i` slots (physician-value indices below `i`). */
function _fenwickPrefix(fen: Float64Array, i: number): number {
  let s = 0;
  for (; i > 0; i -= i & -i) s += fen[i]!;
  return s;
}

function _clamp(x: number): number {
  return Math.max(-1, Math.min(1, x));
}

function _category(index: Map<number, number>, v: number, cats: Float64Array): number {
  const c = index.get(v);
  if (c === undefined) {
    throw new RangeError(
      `_PairTable: score ${v} is not one of the kappa categories (${cats.join(", ")})`,
    );
  }
  return c;
}
