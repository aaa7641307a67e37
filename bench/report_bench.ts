/**
 * How long the full agreement report takes, as `deno task report` computes it: `agreement()` +
 * `ceiling()` with every metric and the default intervals over cases (the jackknife-t), the
 * alternative annotator test, cross-fitted calibration with the calibrated judge's agreement,
 * and the bias audit — on the synthetic `full` sample (5,250 entries, six tasks) judged by the
 * offline lexical judge, at 1× and 10× (52,500 entries). Also `agreement()` + `ceiling()` with
 * the 2,000-resample BCa bootstrap, the old default. Target: < 2 s at 1×, about linear at 10×.
 * Median of 3 runs; prints a markdown table.
 *
 * The trials frame is built in-process: each entry is judged with `lexicalJudge()` and the
 * rows are laid out as `loadTrials(dir, { dataset })` lays them out (judge, task, entry_id,
 * repeat, status, score, then the dataset's case_id, study, model, grade, max_score, raters,
 * rater_scores), which skips the ledger round trip (not what is measured here).
 *
 * "first run" is the first of the runs at that scale: at 1× it includes the JIT warming up
 * (the 10× runs come after the 1× ones in the same process, so theirs is warm).
 *
 * Usage: `deno run -A bench/report_bench.ts [--runs 3] [--only 1,10]`.
 *
 * @module
 */

import pl from "nodejs-polars";
import { cpus } from "node:os";
import { generateSample } from "../lib/sample/generate_sample.ts";
import { entriesFrame } from "../lib/data/entries_frame.ts";
import type { Entry } from "../lib/data/entry.ts";
import { lexicalJudge } from "../lib/judge/baseline_judge.ts";
import { getTask } from "../lib/tasks/tasks.ts";
import { taskInputs } from "../lib/tasks/task_inputs.ts";
import { agreement } from "../lib/stats/agreement.ts";
import { altTest } from "../lib/stats/alt_test.ts";
import { biasAudit } from "../lib/stats/bias_audit.ts";
import { calibrate } from "../lib/stats/calibrate.ts";
import { ceiling } from "../lib/stats/ceiling.ts";

const runs = Number(_flag("--runs") ?? 3);
const scales = (_flag("--only") ?? "1,10").split(",").map(Number);

function _flag(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

/** The trials frame of the lexical judge over `entries`, as `loadTrials()` would give it. */
async function _trials(entries: readonly Entry[]): Promise<pl.DataFrame> {
  const judge = lexicalJudge();
  const status: string[] = [], score: (number | null)[] = [];
  for (const entry of entries) {
    const j = await judge.judge(getTask(entry.benchmark), taskInputs(entry));
    status.push(j.status);
    score.push(j.status === "scored" ? j.score : null);
  }
  const dataset = entriesFrame(entries);
  return pl.DataFrame([
    pl.Series("judge", entries.map(() => "lexical"), pl.Utf8),
    pl.Series("task", entries.map((e) => e.benchmark), pl.Utf8),
    pl.Series("entry_id", entries.map((e) => e.id), pl.Utf8),
    pl.Series("repeat", entries.map(() => 0), pl.Int64),
    pl.Series("status", status, pl.Utf8),
    pl.Series("score", score, pl.Float64),
  ]).hstack(
    dataset.select("case_id", "study", "model", "grade", "max_score", "raters", "rater_scores"),
  );
}

function _median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Row {
  scale: number;
  entries: number;
  agreement: number;
  ceiling: number;
  additions: number;
  total: number;
  cold: number;
  bca: number;
  rows: number;
}

const results: Row[] = [];
for (const scale of scales) {
  const t0 = performance.now();
  const entries = generateSample({ size: "full", scale });
  const trials = await _trials(entries);
  const built = performance.now() - t0;
  const dataset = entriesFrame(entries);
  const a: number[] = [], c: number[] = [], x: number[] = [], b: number[] = [];
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const t1 = performance.now();
    const report = agreement(trials);
    const t2 = performance.now();
    const top = ceiling(trials);
    const t3 = performance.now();
    const alt = altTest(trials);
    const calibrated = agreement(calibrate(trials).trials, { score: "score_calibrated" });
    const audit = biasAudit(trials, { dataset });
    const t4 = performance.now();
    const bootstrap = { method: "bca" as const };
    agreement(trials, { bootstrap });
    ceiling(trials, { bootstrap });
    const t5 = performance.now();
    a.push(t2 - t1);
    c.push(t3 - t2);
    x.push(t4 - t3);
    b.push(t5 - t4);
    rows = report.height + top.height + alt.verdict.height + calibrated.height + audit.height;
  }
  const total = a.map((v, i) => v + c[i]! + x[i]!);
  results.push({
    scale,
    entries: entries.length,
    agreement: _median(a),
    ceiling: _median(c),
    additions: _median(x),
    total: _median(total),
    cold: total[0]!,
    bca: _median(b),
    rows,
  });
  console.error(`built ${entries.length} trials in ${(built / 1000).toFixed(1)} s`);
}

console.log(`cores: ${cpus().length}; Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`);
console.log("Every metric, jackknife-t intervals over cases, median of " + runs + " runs\n");
console.log(
  "| scale | entries | agreement() | ceiling() | altTest + calibrate + biasAudit | total | " +
    "first run | target | report rows | agreement + ceiling, 2,000 BCa resamples |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
const base = results.find((r) => r.scale === 1);
for (const r of results) {
  const target = r.scale === 1
    ? `< 2 s: ${r.total < 2000 ? "met" : "MISSED"}`
    : base
    ? `≈ ${r.scale}× of 1× (${(r.total / base.total).toFixed(1)}×)`
    : "linear";
  console.log(
    `| ${r.scale}× | ${r.entries} | ${(r.agreement / 1000).toFixed(2)} s | ${
      (r.ceiling / 1000).toFixed(2)
    } s | ${(r.additions / 1000).toFixed(2)} s | ${(r.total / 1000).toFixed(2)} s | ${
      (r.cold / 1000).toFixed(2)
    } s | ${target} | ${r.rows} | ${(r.bca / 1000).toFixed(2)} s |`,
  );
}
