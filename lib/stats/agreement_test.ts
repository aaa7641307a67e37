import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { agreement, CONSTANT_BASELINE, METRIC_NAMES } from "./agreement.ts";
import { clusterBootstrap } from "./cluster_bootstrap.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { cohenKappa } from "./cohen_kappa.ts";

/** A small Bond trials frame: judge "a" (two repeats of e1, a failure on e4), judge "b". */
function bondTrials(): pl.DataFrame {
  return pl.DataFrame({
    judge: ["a", "a", "a", "a", "a", "b", "b", "b", "b"],
    task: Array(9).fill("cpc_bond"),
    entry_id: ["e1", "e1", "e2", "e3", "e4", "e1", "e2", "e3", "e4"],
    repeat: [0, 1, 0, 0, 0, 0, 0, 0, 0],
    status: [
      "scored",
      "scored",
      "scored",
      "scored",
      "failed",
      "scored",
      "scored",
      "failed",
      "scored",
    ],
    score: [4, 5, 2, 0, null, 3, 3, null, 2.5],
    grade: [5, 5, 3, 0, 2, 5, 3, 0, 2],
    max_score: Array(9).fill(5),
    case_id: ["c1", "c1", "c1", "c2", "c3", "c1", "c1", "c2", "c3"],
    study: ["s1", "s1", "s1", "s2", "s2", "s1", "s1", "s2", "s2"],
  });
}

function records(frame: pl.DataFrame) {
  return frame.toRecords() as Record<string, unknown>[];
}

function value(frame: pl.DataFrame, judge: string, metric: string): number {
  const row = records(frame).find((r) => r.judge === judge && r.metric === metric);
  assert.ok(row, `${judge} ${metric}`);
  return row.estimate as number;
}

Deno.test("agreement() columns, order and hand-worked values", () => {
  const report = agreement(bondTrials(), { bootstrap: false });
  assert.equal(
    report.columns.join(","),
    "task,judge,metric,estimate,lower,upper,interval,n,n_cases,judgements,failed,failure_rate,scale,note",
  );
  // Judge a: e1 mean of 4 and 5 = 4.5 (grade 5), e2 2 (3), e3 0 (0); e4 failed.
  // |d| = 0.5, 1, 0 → MAE 0.5; bias −0.5; exact 1/3; within one 1; RMSE √(1.25/3).
  assert.equal(value(report, "a", "mae"), 0.5);
  assert.equal(value(report, "a", "bias"), -0.5);
  assert.equal(value(report, "a", "exact"), 1 / 3);
  assert.equal(value(report, "a", "within_one"), 1);
  assert.ok(Math.abs(value(report, "a", "rmse") - Math.sqrt(1.25 / 3)) < 1e-12);
  assert.ok(Math.abs(value(report, "a", "mae_share") - 0.1) < 1e-12);
  // κ on the values (0, 2, 3, 4.5, 5 observed), by the plain function.
  assert.ok(
    Math.abs(
      value(report, "a", "kappa_linear") - cohenKappa([4.5, 2, 0], [5, 3, 0], {
        weights: "linear",
      }),
    ) < 1e-12,
  );
  const a = records(report).find((r) => r.judge === "a")!;
  assert.equal(a.task, "cpc_bond");
  assert.equal(a.n, 3);
  assert.equal(a.n_cases, 2);
  assert.equal(a.judgements, 5);
  assert.equal(a.failed, 1);
  assert.equal(a.failure_rate, 0.2);
  assert.equal(a.scale, "points");
  assert.equal(a.lower, null);
  // Judge b: e1 3 (5), e2 3 (3), e4 2.5 (2): MAE (2 + 0 + 0.5) / 3.
  assert.equal(value(report, "b", "mae"), 2.5 / 3);
  // Every metric, judges in order, the baseline last.
  assert.deepEqual(
    [...new Set(records(report).map((r) => r.judge))],
    ["a", "b", CONSTANT_BASELINE],
  );
  assert.deepEqual(
    records(report).filter((r) => r.judge === "a").map((r) => r.metric),
    [...METRIC_NAMES],
  );
});

Deno.test("agreement() never scores a failed judgement, whatever its score cell holds", () => {
  const trials = bondTrials();
  // A failed row carrying a stray score must still not count (the ledger gives null; a
  // hand-built frame might not).
  const stray = trials.withColumns(
    pl.when(pl.col("status").eq(pl.lit("failed"))).then(pl.lit(0)).otherwise(pl.col("score"))
      .alias("score"),
  );
  const plain = agreement(trials, { bootstrap: false, baselines: false });
  const withStray = agreement(stray, { bootstrap: false, baselines: false });
  assert.deepEqual(
    withStray.getColumn("estimate").toArray(),
    plain.getColumn("estimate").toArray(),
  );
  // A judge that failed everything keeps its rows: n = 0, NaN estimates, failure rate 1.
  const allFailed = pl.DataFrame({
    judge: ["z", "z"],
    task: ["r_idea", "r_idea"],
    entry_id: ["e1", "e2"],
    status: ["failed", "failed"],
    score: [null, null],
    grade: [8, 6],
    max_score: [10, 10],
    case_id: ["c1", "c2"],
  });
  const r = records(agreement(allFailed, { metrics: ["mae"], baselines: false }))[0]!;
  assert.equal(r.n, 0);
  assert.ok(Number.isNaN(r.estimate as number));
  assert.equal(r.failure_rate, 1);
});

Deno.test("agreement() repeats: the mean of a judge's repeats, or the first scored one", () => {
  const mean = agreement(bondTrials(), { metrics: ["mae"], bootstrap: false });
  const first = agreement(bondTrials(), { metrics: ["mae"], bootstrap: false, repeats: "first" });
  assert.equal(value(mean, "a", "mae"), 0.5); // e1: |4.5 − 5|
  assert.equal(value(first, "a", "mae"), (1 + 1 + 0) / 3); // e1: |4 − 5|
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => agreement(bondTrials(), { repeats: "last" as any }),
    /options\.repeats must be "mean" or "first"/,
  );
});

Deno.test("agreement() constant baseline: the task's mode for every entry, in-sample", () => {
  const report = agreement(bondTrials(), { bootstrap: false });
  // Distinct graded entries e1..e4 have grades 5, 3, 0, 2: a four-way tie, smallest mode 0.
  // |0 − 5| + |0 − 3| + 0 + |0 − 2| = 10 over 4 entries.
  assert.equal(value(report, CONSTANT_BASELINE, "mae"), 2.5);
  assert.ok(Number.isNaN(value(report, CONSTANT_BASELINE, "pearson")));
  assert.ok(Number.isNaN(value(report, CONSTANT_BASELINE, "spearman")));
  // A constant rater agrees at chance level exactly: κ = 0, not rounding noise.
  assert.equal(value(report, CONSTANT_BASELINE, "kappa_quadratic"), 0);
  assert.equal(value(report, CONSTANT_BASELINE, "kappa"), 0);
  const base = records(report).find((r) => r.judge === CONSTANT_BASELINE)!;
  assert.equal(base.judgements, 4);
  assert.equal(base.failed, 0);
  const none = agreement(bondTrials(), { bootstrap: false, baselines: false });
  assert.ok(!records(none).some((r) => r.judge === CONSTANT_BASELINE));
});

Deno.test("agreement() without task pools tasks on the share scale", () => {
  const trials = pl.concat([
    bondTrials().drop("study"),
    pl.DataFrame({
      judge: ["a", "a"],
      task: ["r_idea", "r_idea"],
      entry_id: ["r1", "r2"],
      repeat: [0, 0],
      status: ["scored", "scored"],
      score: [8, 4],
      grade: [10, 4],
      max_score: [10, 10],
      case_id: ["c9", "c9"],
    }),
  ], { how: "vertical" });
  const report = agreement(trials, { by: ["judge"], bootstrap: false, baselines: false });
  const a = records(report).filter((r) => r.judge === "a");
  assert.ok(a.every((r) => r.task === "all" && r.scale === "share"));
  assert.ok(!a.some((r) => ["exact", "within_one", "kappa"].includes(r.metric as string)));
  // Shares: Bond |0.9 − 1|, |0.4 − 0.6|, 0 and R-IDEA |0.8 − 1|, 0 → 0.5 / 5.
  assert.ok(Math.abs((a.find((r) => r.metric === "mae")!.estimate as number) - 0.1) < 1e-12);
  assert.equal(a[0]!.n, 5);
  assert.equal(a[0]!.n_cases, 3);
});

Deno.test("agreement() splits by extra columns after task and judge", () => {
  const report = agreement(bondTrials(), {
    by: ["judge", "task", "study"],
    metrics: ["mae"],
    bootstrap: false,
    baselines: false,
  });
  assert.deepEqual(report.columns.slice(0, 4), ["task", "judge", "study", "metric"]);
  const rows = records(report).filter((r) => r.judge === "a");
  assert.deepEqual(rows.map((r) => [r.study, r.n, r.estimate]), [["s1", 2, 0.75], ["s2", 1, 0]]);
});

Deno.test("agreement() intervals: clusterBootstrap() of the plain function over case_id", () => {
  // 30 cases of 1–3 entries, a lenient judge with noise.
  const n = 70;
  const grade = Array.from({ length: n }, (_, i) => (i * 7) % 6);
  const score = grade.map((g, i) => Math.min(5, g + ((i * 13) % 3) - 0.5 * (i % 2)));
  const caseId = Array.from({ length: n }, (_, i) => `c${Math.floor((i * 30) / n)}`);
  const trials = pl.DataFrame({
    judge: Array(n).fill("j"),
    task: Array(n).fill("r_idea"),
    entry_id: grade.map((_, i) => `e${i}`),
    status: Array(n).fill("scored"),
    score,
    grade,
    max_score: Array(n).fill(10),
    case_id: caseId,
  });
  const settings = { resamples: 400, seed: 3, level: 0.9, method: "bca" as const };
  const row = records(
    agreement(trials, { metrics: ["mae"], baselines: false, bootstrap: settings }),
  )[0]!;
  const rows = grade.map((g, i) => ({ case_id: caseId[i]!, j: score[i]!, p: g }));
  const expected = clusterBootstrap(
    rows,
    (s) => meanAbsoluteError(s.map((r) => r.j), s.map((r) => r.p)),
    { cluster: "case_id", ...settings },
  );
  assert.ok(Math.abs((row.lower as number) - expected.bca.lower) < 1e-9);
  assert.ok(Math.abs((row.upper as number) - expected.bca.upper) < 1e-9);
  assert.equal(row.n_cases, 30);
  const percentile = records(agreement(trials, {
    metrics: ["mae"],
    baselines: false,
    bootstrap: { ...settings, method: "percentile" },
  }))[0]!;
  assert.ok(Math.abs((percentile.lower as number) - expected.percentile.lower) < 1e-9);
});

Deno.test("agreement() intervals by default: the cluster jackknife-t over case_id, on the metric's scale, with a note on few cases", () => {
  // 6 cases: the MAE's interval is exp(log MAE ± t₀.₉₇₅(5) · SE_jack of log MAE), where the
  // leave-one-case-out values come from the plain function.
  const cases = ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e", "f", "f"];
  const grade = [1, 3, 0, 2, 4, 4, 5, 2, 1, 1, 3, 0];
  const score = [2, 3, 1, 0, 4, 5, 3, 2, 1, 3, 3, 2];
  const trials = pl.DataFrame({
    judge: Array(12).fill("j"),
    task: Array(12).fill("cpc_management"),
    entry_id: grade.map((_, i) => `e${i}`),
    status: Array(12).fill("scored"),
    score,
    grade,
    max_score: Array(12).fill(5),
    case_id: cases,
  });
  const row = records(agreement(trials, { metrics: ["mae"], baselines: false }))[0]!;
  const mae = (keep: (i: number) => boolean) => {
    const idx = grade.map((_, i) => i).filter(keep);
    return meanAbsoluteError(idx.map((i) => score[i]!), idx.map((i) => grade[i]!));
  };
  const leaveOut = [..."abcdef"].map((c) => Math.log(mae((i) => cases[i] !== c)));
  const mean = leaveOut.reduce((a, b) => a + b) / 6;
  const se = Math.sqrt((5 / 6) * leaveOut.reduce((a, b) => a + (b - mean) ** 2, 0));
  const t = 2.5705818356363146; // scipy.stats.t.ppf(0.975, 5)
  assert.ok(Math.abs((row.lower as number) - Math.exp(Math.log(mae(() => true)) - t * se)) < 1e-9);
  assert.ok(Math.abs((row.upper as number) - Math.exp(Math.log(mae(() => true)) + t * se)) < 1e-9);
  assert.equal(row.interval, "jackknife_t");
  assert.equal(row.note, "few cases (6): the interval covers about 90–95%");
  // Three cases: no interval, and the note says why.
  const three = trials.filter(pl.col("case_id").isIn(["a", "b", "c"]));
  const few = records(agreement(three, { metrics: ["mae"], baselines: false }))[0]!;
  assert.ok(Number.isNaN(few.lower as number) && Number.isNaN(few.upper as number));
  assert.equal(few.note, "3 cases: too few for an interval (needs 4)");
});

Deno.test("agreement() reads another score column: the calibrated judge beside the raw one", () => {
  const trials = bondTrials().withColumns(pl.col("score").mul(0).alias("score_calibrated"));
  const raw = records(agreement(trials, { metrics: ["mae"], bootstrap: false, baselines: false }));
  const calibrated = records(agreement(trials, {
    metrics: ["mae"],
    bootstrap: false,
    baselines: false,
    score: "score_calibrated",
  }));
  assert.equal(raw[0]!.estimate, 0.5);
  // Judge a's grades 5, 3, 0 against a calibrated 0 everywhere: MAE 8/3.
  assert.equal(calibrated[0]!.estimate, 8 / 3);
  assert.throws(
    () => agreement(trials, { score: "score_recalibrated" }),
    /"score_recalibrated"/,
  );
});

Deno.test("agreement() errors name the metric, the column, or the empty frame", () => {
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => agreement(bondTrials(), { metrics: ["mae", "accuracy" as any] }),
    /unknown metric "accuracy"/,
  );
  assert.throws(() => agreement(bondTrials().drop("grade", "case_id")), /"grade", "case_id"/);
  assert.throws(() => agreement(bondTrials(), { by: ["judge", "model"] }), /"model"/);
  assert.throws(() => agreement(bondTrials().head(0)), /trials is empty/);
  assert.throws(
    () => agreement(bondTrials().withColumns(pl.lit(null).cast(pl.Utf8).alias("case_id"))),
    /has no case_id/,
  );
});

/** One judge's trials on one task: a score per entry, each entry its own case. */
function oneJudge(scores: (number | null)[], grades: number[], status?: string[]): pl.DataFrame {
  const n = scores.length;
  return pl.DataFrame([
    pl.Series("judge", Array(n).fill("j")),
    pl.Series("task", Array(n).fill("cpc_bond")),
    pl.Series("entry_id", scores.map((_, i) => `e${i}`)),
    pl.Series("status", status ?? Array(n).fill("scored")),
    pl.Series("score", scores, pl.Float64),
    pl.Series("grade", grades, pl.Float64),
    pl.Series("max_score", Array(n).fill(5), pl.Float64),
    pl.Series("case_id", scores.map((_, i) => `c${i}`)),
  ]);
}

Deno.test("agreement() counts NaN and ±Infinity scores as failures, never as scores", () => {
  const trials = oneJudge([1, 2, NaN, Infinity, -Infinity, null, 4], [1, 2, 3, 4, 5, 0, 4]);
  const row = agreement(trials, { metrics: ["mae"], bootstrap: false, baselines: false })
    .toRecords()[0]!;
  assert.deepEqual([row.n, row.judgements, row.failed], [3, 7, 4]);
  assert.equal(row.failure_rate, 4 / 7);
  assert.equal(row.estimate, 0);
});

Deno.test("agreement() says why a metric has no value, from the pairs", () => {
  const note = (trials: pl.DataFrame, metric: string, bootstrap = false as const) =>
    agreement(trials, {
      metrics: [metric as "pearson"],
      bootstrap,
      baselines: false,
    }).toRecords()[0]!.note;
  assert.equal(
    note(oneJudge([3, 3, 3, 3], [1, 2, 4, 5]), "pearson"),
    "a constant judge: correlation undefined",
  );
  assert.equal(
    note(oneJudge([1, 2, 3, 4], [2, 2, 2, 2]), "spearman"),
    "constant physician grades: correlation undefined",
  );
  assert.equal(note(oneJudge([2, 2, 2], [2, 2, 2]), "kappa"), "one category only: κ undefined");
  assert.equal(
    note(oneJudge([2, null], [3, 1], ["scored", "failed"]), "pearson"),
    "fewer than 2 pairs",
  );
  assert.equal(
    note(oneJudge([2, 2, 2], [2, 2, 2]), "icc_a1"),
    "every score the same value: ICC undefined",
  );
  // A defined metric has no reason; the reason follows the case-count note, joined by "; ".
  assert.equal(note(oneJudge([1, 2, 4], [1, 3, 4]), "pearson"), null);
  const withIntervals = agreement(oneJudge([3, 3, 3], [1, 2, 4]), {
    metrics: ["pearson", "mae"],
    baselines: false,
  }).toRecords();
  assert.equal(
    withIntervals[0]!.note,
    "3 cases: too few for an interval (needs 4); a constant judge: correlation undefined",
  );
  assert.equal(withIntervals[1]!.note, "3 cases: too few for an interval (needs 4)");
});

Deno.test("agreement() says when a task's entries have different maxima (rubrics of 4 and 7 points)", () => {
  const trials = pl.DataFrame({
    judge: ["j", "j", "j", "j"],
    task: Array(4).fill("management_reasoning"),
    entry_id: ["a", "b", "c", "d"],
    status: Array(4).fill("scored"),
    score: [3, 4, 6, 2],
    grade: [4, 4, 5, 2],
    max_score: [4, 4, 7, 7],
    case_id: ["w", "x", "y", "z"],
  });
  const [row] = records(agreement(trials, { metrics: ["mae"], baselines: false }));
  assert.match(
    row!.note as string,
    /max_score varies \(4–7\): points pool different scales; read mae_share/,
  );
  const same = trials.withColumns(pl.lit(7).alias("max_score"));
  assert.doesNotMatch(
    String(records(agreement(same, { metrics: ["mae"], baselines: false }))[0]!.note),
    /max_score varies/,
  );
});
