/**
 * The metrics `agreement()` and `ceiling()` report, in one table: each metric's implementation
 * (the kernel behind its public function, on weighted pairs) and how the report reads it.
 *
 * To add a metric: write its file (the public function on arrays and its kernel on
 * `_WeightedPairs`, see `pearson.ts`), then add its name to `METRIC_NAMES` and its entry to
 * `_METRICS` below.
 *
 * @module
 */

import type { _IntervalScale } from "./_jackknife_t.ts";
import type { _WeightedPairs } from "./_weighted_pairs.ts";
import { _pearson } from "./pearson.ts";
import { _spearman } from "./spearman.ts";
import { _kendallTauB } from "./kendall_tau_b.ts";
import { _meanAbsoluteError } from "./mean_absolute_error.ts";
import { _rootMeanSquaredError } from "./root_mean_squared_error.ts";
import { _meanBias } from "./mean_bias.ts";
import { _exactAgreement } from "./exact_agreement.ts";
import { _withinOneAgreement } from "./within_one_agreement.ts";
import { _cohenKappa } from "./cohen_kappa.ts";
import { _icc } from "./icc.ts";
import { _linCcc } from "./lin_ccc.ts";
import { _intervalAlpha } from "./krippendorff_alpha.ts";

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

/** How the report computes and reads one metric. */
export interface _Metric {
  /** The metric of weighted (judge, physician) pairs; `NaN` where undefined. */
  compute: (pairs: _WeightedPairs) => number;
  /** Which value is better (`"zero"`: the signed bias, best at 0). */
  direction: "higher" | "lower" | "zero";
  /**
   * The scale its jackknife-t interval is built on before the limits are mapped back (the
   * choices and the simulation behind them: `README.md`, "Intervals").
   */
  intervalScale: _IntervalScale;
  /** Needs the task's own points: left out when tasks are pooled on the share scale. */
  pointsOnly?: true;
  /** How a `NaN` is explained: a constant side (correlations) or one category (κ). */
  family?: "correlation" | "kappa";
  /** Its name in notes ("Lin's CCC undefined on these pairs"). */
  label: string;
}

const correlation = { direction: "higher", intervalScale: "atanh", family: "correlation" } as const;
const error = { direction: "lower", intervalScale: "log" } as const;
const share = { direction: "higher", intervalScale: "logit", pointsOnly: true } as const;
const kappa = { ...correlation, pointsOnly: true, family: "kappa" } as const;
const coefficient = { direction: "higher", intervalScale: "atanh" } as const;

/** Every metric: its implementation and how the report reads it. */
export const _METRICS: Readonly<Record<MetricName, _Metric>> = {
  pearson: { ...correlation, compute: _pearson, label: "Pearson's r" },
  spearman: { ...correlation, compute: _spearman, label: "Spearman's ρ" },
  kendall_tau_b: { ...correlation, compute: _kendallTauB, label: "Kendall's τ-b" },
  mae: { ...error, compute: (p) => _meanAbsoluteError(p), label: "MAE" },
  mae_share: { ...error, compute: (p) => _meanAbsoluteError(p, true), label: "MAE share" },
  rmse: { ...error, compute: _rootMeanSquaredError, label: "RMSE" },
  bias: { direction: "zero", intervalScale: "identity", compute: _meanBias, label: "bias" },
  exact: { ...share, compute: _exactAgreement, label: "exact agreement" },
  within_one: { ...share, compute: _withinOneAgreement, label: "within-one agreement" },
  kappa: { ...kappa, compute: (p) => _cohenKappa(p, "none"), label: "κ" },
  kappa_linear: { ...kappa, compute: (p) => _cohenKappa(p, "linear"), label: "linear κ" },
  kappa_quadratic: {
    ...kappa,
    compute: (p) => _cohenKappa(p, "quadratic"),
    label: "quadratic κ",
  },
  icc_a1: { ...coefficient, compute: (p) => _icc(p.columnMoments(), "ICC2"), label: "ICC" },
  lin_ccc: { ...coefficient, compute: _linCcc, label: "Lin's CCC" },
  krippendorff_interval: {
    ...coefficient,
    compute: (p) => _intervalAlpha(p.columnMoments()),
    label: "Krippendorff's α",
  },
};

/**
 * Whether a higher value of each metric is better (`"higher"`), a lower one (`"lower"`:
 * errors), or a value closer to 0 (`"zero"`: the signed bias).
 */
export const METRIC_DIRECTION: Readonly<Record<MetricName, "higher" | "lower" | "zero">> = Object
  .fromEntries(METRIC_NAMES.map((m) => [m, _METRICS[m].direction])) as Record<
    MetricName,
    "higher" | "lower" | "zero"
  >;

/**
 * A function that evaluates `metrics` on pairs under their current weights (each metric's
 * kernel looked up once, not once per resample).
 *
 * @param metrics The metrics.
 * @returns `(pairs, out)`, which sets `out[k]` to the value of `metrics[k]` (`NaN` where
 *   undefined, and for every metric when the weights sum to 0).
 */
export function _evaluator(
  metrics: readonly MetricName[],
): (pairs: _WeightedPairs, out: Float64Array) => void {
  const kernels = metrics.map((m) => _METRICS[m].compute);
  return (pairs, out) => {
    if (!(pairs.total > 0)) {
      out.fill(NaN, 0, kernels.length);
      return;
    }
    for (let k = 0; k < kernels.length; k++) {
      const value = kernels[k]!(pairs);
      out[k] = Number.isFinite(value) ? value : NaN;
    }
  };
}
