/**
 * One physician's score against another's, on the same responses.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import type pl from "nodejs-polars";
import { BENCHMARKS } from "../data/benchmark.ts";
import { isSynthetic } from "../data/is_synthetic.ts";
import { type Figure, figure } from "./figure.ts";
import type { DatasetFigureOptions } from "./grade_distribution.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { plotDocument } from "./plot_document.ts";

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
  const tasks = BENCHMARKS.filter((t) => data.some((d) => d.benchmark === t));
  const width = options.width ?? 720;
  const columns = Math.min(3, Math.max(1, tasks.length));
  const rowsOfPanels = Math.ceil(tasks.length / columns);
  const panel = new Map<string, { fx: number; fy: number }>(
    tasks.map((t, i) => [t, { fx: i % columns, fy: Math.floor(i / columns) }]),
  );
  const placed = data.map((d) => ({ ...d, ...panel.get(d.benchmark)! }));
  const element = Plot.plot({
    document: plotDocument(),
    width,
    height: rowsOfPanels * ((width - 80) / columns) + 60,
    marginLeft: 50,
    marginBottom: 40,
    x: { label: "First physician (score ÷ max) →", domain: [-0.05, 1.05], ticks: 3 },
    y: { label: "↑ Second physician", domain: [-0.05, 1.05], ticks: 3 },
    fx: { axis: null },
    fy: { axis: null },
    marks: [
      Plot.frame({ stroke: "#ccc" }),
      Plot.line([[0, 0], [1, 1]], { stroke: "#888", strokeDasharray: "4,3" }),
      Plot.dot(placed, {
        x: "a",
        y: "b",
        fx: "fx",
        fy: "fy",
        r: 2,
        fill: "#e45756",
        fillOpacity: 0.35,
      }),
      Plot.text(
        tasks.map((t) => ({ label: t, ...panel.get(t)! })),
        { fx: "fx", fy: "fy", text: "label", frameAnchor: "top-left", dx: 4, dy: 4 },
      ),
    ],
  });
  const caption = "First vs second physician score of each response, per task, as a share of " +
    "the maximum (jittered by ±2%); dashed: perfect agreement." +
    ((options.synthetic ?? isSynthetic(ratings)) ? ` ${SYNTHETIC_NOTE}` : "");
  return figure(element, { caption });
}
