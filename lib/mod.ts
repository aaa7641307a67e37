/**
 * PrecepTron for TypeScript: load physician-scored clinical responses, score them with LLM
 * judges, and measure how well the judges agree with physicians.
 *
 * Two more entry points stand beside this one: `preceptron/sample` (the synthetic sample's
 * generator) and `preceptron/testing` (a scripted model server with faults on cue, for tests and
 * offline runs).
 *
 * ```ts
 * import { countBy, loadDataset } from "preceptron";
 *
 * const dataset = await loadDataset(); // the shipped synthetic sample
 * countBy(dataset, "benchmark");
 * ```
 *
 * @module
 */

export * from "./data/mod.ts";
export * from "./judge/mod.ts";
export * from "./notebook/mod.ts";
export * from "./plots/mod.ts";
export * from "./runner/mod.ts";
export * from "./stats/mod.ts";
export * from "./tasks/mod.ts";
// The figures also as one namespace, as notebooks write them: `plots.judgeScatter(trials)`.
export * as plots from "./plots/mod.ts";
// Both areas name a `blandAltman`: at the top level it is the statistic (the figure is
// `blandAltmanPlot`, or `plots.blandAltman`).
export { blandAltman } from "./stats/mod.ts";
