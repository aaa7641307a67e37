/**
 * `deno task report --trials DIR`: how well each judge of a run agrees with physicians — per
 * task, with 95% intervals over cases, beside the physician ceiling and the baselines — and
 * whether it may stand in for them (the alternative annotator test), printed as tables, written
 * as CSV (with the calibrated judge's agreement and the bias audit), and drawn as the paper
 * figures.
 *
 * Options: `--dataset SOURCE` (default `PRECEPTRON_DATASET`, else the shipped sample), `--out DIR`
 * (default `out/report`), `--metric NAME` (the forest plot's and the printed table's headline
 * metric, default `kappa_quadratic`), `--interval jackknife_t|bca|percentile` (default
 * `jackknife_t`), `--resamples N` (the bootstrap's, default 2000), `--seed S` (default 1),
 * `--no-figures`, `--png-width PX`.
 *
 * Exit status: 0 on success, 1 on bad arguments or a folder/dataset that does not load.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
import pl from "nodejs-polars";
import { isSynthetic } from "../lib/data/is_synthetic.ts";
import { defaultSource, loadDataset } from "../lib/data/load_dataset.ts";
import { ratings } from "../lib/data/ratings.ts";
import { paperFigures } from "../lib/plots/paper_figures.ts";
import { saveFigure } from "../lib/plots/save_figure.ts";
import { loadTrials } from "../lib/trials/load_trials.ts";
import { trialsOverview } from "../lib/trials/trials_overview.ts";
import { agreement } from "../lib/stats/agreement.ts";
import { agreementSummary } from "../lib/stats/agreement_summary.ts";
import { altTest } from "../lib/stats/alt_test.ts";
import { biasAudit } from "../lib/stats/bias_audit.ts";
import { calibrate } from "../lib/stats/calibrate.ts";
import { FEW_CASES, MIN_CEILING_INTERVAL_CASES } from "../lib/stats/case_count_note.ts";
import { ceiling } from "../lib/stats/ceiling.ts";
import type { IntervalMethod } from "../lib/stats/_metric_bootstrap.ts";
import { biasAuditPlot } from "../lib/plots/bias_audit_plot.ts";

const USAGE = "usage: deno task report --trials DIR [--dataset SOURCE] [--out DIR] " +
  "[--metric NAME] [--interval jackknife_t|bca|percentile] [--resamples N] [--seed S] " +
  "[--no-figures] [--png-width PX]";

/** What `report()` wrote. */
export interface ReportResult {
  /** The agreement frame. */
  agreement: pl.DataFrame;
  /** The ceiling frame. */
  ceiling: pl.DataFrame;
  /** The alternative annotator test's verdicts and per-physician rows. */
  altTest: { physicians: pl.DataFrame; verdict: pl.DataFrame };
  /** Files written. */
  files: string[];
}

/** How to report. */
export interface ReportOptions {
  /** The run's output folder (its ledgers). */
  trials: string;
  /** The dataset source. */
  dataset?: string;
  /** Where to write (default `out/report`). */
  out?: string;
  /** The headline metric. */
  metric?: string;
  /** The interval method (default the cluster jackknife-t). */
  interval?: IntervalMethod;
  /** Bootstrap resamples. */
  resamples?: number;
  /** Bootstrap seed. */
  seed?: number;
  /** Write the figures (default true). */
  figures?: boolean;
  /** Where the figures go (default `<out>/figures`). */
  figuresDir?: string;
  /** PNG width in pixels (default: twice each figure's width). */
  pngWidth?: number;
  /** Where lines go (default `console.log`). */
  log?: (line: string) => void;
}

/**
 * Builds the report: loads the trials joined to the dataset, computes `agreement()` and
 * `ceiling()`, prints the headline table, writes `agreement.csv`, `ceiling.csv`,
 * `overview.csv` and the figures (SVG and PNG) under `out`.
 *
 * @param options The run folder and settings.
 * @returns The frames and the files written.
 */
export async function report(options: ReportOptions): Promise<ReportResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const metric = options.metric ?? "kappa_quadratic";
  const out = resolve(options.out ?? "out/report");
  const source = defaultSource(options.dataset);
  const dataset = await loadDataset(source);
  const trials = await loadTrials(options.trials, { dataset, onWarning: log });
  if (trials.height === 0) throw new Error(`no judgements in ${options.trials}`);
  const synthetic = isSynthetic(trials);
  const bootstrap = {
    resamples: options.resamples ?? 2000,
    seed: options.seed ?? 1,
    method: options.interval ?? "jackknife_t",
  };
  const started = performance.now();
  const agree = agreement(trials, { bootstrap });
  const ceil = ceiling(trials, { bootstrap });
  const alt = altTest(trials);
  const calibrated = agreement(calibrate(trials).trials, { bootstrap, score: "score_calibrated" });
  const audit = biasAudit(trials, { dataset });
  const seconds = (performance.now() - started) / 1000;

  if (synthetic) {
    log(
      "Synthetic data: the shipped sample, not physician scores from the PrecepTron studies; " +
        "these numbers describe the sample's generator.",
    );
  }
  log(`Trials: ${trials.height} judgements in ${options.trials} · dataset ${source}`);
  const method = bootstrap.method === "jackknife_t"
    ? "leave-one-case-out jackknife-t"
    : `cluster bootstrap ${bootstrap.method}, ${bootstrap.resamples} resamples`;
  log(
    `Agreement with the physician grade (${metric}, 95% intervals over cases: ${method}; ` +
      `computed in ${seconds.toFixed(1)} s). Intervals generalise to new cases of the same ` +
      `kind, and to new responses within them.\n`,
  );
  log(headline(agree, ceil, metric));
  log(`\nMay the judge stand in for the physicians? ${ALT_TEST_LINE}\n`);
  log(altTestTable(alt.verdict));

  const files: string[] = [];
  await Deno.mkdir(out, { recursive: true });
  for (
    const [name, frame] of [
      ["agreement", agree],
      ["ceiling", ceil],
      ["alt_test", alt.verdict],
      ["alt_test_physicians", alt.physicians],
      ["calibrated_agreement", calibrated],
      ["bias_audit", audit],
      ["overview", trialsOverview(trials)],
    ] as const
  ) {
    const path = join(out, `${name}.csv`);
    frame.writeCSV(path);
    files.push(path);
  }
  if (options.figures ?? true) {
    const figures = paperFigures(trials, {
      dataset,
      ratings: ratings(dataset),
      agreement: agree,
      ceiling: ceil,
      metric,
      synthetic,
    });
    figures.set("bias-audit", biasAuditPlot(audit, { synthetic }));
    const folder = resolve(options.figuresDir ?? join(out, "figures"));
    for (const [name, figure] of figures) {
      files.push(await saveFigure(figure, join(folder, `${name}.svg`)));
      files.push(
        await saveFigure(
          figure,
          join(folder, `${name}.png`),
          options.pngWidth ? { width: options.pngWidth } : {},
        ),
      );
    }
  }
  log(`\nwrote ${files.length} files under ${out}`);
  return { agreement: agree, ceiling: ceil, altTest: alt, files };
}

const ALT_TEST_LINE = "The alternative annotator test (Calderon, Reichart & Dror 2025; " +
  "ε = 0.2, BY-corrected at q = 0.05): the judge passes when it beats at least half the physicians.";

/** The printed alt-test table: per task and judge, the verdict and why. */
export function altTestTable(verdict: pl.DataFrame): string {
  const rows = verdict.toRecords() as Record<string, unknown>[];
  const share = (x: unknown) => typeof x === "number" ? `${Math.round(100 * x)}%` : "—";
  const table = [["task", "judge", "physicians", "winning rate", "advantage", "verdict"]];
  for (const r of rows) {
    table.push([
      String(r.task),
      String(r.judge),
      String(r.n_physicians),
      share(r.winning_rate),
      typeof r.advantage_probability === "number" ? r.advantage_probability.toFixed(2) : "—",
      r.passed === true ? "passes" : r.passed === false ? "fails" : "none",
    ]);
  }
  const notes = rows.filter((r) => typeof r.note === "string")
    .map((r) => `  ${r.task} · ${r.judge}: ${r.note}`);
  return _textTable(table) + (notes.length > 0 ? `\n${notes.join("\n")}` : "");
}

function _textTable(table: string[][]): string {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row, k) =>
    row.map((cell, i) => i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ") +
    (k === 0 ? "\n" + widths.map((w) => "─".repeat(w)).join("  ") : "")
  ).join("\n");
}

/**
 * The printed table: per task and judge, the metric with its interval, the ceiling, the judge
 * on the ceiling's own pairs and the gap (= that − ceiling), with the number of cases; tasks
 * resting on few cases are flagged and a footnote says what that means.
 */
export function headline(agree: pl.DataFrame, ceil: pl.DataFrame, metric: string): string {
  const rows = agreementSummary(agree, ceil, metric).toRecords() as Record<string, unknown>[];
  const number = (x: unknown) => typeof x === "number" && Number.isFinite(x) ? x.toFixed(3) : "—";
  const interval = (e: unknown, l: unknown, u: unknown) =>
    e === null || e === undefined
      ? "—"
      : Number.isFinite(l as number)
      ? `${number(e)} [${number(l)}, ${number(u)}]`
      : `${number(e)} [no interval]`;
  const table = [[
    "task",
    "judge",
    "n",
    "cases",
    "failed",
    metric,
    "ceiling",
    "judge, same pairs",
    "judge − ceiling",
  ]];
  let few = false;
  for (const r of rows) {
    const cases = r.n_cases as number;
    few ||= cases < FEW_CASES;
    table.push([
      String(r.task),
      String(r.judge),
      String(r.n),
      cases < FEW_CASES ? `${cases} few` : String(cases),
      typeof r.failure_rate === "number" ? `${(100 * r.failure_rate).toFixed(1)}%` : "—",
      interval(r.estimate, r.lower, r.upper),
      interval(r.ceiling, r.ceiling_lower, r.ceiling_upper),
      number(r.judge_on_ceiling_pairs),
      interval(r.difference, r.difference_lower, r.difference_upper),
    ]);
  }
  const footnote = few
    ? `\nfew: under ${FEW_CASES} cases. Intervals over so few cases are wide and covered about ` +
      `90–95% in simulation; under 4 cases there is none, and the ceiling and the gap get one ` +
      `only from ${MIN_CEILING_INTERVAL_CASES} cases.`
    : "";
  return _textTable(table) + footnote;
}

/**
 * Runs the command line.
 *
 * @param args The arguments.
 * @returns The exit status.
 */
export async function main(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        trials: { type: "string" },
        dataset: { type: "string" },
        out: { type: "string" },
        metric: { type: "string" },
        resamples: { type: "string" },
        interval: { type: "string" },
        seed: { type: "string" },
        "no-figures": { type: "boolean" },
        "png-width": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.trials) {
    console.error(`--trials is required (a benchmark's output_dir)\n${USAGE}`);
    return 1;
  }
  const whole = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`--${name} must be a whole number ≥ 1, got ${text}`);
    }
    return n;
  };
  try {
    const resamples = whole("resamples", values.resamples);
    const seed = whole("seed", values.seed);
    const pngWidth = whole("png-width", values["png-width"]);
    const interval = values.interval;
    if (interval !== undefined && !["jackknife_t", "bca", "percentile"].includes(interval)) {
      throw new Error(`--interval must be jackknife_t, bca or percentile, got ${interval}`);
    }
    await report({
      trials: values.trials,
      ...(values.dataset ? { dataset: values.dataset } : {}),
      ...(values.out ? { out: values.out } : {}),
      ...(values.metric ? { metric: values.metric } : {}),
      ...(resamples ? { resamples } : {}),
      ...(interval ? { interval: interval as IntervalMethod } : {}),
      ...(seed === undefined ? {} : { seed }),
      ...(pngWidth ? { pngWidth } : {}),
      figures: !values["no-figures"],
    });
    return 0;
  } catch (error) {
    console.error(`report: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
