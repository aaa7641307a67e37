/**
 * A forest plot of judge–physician agreement, task by task, against the physician ceiling.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { TASK_KEYS } from "../data/task_key.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { _estimateDots } from "./_estimate_dots.ts";
import { FEW_CASES, MIN_CEILING_INTERVAL_CASES } from "../stats/case_count_note.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import { metricLabel, taskTitle } from "./display_names.ts";
import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns } from "../stats/_report_input.ts";

/** Options of `agreementForest`. */
export interface AgreementForestOptions extends PlotOverrides {
  /** The metric to draw (default `"kappa_quadratic"`); a `metric` value of the frames. */
  metric?: string;
  /**
   * The physician ceiling (`ceiling(trials)`): its estimate and interval are drawn as a band in
   * each task's panel. Without it the figure shows the judges alone.
   */
  ceiling?: DataFrame;
  /** Judges drawn grey, as baselines (default: names containing "baseline", "constant" or "lexical"). */
  baselines?: readonly string[];
  /** Say in the caption that the data are synthetic (default false: the frames do not say). */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

interface Estimate {
  task: string;
  judge: string;
  estimate: number;
  lower: number | null;
  upper: number | null;
  kind: "judge" | "baseline";
  nCases: number | null;
}

interface Band {
  task: string;
  ceiling: number;
  lower: number | null;
  upper: number | null;
}

/**
 * One panel per task: each judge's estimate of `metric` with its confidence interval (from
 * `agreement()`), LLM judges green and baselines grey, over the physician ceiling of the same
 * metric (from `ceiling()`): a shaded band for its interval and a line at its estimate. Each
 * panel's label gives the task's number of cases (`n_cases`); panels resting on fewer than
 * `FEW_CASES` are tinted and marked "(few)", and an estimate without an interval is hollow. A judge
 * whose interval reaches the band agrees with physicians about as well as physicians agree with
 * each other; one that does not clear the baselines has not earned trust.
 *
 * Rows whose estimate is not a number (a correlation of a constant baseline, say) are left
 * out and named in the caption.
 *
 * @param agreement The frame from `agreement(trials)` (`task`, `judge`, `metric`, `estimate`,
 *   `lower`, `upper`).
 * @param options The metric, the ceiling frame, which judges are baselines, caption, size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing or the metric has no finite estimate.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { agreementForest } from "./agreement_forest.ts";
 * import assert from "node:assert/strict";
 *
 * const agreement = pl.DataFrame({
 *   task: ["r_idea", "r_idea"], judge: ["gpt-4o", "lexical-baseline"], metric: ["lin_ccc", "lin_ccc"],
 *   estimate: [0.71, 0.42], lower: [0.6, 0.3], upper: [0.8, 0.55],
 * });
 * const fig = agreementForest(agreement, { metric: "lin_ccc" });
 * assert.match(fig.caption, /Lin's CCC/);
 * ```
 */
export function agreementForest(
  agreement: DataFrame,
  options: AgreementForestOptions = {},
): Figure {
  const metric = options.metric ?? "kappa_quadratic";
  _requireColumns(
    agreement,
    ["task", "judge", "metric", "estimate", "lower", "upper"],
    "agreementForest(): the agreement frame",
    "pass the frame from agreement()",
  );
  const isBaseline = (judge: string) =>
    options.baselines
      ? options.baselines.includes(judge)
      : /baseline|constant|lexical/i.test(judge);
  const { estimates, skipped } = _estimates(agreement, metric, isBaseline);
  const bands = options.ceiling ? _bands(options.ceiling, metric) : [];
  const known = TASK_KEYS as readonly string[];
  const tasks = [...new Set(estimates.map((e) => e.task))].sort((a, b) =>
    (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || (a < b ? -1 : 1)
  );
  const judges = [...new Set(estimates.map((e) => e.judge))].sort((a, b) =>
    Number(isBaseline(a)) - Number(isBaseline(b)) || (a < b ? -1 : 1)
  );
  const values = [
    ...estimates.flatMap((e) => [e.estimate, e.lower ?? e.estimate, e.upper ?? e.estimate]),
    ...bands.flatMap((b) => [b.ceiling, b.lower ?? b.ceiling, b.upper ?? b.ceiling]),
  ];
  const low = Math.min(0, ...values), high = Math.max(1, ...values);
  const intervals = estimates.filter((e) => e.lower !== null && e.upper !== null);
  const cases = new Map(estimates.map((e) => [e.task, e.nCases]));
  const few = tasks.filter((t) => (cases.get(t) ?? Infinity) < FEW_CASES);
  const width = options.width ?? 720;
  const spec: Plot.PlotOptions = {
    width,
    height: tasks.length * (judges.length * 20 + 26) + 50,
    marginLeft: Math.min(220, 14 + 6.2 * Math.max(...judges.map((j) => j.length))),
    marginRight: 160,
    x: {
      label: `${metricLabel(metric)} (95% CI)`,
      labelAnchor: "center",
      domain: [low, high],
      grid: true,
    },
    y: { label: null, domain: judges },
    fy: {
      label: null,
      domain: tasks,
      tickSize: 0,
      tickFormat: (t: string) => _taskLabel(t, cases),
    },
    color: { domain: ["judge", "baseline"], range: [_PALETTE.judge, "#7f7f7f"] },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      // Panels resting on few cases are tinted, so a wide interval is read as such.
      Plot.rect(few.map((task) => ({ task })), {
        fy: "task",
        fill: _PALETTE.highlight,
        fillOpacity: 0.05,
      }),
      Plot.rectX(bands.filter((b) => b.lower !== null && b.upper !== null), {
        x1: "lower",
        x2: "upper",
        fy: "task",
        fill: _PALETTE.physician,
        fillOpacity: 0.15,
      }),
      Plot.ruleX(bands, { x: "ceiling", fy: "task", stroke: _PALETTE.physician, strokeWidth: 1.5 }),
      Plot.ruleY(intervals, {
        x1: "lower",
        x2: "upper",
        y: "judge",
        fy: "task",
        stroke: "kind",
        strokeWidth: 2,
      }),
      // No interval (too few cases): a hollow symbol.
      ..._estimateDots(intervals, estimates.filter((e) => e.lower === null || e.upper === null), {
        y: "judge",
        color: "kind",
        symbol: (e) => e.kind === "baseline" ? "square" : "circle",
      }),
    ],
  };
  return plotFigure(spec, {
    caption: _caption(metric, bands.length > 0, few, skipped, options, {
      judges: estimates.some((e) => e.kind === "judge"),
      hollow: estimates.some((e) => e.lower === null || e.upper === null),
    }),
    ...(options.plot ? { plot: options.plot } : {}),
  });
}

/** A task's panel label: its name and the number of cases, flagged when few. */
function _taskLabel(task: string, cases: ReadonlyMap<string, number | null>): string {
  const n = cases.get(task);
  if (n === null || n === undefined) return taskTitle(task, { wrap: true });
  return `${taskTitle(task, { wrap: true })}\n${n} case${n === 1 ? "" : "s"}${
    n < FEW_CASES ? " (few)" : ""
  }`;
}

function _caption(
  metric: string,
  ceiling: boolean,
  few: readonly string[],
  skipped: readonly string[],
  options: AgreementForestOptions,
  drawn: { judges: boolean; hollow: boolean },
): string {
  // Name only what is drawn: an offline run has baselines and no LLM judge.
  const key = [
    drawn.judges ? "green: LLM judges" : null,
    "grey squares: baselines",
    drawn.hollow ? "hollow: no interval" : null,
  ].filter((k) => k !== null).join("; ");
  return `Agreement with the physician grade (${metricLabel(metric)}) per task: each judge's ` +
    `estimate and 95% interval over cases (${key})` +
    (ceiling
      ? "; blue line and band: the physician ceiling (each physician against the mean of the " +
        "others, leave-one-out) and its interval"
      : "") +
    "." +
    (few.length > 0
      ? ` Tinted panels rest on fewer than ${FEW_CASES} cases (${
        few.map((t) => taskTitle(t)).join("; ")
      }): their ` +
        "intervals are wide and covered about 90–95% in simulation; under 4 cases there is none, " +
        `and the ceiling has one only from ${MIN_CEILING_INTERVAL_CASES} cases.`
      : "") +
    (skipped.length > 0 ? ` Undefined, so not drawn: ${skipped.join(", ")}.` : "") +
    (options.synthetic ? ` ${SYNTHETIC_NOTE}` : "");
}

/** The judges' finite estimates of `metric`, and the rows left out. */
function _estimates(
  agreement: DataFrame,
  metric: string,
  isBaseline: (judge: string) => boolean,
): { estimates: Estimate[]; skipped: string[] } {
  const skipped: string[] = [];
  const estimates: Estimate[] = [];
  const hasCases = agreement.columns.includes("n_cases");
  for (const r of agreement.toRecords() as Record<string, unknown>[]) {
    if (r.metric !== metric) continue;
    const task = String(r.task), judge = String(r.judge);
    if (typeof r.estimate !== "number" || !Number.isFinite(r.estimate)) {
      skipped.push(`${judge} on ${task}`);
      continue;
    }
    estimates.push({
      task,
      judge,
      estimate: r.estimate,
      lower: finite(r.lower),
      upper: finite(r.upper),
      kind: isBaseline(judge) ? "baseline" : "judge",
      nCases: hasCases ? finite(r.n_cases) : null,
    });
  }
  if (estimates.length === 0) {
    const metrics = [...new Set(agreement.getColumn("metric").toArray() as string[])];
    throw new Error(
      `agreementForest(): no finite ${metric} estimates; the frame has ${
        metrics.map((m) => JSON.stringify(m)).join(", ")
      }`,
    );
  }
  return { estimates, skipped };
}

/** One ceiling band per task (the ceiling does not depend on the judge). */
function _bands(ceiling: DataFrame, metric: string): Band[] {
  _requireColumns(
    ceiling,
    ["task", "metric", "ceiling", "ceiling_lower", "ceiling_upper"],
    "agreementForest(): the ceiling frame",
    "pass the frame from ceiling()",
  );
  const bands: Band[] = [];
  const seen = new Set<string>();
  for (const r of ceiling.toRecords() as Record<string, unknown>[]) {
    const task = String(r.task);
    if (r.metric !== metric || seen.has(task) || finite(r.ceiling) === null) continue;
    seen.add(task);
    bands.push({
      task,
      ceiling: r.ceiling as number,
      lower: finite(r.ceiling_lower),
      upper: finite(r.ceiling_upper),
    });
  }
  return bands;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
