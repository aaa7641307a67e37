/**
 * Figures drawn with Observable Plot on a server-side document, shown as SVG in the kernel.
 *
 * @module
 */

export * from "./figure.ts";
export * from "./display_names.ts";
export * from "./plot_figure.ts";
export * from "./grade_distribution.ts";
export * from "./physician_scatter.ts";
export * from "./plot_document.ts";
export * from "./save_figure.ts";
export * from "./calibration_plot.ts";
export * from "./confusion_heatmap.ts";
export * from "./judge_scatter.ts";
export * from "./model_boxplot.ts";
export * from "./bland_altman_plot.ts";
export * from "./agreement_forest.ts";
export * from "./bias_audit_plot.ts";
export * from "./physician_equivalent_plot.ts";
export * from "./paper_figures.ts";
export type { PlotOptions } from "./plot_options.ts";
