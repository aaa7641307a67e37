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

import { _evaluator, _METRICS, type MetricName } from "./_metric_registry.ts";
import { _WeightedPairs } from "./_weighted_pairs.ts";
import { _drawTables, _metricInterval } from "./_metric_bootstrap.ts";
import { _jackknifeT } from "./_jackknife_t.ts";
import { _normal, _uniform } from "./_prng.ts";
import { MIN_CEILING_INTERVAL_CASES } from "./case_count_note.ts";

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

/** One interval method's name. */
export type _SimulatedMethod = typeof _SIMULATED_METHODS[number];

/** One study: judge scores, physician grades and each response's case. */
interface _Study {
  judge: Float64Array;
  /** The first physician's grade (the reference of `agreement()`). */
  physician: Float64Array;
  /** All three physicians' grades, response by response. */
  raters: Float64Array[];
  cluster: Int32Array;
  cases: number;
}

/** What an interval is for: the judge's agreement, the ceiling, the judge on its pairs, the gap. */
export const _SIMULATED_QUANTITIES = [
  "agreement",
  "ceiling",
  "judge_same_pairs",
  "difference",
] as const;

/** One of `_SIMULATED_QUANTITIES`. */
export type _SimulatedQuantity = typeof _SIMULATED_QUANTITIES[number];

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
  const raters: Float64Array[] = [];
  for (let c = 0; c < design.cases; c++) {
    const difficulty = 2.5 + _normal(u), bias = 0.2 + 0.7 * _normal(u);
    const [lo, hi] = typeof design.responses === "number"
      ? [design.responses, design.responses]
      : design.responses;
    const k = lo + Math.floor(u() * (hi - lo + 1));
    for (let r = 0; r < k; r++) {
      const quality = difficulty + _normal(u);
      const grades = Float64Array.from([0, 1, 2], () => _clamp(quality + 0.5 * _normal(u)));
      physician.push(grades[0]!);
      raters.push(grades);
      judge.push(_clamp(quality + bias + 0.6 * _normal(u)));
      cluster.push(c);
    }
  }
  return {
    judge: Float64Array.from(judge),
    physician: Float64Array.from(physician),
    raters,
    cluster: Int32Array.from(cluster),
    cases: design.cases,
  };
}

/**
 * The pair tables of each quantity: `[agreement]`, and `[physicians, judge]` on the ceiling's
 * leave-one-physician-out pairs (each physician h against the mean of the other two).
 *
 * @param study The study.
 * @returns The tables and each ceiling pair's case.
 */
export function _studyTables(study: _Study): {
  agreement: _WeightedPairs;
  ceiling: [_WeightedPairs, _WeightedPairs];
  ceilingCluster: Int32Array;
} {
  const h: number[] = [], judge: number[] = [], others: number[] = [], cluster: number[] = [];
  study.raters.forEach((grades, i) => {
    const sum = grades.reduce((a, b) => a + b, 0);
    for (const g of grades) {
      h.push(g);
      judge.push(study.judge[i]!);
      others.push((sum - g) / (grades.length - 1));
      cluster.push(study.cluster[i]!);
    }
  });
  const fives = (n: number) => new Float64Array(n).fill(5);
  const ref = Float64Array.from(others);
  return {
    agreement: new _WeightedPairs(study.judge, study.physician, fives(study.judge.length)),
    ceiling: [
      new _WeightedPairs(Float64Array.from(h), ref, fives(h.length)),
      new _WeightedPairs(Float64Array.from(judge), ref, fives(h.length)),
    ],
    ceilingCluster: Int32Array.from(cluster),
  };
}

/**
 * The population value of each metric (100,000 cases of 8 responses, seeded).
 *
 * @param metrics The metrics.
 * @returns One value per metric.
 */
export function _populationValues(
  metrics: readonly MetricName[],
): Record<_SimulatedQuantity, Float64Array> {
  const study = _drawStudy({ cases: 100_000, responses: 8 }, _uniform(20261203));
  const tables = _studyTables(study);
  const value = (table: _WeightedPairs) => {
    const out = new Float64Array(metrics.length);
    _evaluator(metrics)(table, out);
    return out;
  };
  const ceiling = value(tables.ceiling[0]), judge = value(tables.ceiling[1]);
  return {
    agreement: value(tables.agreement),
    ceiling,
    judge_same_pairs: judge,
    difference: judge.map((v, k) => v - ceiling[k]!),
  };
}

/** Coverage and median width of one method on one metric. */
export interface _Coverage {
  covered: number;
  studies: number;
  medianWidth: number;
  /** Studies whose interval was not finite (counted as not covering). */
  missing: number;
}

/** `result[quantity][metric][method]`. */
export type _CoverageTable = Record<
  _SimulatedQuantity,
  Record<string, Record<_SimulatedMethod, _Coverage>>
>;

/** One study's intervals, per quantity, metric and method. */
type _StudyIntervals = Record<_SimulatedQuantity, { lower: number; upper: number }[][]>;

/**
 * Simulates `studies` studies of a design and records, per quantity, metric and method, how
 * often the 95% interval covers the population value.
 *
 * @param design The design.
 * @param truth The population values (`_populationValues(_SIMULATED_METRICS)`).
 * @param studies Number of simulated studies.
 * @param resamples Bootstrap resamples per study.
 * @param seed The seed.
 * @returns The coverage table.
 */
export function _simulateCoverage(
  design: _Design,
  truth: Record<_SimulatedQuantity, Float64Array>,
  studies: number,
  resamples: number,
  seed: number,
): _CoverageTable {
  const metrics = _SIMULATED_METRICS;
  const tally = Object.fromEntries(_SIMULATED_QUANTITIES.map((q) => [
    q,
    metrics.map(() =>
      _SIMULATED_METHODS.map(() => ({ covered: 0, missing: 0, widths: [] as number[] }))
    ),
  ])) as Record<_SimulatedQuantity, { covered: number; missing: number; widths: number[] }[][]>;
  const u = _uniform(seed);
  for (let s = 0; s < studies; s++) {
    const intervals = _studyIntervals(_drawStudy(design, u), resamples, s + 1);
    for (const q of _SIMULATED_QUANTITIES) {
      metrics.forEach((_, k) => {
        intervals[q][k]!.forEach((r, m) => {
          const t = tally[q][k]![m]!;
          if (!(Number.isFinite(r.lower) && Number.isFinite(r.upper))) {
            t.missing++;
            return;
          }
          t.widths.push(r.upper - r.lower);
          if (r.lower <= truth[q][k]! && truth[q][k]! <= r.upper) t.covered++;
        });
      });
    }
  }
  const out = {} as _CoverageTable;
  for (const q of _SIMULATED_QUANTITIES) {
    out[q] = {};
    metrics.forEach((metric, k) => {
      out[q][metric] = Object.fromEntries(_SIMULATED_METHODS.map((method, m) => {
        const t = tally[q][k]![m]!;
        return [method, {
          covered: t.covered,
          studies,
          medianWidth: _median(t.widths),
          missing: t.missing,
        }];
      })) as Record<_SimulatedMethod, _Coverage>;
    });
  }
  return out;
}

/** Every method's interval for every quantity and metric of one study. */
function _studyIntervals(study: _Study, resamples: number, seed: number): _StudyIntervals {
  const metrics = _SIMULATED_METRICS;
  const settings = { resamples, seed, level: 0.95, method: "bca" as const };
  const tables = _studyTables(study);
  const [agree] = _drawTables([tables.agreement], study.cluster, study.cases, metrics, settings);
  const [phys, judge] = _drawTables(
    tables.ceiling,
    tables.ceilingCluster,
    study.cases,
    metrics,
    settings,
  );
  const rows = {
    agreement: _rowJackknife([tables.agreement], metrics),
    ceiling: _rowJackknife([tables.ceiling[0]], metrics),
    judge_same_pairs: _rowJackknife([tables.ceiling[1]], metrics),
    difference: _rowJackknife(tables.ceiling, metrics),
  };
  const draws = { agreement: agree!, ceiling: phys!, judge_same_pairs: judge!, difference: null };
  const out = {} as _StudyIntervals;
  for (const q of _SIMULATED_QUANTITIES) {
    out[q] = metrics.map((metric, k) => {
      const d = draws[q];
      const boot = _metricInterval(d ?? [judge!, phys!], k, study.cases, settings);
      const estimate = d ? d.estimates[k]! : judge!.estimates[k]! - phys!.estimates[k]!;
      const jack = d
        ? d.jackknife[k]!
        : judge!.jackknife[k]!.map((v, c) => v - phys!.jackknife[k]![c]!);
      const scale = d ? _METRICS[metric].intervalScale : "identity";
      // The report's rule: the ceiling and the gap get no interval below 20 cases.
      const ceilingLike = q === "ceiling" || q === "difference";
      const chosen = ceilingLike && study.cases < MIN_CEILING_INTERVAL_CASES
        ? { lower: NaN, upper: NaN }
        : _jackknifeT(estimate, jack, 0.95, scale);
      return [
        chosen,
        _jackknifeT(estimate, jack, 0.95),
        boot.bca,
        boot.percentile,
        _jackknifeT(estimate, rows[q][k]!, 0.95),
      ];
    });
  }
  return out;
}

/**
 * Leave-one-response-out values (the negative control treats every response as a case), of one
 * table's metrics or of the difference of two tables over the same items.
 */
function _rowJackknife(
  tables: readonly _WeightedPairs[],
  metrics: readonly MetricName[],
): Float64Array[] {
  const values = tables.map((table) => {
    const full = new Float64Array(table.size);
    for (let i = 0; i < table.items; i++) full[table.pairOf[i]!]!++;
    const out = new Float64Array(metrics.length), evaluate = _evaluator(metrics);
    // Items sharing a distinct pair give the same leave-one-out value: evaluate once per pair.
    const perPair = Array.from({ length: table.size }, (_, t) => {
      full[t]!--;
      table.setWeights(full);
      evaluate(table, out);
      full[t]!++;
      return Float64Array.from(out);
    });
    return metrics.map((_, k) => Float64Array.from(table.pairOf, (t) => perPair[t]![k]!));
  });
  if (values.length === 1) return values[0]!;
  return metrics.map((_, k) => values[1]![k]!.map((v, i) => v - values[0]![k]![i]!));
}

function _median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b), h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}
