/**
 * Figures drawn with Observable Plot on a server-side document, shown as SVG in the kernel.
 *
 * @module
 */

export * from "./figure.ts";
export * from "./grade_distribution.ts";
export * from "./physician_scatter.ts";
export * from "./plot_document.ts";
export * from "./save_figure.ts";
export * from "./calibration_plot.ts";
export * from "./confusion_heatmap.ts";
export * from "./judge_scatter.ts";
export * from "./model_boxplot.ts";
