/**
 * One physician's score against another's, on the same responses.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import type { DatasetFigureOptions } from "./grade_distribution.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _COUNT_RADIUS, _countKey } from "./_count_key.ts";
import { _taskPanels } from "./_task_panels.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { plotFigure } from "./plot_figure.ts";
import type { DataFrame } from "../data/data_frame.ts";

/**
 * The first two physicians' scores of each response plotted against each other (as shares of
 * `max_score`; responses with the same pair of scores share one dot whose area is their count), one panel per task, with the line of
 * perfect agreement. Points off the diagonal are physician disagreements: the ceiling that a
 * judge is measured against.
 *
 * @param ratings The long frame from `ratings(dataset)`.
 * @param options Caption and size.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { physicianScatter } from "./physician_scatter.ts";
 * import assert from "node:assert/strict";
 *
 * const long = pl.DataFrame({
 *   id: ["a", "a"], benchmark: ["r_idea", "r_idea"], max_score: [10, 10],
 *   rater: ["p1", "p2"], score: [8, 9],
 * });
 * assert.match(physicianScatter(long).svg, /<circle/);
 * ```
 */
export function physicianScatter(
  ratings: DataFrame,
  options: DatasetFigureOptions = {},
): Figure {
  const rows = ratings.select("id", "benchmark", "max_score", "score").toRecords() as {
    id: string;
    benchmark: string;
    max_score: number;
    score: number;
  }[];
  const first = new Map<string, { benchmark: string; a: number; b?: number }>();
  for (const r of rows) {
    const share = r.score / r.max_score;
    const pair = first.get(r.id);
    if (!pair) first.set(r.id, { benchmark: r.benchmark, a: share });
    else if (pair.b === undefined) pair.b = share;
  }
  // Scores are few distinct values, so many responses share a point (most at full marks): one
  // dot per point, its area the number of responses, and the count written on the larger ones.
  const counts = new Map<string, { benchmark: string; a: number; b: number; n: number }>();
  for (const p of first.values()) {
    if (p.b === undefined) continue;
    const key = `${p.benchmark}|${p.a}|${p.b}`;
    const point = counts.get(key) ?? { benchmark: p.benchmark, a: p.a, b: p.b, n: 0 };
    point.n++;
    counts.set(key, point);
  }
  const data = [...counts.values()];
  const panels = _taskPanels(data.map((d) => d.benchmark), options.width ?? 720);
  const placed = panels.place(data, (d) => d.benchmark);
  const key = _countKey(placed, { x: "a", y: "b", fx: "fx", fy: "fy" });
  const spec = panels.spec({
    x: "First physician (score ÷ max) →",
    y: "↑ Second physician",
    r: { range: _COUNT_RADIUS, domain: [0, Math.max(1, key.largest)] },
    marks: [
      Plot.dot(placed, {
        x: "a",
        y: "b",
        fx: "fx",
        fy: "fy",
        r: "n",
        fill: _PALETTE.highlight, // Okabe–Ito vermillion
        fillOpacity: 0.45,
        stroke: "white",
        strokeWidth: 0.5,
        sort: { channel: "r", order: "descending" }, // small dots drawn over large ones
      }),
      key.mark,
    ],
  });
  const caption = "First vs second physician score of each response, per task, as a share of " +
    `the maximum; dot area: number of responses with that pair of scores (${key.words}); ` +
    "dashed: perfect agreement." +
    ((options.synthetic ?? isSynthetic(ratings)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, { caption, ...(options.plot ? { plot: options.plot } : {}) });
}
