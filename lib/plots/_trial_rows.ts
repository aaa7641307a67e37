/**
 * Reading trials frames for figures: the scored rows, with shares of each entry's maximum, and
 * who wrote each response.
 *
 * @module
 */

import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns } from "../stats/_report_input.ts";

/** One scored judgement, as the figures read it. */
export interface _TrialRow {
  judge: string;
  task: string;
  entry_id: string;
  /** The entry's case (its `entry_id` when the frame has no `case_id`). */
  case_id: string;
  model: string;
  score: number;
  grade: number;
  max_score: number;
}

/**
 * The scored judgements of a trials frame that have a physician grade, for one judge (the one
 * named, or the only one in the frame) and the figure's tasks, with the number of failed
 * judgements (no score) left out of them.
 *
 * @throws {Error} Naming missing columns; listing the judges when several are present and
 *   none is named, or when the named one is absent.
 */
export function _scoredTrials(
  trials: DataFrame,
  judge: string | undefined,
  caller: string,
  tasks?: readonly string[],
): { judge: string; rows: _TrialRow[]; failed: number } {
  _requireColumns(
    trials,
    ["judge", "task", "status", "score", "grade", "max_score"],
    `${caller}: the trials frame`,
    "pass loadTrials(dir, { dataset }) so the physician grades are joined",
  );
  const records = trials.toRecords() as Record<string, unknown>[];
  const judges = [...new Set(records.map((r) => String(r.judge)))].sort();
  const chosen = judge ?? (judges.length === 1 ? judges[0] : undefined);
  if (chosen === undefined || !judges.includes(chosen)) {
    throw new Error(
      judges.length === 0
        ? `${caller}: the trials frame is empty`
        : `${caller}: ${
          judge === undefined ? "several judges are in the frame" : `no judge "${judge}"`
        }; pick one with { judge } from ${judges.map((j) => JSON.stringify(j)).join(", ")}`,
    );
  }
  const wanted = tasks ? new Set(tasks) : undefined;
  const rows: _TrialRow[] = [];
  let failed = 0;
  for (const r of records) {
    if (r.judge !== chosen || (wanted && !wanted.has(String(r.task)))) continue;
    if (r.status !== "scored" || typeof r.score !== "number") {
      failed++;
      continue;
    }
    if (typeof r.grade !== "number" || typeof r.max_score !== "number") continue;
    rows.push({
      judge: chosen,
      task: String(r.task),
      entry_id: String(r.entry_id ?? ""),
      case_id: String(r.case_id ?? r.entry_id ?? ""),
      model: String(r.model ?? ""),
      score: r.score,
      grade: r.grade,
      max_score: r.max_score,
    });
  }
  return { judge: chosen, rows, failed };
}

/** Colour-blind-safe colours (Okabe & Ito 2008) for the figures' groups. */
export const _PALETTE = {
  physician: "#0072B2",
  llm: "#E69F00",
  highlight: "#D55E00",
  judge: "#009E73",
  reference: "#666666",
} as const;

/** A tiny seeded generator (xorshift32) for jitter, so figures are the same on every run. */
export function _jitter(seed: number, spread: number): () => number {
  let state = (seed >>> 0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0x100000000 - 0.5) * spread;
  };
}
