/**
 * How often the judge gave each score for each physician grade, on one task's own scale.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _scoredTrials } from "./_trial_rows.ts";
import type { JudgeFigureOptions } from "./judge_scatter.ts";
import { taskTitle } from "./display_names.ts";
import { plotFigure } from "./plot_figure.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** Options of `confusionHeatmap`. */
export interface ConfusionHeatmapOptions extends Omit<JudgeFigureOptions, "tasks"> {
  /**
   * The score categories, as values (default: the union of the judge's scores and the rounded
   * physician grades, sorted). Give the task's scale to show categories nobody used, e.g. Bond's
   * `[0, 2, 3, 4, 5]`.
   */
  categories?: readonly number[];
}

/**
 * The confusion matrix of one task: a cell for each (physician grade, judge score) pair,
 * shaded and labelled with its count; the diagonal is exact agreement. Scores stay on the
 * task's own scale, so compare tasks with one heatmap each.
 *
 * A physician grade that is a mean of raters (7.5 on an integer scale, say) falls in the
 * nearest category (halves go up), and so does a judge score between categories. Failed
 * judgements are not scores: they are left out and counted in the caption.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`.
 * @param task The task to draw.
 * @param options The judge (needed when the frame holds several), categories, caption, size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing, several judges are present and none is
 *   named, the task has no scored judgements, or `categories` is empty.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { confusionHeatmap } from "./confusion_heatmap.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j"], task: ["cpc_bond", "cpc_bond", "cpc_bond"],
 *   status: ["scored", "scored", "scored"], score: [5, 5, 3], grade: [5, 4, 3], max_score: [5, 5, 5],
 * });
 * const fig = confusionHeatmap(trials, "cpc_bond", { categories: [0, 2, 3, 4, 5] });
 * assert.equal((fig.svg.match(/<rect/g) ?? []).length >= 25, true); // 5 × 5 cells
 * ```
 */
export function confusionHeatmap(
  trials: DataFrame,
  task: string,
  options: ConfusionHeatmapOptions = {},
): Figure {
  const { judge, rows: mine, failed: failedHere } = _scoredTrials(
    trials,
    options.judge,
    "confusionHeatmap()",
    [task],
  );
  if (mine.length === 0) {
    throw new Error(`confusionHeatmap(): no scored ${task} judgements by ${judge} to draw`);
  }
  if (options.categories !== undefined && options.categories.length === 0) {
    throw new Error("confusionHeatmap(): categories is empty");
  }
  const { categories, cells } = _confusionCells(mine, options.categories);
  const most = Math.max(...cells.map((c) => c.n));
  const labels = categories.map(String);
  const side = Math.max(28, Math.min(56, 480 / categories.length));
  const width = options.width ?? Math.max(360, categories.length * side + 120);
  const spec: Plot.PlotOptions = {
    width,
    height: categories.length * side + 90,
    marginLeft: 70,
    marginBottom: 50,
    x: { label: "Physician grade →", domain: labels, type: "band" },
    y: { label: `↑ ${judge} score`, domain: [...labels].reverse(), type: "band" },
    color: _countColour(most),
    marks: [
      Plot.cell(cells, { x: "physician", y: "judge", fill: "n", inset: 0.5 }),
      Plot.cell(cells.filter((c) => c.physician === c.judge), {
        x: "physician",
        y: "judge",
        stroke: "#D55E00",
        strokeWidth: 1.5,
        inset: 1,
      }),
      Plot.text(cells.filter((c) => c.n > 0), {
        x: "physician",
        y: "judge",
        text: "n",
        // Dark text on light cells, light on dark.
        fill: (c: { n: number }) => c.n >= _darkFrom(most) ? "white" : "#111",
      }),
    ],
  };
  const caption =
    `Confusion matrix of ${judge} against the physician grade on ${taskTitle(task)} ` +
    `(${mine.length} scored responses; counts per cell, darker is more (legend above); outlined: exact ` +
    "agreement). Grades between categories go to the nearest one." +
    (failedHere > 0
      ? ` ${failedHere} failed judgement${failedHere === 1 ? "" : "s"} (no score) left out.`
      : "") +
    ((options.synthetic ?? isSynthetic(trials)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, {
    caption,
    ...(options.plot ? { plot: options.plot } : {}),
  });
}

/**
 * The cells of a confusion matrix: every (physician category, judge category) pair with its
 * count, physician-major, categories sorted. Values between categories go to the nearest one,
 * halves up.
 *
 * @param rows Scored judgements: `score` and physician `grade`.
 * @param given The categories (default: the judge's scores and the rounded grades).
 * @returns The categories and the cells.
 */
export function _confusionCells(
  rows: readonly { score: number; grade: number }[],
  given?: readonly number[],
): { categories: number[]; cells: { physician: string; judge: string; n: number }[] } {
  const categories = given
    ? [...given].sort((a, b) => a - b)
    : [...new Set([...rows.map((r) => r.score), ...rows.map((r) => Math.round(r.grade))])]
      .sort((a, b) => a - b);
  const place = (x: number) => {
    let best = categories[0]!;
    for (const c of categories) {
      const d = Math.abs(c - x), b = Math.abs(best - x);
      if (d < b - 1e-9 || (Math.abs(d - b) <= 1e-9 && c > best)) best = c;
    }
    return best;
  };
  const counts = new Map<string, number>();
  for (const r of rows) {
    const id = `${place(r.grade)}|${place(r.score)}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const cells = categories.flatMap((physician) =>
    categories.map((score) => ({
      physician: String(physician),
      judge: String(score),
      n: counts.get(`${physician}|${score}`) ?? 0,
    }))
  );
  return { categories, cells };
}

/** ColorBrewer's Blues, light to dark; the first is for empty cells only. */
const BLUES = ["#f5f5f5", "#c6dbef", "#6baed6", "#2171b5", "#08306b"];

/** Count thresholds: 1 starts the first blue, so a cell of 1–4 never looks empty. */
function _steps(most: number): number[] {
  const steps = [1, ...[0.25, 0.5, 0.75].map((f) => Math.max(2, Math.round(f * most)))];
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** The threshold colour scale of the counts, with its legend. */
function _countColour(most: number): Plot.ScaleOptions {
  const domain = _steps(most);
  return {
    type: "threshold",
    domain,
    range: BLUES.slice(0, domain.length + 1),
    legend: true,
    label: "responses",
  };
}

/** From which count a cell is dark enough for white text. */
function _darkFrom(most: number): number {
  const steps = _steps(most);
  return steps.length >= 3 ? steps[2]! : Infinity;
}
