/**
 * Display helpers for the Deno Jupyter kernel: banners and notes.
 *
 * @module
 */

export * from "./banner.ts";
export * from "./dataset_banner.ts";
export * from "./judge_banner.ts";
export * from "./judgement_view.ts";
export * from "./rounded.ts";
export * from "./candidate_banner.ts";
