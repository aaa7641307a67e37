/**
 * Bland–Altman plots of a judge against the physicians, task by task.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isSynthetic } from "../data/is_synthetic.ts";
import { blandAltman } from "../stats/bland_altman.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import type { JudgeFigureOptions } from "./judge_scatter.ts";
import { _taskPanels } from "./_task_panels.ts";
import { _jitter, _PALETTE, _scoredTrials } from "./_trial_rows.ts";
import { taskTitle } from "./display_names.ts";
import { plotFigure } from "./plot_figure.ts";
import type { DataFrame } from "../data/data_frame.ts";

/**
 * A Bland–Altman plot per task (Bland & Altman 1986): for each response, the judge − physician
 * difference (y) against the mean of the two (x), both as shares of the entry's `max_score`, with
 * the bias (solid) and the 95% limits of agreement, bias ± 1.96 SD (dashed), from
 * `blandAltman()` on that task's pairs. Points are jittered by ±1% so tied pairs stay visible; the
 * lines are computed before jitter. A cloud that tilts shows proportional bias.
 *
 * Failed judgements have no score: they are left out, and counted in the caption.
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
 * import { blandAltmanPlot } from "./bland_altman_plot.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j", "j"], task: ["r_idea", "r_idea", "r_idea"], status: ["scored", "scored", "scored"],
 *   score: [8, 6, 9], grade: [7, 6, 9], max_score: [10, 10, 10],
 * });
 * assert.match(blandAltmanPlot(trials).caption, /bias \+0\.033/); // mean difference 1/3 of a point
 * ```
 */
export function blandAltmanPlot(
  trials: DataFrame,
  options: JudgeFigureOptions & { seed?: number } = {},
): Figure {
  const { judge, rows: mine, failed } = _scoredTrials(
    trials,
    options.judge,
    "blandAltmanPlot()",
    options.tasks,
  );
  if (mine.length === 0) {
    throw new Error(`blandAltmanPlot(): no scored judgements by ${judge} to draw`);
  }
  const jitter = _jitter(options.seed ?? 1, 0.02);
  const points = mine.map((r) => {
    const j = r.score / r.max_score, p = r.grade / r.max_score;
    return { task: r.task, mean: (j + p) / 2 + jitter(), difference: j - p + jitter() };
  });
  const panels = _taskPanels(points.map((p) => p.task), options.width ?? 720);
  const lines = panels.tasks.map((task) => {
    const pairs = mine.filter((r) => r.task === task);
    const ba = blandAltman(
      pairs.map((r) => r.score / r.max_score),
      pairs.map((r) => r.grade / r.max_score),
    );
    return { task, ...ba };
  });
  const limits = lines.flatMap((l) =>
    Number.isFinite(l.lower)
      ? [{ ...l, y: l.lower, label: "−1.96 SD" }, { ...l, y: l.upper, label: "+1.96 SD" }]
      : []
  );
  const named = [...lines.map((l) => ({ ...l, y: l.bias, label: "bias" })), ...limits];
  const spec = panels.spec({
    x: "Mean of judge and physician (÷ max score) →",
    y: `↑ ${judge} − physician (÷ max)`,
    yDomain: [-1.05, 1.05],
    identity: false,
    marks: [
      Plot.ruleY(panels.place(lines, (l) => l.task), {
        y: 0,
        fx: "fx",
        fy: "fy",
        stroke: "#ccc",
      }),
      Plot.dot(panels.place(points, (p) => p.task), {
        x: "mean",
        y: "difference",
        fx: "fx",
        fy: "fy",
        r: 2,
        fill: _PALETTE.judge,
        fillOpacity: 0.4,
      }),
      Plot.ruleY(panels.place(lines, (l) => l.task), {
        y: "bias",
        fx: "fx",
        fy: "fy",
        stroke: _PALETTE.highlight,
        strokeWidth: 1.5,
      }),
      Plot.ruleY(panels.place(limits, (l) => l.task), {
        y: "y",
        fx: "fx",
        fy: "fy",
        stroke: _PALETTE.highlight,
        strokeDasharray: "4,3",
      }),
      // Each line named where it is drawn, not only in the caption.
      Plot.text(panels.place(named, (l) => l.task), {
        x: 1.05,
        y: "y",
        fx: "fx",
        fy: "fy",
        text: "label",
        textAnchor: "end",
        dy: -5,
        fontSize: 9,
        fill: _PALETTE.highlight,
      }),
    ],
  });
  const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(3)}`;
  const summary = lines.map((l) =>
    `${taskTitle(l.task)}: bias ${signed(l.bias)}` +
    (Number.isFinite(l.lower) ? `, limits ${signed(l.lower)} to ${signed(l.upper)}` : "")
  ).join("; ");
  const caption = `Bland–Altman plots of ${judge} against the physician grade, per task, as ` +
    "shares of the maximum (points jittered by ±1%; solid: bias; dashed: bias ± 1.96 SD). " +
    `${summary}.` +
    (failed > 0
      ? ` ${failed} failed judgement${failed === 1 ? "" : "s"} (no score) left out.`
      : "") +
    ((options.synthetic ?? isSynthetic(trials)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, { caption, ...(options.plot ? { plot: options.plot } : {}) });
}
