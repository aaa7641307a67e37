/**
 * Loading the PrecepTron dataset (or the shipped synthetic sample) as a validated frame.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir } from "./cache_dir.ts";
import {
  _displaySource,
  DatasetError,
  type DatasetProblem,
  describeProblem,
} from "./dataset_error.ts";
import { entriesFrame } from "./entries_frame.ts";
import type { Entry } from "./entry.ts";
import { _envToken, _hubEndpoint, fetchUrlToCache } from "./fetch_source.ts";
import { _parseHubId, fetchHubDataset } from "./hub.ts";
import { redact } from "../judge/redact.ts";
import { readRows } from "./read_rows.ts";
import { type RawRow, validateEntries } from "./validate_entries.ts";
import type { DataFrame } from "./data_frame.ts";

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
  /**
   * Hugging Face token for gated datasets (default: `HF_TOKEN`). It is sent to the hub endpoint
   * only: with an `hf:` id, and with an `https:` URL on the endpoint's origin; never to a URL on
   * another host.
   */
  token?: string;
  /** Hub endpoint (default: `HF_ENDPOINT`, else https://huggingface.co). */
  endpoint?: string;
  /** Progress of downloads (listing, downloading, cached); default: printed to the console. */
  onProgress?: (message: string) => void;
}

/** A loaded, validated dataset before it becomes a frame. */
export interface LoadedDataset {
  /**
   * The source as resolved (path, URL or hub id), as it may be shown: a URL without credentials
   * or query string (`?…` marks one), so that a banner never shows a signature or password.
   */
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
 * Problems are located by row (`index 3`, `line 4`, `row 2`; see `readRows`), and in a source of
 * several files (a sharded hub dataset) by the file's path in the repository first:
 * `train/0000.jsonl line 2`. They are listed in file order.
 *
 * @param source A path (`.json` array, `.jsonl`, `.csv`, `.parquet`), an `https:` URL, or
 *   `hf:owner/name` (a Hugging Face dataset). Default: `defaultSource()`.
 * @param options Validation policy and download settings.
 * @returns The entries, the files read, and (with `invalid: "skip"`) the rejected rows.
 * @throws {DatasetError} When any row is invalid (unless `invalid: "skip"`), a file is
 *   truncated or unreadable as its format, or no entry is left to load (an empty file, a CSV
 *   header without rows, or every row rejected).
 *
 * @example
 * ```ts
 * import { loadEntries } from "./load_dataset.ts";
 * import assert from "node:assert/strict";
 *
 * const { entries } = await loadEntries();
 * assert.ok(entries.length > 0);
 * ```
 */
export async function loadEntries(
  source?: string,
  options: LoadOptions = {},
): Promise<LoadedDataset> {
  const resolved = defaultSource(source);
  const files = await localFiles(resolved, options);
  const labels = fileLabels(files, resolved, options);
  const rows: RawRow[] = [];
  const problems: DatasetProblem[] = [];
  // Where each row or problem sits: its file's position, then its number in that file.
  const order = new Map<string, [number, number]>();
  // A file that is not text at all (not UTF-8, UTF-16, HTML) is never skipped over.
  let unreadable = false;
  for (const [k, file] of files.entries()) {
    const read = await readRows(file);
    if (read.unreadable) unreadable = true;
    // With several files (a sharded hub dataset), say which file each row came from.
    const label = labels[k] ? `${labels[k]} ` : "";
    const place = (where: string) => {
      order.set(label + where, [k, where === "file" ? -1 : Number(/\d+$/.exec(where)?.[0] ?? 0)]);
      return label + where;
    };
    for (const row of read.rows) rows.push({ ...row, where: place(row.where) });
    for (const p of read.problems) problems.push({ ...p, where: place(p.where) });
  }
  const validation = validateEntries(rows);
  problems.push(...validation.problems);
  // Parse and validation problems were found in two passes; list them in file order.
  const rank = (where: string) => order.get(where) ?? [files.length, 0];
  problems.sort((a, b) => {
    const [fa, la] = rank(a.where);
    const [fb, lb] = rank(b.where);
    return fa - fb || la - lb;
  });
  // Nothing to load is an error, not an empty frame; with invalid rows in error mode the
  // DatasetError below says so already.
  if (
    validation.entries.length === 0 && !unreadable &&
    (problems.length === 0 || options.invalid === "skip")
  ) {
    problems.push({
      where: "file",
      message: `no entries: ${
        rows.length === 0 ? "the source holds no rows" : "every row was rejected"
      }`,
    });
  }
  // A file that cannot be parsed at all is never skipped over: that would drop it silently.
  const wholeFile = unreadable ||
    problems.some((p) => p.where === "file" || p.where.endsWith(" file"));
  if (problems.length > 0 && (options.invalid !== "skip" || wholeFile)) {
    throw new DatasetError(resolved, problems);
  }
  const shown = _displaySource(resolved);
  if (problems.length > 0) (options.onProblems ?? warnProblems)(problems, shown);
  return { source: shown, files, entries: validation.entries, problems };
}

/**
 * Loads the PrecepTron dataset as a validated Polars DataFrame, one row per entry.
 *
 * Columns are `DATASET_COLUMNS` (`id`, `case_id`, `benchmark`, `study`, `model`, `grade`,
 * `max_score`, `response`, `rubric` as JSON text, the context fields, and the per-physician
 * `raters`/`rater_scores` lists), then any extra source fields. With no source it loads
 * `PRECEPTRON_DATASET` if set, else the shipped **synthetic** sample.
 *
 * @param source A path, an `https:` URL or `hf:owner/name` (see `loadEntries`).
 * @param options Validation policy and download settings.
 * @returns The dataset frame.
 * @throws {DatasetError} When rows are invalid (every problem is listed), a file is truncated,
 *   or there are no entries.
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
): Promise<DataFrame> {
  const { entries } = await loadEntries(source, options);
  return entriesFrame(entries);
}

async function localFiles(source: string, options: LoadOptions): Promise<string[]> {
  const fetchOptions = {
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    // Downloads can take a while: say what is happening unless the caller listens itself.
    onProgress: options.onProgress ?? ((message: string) => console.log(message)),
  };
  if (source.startsWith("hf:")) {
    return await fetchHubDataset(source, {
      ...fetchOptions,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    });
  }
  if (/^https?:\/\//i.test(source)) {
    // The token is a Hugging Face token: it goes to the hub's own origin, never to other hosts.
    const token = options.token?.trim() || _envToken();
    const onHub = token !== undefined &&
      originOf(source) === originOf(_hubEndpoint(options.endpoint));
    return [await fetchUrlToCache(source, onHub ? { ...fetchOptions, token } : fetchOptions)];
  }
  const path = source.startsWith("file:") ? fileURLToPath(source) : source;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new Error(`${_displaySource(path)}: not a file`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `dataset not found: ${
          _displaySource(path)
        } (give a path to a .json, .jsonl, .csv or .parquet file, ` +
          "an https: URL, or hf:owner/name)",
      );
    }
    throw error;
  }
  return [path];
}

/** A URL's origin, or undefined when it is not a URL. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * How problems name each file of a source: nothing for a single file; for several, the path in
 * the hub repository (`train/0000.jsonl`), else the path below the files' common folder.
 */
function fileLabels(files: readonly string[], source: string, options: LoadOptions): string[] {
  if (files.length < 2) return files.map(() => "");
  let root: string | undefined;
  if (source.startsWith("hf:")) {
    // The hub caches files as {cacheDir}/hf/{owner}/{name}/{commit}/{path in the repository}.
    const ref = _parseHubId(source);
    root = resolve(options.cacheDir ?? cacheDir(), "hf", ref.owner, ref.name);
  }
  const common = commonFolder(files);
  return files.map((file) => {
    if (root !== undefined) {
      const parts = relative(root, file).split(sep);
      if (parts.length > 1 && parts[0] !== ".." && !isAbsolute(parts[0]!)) {
        return parts.slice(1).join("/");
      }
    }
    return relative(common, file).split(sep).join("/");
  });
}

/** The deepest folder holding every one of the files. */
function commonFolder(files: readonly string[]): string {
  let common = dirname(resolve(files[0]!));
  for (const file of files) {
    while (relative(common, resolve(file)).startsWith("..")) common = dirname(common);
  }
  return common;
}

function warnProblems(problems: readonly DatasetProblem[], source: string): void {
  // Problems with a whole file never reach here: they make loading fail even in skip mode.
  const rows = new Set(problems.map((p) => p.where)).size;
  console.warn(redact(
    `${source}: skipped ${rows} invalid row${rows === 1 ? "" : "s"}:\n` +
      problems.map((p) => "  - " + describeProblem(p)).join("\n"),
  ));
}
