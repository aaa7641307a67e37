/**
 * How each respondent model's responses score, beside the physician groups, task by task.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { TASK_KEYS } from "../data/task_key.ts";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { isPhysicianRespondent } from "../data/is_physician_respondent.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import { taskTitle } from "./display_names.ts";
import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns } from "../stats/_report_input.ts";

/** Boxes of this many responses or fewer also show their points. */
const SHOW_POINTS_UP_TO = 6;

/** Options of `modelBoxplot`. */
export interface ModelBoxplotOptions extends PlotOverrides {
  /**
   * The score column: `"score"` (a judge's, in a trials frame) or `"grade"` (the physicians'
   * reference). Default: `"score"` when the frame has it, else `"grade"`.
   */
  value?: "score" | "grade";
  /** Only these tasks (default: every task in the frame, in the dataset's task order). */
  tasks?: readonly string[];
  /** Respondents to pick out in another colour, e.g. a new candidate model. */
  highlight?: string | readonly string[];
  /**
   * What the scores are, for the caption, e.g. `"gpt-4o's score"` (default: the physician grade,
   * or the score of the frame's one judge).
   */
  scoredBy?: string;
  /** Say in the caption that the data are synthetic (default: `isSynthetic(frame)`). */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

interface Box {
  task: string;
  model: string;
  share: number;
  group: "physician" | "llm" | "highlight";
}

/**
 * Box plots of the scores each respondent model (or physician group) earned, one panel per
 * task, on a shared axis of `score / max_score` so tasks on different scales sit side by side.
 * Physician groups are blue, AI models orange, highlighted respondents (a new candidate)
 * vermillion; each box is labelled with its number of responses. Boxes: median and quartiles,
 * whiskers to the most extreme value within 1.5 × IQR, dots beyond (Tukey).
 *
 * On a trials frame only scored judgements are drawn — failed ones are not scores — and the
 * caption counts what was left out. Respondents are ordered by their median across tasks.
 *
 * @param frame A trials frame (`loadTrials(dir, { dataset })`: `task`, `model`, `score`,
 *   `max_score`, `status`) or a dataset frame (`benchmark`, `model`, `grade`, `max_score`).
 * @param options Score column, tasks, highlighted respondents, caption and size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing or nothing is left to draw.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { modelBoxplot } from "./model_boxplot.ts";
 * import assert from "node:assert/strict";
 *
 * const dataset = pl.DataFrame({
 *   benchmark: ["r_idea", "r_idea", "r_idea", "r_idea"],
 *   model: ["gpt-4", "gpt-4", "attending physician", "attending physician"],
 *   grade: [9, 10, 8, 9],
 *   max_score: [10, 10, 10, 10],
 * });
 * const fig = modelBoxplot(dataset, { synthetic: true });
 * assert.match(fig.caption, /physician grade/);
 * assert.match(fig.svg, /attending physician/);
 * ```
 */
export function modelBoxplot(frame: DataFrame, options: ModelBoxplotOptions = {}): Figure {
  const value = options.value ?? (frame.columns.includes("score") ? "score" : "grade");
  const highlight = new Set(
    typeof options.highlight === "string" ? [options.highlight] : options.highlight ?? [],
  );
  const { boxes, leftOut } = _boxes(frame, value, highlight, options.tasks);
  const rows = _rows(boxes);
  const spec = _spec(rows, value, options.width ?? 720);
  return plotFigure(spec, {
    caption: _caption(frame, value, highlight, leftOut, options),
    ...(options.plot ? { plot: options.plot } : {}),
  });
}

/** The responses to draw, each with its share of the maximum and its colour group. */
function _boxes(
  frame: DataFrame,
  value: "score" | "grade",
  highlight: ReadonlySet<string>,
  tasks: readonly string[] | undefined,
): { boxes: Box[]; leftOut: number } {
  const taskColumn = frame.columns.includes("task") ? "task" : "benchmark";
  _requireColumns(
    frame,
    [taskColumn, "model", value, "max_score"],
    "modelBoxplot(): the frame",
    "pass a trials frame from loadTrials(dir, { dataset }) or a dataset frame from loadDataset()",
  );
  const wanted = tasks ? new Set(tasks) : undefined;
  const boxes: Box[] = [];
  let leftOut = 0;
  for (const r of frame.toRecords() as Record<string, unknown>[]) {
    const task = String(r[taskColumn]);
    if (wanted && !wanted.has(task)) continue;
    const score = r[value];
    const max = r.max_score;
    const scored = !("status" in r) || r.status === "scored";
    if (
      !scored || typeof score !== "number" || !Number.isFinite(score) || typeof max !== "number"
    ) {
      leftOut++;
      continue;
    }
    const model = String(r.model);
    const group = highlight.has(model)
      ? "highlight"
      : isPhysicianRespondent(model)
      ? "physician"
      : "llm";
    boxes.push({ task, model, share: score / max, group });
  }
  if (boxes.length === 0) {
    throw new Error(
      `modelBoxplot(): no ${value}s to draw${wanted ? ` for ${[...wanted].join(", ")}` : ""}`,
    );
  }
  return { boxes, leftOut };
}

/** The figure's rows: one per (task, respondent) that has responses, tasks in blocks. */
interface _Rows {
  tasks: string[];
  /** Each task's row keys, respondents by median. */
  rowsOf: string[][];
  counts: Map<string, { key: string; task: string; model: string; n: number }>;
  placed: (Box & { key: string })[];
  models: string[];
}

function _rows(boxes: readonly Box[]): _Rows {
  const known = TASK_KEYS as readonly string[];
  const tasks = [...new Set(boxes.map((b) => b.task))].sort((a, b) =>
    (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || (a < b ? -1 : 1)
  );
  // Facets would share one respondent axis and leave a row for every respondent in every task.
  const order = orderByMedian([...boxes]);
  const rowKey = (task: string, model: string) => `${task}\u0000${model}`;
  const counts = new Map<string, { key: string; task: string; model: string; n: number }>();
  for (const b of boxes) {
    const key = rowKey(b.task, b.model);
    const c = counts.get(key) ?? { key, task: b.task, model: b.model, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const rowsOf = tasks.map((task) =>
    order.filter((model) => counts.has(rowKey(task, model))).map((model) => rowKey(task, model))
  );
  const placed = boxes.map((b) => ({ ...b, key: rowKey(b.task, b.model) }));
  return { tasks, rowsOf, counts, placed, models: [...new Set(boxes.map((b) => b.model))] };
}

function _spec(rows: _Rows, value: "score" | "grade", width: number): Plot.PlotOptions {
  const { tasks, rowsOf, counts, placed, models } = rows;
  const domain = rowsOf.flat();
  // Shade every other task's block, and name each task beside its middle row.
  const shaded = tasks.flatMap((_, i) => i % 2 === 1 ? rowsOf[i]! : []).map((key) => ({ key }));
  const names = tasks.map((task, i) => ({ task, key: rowsOf[i]![(rowsOf[i]!.length - 1) >> 1]! }));
  return {
    width,
    height: domain.length * 20 + 60,
    marginLeft: Math.min(240, 12 + 6.2 * Math.max(...models.map((m) => m.length))),
    marginRight: 210,
    x: {
      label: `${value === "score" ? "Judge score" : "Physician grade"} ÷ max score`,
      labelAnchor: "center",
      domain: [0, 1],
      grid: true,
    },
    y: { label: null, domain, tickFormat: (key: string) => key.split("\u0000")[1] ?? key },
    color: {
      domain: ["physician", "llm", "highlight"],
      range: [_PALETTE.physician, _PALETTE.llm, _PALETTE.highlight],
    },
    marks: [
      Plot.barX(shaded, { x1: 0, x2: 1, y: "key", fill: "#f2f2f2", insetTop: -1, insetBottom: -1 }),
      Plot.frame({ stroke: "#ddd" }),
      Plot.boxX(placed, { x: "share", y: "key", fill: "group", fillOpacity: 0.6 }),
      // A box of a handful of responses says little: show them too.
      Plot.dot(placed.filter((b) => counts.get(b.key)!.n <= SHOW_POINTS_UP_TO), {
        x: "share",
        y: "key",
        stroke: "#111",
        r: 2,
      }),
      Plot.text([...counts.values()], {
        x: 1,
        y: "key",
        text: (d: { n: number }) => `n = ${d.n}`,
        textAnchor: "start",
        dx: 10, // clear of an outlier drawn at the top of the scale
        fill: "#444",
      }),
      Plot.text(names, {
        x: 1,
        y: "key",
        text: (d: { task: string }) => taskTitle(d.task, { wrap: true }),
        textAnchor: "start",
        dx: 66,
        lineWidth: 14, // titles wrap inside the right margin
        fontWeight: "bold",
      }),
    ],
  };
}

function _caption(
  frame: DataFrame,
  value: "score" | "grade",
  highlight: ReadonlySet<string>,
  leftOut: number,
  options: ModelBoxplotOptions,
): string {
  const judges = value === "score" && frame.columns.includes("judge")
    ? [...new Set(frame.getColumn("judge").toArray() as string[])]
    : [];
  const scoredBy = options.scoredBy ??
    (value === "grade"
      ? "the physician grade"
      : judges.length === 1
      ? `${judges[0]}'s score`
      : "the judge's score");
  return `Distribution of ${scoredBy} per respondent and task, as a share of the ` +
    "entry's maximum score (box: quartiles and median; whiskers: 1.5 × IQR). Blue: physician " +
    "groups; orange: AI models" +
    (highlight.size > 0 ? `; vermillion: ${[...highlight].join(", ")}` : "") +
    "." +
    (leftOut > 0
      ? ` ${leftOut} row${
        leftOut === 1 ? "" : "s"
      } without a ${value} (failed judgements) left out.`
      : "") +
    ((options.synthetic ?? isSynthetic(frame)) ? ` ${SYNTHETIC_NOTE}` : "");
}

/** Respondents by their median share across every task, highest first (ties by name). */
function orderByMedian(boxes: Box[]): string[] {
  const byModel = new Map<string, number[]>();
  for (const b of boxes) {
    const shares = byModel.get(b.model) ?? [];
    shares.push(b.share);
    byModel.set(b.model, shares);
  }
  const median = (xs: number[]) => {
    const s = xs.toSorted((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  return [...byModel]
    .map(([model, shares]) => ({ model, median: median(shares) }))
    .sort((a, b) => b.median - a.median || (a.model < b.model ? -1 : 1))
    .map((m) => m.model);
}
