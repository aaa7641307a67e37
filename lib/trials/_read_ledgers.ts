/**
 * Reading every ledger of a run's output folder, for `loadTrials` and `exportPreceptron`.
 *
 * @module
 */

import { join } from "node:path";
import { type LedgerRecord, readLedger } from "../ledger/ledger.ts";
import { _fileTask } from "../ledger/_ledger_formats.ts";

/** One ledger file as read for trials and exports. */
export interface _LedgerFile {
  /** The file. */
  path: string;
  /** The file name without `.jsonl`. */
  stem: string;
  /** Its records: latest per key, superseded ones dropped if asked, sorted by entry and repeat. */
  records: LedgerRecord[];
  /** The judge name of a record: the file's, where the file is named as `ledgerPath` names it. */
  judge(record: LedgerRecord): string;
}

/**
 * Reads every ledger in a folder, in file-name order.
 *
 * @param outputDir The folder.
 * @param superseded Whether to drop judgements superseded under another key.
 * @param warn Where warnings go.
 * @returns The ledgers.
 */
export async function _readLedgers(
  outputDir: string,
  superseded: "drop" | "keep",
  warn: (message: string) => void,
): Promise<_LedgerFile[]> {
  const names: string[] = [];
  try {
    for await (const item of Deno.readDir(outputDir)) {
      if (item.isFile && item.name.endsWith(".jsonl")) names.push(item.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`no such output folder: ${outputDir} (run a benchmark into it first)`);
    }
    if (error instanceof Deno.errors.NotADirectory) {
      throw new Error(`not a folder: ${outputDir} (give the benchmark's output_dir)`);
    }
    throw error;
  }
  const files: _LedgerFile[] = [];
  let dropped = 0;
  for (const name of names.sort()) {
    const path = join(outputDir, name);
    const read = await readLedger(path);
    if (read.torn > 0) {
      warn(`${path}: left out a torn last line (from an interrupted run); a rerun redoes it`);
    }
    let records = read.records;
    if (superseded === "drop") {
      // Records are in the order they were appended; the last for an (entry, repeat) is current.
      const current = new Map(records.map((r) => [`${r.task}\0${r.entry_id}\0${r.repeat}`, r]));
      dropped += records.length - current.size;
      records = [...current.values()];
    }
    const stem = name.slice(0, -".jsonl".length);
    const task = _fileTask(name);
    const fileJudge = task && decodeName(stem.slice(0, -`_${task}`.length));
    files.push({
      path,
      stem,
      records: records.toSorted((a, b) =>
        compare(a.task, b.task) || compare(a.entry_id, b.entry_id) || a.repeat - b.repeat
      ),
      judge: (r) => fileJudge && r.task === task ? fileJudge : r.judge,
    });
  }
  if (dropped > 0) {
    warn(
      `${outputDir}: left out ${dropped} superseded judgement${dropped === 1 ? "" : "s"} ` +
        "(the same judge, task, entry and repeat judged again after a prompt, model, parameter " +
        'or entry change); pass superseded: "keep" to see them',
    );
  }
  return files;
}

/** A judge's name from its part of a file name (`_safeName` reversed), if it is one. */
function decodeName(part: string): string | undefined {
  try {
    return decodeURIComponent(part) || undefined;
  } catch {
    return undefined;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
