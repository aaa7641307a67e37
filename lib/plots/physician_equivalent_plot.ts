/**
 * A new model's physician-equivalent mean grade, among the physician groups and models the
 * physicians graded.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isPhysicianRespondent } from "../data/is_physician_respondent.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import { taskTitle } from "./display_names.ts";
import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns } from "../stats/_report_input.ts";

/** Options of {@linkcode physicianEquivalentPlot}. */
export interface PhysicianEquivalentPlotOptions extends PlotOverrides {
  /**
   * The respondents' own physician grades to draw beside the estimate: a frame with `model`,
   * `grade`, `max_score` and `task` (a trials frame) or `benchmark` (a dataset frame). Each
   * respondent is drawn at its mean grade per task (distinct entries).
   */
  reference?: DataFrame;
  /**
   * The respondent's true mean grade per task, when it is known (a demonstration that hid the
   * grades): drawn as a ring, so the estimate can be checked against it.
   */
  truth?: Readonly<Record<string, number>>;
  /** Say in the caption that the data are synthetic. */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

interface _Row {
  task: string;
  respondent: string;
  kind: "estimate" | "physician-only" | "physician" | "model" | "truth";
  value: number;
  lower: number | null;
  upper: number | null;
}

/**
 * One panel per task, on the share of the task's scale (grade / max_score, so that tasks of
 * 0–2 and 0–19 points sit side by side): the respondent's physician-equivalent mean (from
 * `physicianEquivalent()`) as a vermillion diamond with its interval, the physicians-only
 * interval from the same graded responses as a thin grey line under it, and, from `reference`,
 * every other respondent's mean physician grade — physician groups blue, models orange. With
 * `truth`, a ring marks the mean the physicians actually gave.
 *
 * @param estimates The frame from `physicianEquivalent()` (`task`, `respondent`, `estimate`,
 *   `lower`, `upper`, `physician_only_lower`, `physician_only_upper`, `max_score`).
 * @param options The reference frame, the truth, caption and size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing or no task has an estimate.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { physicianEquivalentPlot } from "./physician_equivalent_plot.ts";
 * import assert from "node:assert/strict";
 *
 * const estimates = pl.DataFrame({
 *   task: ["r_idea"], respondent: ["new-model"], estimate: [7.5], lower: [6.9], upper: [8.1],
 *   physician_only_lower: [6.5], physician_only_upper: [8.4], max_score: [10],
 * });
 * const fig = physicianEquivalentPlot(estimates);
 * assert.match(fig.caption, /physician-equivalent/);
 * ```
 */
export function physicianEquivalentPlot(
  estimates: DataFrame,
  options: PhysicianEquivalentPlotOptions = {},
): Figure {
  const rows = _estimateRows(estimates, options.truth ?? {});
  if (options.reference) rows.push(..._referenceRows(options.reference, rows));
  const tasks = [...new Set(rows.map((r) => r.task))].sort();
  const respondents = [...new Set(rows.map((r) => r.respondent))];
  const candidate = rows.find((r) => r.kind === "estimate")!.respondent;
  const order = [candidate, ...respondents.filter((r) => r !== candidate).sort()];
  const width = options.width ?? 720;
  const colour = {
    domain: ["estimate", "physician", "model", "truth"],
    range: [_PALETTE.highlight, _PALETTE.physician, _PALETTE.llm, "#000000"],
  };
  const spec: Plot.PlotOptions = {
    width,
    height: tasks.length * (order.length * 20 + 30) + 50,
    marginLeft: Math.min(240, 14 + 6.2 * Math.max(...order.map((r) => r.length))),
    marginRight: 150,
    x: { label: "mean physician grade, share of the task's scale", domain: [0, 1], grid: true },
    y: { label: null, domain: order },
    fy: { label: null, domain: tasks, tickFormat: (t: string) => taskTitle(t, { wrap: true }) },
    color: colour,
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.ruleY(rows.filter((r) => r.kind === "physician-only" && r.lower !== null), {
        x1: "lower",
        x2: "upper",
        y: "respondent",
        fy: "task",
        dy: 6,
        stroke: "#7f7f7f",
        strokeWidth: 1,
      }),
      Plot.ruleY(rows.filter((r) => r.kind === "estimate" && r.lower !== null), {
        x1: "lower",
        x2: "upper",
        y: "respondent",
        fy: "task",
        stroke: _PALETTE.highlight,
        strokeWidth: 2.5,
      }),
      Plot.dot(rows.filter((r) => r.kind === "physician" || r.kind === "model"), {
        x: "value",
        y: "respondent",
        fy: "task",
        fill: "kind",
        r: 4,
      }),
      Plot.dot(rows.filter((r) => r.kind === "estimate"), {
        x: "value",
        y: "respondent",
        fy: "task",
        fill: _PALETTE.highlight,
        symbol: "diamond",
        r: 5,
      }),
      Plot.dot(rows.filter((r) => r.kind === "truth"), {
        x: "value",
        y: "respondent",
        fy: "task",
        stroke: "#000000",
        strokeWidth: 1.5,
        r: 7,
      }),
    ],
  };
  return plotFigure(spec, {
    caption: _caption(candidate, options),
    ...(options.plot ? { plot: options.plot } : {}),
  });
}

function _caption(candidate: string, options: PhysicianEquivalentPlotOptions): string {
  return `${candidate}'s physician-equivalent mean grade per task (vermillion diamond: judge ` +
    "scores on all its responses corrected by physician grades on a random subset, " +
    "prediction-powered inference; its 95% interval over cases; thin grey: the same graded " +
    "subset's physicians-only interval)" +
    (options.reference
      ? ", among the mean physician grades of the study's respondents (blue: physician groups; " +
        "orange: models)"
      : "") +
    (options.truth ? "; ring: the mean the physicians actually gave" : "") +
    ". Share of each task's scale." +
    (options.synthetic ? ` ${SYNTHETIC_NOTE}` : "");
}

/** The estimate rows (and truth rings), on the share scale. */
function _estimateRows(estimates: DataFrame, truth: Readonly<Record<string, number>>): _Row[] {
  const needed = [
    "task",
    "respondent",
    "estimate",
    "lower",
    "upper",
    "physician_only_lower",
    "physician_only_upper",
    "max_score",
  ];
  _requireColumns(
    estimates,
    needed,
    "physicianEquivalentPlot(): the estimates frame",
    "pass the frame from physicianEquivalent()",
  );
  const rows: _Row[] = [];
  for (const r of estimates.toRecords() as Record<string, unknown>[]) {
    const max = _finite(r.max_score), value = _finite(r.estimate);
    if (max === null || !(max > 0) || value === null) continue;
    const share = (x: unknown) => (_finite(x) === null ? null : (x as number) / max);
    const task = String(r.task), respondent = String(r.respondent);
    rows.push({
      task,
      respondent,
      kind: "estimate",
      value: value / max,
      lower: share(r.lower),
      upper: share(r.upper),
    });
    rows.push({
      task,
      respondent,
      kind: "physician-only",
      value: value / max,
      lower: share(r.physician_only_lower),
      upper: share(r.physician_only_upper),
    });
    const t = truth[task];
    if (t !== undefined && Number.isFinite(t)) {
      rows.push({ task, respondent, kind: "truth", value: t / max, lower: null, upper: null });
    }
  }
  if (rows.length === 0) throw new Error("physicianEquivalentPlot(): no task has an estimate");
  return rows;
}

/** Each other respondent's mean grade share per task, over distinct entries with a grade. */
function _referenceRows(reference: DataFrame, estimates: readonly _Row[]): _Row[] {
  const taskColumn = reference.columns.includes("task") ? "task" : "benchmark";
  const idColumn = reference.columns.includes("entry_id") ? "entry_id" : "id";
  const needed = [taskColumn, idColumn, "model", "grade", "max_score"];
  _requireColumns(reference, needed, "physicianEquivalentPlot(): the reference frame");
  const tasks = new Set(estimates.map((r) => r.task));
  const candidates = new Set(estimates.map((r) => r.respondent));
  const sums = new Map<string, { task: string; model: string; sum: number; n: number }>();
  const seen = new Set<string>();
  for (const r of reference.select(...needed).toRecords() as Record<string, unknown>[]) {
    const task = String(r[taskColumn]), model = String(r.model);
    const grade = _finite(r.grade), max = _finite(r.max_score);
    const entry = `${task}\u0000${r[idColumn]}`;
    if (!tasks.has(task) || candidates.has(model) || grade === null || !(max! > 0)) continue;
    if (seen.has(entry)) continue;
    seen.add(entry);
    const key = `${task}\u0000${model}`;
    const s = sums.get(key) ?? { task, model, sum: 0, n: 0 };
    s.sum += grade / max!;
    s.n++;
    sums.set(key, s);
  }
  return [...sums.values()].map((s) => ({
    task: s.task,
    respondent: s.model,
    kind: isPhysicianRespondent(s.model) ? "physician" : "model",
    value: s.sum / s.n,
    lower: null,
    upper: null,
  }));
}

function _finite(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}
