/**
 * The names figures show: one table of task titles and metric labels, so that no figure prints a
 * raw key (`kappa_quadratic`, `management_reasoning`).
 *
 * @module
 */

/** Each task's title, as a figure shows it. */
export const TASK_TITLES: Readonly<Record<string, string>> = {
  cpc_bond: "CPC differential (Bond 0–5)",
  bi_triage: "ED triage differential (Bond 0–5)",
  cpc_management: "CPC test plan (0–2)",
  r_idea: "Consultation note (R-IDEA 0–10)",
  diagnostic_reasoning: "Diagnostic reasoning (0–19)",
  management_reasoning: "Management reasoning (rubric)",
};

/** Each metric's label, with its symbol. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  pearson: "Pearson's r",
  spearman: "Spearman's ρ",
  kendall_tau_b: "Kendall's τ-b",
  mae: "Mean absolute error (points)",
  mae_share: "Mean absolute error (share of max)",
  rmse: "RMSE (points)",
  bias: "Bias, judge − physician (points)",
  exact: "Exact agreement",
  within_one: "Agreement within 1 point",
  kappa: "Cohen's κ",
  kappa_linear: "Linear-weighted κ",
  kappa_quadratic: "Quadratic-weighted κ",
  icc_a1: "ICC(A,1)",
  lin_ccc: "Lin's CCC",
  krippendorff_interval: "Krippendorff's α (interval)",
};

/**
 * A task's title for a figure (the key itself for a task the table does not know).
 *
 * @param key The task key.
 * @param options `wrap`: put the scale on a line of its own, for facet labels in a margin.
 * @returns The title.
 *
 * @example
 * ```ts
 * import { taskTitle } from "./display_names.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(taskTitle("cpc_management"), "CPC test plan (0–2)");
 * assert.equal(taskTitle("my_task"), "my_task");
 * assert.equal(taskTitle("cpc_management", { wrap: true }), "CPC test plan\n(0–2)");
 * ```
 */
export function taskTitle(key: string, options: { wrap?: boolean } = {}): string {
  const title = TASK_TITLES[key] ?? key;
  return options.wrap ? title.replace(" (", "\n(") : title;
}

/**
 * A metric's label for a figure (the key itself for a metric the table does not know).
 *
 * @param key The metric name.
 * @returns The label.
 *
 * @example
 * ```ts
 * import { metricLabel } from "./display_names.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(metricLabel("kappa_quadratic"), "Quadratic-weighted κ");
 * ```
 */
export function metricLabel(key: string): string {
  return METRIC_LABELS[key] ?? key;
}
