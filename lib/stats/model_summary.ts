/**
 * `modelSummary()`: each respondent's mean grade per task, on the task's own scale and as a
 * share of it, with an interval over cases — the per-model table a naive group-by gets wrong by
 * mixing scales.
 *
 * @module
 */

import type { DataFrame } from "../data/data_frame.ts";
import { isPhysicianRespondent } from "../data/is_physician_respondent.ts";
import { _caseMean } from "./_case_mean.ts";
import { _checkFrame, _compare, _num, _typedFrame, _values } from "./_report_input.ts";
import { caseCountNote } from "./case_count_note.ts";

/** Options for {@linkcode modelSummary}. */
export interface ModelSummaryOptions {
  /**
   * What to summarise: the physicians' `"grade"` (the default for a dataset frame) or a judge's
   * `"score"` (the default for a trials frame; failed judgements never count, repeats averaged).
   */
  value?: "grade" | "score";
  /** The judge, when a trials frame holds several and `value` is `"score"`. */
  judge?: string;
  /** Confidence level, in (0, 1); 0.95 by default. */
  level?: number;
}

/** One respondent's entries in one task (or pooled). */
interface _Cell {
  task: string;
  model: string;
  /** Per entry: value, max_score and case. */
  entries: Map<string, { sum: number; count: number; max: number; caseId: string }>;
}

/** The columns of {@linkcode modelSummary}, in order. */
export const MODEL_SUMMARY_COLUMNS = [
  "task",
  "model",
  "group",
  "n",
  "n_cases",
  "mean",
  "lower",
  "upper",
  "max_score",
  "share",
  "share_lower",
  "share_upper",
  "note",
] as const;

/**
 * Per task and respondent (`model`): n, the number of cases, the mean on the task's own scale
 * and as a share of it (`share` = mean of `value / max_score`, the column to compare across
 * tasks), each with a 95% interval over cases (the cluster jackknife-t, as `agreement()`: none
 * under 4 cases, a note under 20). Then, per respondent, one row pooled over its tasks — on the
 * share scale only (`task` = `"all tasks (share)"`, points columns null, and `note` says so),
 * because a mean of 0–5 and 0–2 points means nothing. `max_score` is the task's top, or null with
 * a note when it varies between entries (management questions with rubrics of different
 * maxima: read `share`). `group` is `"physician"` or `"AI"` (`isPhysicianRespondent`).
 *
 * @param frame A dataset frame (`benchmark`, `id`, `model`, `grade`, `max_score`, `case_id`) or a
 *   trials frame (`task`, `entry_id`, `model`, `grade` and/or `status` + `score`, `max_score`,
 *   `case_id`, and `judge`).
 * @param options `value`, `judge`, `level`.
 * @returns One row per task and respondent, then the pooled rows; sorted by task, then model.
 * @throws {RangeError} On an empty frame, a missing column, several judges and no `judge`
 *   option, or a bad `level`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { modelSummary } from "./model_summary.ts";
 * import assert from "node:assert/strict";
 *
 * const dataset = pl.DataFrame({
 *   id: ["a", "b", "c", "d"],
 *   benchmark: ["cpc_bond", "cpc_bond", "cpc_management", "cpc_management"],
 *   model: ["gpt-4o", "gpt-4o", "gpt-4o", "gpt-4o"],
 *   grade: [5, 3, 2, 1],
 *   max_score: [5, 5, 2, 2],
 *   case_id: ["x", "y", "x", "y"],
 * });
 * const rows = modelSummary(dataset).toRecords();
 * assert.deepEqual(rows.map((r) => [r.task, r.mean, r.share]), [
 *   ["all tasks (share)", null, 0.775],
 *   ["cpc_bond", 4, 0.8],
 *   ["cpc_management", 1.5, 0.75],
 * ]);
 * ```
 */
export function modelSummary(frame: DataFrame, options: ModelSummaryOptions = {}): DataFrame {
  const fn = "modelSummary";
  const level = options.level ?? 0.95;
  if (typeof level !== "number" || !(level > 0 && level < 1)) {
    throw new RangeError(`${fn}(): options.level must be in (0, 1), got ${String(level)}`);
  }
  const trials = Array.isArray(frame?.columns) && frame.columns.includes("task");
  const value = options.value ?? (trials && frame.columns.includes("score") ? "score" : "grade");
  const cells = _read(fn, frame, trials, value, options.judge);
  const rows = [...cells.values()].flatMap((cell) => [_row(cell, level)]);
  rows.push(..._pooled(cells, level));
  rows.sort((a, b) =>
    _compare(String(a.task), String(b.task)) || _compare(String(a.model), String(b.model))
  );
  return _typedFrame(MODEL_SUMMARY_COLUMNS, (name) => rows.map((r) => r[name] ?? null), {
    text: ["task", "model", "group", "note"],
    integers: ["n", "n_cases"],
  });
}

/** Reads the frame into one cell per task and respondent. */
function _read(
  fn: string,
  frame: DataFrame,
  trials: boolean,
  value: "grade" | "score",
  judge: string | undefined,
): Map<string, _Cell> {
  const [task, id] = trials ? ["task", "entry_id"] : ["benchmark", "id"];
  const needed = [task, id, "model", "max_score", "case_id", value];
  if (value === "score") needed.push("status", "judge");
  _checkFrame(fn, "frame", frame, needed);
  const judges = value === "score" ? _values(frame, "judge").map(String) : [];
  const chosen = judge ?? (new Set(judges).size === 1 ? judges[0] : undefined);
  if (value === "score" && chosen === undefined) {
    const names = [...new Set(judges)].sort().map((j) => JSON.stringify(j)).join(", ");
    throw new RangeError(`${fn}(): several judges (${names}); pick one with options.judge`);
  }
  const tasks = _values(frame, task), ids = _values(frame, id), models = _values(frame, "model");
  const values = _values(frame, value), maxes = _values(frame, "max_score");
  const cases = _values(frame, "case_id");
  const status = value === "score" ? _values(frame, "status") : [];
  const cells = new Map<string, _Cell>();
  for (let i = 0; i < frame.height; i++) {
    if (value === "score" && (judges[i] !== chosen || status[i] !== "scored")) continue;
    const v = _num(values[i]), max = _num(maxes[i]);
    if (!Number.isFinite(v) || !(max > 0)) continue;
    const key = JSON.stringify([tasks[i], models[i]]);
    let cell = cells.get(key);
    if (!cell) {
      cells.set(
        key,
        cell = { task: String(tasks[i]), model: String(models[i]), entries: new Map() },
      );
    }
    const entry = cell.entries.get(String(ids[i])) ??
      { sum: 0, count: 0, max, caseId: String(cases[i]) };
    entry.sum += v;
    entry.count++;
    cell.entries.set(String(ids[i]), entry);
  }
  return cells;
}

/** A cell's row: points and share, each with its interval over cases. */
function _row(cell: _Cell, level: number): Record<string, unknown> {
  const entries = [...cell.entries.values()].map((e) => ({ ...e, value: e.sum / e.count }));
  const maxes = new Set(entries.map((e) => e.max));
  const points = _caseMean(entries.map((e) => ({ value: e.value, caseId: e.caseId })), level);
  const share = _caseMean(
    entries.map((e) => ({ value: e.value / e.max, caseId: e.caseId })),
    level,
  );
  const notes = [caseCountNote(points.cases)];
  if (maxes.size > 1) {
    notes.push(
      `max_score varies (${Math.min(...maxes)}–${Math.max(...maxes)}): compare on the share`,
    );
  }
  return {
    task: cell.task,
    model: cell.model,
    group: isPhysicianRespondent(cell.model) ? "physician" : "AI",
    n: entries.length,
    n_cases: points.cases,
    mean: points.mean,
    lower: points.lower,
    upper: points.upper,
    max_score: maxes.size === 1 ? [...maxes][0] : null,
    share: share.mean,
    share_lower: share.lower,
    share_upper: share.upper,
    note: _join(notes),
  };
}

/** Per respondent, its tasks pooled on the share scale (clusters: task × case). */
function _pooled(cells: ReadonlyMap<string, _Cell>, level: number): Record<string, unknown>[] {
  const byModel = new Map<string, { value: number; caseId: string }[]>();
  const tasks = new Map<string, Set<string>>();
  for (const cell of cells.values()) {
    const list = byModel.get(cell.model) ?? [];
    for (const e of cell.entries.values()) {
      list.push({ value: e.sum / e.count / e.max, caseId: JSON.stringify([cell.task, e.caseId]) });
    }
    byModel.set(cell.model, list);
    tasks.set(cell.model, (tasks.get(cell.model) ?? new Set()).add(cell.task));
  }
  return [...byModel].map(([model, entries]) => {
    const share = _caseMean(entries, level);
    const n = tasks.get(model)!.size;
    return {
      task: "all tasks (share)",
      model,
      group: isPhysicianRespondent(model) ? "physician" : "AI",
      n: entries.length,
      n_cases: share.cases,
      share: share.mean,
      share_lower: share.lower,
      share_upper: share.upper,
      note: _join([
        `pooled over ${n} task${n === 1 ? "" : "s"} on the share scale (grade / max_score)`,
        caseCountNote(share.cases),
      ]),
    };
  });
}

function _join(notes: readonly (string | null)[]): string | null {
  const kept = notes.filter((n): n is string => n !== null);
  return kept.length > 0 ? kept.join("; ") : null;
}
