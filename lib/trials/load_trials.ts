/**
 * `loadTrials()`: every judgement in a run's ledgers as one frame, joined to the physician
 * grades — the table the agreement statistics are computed from.
 *
 * @module
 */

import pl from "nodejs-polars";
import { loadDataset } from "../data/load_dataset.ts";
import type { LedgerRecord } from "../ledger/ledger.ts";
import { _readLedgers } from "./_read_ledgers.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** How to load trials. */
export interface LoadTrialsOptions {
  /**
   * The dataset to join the judgements to: a frame from `loadDataset`, or a source to load
   * with it (a path, URL or `hf:` id). Default: none — the trials alone.
   */
  dataset?: DataFrame | string;
  /**
   * What to do when a judge, task, entry and repeat have judgements under several keys — a
   * prompt, model, parameter or entry text changed and the entry was judged again, so the
   * ledger holds the old judgement and the new one. `"drop"` (the default) keeps only the one
   * appended last; `"keep"` keeps them all (tell them apart by `prompt_hash`, `judge_model`…).
   */
  superseded?: "drop" | "keep";
  /** Receives warnings (torn lines, superseded judgements, entries missing from the dataset). */
  onWarning?: (message: string) => void;
}

/** The columns of a trials frame, in order; a dataset's columns (`DATASET_TRIAL_COLUMNS`) follow. */
export const TRIAL_COLUMNS = [
  "judge",
  "task",
  "entry_id",
  "repeat",
  "status",
  "score",
  "reason",
  "detail",
  "justification",
  "judge_provider",
  "judge_model",
  "prompt_version",
  "prompt_hash",
  "output_mode",
  "input_tokens",
  "output_tokens",
  "latency_ms",
  "attempts",
  "time",
  "key",
] as const;

/**
 * The dataset columns joined to the trials (and `synthetic` after them, when the dataset has
 * it). `model` is the model (or physician group) that wrote the response, as in the dataset;
 * the judge's model is `judge_model`.
 */
export const DATASET_TRIAL_COLUMNS = [
  "case_id",
  "study",
  "model",
  "grade",
  "max_score",
  "raters",
  "rater_scores",
] as const;

/**
 * Loads every judgement in a run's output folder as one frame, one row per judgement, optionally
 * joined to the dataset's physician grades.
 *
 * It reads every `*.jsonl` ledger in `outputDir` (not sub-folders), taking each key's latest
 * record (a retried failure supersedes the failure). Columns (`TRIAL_COLUMNS`):
 *
 * - `judge` — the judge's name in the config: read from the ledger's file name
 *   (`{name}_{task}.jsonl`, see `ledgerPath`), so renaming a judge by moving its file renames
 *   all its judgements; from each record for files named otherwise. `task`, `entry_id`,
 *   `repeat` (from 0): with several judges (a jury) and `repeats: k`, every judge × repeat is
 *   its own row.
 * - `status` (`"scored"` / `"failed"`), `score` (null when failed), `reason` and `detail`
 *   (null when scored), `justification` (null when failed).
 * - Provenance: `judge_provider`, `judge_model`, `prompt_version`, `prompt_hash`, `output_mode`.
 * - Cost and timing: `input_tokens`, `output_tokens` (null where not reported), `latency_ms`,
 *   `attempts`, `time` (ISO 8601 text), and the ledger `key`.
 *
 * With a dataset, the rows are left-joined on `entry_id` = `id` and `task` = `benchmark`, adding
 * `DATASET_TRIAL_COLUMNS` (and `synthetic` where present): `model` is the **respondent** model
 * as in the dataset; the judge's model stays in `judge_model`. Judgements of entries the
 * dataset lacks are kept, with nulls there, and counted in a warning.
 *
 * Rows are sorted by judge, task, entry id and repeat.
 *
 * @param outputDir The run's output folder.
 * @param options The dataset to join, the policy for superseded judgements, a warning sink
 *   (default `console.warn`).
 * @returns The trials frame (empty, with every column, when the folder holds no ledgers).
 * @throws {Error} When `outputDir` does not exist or is not a folder; when the dataset frame
 *   lacks a needed column or repeats an (id, benchmark) pair.
 * @throws {LedgerError} For a ledger damaged in the middle (naming file and line).
 * @throws {DatasetError} When `dataset` is a source that does not load.
 *
 * @example
 * ```ts
 * import { loadTrials } from "./load_trials.ts";
 * import { Ledger, ledgerPath } from "../ledger/ledger.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const ledger = await Ledger.open(ledgerPath(dir, "gpt-4o", "cpc_bond"));
 * await ledger.append({
 *   key: "k1", judge: "gpt-4o", task: "cpc_bond", entry_id: "x", repeat: 0,
 *   time: "2025-01-01T00:00:00.000Z",
 *   judgement: {
 *     status: "scored", score: 4, justification: "close", task: "cpc_bond", raw: "{}",
 *     attempts: 1, latency_ms: 120, usage: { input_tokens: 900, output_tokens: 40 },
 *     provenance: {
 *       judge: "openai:gpt-4o", provider: "openai", model: "gpt-4o", parameters: {},
 *       prompt_version: "1", prompt_hash: "ab", output_mode: "json_schema",
 *     },
 *   },
 * });
 * await ledger.close();
 * const trials = await loadTrials(dir);
 * assert.deepEqual(trials.getColumn("score").toArray(), [4]);
 * ```
 */
export async function loadTrials(
  outputDir: string,
  options: LoadTrialsOptions = {},
): Promise<DataFrame> {
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const ledgers = await _readLedgers(outputDir, options.superseded ?? "drop", warn);
  const trials = trialsFrame(
    ledgers.flatMap((l) => l.records.map((r) => ({ ...r, judge: l.judge(r) }))),
  );
  if (options.dataset === undefined) return trials;
  const dataset = typeof options.dataset === "string"
    ? await loadDataset(options.dataset)
    : options.dataset;
  return joinDataset(trials, dataset, warn);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The trials frame of records whose `judge` is already the judge's name. */
function trialsFrame(records: LedgerRecord[]): DataFrame {
  const rows = records.toSorted((a, b) =>
    compare(a.judge, b.judge) || compare(a.task, b.task) || compare(a.entry_id, b.entry_id) ||
    a.repeat - b.repeat
  );
  const column = <T>(name: string, pick: (r: LedgerRecord) => T, type: pl.DataType) =>
    pl.Series(name, rows.map(pick), type);
  const scored = (r: LedgerRecord) => r.judgement.status === "scored" ? r.judgement : undefined;
  const failed = (r: LedgerRecord) => r.judgement.status === "failed" ? r.judgement : undefined;
  return pl.DataFrame([
    column("judge", (r) => r.judge, pl.Utf8),
    column("task", (r) => r.task, pl.Utf8),
    column("entry_id", (r) => r.entry_id, pl.Utf8),
    column("repeat", (r) => r.repeat, pl.Int64),
    column("status", (r) => r.judgement.status, pl.Utf8),
    column("score", (r) => scored(r)?.score ?? null, pl.Float64),
    column("reason", (r) => failed(r)?.reason ?? null, pl.Utf8),
    column("detail", (r) => failed(r)?.detail ?? null, pl.Utf8),
    column("justification", (r) => scored(r)?.justification ?? null, pl.Utf8),
    column("judge_provider", (r) => r.judgement.provenance.provider, pl.Utf8),
    column("judge_model", (r) => r.judgement.provenance.model, pl.Utf8),
    column("prompt_version", (r) => r.judgement.provenance.prompt_version, pl.Utf8),
    column("prompt_hash", (r) => r.judgement.provenance.prompt_hash, pl.Utf8),
    column("output_mode", (r) => r.judgement.provenance.output_mode ?? null, pl.Utf8),
    column("input_tokens", (r) => r.judgement.usage?.input_tokens ?? null, pl.Int64),
    column("output_tokens", (r) => r.judgement.usage?.output_tokens ?? null, pl.Int64),
    column("latency_ms", (r) => r.judgement.latency_ms, pl.Float64),
    column("attempts", (r) => r.judgement.attempts, pl.Int64),
    column("time", (r) => r.time, pl.Utf8),
    column("key", (r) => r.key, pl.Utf8),
  ]);
}

/** A left join of the trials to the dataset, keeping (and counting) trials it lacks. */
function joinDataset(
  trials: DataFrame,
  dataset: DataFrame,
  warn: (message: string) => void,
): DataFrame {
  const needed = ["id", "benchmark", ...DATASET_TRIAL_COLUMNS];
  const missing = needed.filter((c) => !dataset.columns.includes(c));
  if (missing.length > 0) {
    throw new Error(
      `loadTrials(): the dataset frame lacks ${
        missing.map((c) => JSON.stringify(c)).join(", ")
      }; ` +
        "pass a frame from loadDataset() (or keep those columns when selecting)",
    );
  }
  const keep = [...needed];
  if (dataset.columns.includes("synthetic")) keep.push("synthetic");
  const side = dataset.select(...keep).withColumns(pl.lit(true).alias("_in_dataset"));
  const pairs = side.select("id", "benchmark");
  if (pairs.unique().height !== pairs.height) {
    throw new Error(
      "loadTrials(): the dataset repeats an (id, benchmark) pair, so a judgement could match " +
        "several entries; give each entry its own id",
    );
  }
  const order = pl.Series("_row", Array.from({ length: trials.height }, (_, i) => i), pl.Int64);
  const joined = trials.withColumns(order).join(side, {
    leftOn: ["entry_id", "task"],
    rightOn: ["id", "benchmark"],
    how: "left",
  });
  const absent = joined.getColumn("_in_dataset").nullCount();
  if (absent > 0) {
    const ids = new Set(
      joined.filter(pl.col("_in_dataset").isNull()).getColumn("entry_id").toArray() as string[],
    );
    warn(
      `loadTrials(): ${absent} judgement${absent === 1 ? "" : "s"} (${ids.size} entr${
        ids.size === 1 ? "y" : "ies"
      }, e.g. ${JSON.stringify([...ids][0])}) name entries the dataset lacks; ` +
        "they are kept with null grades",
    );
  }
  // Keep the trials' order (a join need not) and drop the join's own columns.
  return joined.sort("_row").select(
    ...TRIAL_COLUMNS,
    ...keep.filter((c) => c !== "id" && c !== "benchmark"),
  );
}
