/**
 * What physicians gave, on average, to the responses a judge gave each score.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import type { JudgeFigureOptions } from "./judge_scatter.ts";
import { _caseMean } from "../stats/_case_mean.ts";
import { _COUNT_RADIUS, _countKey } from "./_count_key.ts";
import { _taskPanels } from "./_task_panels.ts";
import { _PALETTE, _scoredTrials } from "./_trial_rows.ts";
import { plotFigure } from "./plot_figure.ts";
import type { DataFrame } from "../data/data_frame.ts";

/**
 * A calibration plot: for each score the judge gave on a task, the mean physician grade of the
 * responses that got it, both as shares of the entry's `max_score`, one panel per task. Dot
 * area shows how many responses got that score; the dashed line is perfect calibration. A curve
 * flatter than the line means the judge spreads scores wider than physicians do; one above it,
 * that the judge is harsher.
 *
 * Management scores sit on case-specific maxima, so their judge scores are grouped by their
 * share of the maximum (rounded to 0.05). Failed judgements are left out and counted.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`.
 * @param options The judge (needed when the frame holds several), tasks, caption, size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing, several judges are present and none is
 *   named, or nothing is left to draw.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { calibrationPlot } from "./calibration_plot.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j"], task: ["cpc_management", "cpc_management", "cpc_management"],
 *   status: ["scored", "scored", "scored"], score: [2, 2, 0], grade: [2, 1, 0], max_score: [2, 2, 2],
 * });
 * const fig = calibrationPlot(trials);
 * assert.equal((fig.svg.match(/<circle/g) ?? []).length, 2); // judge scores 0 and 2
 * ```
 */
export function calibrationPlot(trials: DataFrame, options: JudgeFigureOptions = {}): Figure {
  const { judge, rows, failed } = _scoredTrials(
    trials,
    options.judge,
    "calibrationPlot()",
    options.tasks,
  );
  const points = _calibrationPoints(rows);
  if (points.length === 0) {
    throw new Error(`calibrationPlot(): no scored judgements by ${judge} to draw`);
  }
  const panels = _taskPanels(points.map((p) => p.task), options.width ?? 720);
  const placed = panels.place(points, (p) => p.task);
  const key = _countKey(placed, { x: "judge", y: "physician", fx: "fx", fy: "fy" });
  const spec = panels.spec({
    x: `${judge} score ÷ max score →`,
    y: "↑ Mean physician grade ÷ max",
    r: { range: _COUNT_RADIUS, domain: [0, Math.max(1, key.largest)] },
    marks: [
      Plot.ruleX(placed.filter((p) => Number.isFinite(p.lower)), {
        x: "judge",
        y1: "lower",
        y2: "upper",
        fx: "fx",
        fy: "fy",
        stroke: _PALETTE.judge,
        strokeOpacity: 0.7,
        clip: true, // an interval of a share may run past 1 on this scale; the frame ends there
      }),
      Plot.line(placed, {
        x: "judge",
        y: "physician",
        fx: "fx",
        fy: "fy",
        z: "task",
        stroke: _PALETTE.judge,
      }),
      Plot.dot(placed, {
        x: "judge",
        y: "physician",
        fx: "fx",
        fy: "fy",
        r: "n",
        fill: _PALETTE.judge,
        fillOpacity: 0.6,
        stroke: "white",
      }),
      key.mark,
    ],
  });
  const caption = `Calibration of ${judge}: the mean physician grade of the responses given each ` +
    "judge score, per task, as shares of the maximum; bars: 95% intervals over cases (cluster " +
    "jackknife-t, for new cases like these; none under 4 cases); dot area: number of responses " +
    `(${key.words}); dashed: perfect calibration.` +
    (failed > 0
      ? ` ${failed} failed judgement${failed === 1 ? "" : "s"} (no score) left out.`
      : "") +
    ((options.synthetic ?? isSynthetic(trials)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, { caption, ...(options.plot ? { plot: options.plot } : {}) });
}

/**
 * The points of a calibration plot: per task and judge score (as a share of the maximum,
 * rounded to 0.05), the mean physician share with its 95% interval over cases, and the number of
 * responses; sorted by score.
 *
 * @param rows Scored judgements.
 * @returns The points.
 */
export function _calibrationPoints(
  rows: readonly {
    task: string;
    score: number;
    grade: number;
    max_score: number;
    case_id?: string;
  }[],
): { task: string; judge: number; physician: number; n: number; lower: number; upper: number }[] {
  const groups = new Map<
    string,
    { task: string; judge: number; grades: { value: number; caseId: string }[] }
  >();
  for (const [i, r] of rows.entries()) {
    const share = Math.round((r.score / r.max_score) * 20) / 20;
    const id = `${r.task}|${share}`;
    const group = groups.get(id) ?? { task: r.task, judge: share, grades: [] };
    group.grades.push({ value: r.grade / r.max_score, caseId: r.case_id ?? String(i) });
    groups.set(id, group);
  }
  return [...groups.values()]
    .map((g) => {
      const { mean, lower, upper } = _caseMean(g.grades, 0.95);
      return { task: g.task, judge: g.judge, physician: mean, n: g.grades.length, lower, upper };
    })
    .sort((a, b) => a.task < b.task ? -1 : a.task > b.task ? 1 : a.judge - b.judge);
}
