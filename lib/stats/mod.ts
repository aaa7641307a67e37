/**
 * Agreement statistics as pure functions on arrays, and per-task summaries as frames.
 *
 * One rule for bad and degenerate input throughout: empty input, unequal lengths and values that
 * are not finite numbers throw a `RangeError` naming the function and argument; valid input for
 * which a statistic is undefined (a single pair, a constant vector, a single category, no
 * pairable ratings) gives `NaN`, and each function says when.
 *
 * @module
 */

// The metric files also export their kernels (`_pearson`, …) for the report's registry: name
// the public symbols.
export { pearson } from "./pearson.ts";
export { spearman } from "./spearman.ts";
export { kendallTauB } from "./kendall_tau_b.ts";
export * from "./physician_agreement.ts";
export { meanAbsoluteError, type ScoreErrorOptions } from "./mean_absolute_error.ts";
export { rootMeanSquaredError } from "./root_mean_squared_error.ts";
export { meanBias } from "./mean_bias.ts";
export { exactAgreement } from "./exact_agreement.ts";
export { withinOneAgreement } from "./within_one_agreement.ts";
export { cohenKappa, type CohenKappaOptions } from "./cohen_kappa.ts";
export { icc, type IccForm, type IccOptions, type IccResult } from "./icc.ts";
export { krippendorffAlpha, type KrippendorffAlphaOptions } from "./krippendorff_alpha.ts";
export { linCcc } from "./lin_ccc.ts";
export type { SampleWeightsOptions } from "./sample_weights.ts";
export type { DataFrame } from "../data/data_frame.ts";
export * from "./bland_altman.ts";
export * from "./cluster_bootstrap.ts";
export * from "./paired_cluster_bootstrap.ts";
export * from "./agreement.ts";
export * from "./ceiling.ts";
export * from "./agreement_summary.ts";
export * from "./case_count_note.ts";
export * from "./alt_test.ts";
export * from "./ppi_mean.ts";
export { physicianEquivalent, type PhysicianEquivalentOptions } from "./physician_equivalent.ts";
export {
  plannedIds,
  planPhysicianGrading,
  type PlanPhysicianGradingOptions,
} from "./plan_physician_grading.ts";
export * from "./isotonic_regression.ts";
export * from "./calibrate.ts";
export * from "./bias_audit.ts";
export * from "./model_summary.ts";
