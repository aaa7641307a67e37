/**
 * Loading the PrecepTron dataset (or the shipped synthetic sample) as a validated frame.
 *
 * @module
 */

import type pl from "nodejs-polars";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { DatasetError, type DatasetProblem, describeProblem } from "./dataset_error.ts";
import { entriesFrame } from "./entries_frame.ts";
import type { Entry } from "./entry.ts";
import { fetchUrlToCache } from "./fetch_source.ts";
import { fetchHubDataset } from "./hub.ts";
import { readRows } from "./read_rows.ts";
import { type RawRow, validateEntries } from "./validate_entries.ts";

/** The synthetic sample shipped in `data/`, used when no source is given. */
export const SAMPLE_PATH: string = fileURLToPath(
  new URL("../../data/preceptron-sample.json", import.meta.url),
);

/** How to load a dataset. */
export interface LoadOptions {
  /**
   * What to do with rows that fail validation: `"error"` (the default) throws a `DatasetError`
   * listing every problem and loads nothing; `"skip"` loads the valid rows and reports every
   * rejected row, with its reason, through `onProblems` (a warning on the console by default).
   */
  invalid?: "error" | "skip";
  /** Receives the rejected rows' problems when `invalid` is `"skip"`. */
  onProblems?: (problems: readonly DatasetProblem[], source: string) => void;
  /** Download cache folder for URLs and hub ids (default: `cacheDir()`). */
  cacheDir?: string;
  /** Hugging Face token for gated datasets (default: `HF_TOKEN`). */
  token?: string;
  /** Hub endpoint (default: `HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string;
  /** Progress of downloads (listing, downloading, cached); default: printed to the console. */
  onProgress?: (message: string) => void;
}

/** A loaded, validated dataset before it becomes a frame. */
export interface LoadedDataset {
  /** The source as resolved (path, URL or hub id). */
  source: string;
  /** The local files read. */
  files: string[];
  /** Valid entries in file order. */
  entries: Entry[];
  /** Problems with rejected rows (empty unless `invalid: "skip"`). */
  problems: DatasetProblem[];
}

/**
 * Resolves the dataset source when none is given: `PRECEPTRON_DATASET` if set, else the
 * shipped synthetic sample.
 *
 * @param source An explicit source, if any.
 * @returns The source to load.
 *
 * @example
 * ```ts
 * import { defaultSource } from "./load_dataset.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(defaultSource("data.jsonl"), "data.jsonl");
 * ```
 */
export function defaultSource(source?: string): string {
  if (source !== undefined && source !== "") return source;
  const fromEnv = Deno.env.get("PRECEPTRON_DATASET");
  return fromEnv !== undefined && fromEnv !== "" ? fromEnv : SAMPLE_PATH;
}

/**
 * Reads and validates a dataset into entries (the step before `loadDataset` builds a frame).
 *
 * @param source A path (`.json` array, `.jsonl`, `.csv`, `.parquet`), an `https:` URL, or
 *   `hf:owner/name` (a Hugging Face dataset). Default: `defaultSource()`.
 * @param options Validation policy and download settings.
 * @returns The entries, the files read, and (with `invalid: "skip"`) the rejected rows.
 * @throws {DatasetError} When any row is invalid (unless `invalid: "skip"`) or a file is
 *   truncated or unreadable as its format.
 *
 * @example
 * ```ts
 * import { readDataset } from "./load_dataset.ts";
 * import assert from "node:assert/strict";
 *
 * const { entries } = await readDataset();
 * assert.ok(entries.length > 0);
 * ```
 */
export async function readDataset(
  source?: string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  const resolved = defaultSource(source);
  const files = await localFiles(resolved, options);
  const rows: RawRow[] = [];
  const problems: DatasetProblem[] = [];
  for (const file of files) {
    const read = await readRows(file);
    // With several files (a sharded hub dataset), say which file each row came from.
    const label = files.length > 1 ? `${basename(file)} ` : "";
    for (const row of read.rows) rows.push(label ? { ...row, where: label + row.where } : row);
    for (const p of read.problems) problems.push(label ? { ...p, where: label + p.where } : p);
  }
  const validation = validateEntries(rows);
  problems.push(...validation.problems);
  // Parse and validation problems were found in two passes; list them in file order.
  const fileOrder = (where: string) => files.findIndex((f) => where.startsWith(basename(f) + " "));
  const lineOf = (where: string) => Number(/(\d+)$/.exec(where)?.[1] ?? -1);
  problems.sort((a, b) =>
    fileOrder(a.where) - fileOrder(b.where) || lineOf(a.where) - lineOf(b.where)
  );
  // A file that cannot be parsed at all is never skipped over: that would drop it silently.
  const wholeFile = problems.some((p) => p.where.endsWith("file"));
  if (problems.length > 0 && (options.invalid !== "skip" || wholeFile)) {
    throw new DatasetError(resolved, problems);
  }
  if (problems.length > 0) (options.onProblems ?? warnProblems)(problems, resolved);
  return { source: resolved, files, entries: validation.entries, problems };
}

/**
 * Loads the PrecepTron dataset as a validated Polars DataFrame, one row per entry.
 *
 * Columns are `DATASET_COLUMNS` (`id`, `case_id`, `benchmark`, `study`, `model`, `grade`,
 * `max_score`, `response`, `rubric` as JSON text, the context fields, and the per-physician
 * `raters`/`rater_scores` lists), then any extra source fields. With no source it loads
 * `PRECEPTRON_DATASET` if set, else the shipped **synthetic** sample.
 *
 * @param source A path, an `https:` URL or `hf:owner/name` (see `readDataset`).
 * @param options Validation policy and download settings.
 * @returns The dataset frame.
 * @throws {DatasetError} When rows are invalid (every problem is listed) or a file is truncated.
 *
 * @example
 * ```ts
 * import { loadDataset } from "./load_dataset.ts";
 * import assert from "node:assert/strict";
 *
 * const df = await loadDataset(); // the shipped synthetic sample
 * assert.ok(df.columns.includes("grade"));
 * ```
 */
export async function loadDataset(
  source?: string,
  options: LoadOptions = {},
): Promise<pl.DataFrame> {
  const { entries } = await readDataset(source, options);
  return entriesFrame(entries);
}

async function localFiles(source: string, options: LoadOptions): Promise<string[]> {
  const fetchOptions = {
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.token === undefined ? {} : { token: options.token }),
    // Downloads can take a while: say what is happening unless the caller listens itself.
    onProgress: options.onProgress ?? ((message: string) => console.log(message)),
  };
  if (source.startsWith("hf:")) {
    return await fetchHubDataset(source, {
      ...fetchOptions,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
  }
  if (/^https?:\/\//i.test(source)) return [await fetchUrlToCache(source, fetchOptions)];
  const path = source.startsWith("file:") ? fileURLToPath(source) : source;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new Error(`${path}: not a file`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `dataset not found: ${path} (give a path to a .json, .jsonl, .csv or .parquet file, ` +
          "an https: URL, or hf:owner/name)",
      );
    }
    throw error;
  }
  return [path];
}

function warnProblems(problems: readonly DatasetProblem[], source: string): void {
  const rows = new Set(problems.map((p) => p.where)).size;
  console.warn(
    `${source}: skipped ${rows} invalid row${rows === 1 ? "" : "s"}:\n` +
      problems.map((p) => "  - " + describeProblem(p)).join("\n"),
  );
}
