/**
 * `exportPreceptron()`: a run's ledgers as JSON arrays in the spirit of PrecepTron's runner
 * output, `{name}_{task}.json`.
 *
 * @module
 */

import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TaskKey } from "../data/task_key.ts";
import type { FailureReason } from "../judge/judgement.ts";
import { _readLedgers } from "./_read_ledgers.ts";

/**
 * One judgement in an exported file. PrecepTron writes `{model_name}_{task}.json` per judge and
 * task, but its per-entry fields are not published; this layout is our own reading of it.
 */
export interface PreceptronRecord {
  /** The dataset entry's id. */
  id: string;
  /** The task key. */
  task: TaskKey;
  /** The judge's score, or `null` when the judgement failed. */
  score: number | null;
  /** The judge's reasons, or `null` when the judgement failed. */
  justification: string | null;
  /** The judge's reply text, or `null` when no reply arrived. */
  raw: string | null;
  /** `"scored"` or `"failed"`. */
  status: "scored" | "failed";
  /** Why the judgement failed (`invalid_json`, `retries_exhausted`…), or `null` when scored. */
  reason: FailureReason | null;
  /** The repeat index, from 0. */
  repeat: number;
  /** The judge's name in the config (PrecepTron's `name`). */
  judge: string;
  /** The model id the judge sent to its provider (PrecepTron's `model_id`). */
  model: string;
}

/** How to export. */
export interface ExportOptions {
  /**
   * Judgements of an entry and repeat superseded under another key (after a prompt or model
   * change): `"drop"` (the default) exports the current one only, `"keep"` all (see
   * `loadTrials`).
   */
  superseded?: "drop" | "keep";
  /** Receives warnings (torn lines, superseded judgements); default `console.warn`. */
  onWarning?: (message: string) => void;
}

/**
 * Writes each ledger `{name}_{task}.jsonl` of a run as `{name}_{task}.json`: a JSON array
 * (2-space indented) with one object per judgement — each key's latest record, sorted by entry
 * id and repeat — laid out as `PreceptronRecord`:
 *
 * ```json
 * { "id": "…", "task": "cpc_bond", "score": 4, "justification": "…", "raw": "{…}",
 *   "status": "scored", "reason": null, "repeat": 0, "judge": "gpt-4o", "model": "gpt-4o" }
 * ```
 *
 * Failed judgements are exported too, with `score: null` and their `reason`. Here `model` is
 * the **judge's** model id; the respondent's model is in the dataset (and in `loadTrials`'s
 * `model` column). Each file is written whole (to a temporary name, then renamed), so a reader
 * never sees half of one.
 *
 * @param outputDir The run's output folder.
 * @param destDir Where to write (default: `outputDir`, beside the ledgers).
 * @param options Superseded judgements, warning sink.
 * @returns The paths written, in ledger-name order.
 * @throws {Error} When `outputDir` does not exist.
 * @throws {LedgerError} For a ledger damaged in the middle (naming file and line).
 *
 * @example
 * ```ts
 * import { exportPreceptron } from "./export_preceptron.ts";
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
 *     attempts: 1, latency_ms: 120,
 *     provenance: {
 *       judge: "openai:gpt-4o", provider: "openai", model: "gpt-4o", parameters: {},
 *       prompt_version: "1", prompt_hash: "ab", output_mode: "json_schema",
 *     },
 *   },
 * });
 * await ledger.close();
 * const [path] = await exportPreceptron(dir);
 * assert.equal(path, `${dir}/gpt-4o_cpc_bond.json`);
 * assert.equal(JSON.parse(await Deno.readTextFile(path!))[0].score, 4);
 * ```
 */
export async function exportPreceptron(
  outputDir: string,
  destDir: string = outputDir,
  options: ExportOptions = {},
): Promise<string[]> {
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const ledgers = await _readLedgers(outputDir, options.superseded ?? "drop", warn);
  await mkdir(destDir, { recursive: true });
  const written: string[] = [];
  for (const ledger of ledgers) {
    const rows: PreceptronRecord[] = ledger.records.map((r) => {
      const j = r.judgement;
      return {
        id: r.entry_id,
        task: r.task,
        score: j.status === "scored" ? j.score : null,
        justification: j.status === "scored" ? j.justification : null,
        raw: j.raw,
        status: j.status,
        reason: j.status === "failed" ? j.reason : null,
        repeat: r.repeat,
        judge: ledger.judge(r),
        model: j.provenance.model,
      };
    });
    const path = join(destDir, `${ledger.stem}.json`);
    const temporary = `${path}.${Deno.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(rows, null, 2) + "\n");
    await rename(temporary, path);
    written.push(path);
  }
  return written;
}
