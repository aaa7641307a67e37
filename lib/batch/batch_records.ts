/**
 * The record of a judge's batches, in the run's output folder: what was submitted, under which
 * id, with which keys, and whether its results were collected. It is what lets a killed run, or
 * a later one, resume polling and never submit an item twice.
 *
 * @module
 */

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BatchProvider } from "../judge/batch_limits.ts";
import { _safeName } from "../ledger/_ledger_formats.ts";

/**
 * Where a batch is, as far as the run knows:
 * - `submitting`: about to be uploaded; whether the provider made it is not known yet;
 * - `live`: the provider made it (it has an id) and its results are not all delivered;
 * - `abandoned`: the provider never made it, so its keys are free to submit again;
 * - `collected`: every key's outcome was delivered.
 */
export type BatchState = "submitting" | "live" | "abandoned" | "collected";

/** One batch of a judge. */
export interface BatchRecord {
  /** The run's own id for the batch, chosen before it is submitted. */
  chunk: string;
  /** Whose batch API. */
  provider: BatchProvider;
  /** The judge's name in the config. */
  judge: string;
  /** The ledger keys of its requests (their `custom_id`s). */
  keys: string[];
  /** When it was submitted (ISO 8601). */
  time: string;
  /** The provider's batch id, once it has made the batch. */
  id?: string;
  /** Where it is. */
  state: BatchState;
  /** Why it was abandoned. */
  reason?: string;
}

/** A line of the record file: an event of one batch. */
export type _BatchEvent =
  | { event: "submitting"; chunk: string; provider: BatchProvider; judge: string; keys: string[] }
  | { event: "live"; chunk: string; id: string }
  | { event: "abandoned"; chunk: string; reason: string }
  | { event: "collected"; chunk: string };

/**
 * The record file of a judge's batches: `{outputDir}/batches/{name}.jsonl`, the judge's name
 * made safe as for its ledgers.
 *
 * @param outputDir The run's output folder.
 * @param judge The judge's name in the config.
 * @returns The file's path.
 *
 * @example
 * ```ts
 * import { batchRecordsPath } from "./batch_records.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(batchRecordsPath("out", "openai/gpt-4o"), "out/batches/openai%2Fgpt-4o.jsonl");
 * ```
 */
export function batchRecordsPath(outputDir: string, judge: string): string {
  return join(outputDir, "batches", `${_safeName(judge)}.jsonl`);
}

/**
 * The batches a judge has submitted in this output folder, oldest first (none when there is no
 * record file). A torn last line, left by a kill mid-write, is left out.
 *
 * @param outputDir The run's output folder.
 * @param judge The judge's name in the config.
 * @returns Each batch with its latest state.
 *
 * @example
 * ```ts
 * import { readBatchRecords } from "./batch_records.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await readBatchRecords(await Deno.makeTempDir(), "gpt-4o"), []);
 * ```
 */
export async function readBatchRecords(outputDir: string, judge: string): Promise<BatchRecord[]> {
  return (await _BatchLog.open(outputDir, judge, { readOnly: true })).records();
}

/** The record file, open for appending: each event is on disk before `append` returns. */
export class _BatchLog {
  readonly #path: string;
  readonly #batches = new Map<string, BatchRecord>();

  private constructor(path: string) {
    this.#path = path;
  }

  /** Reads the file; unless read-only, creates its folder and cuts off a torn last line. */
  static async open(
    outputDir: string,
    judge: string,
    options: { readOnly?: boolean } = {},
  ): Promise<_BatchLog> {
    const log = new _BatchLog(batchRecordsPath(outputDir, judge));
    const text = await Deno.readTextFile(log.#path).catch((error) => {
      if (error instanceof Deno.errors.NotFound) return "";
      throw error;
    });
    const end = text.lastIndexOf("\n") + 1; // after it, a torn line (or nothing)
    for (const line of text.slice(0, end).split("\n")) {
      if (line !== "") log.#fold(JSON.parse(line));
    }
    if (!options.readOnly) {
      await mkdir(join(outputDir, "batches"), { recursive: true });
      const kept = new TextEncoder().encode(text.slice(0, end)).byteLength;
      if (end < text.length) await Deno.truncate(log.#path, kept);
    }
    return log;
  }

  /** Every batch, oldest first. */
  records(): BatchRecord[] {
    return [...this.#batches.values()];
  }

  /** Appends an event, flushed to disk before it returns. */
  async append(event: _BatchEvent): Promise<void> {
    const line = { ...event, time: new Date().toISOString() };
    const file = await Deno.open(this.#path, { append: true, create: true });
    try {
      const bytes = new TextEncoder().encode(JSON.stringify(line) + "\n");
      for (let written = 0; written < bytes.length;) {
        written += await file.write(bytes.subarray(written));
      }
      await file.syncData();
    } finally {
      file.close();
    }
    this.#fold(line);
  }

  #fold(line: _BatchEvent & { time: string }): void {
    if (line.event === "submitting") {
      const { event: _, ...rest } = line;
      this.#batches.set(line.chunk, { ...rest, state: "submitting" });
      return;
    }
    const batch = this.#batches.get(line.chunk);
    if (batch === undefined) return;
    batch.state = line.event;
    if (line.event === "live") batch.id = line.id;
    if (line.event === "abandoned") batch.reason = line.reason;
  }
}
