/**
 * A judge's score of each response against the physicians' grade, task by task.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _taskPanels } from "./_task_panels.ts";
import { _jitter, _PALETTE, _scoredTrials } from "./_trial_rows.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** Options of the judge-versus-physician figures. */
export interface JudgeFigureOptions extends PlotOverrides {
  /** The judge to draw, when the trials hold several (a jury). */
  judge?: string;
  /** Only these tasks (default: every task in the frame). */
  tasks?: readonly string[];
  /** Say in the caption that the data are synthetic (default: `isSynthetic(trials)`). */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

/**
 * The judge's score of each response (y) against its physician grade (x), both as shares of
 * the entry's `max_score`, one panel per task, jittered by ±2% so tied scores stay visible, with
 * the identity line: points above it are responses the judge scored higher than the physicians
 * did. Only scored judgements are drawn; the caption counts the failed ones left out.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`.
 * @param options The judge (needed when the frame holds several), tasks, caption, size;
 *   `seed` fixes the jitter (default 1).
 * @returns The figure.
 * @throws {Error} When a needed column is missing, several judges are present and none is
 *   named, or nothing is left to draw.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { judgeScatter } from "./judge_scatter.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["gpt-4o", "gpt-4o"], task: ["r_idea", "r_idea"], status: ["scored", "scored"],
 *   score: [8, 6], grade: [9, 6], max_score: [10, 10],
 * });
 * assert.equal((judgeScatter(trials).svg.match(/<circle/g) ?? []).length, 2);
 * ```
 */
export function judgeScatter(
  trials: DataFrame,
  options: JudgeFigureOptions & { seed?: number } = {},
): Figure {
  const { judge, rows, failed } = _scoredTrials(
    trials,
    options.judge,
    "judgeScatter()",
    options.tasks,
  );
  const jitter = _jitter(options.seed ?? 1, 0.04);
  const data = rows.map((r) => ({
    task: r.task,
    physician: r.grade / r.max_score + jitter(),
    judge: r.score / r.max_score + jitter(),
  }));
  if (data.length === 0) {
    throw new Error(`judgeScatter(): no scored judgements by ${judge} to draw`);
  }
  const panels = _taskPanels(data.map((d) => d.task), options.width ?? 720);
  const spec = panels.spec({
    x: "Physician grade ÷ max score →",
    y: `↑ ${judge} score ÷ max score`,
    marks: [
      Plot.dot(panels.place(data, (d) => d.task), {
        x: "physician",
        y: "judge",
        fx: "fx",
        fy: "fy",
        r: 2.2,
        fill: _PALETTE.judge,
        fillOpacity: 0.45,
      }),
    ],
  });
  const caption = `Score of ${judge} against the physician grade of each response, per task, ` +
    "as shares of the maximum (jittered by ±2%); dashed: perfect agreement." +
    (failed > 0
      ? ` ${failed} failed judgement${failed === 1 ? "" : "s"} (no score) left out.`
      : "") +
    ((options.synthetic ?? isSynthetic(trials)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, { caption, ...(options.plot ? { plot: options.plot } : {}) });
}
