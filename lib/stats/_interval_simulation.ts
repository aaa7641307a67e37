/**
 * The coverage simulation behind the report's interval rule: studies drawn from a known
 * population with strong case effects, on the designs the real PrecepTron tasks have (few cases,
 * many responses each), and the share of 95% intervals that cover the population value.
 *
 * The population. A case c has a difficulty μ_c ~ N(2.5, 1) and a judge bias of its own
 * b_c ~ N(0.2, 0.7²) (the judge is lenient on some cases and harsh on others: the case effect
 * that makes responses of one case move together). A response's quality is q = μ_c + N(0, 1);
 * the physician grade is round(q + N(0, 0.5²)) and the judge's score round(q + b_c + N(0, 0.6²)),
 * both kept in 0..5. The estimand is the metric on the whole population: agreement on NEW cases.
 * It is computed once, on 100,000 cases of 8 responses.
 *
 * Used by the interval tests and `bench/interval_coverage_bench.ts`; nothing in the product
 * imports it.
 *
 * @module
 */

import { _PairTable, type MetricName } from "./_weighted_metrics.ts";
import { _drawTables, _metricInterval } from "./_metric_bootstrap.ts";
import { _IntervalScale, _jackknifeT } from "./_jackknife_t.ts";
import { _normal, _uniform } from "./_prng.ts";

/** A study design: `cases` cases of `responses` responses each (a range for unequal sizes). */
export interface _Design {
  cases: number;
  responses: number | readonly [number, number];
}

/** The designs of the real tasks (Grey Matters, Landmark, Healer, Brodeur ER, small sets). */
export const _REAL_DESIGNS: readonly _Design[] = [
  { cases: 5, responses: 500 },
  { cases: 8, responses: 300 },
  { cases: 20, responses: 15 },
  { cases: 76, responses: 12 },
  { cases: 30, responses: [1, 3] },
];

/** The metrics the simulation checks. */
export const _SIMULATED_METRICS: readonly MetricName[] = [
  "mae",
  "bias",
  "pearson",
  "kappa_quadratic",
];

/** The interval methods compared; `row_jackknife_t` ignores cases (the negative control). */
export const _SIMULATED_METHODS = [
  "jackknife_t",
  "jackknife_t_raw",
  "bca",
  "percentile",
  "row_jackknife_t",
] as const;

const SCALE: Record<string, _IntervalScale> = {
  mae: "log",
  bias: "identity",
  pearson: "atanh",
  kappa_quadratic: "atanh",
};

/** One interval method's name. */
export type _SimulatedMethod = typeof _SIMULATED_METHODS[number];

/** One study: judge scores, physician grades and each response's case. */
interface _Study {
  judge: Float64Array;
  physician: Float64Array;
  cluster: Int32Array;
  cases: number;
}

function _clamp(x: number): number {
  return Math.min(5, Math.max(0, Math.round(x)));
}

/**
 * Draws one study of the design from the population.
 *
 * @param design Cases and responses per case.
 * @param u The random stream.
 * @returns The study.
 */
export function _drawStudy(design: _Design, u: () => number): _Study {
  const judge: number[] = [], physician: number[] = [], cluster: number[] = [];
  for (let c = 0; c < design.cases; c++) {
    const difficulty = 2.5 + _normal(u), bias = 0.2 + 0.7 * _normal(u);
    const [lo, hi] = typeof design.responses === "number"
      ? [design.responses, design.responses]
      : design.responses;
    const k = lo + Math.floor(u() * (hi - lo + 1));
    for (let r = 0; r < k; r++) {
      const quality = difficulty + _normal(u);
      physician.push(_clamp(quality + 0.5 * _normal(u)));
      judge.push(_clamp(quality + bias + 0.6 * _normal(u)));
      cluster.push(c);
    }
  }
  return {
    judge: Float64Array.from(judge),
    physician: Float64Array.from(physician),
    cluster: Int32Array.from(cluster),
    cases: design.cases,
  };
}

/**
 * The population value of each metric (100,000 cases of 8 responses, seeded).
 *
 * @param metrics The metrics.
 * @returns One value per metric.
 */
export function _populationValues(metrics: readonly MetricName[]): Float64Array {
  const study = _drawStudy({ cases: 100_000, responses: 8 }, _uniform(20261203));
  const table = new _PairTable(
    study.judge,
    study.physician,
    new Float64Array(study.judge.length).fill(5),
  );
  const w = new Float64Array(table.triples), out = new Float64Array(metrics.length);
  table.tripleWeights(new Float64Array(table.items).fill(1), w);
  table.evaluate(w, metrics, out);
  return out;
}

/** Coverage and median width of one method on one metric. */
export interface _Coverage {
  covered: number;
  studies: number;
  medianWidth: number;
  /** Studies whose interval was not finite (counted as not covering). */
  missing: number;
}

/**
 * Simulates `studies` studies of a design and records, per metric and method, how often the
 * 95% interval covers the population value.
 *
 * @param design The design.
 * @param truth The population values, per metric of `_SIMULATED_METRICS`.
 * @param studies Number of simulated studies.
 * @param resamples Bootstrap resamples per study.
 * @param seed The seed.
 * @returns `result[metric][method]`.
 */
export function _simulateCoverage(
  design: _Design,
  truth: Float64Array,
  studies: number,
  resamples: number,
  seed: number,
): Record<string, Record<_SimulatedMethod, _Coverage>> {
  const metrics = _SIMULATED_METRICS;
  const widths = metrics.map(() => _SIMULATED_METHODS.map(() => [] as number[]));
  const covered = metrics.map(() => _SIMULATED_METHODS.map(() => 0));
  const missing = metrics.map(() => _SIMULATED_METHODS.map(() => 0));
  const u = _uniform(seed);
  const settings = { resamples, seed: 0, level: 0.95, method: "bca" as const };
  for (let s = 0; s < studies; s++) {
    const study = _drawStudy(design, u);
    const table = new _PairTable(
      study.judge,
      study.physician,
      new Float64Array(study.judge.length).fill(5),
    );
    const [draws] = _drawTables([table], study.cluster, study.cases, metrics, {
      ...settings,
      seed: s + 1,
    });
    const rows = Int32Array.from(study.judge, (_, i) => i);
    const [rowDraws] = _drawTables([table], rows, rows.length, metrics, false);
    const rowJack = _rowJackknife(table, metrics);
    metrics.forEach((_, k) => {
      const boot = _metricInterval(draws!, k, study.cases, settings);
      const intervals = [
        _jackknifeT(draws!.estimates[k]!, draws!.jackknife[k]!, 0.95, SCALE[metrics[k]!]),
        _jackknifeT(draws!.estimates[k]!, draws!.jackknife[k]!, 0.95),
        boot.bca,
        boot.percentile,
        _jackknifeT(rowDraws!.estimates[k]!, rowJack[k]!, 0.95),
      ];
      intervals.forEach((r, m) => {
        if (!(Number.isFinite(r.lower) && Number.isFinite(r.upper))) {
          missing[k]![m]!++;
          return;
        }
        widths[k]![m]!.push(r.upper - r.lower);
        if (r.lower <= truth[k]! && truth[k]! <= r.upper) covered[k]![m]!++;
      });
    });
  }
  const out: Record<string, Record<string, _Coverage>> = {};
  metrics.forEach((metric, k) => {
    out[metric] = {};
    _SIMULATED_METHODS.forEach((method, m) => {
      out[metric]![method] = {
        covered: covered[k]![m]!,
        studies,
        medianWidth: _median(widths[k]![m]!),
        missing: missing[k]![m]!,
      };
    });
  });
  return out as Record<string, Record<_SimulatedMethod, _Coverage>>;
}

/** Leave-one-response-out values (the negative control treats every response as a case). */
function _rowJackknife(table: _PairTable, metrics: readonly MetricName[]): Float64Array[] {
  const full = new Float64Array(table.triples);
  for (let i = 0; i < table.items; i++) full[table.tripleOf[i]!]!++;
  const out = new Float64Array(metrics.length);
  // Responses sharing a triple give the same leave-one-out value: evaluate once per triple.
  const perTriple = Array.from({ length: table.triples }, (_, t) => {
    full[t]!--;
    table.evaluate(full, metrics, out);
    full[t]!++;
    return Float64Array.from(out);
  });
  return metrics.map((_, k) => Float64Array.from(table.tripleOf, (t) => perTriple[t]![k]!));
}

function _median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b), h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
