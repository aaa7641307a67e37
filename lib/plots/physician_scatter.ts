/**
 * One physician's score against another's, on the same responses.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import type { DatasetFigureOptions } from "./grade_distribution.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _taskPanels } from "./_task_panels.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { plotFigure } from "./plot_figure.ts";

/**
 * The first two physicians' scores of each response plotted against each other (as shares of
 * `max_score`, jittered so tied scores stay visible), one panel per task, with the line of
 * perfect agreement. Points off the diagonal are physician disagreements: the ceiling that a
 * judge is measured against.
 *
 * @param ratings The long frame from `ratings(dataset)`.
 * @param options Caption and size; `seed` fixes the jitter (default 1).
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
  ratings: pl.DataFrame,
  options: DatasetFigureOptions & { seed?: number } = {},
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
  let state = (options.seed ?? 1) >>> 0 || 1;
  const jitter = () => {
    // xorshift32: a tiny seeded generator, so the figure is the same on every run.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0x100000000 - 0.5) * 0.04;
  };
  const data = [...first.values()]
    .filter((p): p is { benchmark: string; a: number; b: number } => p.b !== undefined)
    .map((p) => ({ benchmark: p.benchmark, a: p.a + jitter(), b: p.b + jitter() }));
  const panels = _taskPanels(data.map((d) => d.benchmark), options.width ?? 720);
  const spec = panels.spec({
    x: "First physician (score ÷ max) →",
    y: "↑ Second physician",
    marks: [
      Plot.dot(panels.place(data, (d) => d.benchmark), {
        x: "a",
        y: "b",
        fx: "fx",
        fy: "fy",
        r: 2,
        fill: _PALETTE.highlight, // Okabe–Ito vermillion
        fillOpacity: 0.35,
      }),
    ],
  });
  const caption = "First vs second physician score of each response, per task, as a share of " +
    "the maximum (jittered by ±2%); dashed: perfect agreement." +
    ((options.synthetic ?? isSynthetic(ratings)) ? ` ${SYNTHETIC_NOTE}` : "");
  return plotFigure(spec, { caption, ...(options.plot ? { plot: options.plot } : {}) });
}
