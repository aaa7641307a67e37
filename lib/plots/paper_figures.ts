/**
 * `paperFigures()`: every figure of a run, named for files — the set `deno task figures` and
 * `deno task report` write.
 *
 * @module
 */

import pl from "nodejs-polars";
import { isSynthetic } from "../data/is_synthetic.ts";
import { bondScale } from "../tasks/scale.ts";
import { agreementForest } from "./agreement_forest.ts";
import { blandAltmanPlot } from "./bland_altman_plot.ts";
import { calibrationPlot } from "./calibration_plot.ts";
import { confusionHeatmap } from "./confusion_heatmap.ts";
import type { Figure } from "./figure.ts";
import { gradeDistribution } from "./grade_distribution.ts";
import { judgeScatter } from "./judge_scatter.ts";
import { modelBoxplot } from "./model_boxplot.ts";
import { physicianScatter } from "./physician_scatter.ts";
import { _safeFileName } from "./_safe_file_name.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** What to draw besides the trials. */
export interface PaperFiguresOptions {
  /** The dataset frame: adds the grade distribution and the physician–physician scatter. */
  dataset?: DataFrame;
  /** The per-rater long frame (`ratings(dataset)`), for the physician scatter. */
  ratings?: DataFrame;
  /** `agreement(trials)`: adds the forest plot. */
  agreement?: DataFrame;
  /** `ceiling(trials)`: the forest plot's ceiling band. */
  ceiling?: DataFrame;
  /** The forest plot's metric (default `"kappa_quadratic"`). */
  metric?: string;
  /** Say in every caption that the data are synthetic (default: `isSynthetic(trials)`). */
  synthetic?: boolean;
}

/** Bond-scale tasks: their confusion matrices show the scale's values, 1 absent. */
const BOND_TASKS = new Set(["cpc_bond", "bi_triage"]);
const BOND_VALUES = bondScale().allowed ?? [];

/**
 * The figures of a run, by file name (no extension): per judge `scatter-<judge>`,
 * `calibration-<judge>`, `bland-altman-<judge>`, `respondents-<judge>` and
 * `confusion-<judge>-<task>` for each task it scored; `agreement-forest` with an agreement frame;
 * `grade-distribution` and `physician-scatter` with the dataset (and ratings). Judge names are
 * made file-name safe. A figure that has nothing to draw (a judge whose every judgement failed
 * on a task) is left out rather than drawn empty.
 *
 * @param trials A trials frame from `loadTrials(dir, { dataset })`.
 * @param options The dataset, ratings, agreement and ceiling frames, the forest's metric.
 * @returns The figures, in a stable order.
 * @throws {Error} When `trials` lacks the columns the figures need (see each figure).
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { paperFigures } from "./paper_figures.ts";
 * import assert from "node:assert/strict";
 *
 * const trials = pl.DataFrame({
 *   judge: ["j", "j"], task: ["r_idea", "r_idea"], status: ["scored", "scored"], model: ["gpt-4", "gpt-4"],
 *   score: [8, 6], grade: [9, 6], max_score: [10, 10],
 * });
 * assert.deepEqual([...paperFigures(trials).keys()], [
 *   "scatter-j", "calibration-j", "bland-altman-j", "respondents-j", "confusion-j-r_idea",
 * ]);
 * ```
 */
export function paperFigures(
  trials: DataFrame,
  options: PaperFiguresOptions = {},
): Map<string, Figure> {
  const synthetic = options.synthetic ?? isSynthetic(trials);
  const figures = new Map<string, Figure>();
  const add = (name: string, draw: () => Figure) => {
    try {
      figures.set(name, draw());
    } catch (error) {
      // Only "nothing to draw" is skipped; a bad frame is the caller's to know.
      if (!/no scored|no .* to draw/.test((error as Error).message)) throw error;
    }
  };
  if (options.dataset) {
    const dataset = options.dataset;
    add("grade-distribution", () => gradeDistribution(dataset, { synthetic }));
  }
  if (options.ratings) {
    const ratings = options.ratings;
    add("physician-scatter", () => physicianScatter(ratings, { synthetic }));
  }
  if (options.agreement) {
    const agreement = options.agreement;
    add("agreement-forest", () =>
      agreementForest(agreement, {
        synthetic,
        ...(options.ceiling ? { ceiling: options.ceiling } : {}),
        ...(options.metric ? { metric: options.metric } : {}),
      }));
  }
  const records = trials.select("judge", "task").toRecords() as { judge: string; task: string }[];
  const judges = [...new Set(records.map((r) => r.judge))].sort();
  for (const judge of judges) {
    const name = _safeFileName(judge);
    const mine = trials.filter(pl.col("judge").eq(pl.lit(judge)));
    add(`scatter-${name}`, () => judgeScatter(mine, { judge, synthetic }));
    add(`calibration-${name}`, () => calibrationPlot(mine, { judge, synthetic }));
    add(`bland-altman-${name}`, () => blandAltmanPlot(mine, { judge, synthetic }));
    add(`respondents-${name}`, () => modelBoxplot(mine, { synthetic }));
    const tasks = [...new Set(records.filter((r) => r.judge === judge).map((r) => r.task))].sort();
    for (const task of tasks) {
      add(`confusion-${name}-${task}`, () =>
        confusionHeatmap(mine, task, {
          judge,
          synthetic,
          ...(BOND_TASKS.has(task) ? { categories: BOND_VALUES } : {}),
        }));
    }
  }
  return figures;
}
