/**
 * Display helpers for the Deno Jupyter kernel: banners and notes.
 *
 * @module
 */

export * from "./banner.ts";
export * from "./dataset_banner.ts";
