/**
 * A forest plot of a judge's bias audit: the judge − physician residual per respondent, task by
 * task, with the AI − physician gap and the self-preference difference.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { TASK_KEYS } from "../data/task_key.ts";
import { isSynthetic } from "../data/is_synthetic.ts";
import type { Figure } from "./figure.ts";
import { SYNTHETIC_NOTE } from "./grade_distribution.ts";
import { _PALETTE } from "./_trial_rows.ts";
import { _estimateDots } from "./_estimate_dots.ts";
import { plotFigure, type PlotOverrides } from "./plot_figure.ts";
import { taskTitle } from "./display_names.ts";
import type { DataFrame } from "../data/data_frame.ts";
import { _requireColumns } from "../stats/_report_input.ts";

/** Options of {@linkcode biasAuditPlot}. */
export interface BiasAuditPlotOptions extends PlotOverrides {
  /** The judge to draw, when the audit holds several. */
  judge?: string;
  /** Only these tasks (default: every task in the audit). */
  tasks?: readonly string[];
  /** The confidence level the audit was computed at, for the caption (default 0.95). */
  level?: number;
  /** Say in the caption that the data are synthetic (default: `isSynthetic(audit)`). */
  synthetic?: boolean;
  /** Width in pixels (default 720). */
  width?: number;
}

/** One drawn row. */
interface _Point {
  task: string;
  label: string;
  tone: "AI" | "physician" | "difference";
  estimate: number;
  lower: number | null;
  upper: number | null;
}

const TONES = ["AI", "physician", "difference"] as const;
const COLOURS = [_PALETTE.llm, _PALETTE.physician, _PALETTE.highlight];

/**
 * One panel per task: for each respondent, the judge's mean residual (judge − physician) with
 * its cluster interval, AI respondents orange and physician groups blue (Okabe–Ito); under
 * them the means over all AI and all physician responses, the AI − physician gap and the
 * judge's own-family − other-AI difference (vermillion), with a rule at zero (no bias). A dot
 * right of zero means the judge scores those responses higher than physicians did. A hollow
 * dot has no interval (fewer than 4 cases; see the audit's `note`). The length slopes, in
 * another unit, are written in the caption.
 *
 * @param audit The frame from `biasAudit(trials)`.
 * @param options The judge (needed when the audit holds several), tasks, level, caption, size.
 * @returns The figure.
 * @throws {Error} When a needed column is missing, several judges are present and none is
 *   named (or the named one is absent), or nothing is left to draw.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { biasAuditPlot } from "./bias_audit_plot.ts";
 * import assert from "node:assert/strict";
 *
 * const audit = pl.DataFrame({
 *   task: ["r_idea", "r_idea"], judge: ["j", "j"], kind: ["model", "model"],
 *   level: ["gpt-4", "attending physician"], group: ["AI", "physician"],
 *   estimate: [0.8, -0.1], lower: [0.3, -0.6], upper: [1.3, 0.4], scale: ["points", "points"],
 * });
 * const fig = biasAuditPlot(audit);
 * assert.match(fig.caption, /judge − physician/);
 * ```
 */
export function biasAuditPlot(audit: DataFrame, options: BiasAuditPlotOptions = {}): Figure {
  _requireColumns(
    audit,
    ["task", "judge", "kind", "level", "group", "estimate", "lower", "upper"],
    "biasAuditPlot(): the audit frame",
    "pass the frame from biasAudit()",
  );
  const records = audit.toRecords() as Record<string, unknown>[];
  const judge = _chosenJudge(records, options.judge);
  const wanted = options.tasks ? new Set(options.tasks) : undefined;
  const mine = records.filter((r) => r.judge === judge && (!wanted || wanted.has(String(r.task))));
  const points = _points(mine);
  if (points.length === 0) {
    throw new Error(`biasAuditPlot(): no finite residuals of ${judge} to draw`);
  }
  const known = TASK_KEYS as readonly string[];
  const tasks = [...new Set(points.map((p) => p.task))].sort((a, b) =>
    (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99) || (a < b ? -1 : 1)
  );
  const labels = _labelOrder(points);
  const values = points.flatMap((p) => [p.estimate, p.lower ?? p.estimate, p.upper ?? p.estimate]);
  const span = Math.max(...values.map(Math.abs), 1e-9) * 1.05;
  const scale = mine.find((r) => typeof r.scale === "string")?.scale ?? "points";
  const spec: Plot.PlotOptions = {
    width: options.width ?? 720,
    height: tasks.length * (labels.length * 18 + 24) + 50,
    marginLeft: Math.min(260, 14 + 6.2 * Math.max(...labels.map((l) => l.length))),
    marginRight: 150,
    x: {
      label: `Judge − physician (${scale === "share" ? "share of max score" : "points"}) →`,
      labelAnchor: "center",
      domain: [-span, span],
      grid: true,
    },
    y: { label: null, domain: labels },
    fy: {
      label: null,
      domain: tasks,
      tickSize: 0,
      tickFormat: (t: string) => taskTitle(t, { wrap: true }),
    },
    color: { domain: [...TONES], range: COLOURS },
    marks: [
      Plot.frame({ stroke: "#ddd" }),
      Plot.ruleX([0], { stroke: _PALETTE.reference }),
      Plot.ruleY(points.filter((p) => p.lower !== null && p.upper !== null), {
        x1: "lower",
        x2: "upper",
        y: "label",
        fy: "task",
        stroke: "tone",
        strokeWidth: 2,
      }),
      // With an interval: filled; without: hollow (white inside the tone's outline).
      ..._estimateDots(
        points.filter((p) => p.lower !== null),
        points.filter((p) => p.lower === null),
        {
          y: "label",
          color: "tone",
          symbol: (p) => p.tone === "difference" ? "diamond" : "circle",
        },
      ),
    ],
  };
  return plotFigure(spec, {
    caption: _caption(judge, mine, points, tasks, options, audit),
    ...(options.plot ? { plot: options.plot } : {}),
  });
}

/** The judge named, or the only one. */
function _chosenJudge(records: Record<string, unknown>[], judge: string | undefined): string {
  const judges = [...new Set(records.map((r) => String(r.judge)))].sort();
  const chosen = judge ?? (judges.length === 1 ? judges[0] : undefined);
  if (chosen === undefined || !judges.includes(chosen)) {
    throw new Error(
      judges.length === 0
        ? "biasAuditPlot(): the audit frame is empty"
        : `biasAuditPlot(): ${
          judge === undefined ? "several judges are in the audit" : `no judge "${judge}"`
        }; pick one with { judge } from ${judges.map((j) => JSON.stringify(j)).join(", ")}`,
    );
  }
  return chosen;
}

/** The rows drawn (model, group and self-preference rows with a finite estimate), labelled. */
function _points(records: Record<string, unknown>[]): _Point[] {
  const points: _Point[] = [];
  for (const r of records) {
    if (typeof r.estimate !== "number" || !Number.isFinite(r.estimate)) continue;
    const level = String(r.level);
    let label: string, tone: _Point["tone"];
    if (r.kind === "model") {
      label = level;
      tone = r.group === "physician" ? "physician" : "AI";
    } else if (r.kind === "group") {
      label = level === "AI − physician" ? "AI − physician gap" : `All ${level} responses`;
      tone = level === "AI" ? "AI" : level === "physician" ? "physician" : "difference";
    } else if (r.kind === "self_preference") {
      label = level.replace(/^same family \((.*)\) − other AI$/, "Own family ($1) − other AI");
      tone = "difference";
    } else continue;
    const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v) ? v : null;
    points.push({
      task: String(r.task),
      label,
      tone,
      estimate: r.estimate,
      lower: finite(r.lower),
      upper: finite(r.upper),
    });
  }
  return points;
}

/** Respondents (AI, then physician groups, as the audit orders them), then the summaries. */
function _labelOrder(points: readonly _Point[]): string[] {
  const summary = (p: _Point) =>
    p.label.startsWith("All ") || p.label === "AI − physician gap" || p.label.startsWith("Own ");
  const respondents = points.filter((p) => !summary(p));
  const rank = (p: _Point) => p.tone === "AI" ? 0 : 1;
  const ordered = [...respondents].sort((a, b) => rank(a) - rank(b));
  const summaries = ["All AI responses", "All physician responses", "AI − physician gap"];
  return [
    ...new Set([
      ...ordered.map((p) => p.label),
      ...summaries.filter((s) => points.some((p) => p.label === s)),
      ...points.filter((p) => p.label.startsWith("Own ")).map((p) => p.label),
    ]),
  ];
}

/** The caption: what is drawn, the interval, the length slopes, and the synthetic note. */
function _caption(
  judge: string,
  records: Record<string, unknown>[],
  points: readonly _Point[],
  tasks: readonly string[],
  options: BiasAuditPlotOptions,
  audit: DataFrame,
): string {
  const level = Math.round((options.level ?? 0.95) * 100);
  const number = (v: unknown) => typeof v === "number" && Number.isFinite(v) ? v : null;
  const fmt = (v: number) => (v > 0 ? "+" : v < 0 ? "−" : "") + Number(Math.abs(v).toPrecision(2));
  const slopes = records.filter((r) => r.kind === "length" && tasks.includes(String(r.task)))
    .map((r) => {
      const [e, lo, hi] = [number(r.estimate), number(r.lower), number(r.upper)];
      if (e === null) return null;
      return `${r.task} ${fmt(e)}${lo !== null && hi !== null ? ` [${fmt(lo)}, ${fmt(hi)}]` : ""}`;
    })
    .filter((s) => s !== null);
  const scale = records.find((r) => typeof r.scale === "string")?.scale === "share"
    ? "share of max score"
    : "points";
  return `Bias audit of ${judge}: the judge − physician residual (score − grade, repeats ` +
    `averaged) per respondent and task, with ${level}% jackknife-over-cases t intervals ` +
    "(orange: AI respondents; blue: physician groups; vermillion diamonds: the AI − physician " +
    "gap and the judge's own model family against other AI). Right of zero: the judge scores " +
    "higher than physicians did." +
    (points.some((p) => p.lower === null) ? " Hollow: no interval (fewer than 4 cases)." : "") +
    (slopes.length > 0 ? ` Residual per 100 words (${scale}): ${slopes.join("; ")}.` : "") +
    ((options.synthetic ?? isSynthetic(audit)) ? ` ${SYNTHETIC_NOTE}` : "");
}
