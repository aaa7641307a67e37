/**
 * How physician grades are spread, task by task.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { TASK_KEYS } from "../data/task_key.ts";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import { taskTitle } from "./display_names.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** Options shared by the dataset figures. */
export interface DatasetFigureOptions extends PlotOverrides {
  /** Say in the caption that the data are synthetic (default: `isSynthetic(frame)`). */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

/** The caption sentence that marks synthetic data. */
export const SYNTHETIC_NOTE =
  "Synthetic data: a generated sample, not physician scores from the PrecepTron studies.";

/**
 * Histograms of the physician reference grade as a share of each entry's maximum
 * (`grade / max_score`), one panel per task, so tasks on different scales sit side by side.
 *
 * @param dataset A frame from `loadDataset` (needs `benchmark`, `grade`, `max_score`).
 * @param options Caption and size.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { gradeDistribution } from "./grade_distribution.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({ benchmark: ["cpc_bond", "r_idea"], grade: [5, 8], max_score: [5, 10] });
 * assert.match(gradeDistribution(df, { synthetic: true }).svg, /Synthetic data/);
 * ```
 */
export function gradeDistribution(
  dataset: DataFrame,
  options: DatasetFigureOptions = {},
): Figure {
  const rows = dataset.select("benchmark", "grade", "max_score").toRecords() as {
    benchmark: string;
    grade: number;
    max_score: number;
  }[];
  // Plot's bins are half-open, so a perfect score (share 1) would fall outside the last bin
  // [0.95, 1) and vanish; keep it inside.
  const data = rows.map((r) => ({
    benchmark: r.benchmark,
    share: Math.min(r.grade / r.max_score, 1 - 1e-9),
  }));
  const tasks = TASK_KEYS.filter((t) => data.some((d) => d.benchmark === t));
  const spec: Plot.PlotOptions = {
    width: options.width ?? 720,
    height: 110 * tasks.length + 60,
    marginLeft: 60,
    marginRight: 150,
    x: { label: "Physician grade ÷ max score →", domain: [0, 1], grid: true },
    // Gaps between the panels and three ticks each, so one panel's top tick never meets the
    // bottom tick of the panel above.
    y: { label: "↑ Entries", nice: true, ticks: 3 },
    fy: {
      label: null,
      domain: tasks,
      padding: 0.2,
      tickFormat: (t: string) => taskTitle(t, { wrap: true }),
    },
    facet: { data, y: "benchmark" },
    marks: [
      Plot.rectY(
        data,
        Plot.binX<Plot.RectYOptions>({ y: "count" }, {
          x: "share",
          thresholds: 20,
          domain: [0, 1],
          fill: "#4c78a8",
          inset: 0.5,
        }),
      ),
      Plot.ruleY([0]),
    ],
  };
  const caption = "Distribution of the physician reference grade per task, as a share of the " +
    "entry's maximum score (20 bins; the last holds perfect scores)." +
    ((options.synthetic ?? isSynthetic(dataset)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, {
    caption,
    ...(options.plot ? { plot: options.plot } : {}),
  });
}
