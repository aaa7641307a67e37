/**
 * The dataset layer: the entry schema and its validation, loaders for local files, URLs and
 * Hugging Face ids (with no source, the synthetic sample shipped in `data/`), and Polars frames of
 * entries and per-physician ratings. The sample's generator is in `lib/sample`.
 *
 * ```ts
 * import { countBy, loadDataset, ratings } from "./mod.ts";
 *
 * const dataset = await loadDataset(); // the shipped synthetic sample
 * countBy(dataset, "benchmark");
 * ratings(dataset); // one row per physician score
 * ```
 *
 * @module
 */

export * from "./task_key.ts";
export { cacheDir } from "./cache_dir.ts";
export * from "./cases_per_task.ts";
export * from "./count_by.ts";
export * from "./dataset_error.ts";
export * from "./entries_frame.ts";
export * from "./entry.ts";
export { type FetchOptions, fetchUrlToCache } from "./fetch_source.ts";
export * from "./filter_entries.ts";
export * from "./grade_summary.ts";
export { fetchHubDataset, type HubFetchOptions, PRECEPTRON_FILE } from "./hub.ts";
export * from "./is_physician_respondent.ts";
export * from "./is_synthetic.ts";
export * from "./load_dataset.ts";
export * from "./normalised_grade.ts";
export * from "./ratings.ts";
export * from "./read_rows.ts";
export * from "./validate_entries.ts";
export type { DataFrame } from "./data_frame.ts";
