import { _jackknifeT } from "./_jackknife_t.ts";
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { ceiling } from "./ceiling.ts";
import { pairedClusterBootstrap } from "./paired_cluster_bootstrap.ts";
import { clusterBootstrap } from "./cluster_bootstrap.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { _uniform } from "./_prng.ts";
import { agreement } from "./agreement.ts";
import { generateSample } from "../sample/generate_sample.ts";
import { entriesFrame } from "../data/entries_frame.ts";
import { loadTrials } from "../trials/load_trials.ts";
import { runBenchmark } from "../runner/run_benchmark.ts";

// Three items scored by three physicians (e3 by two), one with a single physician (e4, left
// out), one the judge failed (e5, left out of both sides for the judge).
const ITEMS = [
  { id: "e1", case_id: "c1", raters: ["p1", "p2", "p3"], scores: [2, 4, 3], good: 3, bad: 0 },
  { id: "e2", case_id: "c1", raters: ["p1", "p2", "p3"], scores: [5, 5, 2], good: 5, bad: 0 },
  { id: "e3", case_id: "c2", raters: ["p1", "p2"], scores: [0, 2], good: 1, bad: 5 },
  { id: "e4", case_id: "c3", raters: ["p1"], scores: [4], good: 4, bad: 4 },
  { id: "e5", case_id: "c3", raters: ["p1", "p2"], scores: [4, 4], good: null, bad: null },
];

function dataset(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("id", ITEMS.map((i) => i.id)),
    pl.Series("case_id", ITEMS.map((i) => i.case_id)),
    pl.Series("benchmark", ITEMS.map(() => "cpc_bond")),
    pl.Series("max_score", ITEMS.map(() => 5), pl.Float64),
    pl.Series("raters", ITEMS.map((i) => i.raters), pl.List(pl.Utf8)),
    pl.Series("rater_scores", ITEMS.map((i) => i.scores), pl.List(pl.Float64)),
  ]);
}

function trials(): pl.DataFrame {
  const rows = ["good", "bad"].flatMap((judge) => ITEMS.map((i) => ({ judge, ...i })));
  return pl.DataFrame([
    pl.Series("judge", rows.map((r) => r.judge)),
    pl.Series("task", rows.map(() => "cpc_bond")),
    pl.Series("entry_id", rows.map((r) => r.id)),
    pl.Series("repeat", rows.map(() => 0), pl.Int64),
    pl.Series(
      "status",
      rows.map((r) => (r.judge === "good" ? r.good : r.bad) === null ? "failed" : "scored"),
    ),
    pl.Series("score", rows.map((r) => r.judge === "good" ? r.good : r.bad), pl.Float64),
    pl.Series("case_id", rows.map((r) => r.case_id)),
    pl.Series(
      "grade",
      rows.map((r) => r.scores.reduce((a, b) => a + b, 0) / r.scores.length),
      pl.Float64,
    ),
    pl.Series("max_score", rows.map(() => 5), pl.Float64),
    pl.Series("raters", rows.map((r) => r.raters), pl.List(pl.Utf8)),
    pl.Series("rater_scores", rows.map((r) => r.scores), pl.List(pl.Float64)),
  ]);
}

function rowOf(frame: pl.DataFrame, judge: string | null, metric: string) {
  const rows = frame.toRecords() as Record<string, unknown>[];
  const row = rows.find((r) => r.judge === judge && r.metric === metric);
  assert.ok(row, `${judge} ${metric}`);
  return row;
}

Deno.test("ceiling() leave-one-physician-out by hand: judge vs the same mean of others", () => {
  const report = ceiling(trials(), { metrics: ["mae"], bootstrap: false, minItems: 2 });
  const good = rowOf(report, "good", "mae");
  // (h, mean of others): e1 (2, 3.5) (4, 2.5) (3, 3); e2 (5, 3.5) (5, 3.5) (2, 5);
  // e3 (0, 2) (2, 0). |h − others| = 1.5 + 1.5 + 0 + 1.5 + 1.5 + 3 + 2 + 2 = 13 over 8 pairs.
  assert.equal(good.ceiling, 13 / 8);
  assert.equal(good.pairs, 8);
  assert.equal(good.n_cases, 2);
  // The judge against the same references: 0.5 + 0.5 + 0 + 1.5 + 1.5 + 0 + 1 + 1 = 6 over 8.
  // Against the mean of ALL physicians (3, 4, 1: h included) it would be 3 / 8 — too kind.
  assert.equal(good.judge_estimate, 6 / 8);
  assert.notEqual(good.judge_estimate, 3 / 8);
  assert.equal(good.difference, 6 / 8 - 13 / 8);
  assert.equal(good.judge_lower, null);
});

Deno.test("ceiling() share of physicians beaten, with minItems", () => {
  const report = ceiling(trials(), { metrics: ["mae", "bias"], bootstrap: false, minItems: 2 });
  // Per physician MAE: p1 (1.5, 1.5, 2) = 5/3 vs judge (0.5, 1.5, 1) = 1; p2 5/3 vs 1;
  // p3 (0, 3) = 1.5 vs judge (0, 0) = 0: the good judge beats all three.
  const good = rowOf(report, "good", "mae");
  assert.equal(good.physicians, 3);
  assert.equal(good.share_beaten, 1);
  // The bad judge (0, 0, 5): p1's items |0 − 3.5| + |0 − 3.5| + |5 − 2| = 10/3 > 5/3, and so on.
  assert.equal(rowOf(report, "bad", "mae").share_beaten, 0);
  // Bias: closer to 0 beats. p1: h (−1.5 + 1.5 − 2)/3 = −2/3, good (−0.5 + 1.5 − 1)/3 = 0.
  // p3: h (0 − 3)/2 = −1.5, good (0 + 0)/2 = 0 → all beaten.
  assert.equal(rowOf(report, "good", "bias").share_beaten, 1);
  // minItems 3 leaves p3 (2 items) out.
  const strict = ceiling(trials(), { metrics: ["mae"], bootstrap: false, minItems: 3 });
  assert.equal(rowOf(strict, "good", "mae").physicians, 2);
});

Deno.test("ceiling() on a dataset frame: the ceiling only, every graded item", () => {
  const report = ceiling(dataset(), { metrics: ["mae", "exact"], bootstrap: false });
  const mae = rowOf(report, null, "mae");
  // The 8 pairs above plus e5's (4, 4) twice: 13 / 10.
  assert.equal(mae.ceiling, 1.3);
  assert.equal(mae.pairs, 10);
  assert.equal(mae.task, "cpc_bond");
  for (const c of ["judge_estimate", "difference", "difference_lower", "share_beaten"]) {
    assert.equal(mae[c], null, c);
  }
  // Exact: (3, 3) in e1 and e5's two pairs → 3 / 10.
  assert.equal(rowOf(report, null, "exact").ceiling, 0.3);
});

Deno.test("ceiling() judge − ceiling interval: pairedClusterBootstrap() of the plain MAE", () => {
  // 25 cases, 1–3 entries each, 2–4 physicians per entry, a judge with noise.
  const u = _uniform(77);
  const rows: Record<string, unknown>[] = [];
  for (let c = 0; c < 25; c++) {
    const k = 1 + Math.floor(u() * 3);
    for (let e = 0; e < k; e++) {
      const truth = Math.floor(u() * 11), m = 2 + Math.floor(u() * 3);
      const ids = ["p1", "p2", "p3", "p4"].slice(0, m);
      const scores = ids.map(() => Math.max(0, Math.min(10, truth + Math.floor(u() * 5) - 2)));
      rows.push({
        judge: "j",
        task: "r_idea",
        entry_id: `c${c}e${e}`,
        status: "scored",
        score: Math.max(0, Math.min(10, truth + Math.floor(u() * 3) - 1)),
        case_id: `c${c}`,
        max_score: 10,
        raters: ids,
        rater_scores: scores,
      });
    }
  }
  const frame = pl.DataFrame([
    ...["judge", "task", "entry_id", "status", "case_id"].map((c) =>
      pl.Series(c, rows.map((r) => r[c]), pl.Utf8)
    ),
    pl.Series("score", rows.map((r) => r.score), pl.Float64),
    pl.Series("max_score", rows.map((r) => r.max_score), pl.Float64),
    pl.Series("raters", rows.map((r) => r.raters), pl.List(pl.Utf8)),
    pl.Series("rater_scores", rows.map((r) => r.rater_scores), pl.List(pl.Float64)),
  ]);
  const settings = { resamples: 300, seed: 8 };
  const got = rowOf(
    ceiling(frame, { metrics: ["mae"], bootstrap: { ...settings, method: "bca" } }),
    "j",
    "mae",
  );
  // The same pairs, built independently: one per (entry, physician h).
  const pairs = rows.flatMap((r) => {
    const s = r.rater_scores as number[];
    return s.map((h) => ({
      case_id: r.case_id as string,
      h,
      judge: r.score as number,
      others: (s.reduce((a, b) => a + b, 0) - h) / (s.length - 1),
    }));
  });
  const mae = (pick: (p: typeof pairs[number]) => number) => (s: readonly typeof pairs[number][]) =>
    meanAbsoluteError(s.map(pick), s.map((p) => p.others));
  const expected = pairedClusterBootstrap(pairs, mae((p) => p.judge), mae((p) => p.h), {
    cluster: "case_id",
    ...settings,
  });
  const close = (a: unknown, b: number, what: string) =>
    assert.ok(Math.abs((a as number) - b) < 1e-9, `${what}: ${a} vs ${b}`);
  close(got.ceiling, expected.b.estimate, "ceiling");
  close(got.judge_estimate, expected.a.estimate, "judge");
  close(got.difference_lower, expected.difference.bca.lower, "difference lower");
  close(got.difference_upper, expected.difference.bca.upper, "difference upper");
  close(got.ceiling_lower, expected.b.bca.lower, "ceiling lower");
  close(got.judge_upper, expected.a.bca.upper, "judge upper");
  assert.equal(got.pairs, pairs.length);
  // The ceiling alone, on a percentile interval, matches clusterBootstrap() too.
  const pct = rowOf(
    ceiling(frame.drop("judge", "status", "score").rename({ task: "benchmark", entry_id: "id" }), {
      metrics: ["mae"],
      bootstrap: { ...settings, method: "percentile" },
    }),
    null,
    "mae",
  );
  const alone = clusterBootstrap(pairs, mae((p) => p.h), { cluster: "case_id", ...settings });
  close(pct.ceiling_lower, alone.percentile.lower, "percentile lower");
  // By default: the jackknife-t, the difference's from the paired leave-one-case-out values.
  const jk = rowOf(ceiling(frame, { metrics: ["mae"] }), "j", "mae");
  const cases = [...new Set(pairs.map((p) => p.case_id))];
  const diff = (s: readonly typeof pairs[number][]) => mae((p) => p.judge)(s) - mae((p) => p.h)(s);
  const leaveOut = cases.map((c) => diff(pairs.filter((p) => p.case_id !== c)));
  const jkExpected = _jackknifeT(diff(pairs), leaveOut, 0.95);
  close(jk.difference_lower, jkExpected.lower, "jackknife difference lower");
  close(jk.difference_upper, jkExpected.upper, "jackknife difference upper");
  assert.equal(jk.interval, "jackknife_t");
  assert.equal(jk.note, null); // 25 cases
});

Deno.test("ceiling() errors name the column, the metric and the option", () => {
  assert.throws(() => ceiling(dataset().drop("raters")), /"raters"/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => ceiling(dataset(), { metrics: ["auc" as any] }), /unknown metric "auc"/);
  assert.throws(() => ceiling(dataset(), { minItems: 0 }), /options\.minItems/);
  assert.throws(() => ceiling(dataset().head(0)), /frame is empty/);
});

Deno.test("ceiling() and agreement() read a loadTrials() frame of the offline lexical judge", async () => {
  const entries = generateSample(); // 360 synthetic entries, six tasks, 2–3 raters each
  const dir = await Deno.makeTempDir({ prefix: "preceptron-ceiling-" });
  try {
    await runBenchmark({
      output_dir: dir,
      tasks: [...new Set(entries.map((e) => e.benchmark))],
      models: [{ name: "lexical", provider: "offline", model_id: "lexical" }],
      threads: {},
      repeats: 1,
      budget: {},
    }, { entries, progress: "silent", log: () => {} });
    const trials = await loadTrials(dir, { dataset: entriesFrame(entries), onWarning: () => {} });
    const bootstrap = { resamples: 50 };
    const top = ceiling(trials, { metrics: ["mae", "spearman"], bootstrap });
    const alone = ceiling(entriesFrame(entries), { metrics: ["mae", "spearman"], bootstrap });
    const tasks = [...new Set(entries.map((e) => e.benchmark))].sort();
    assert.deepEqual([...new Set(top.getColumn("task").toArray())], tasks);
    const scored = new Set(
      trials.filter(pl.col("status").eq(pl.lit("scored"))).getColumn("entry_id")
        .toArray() as string[],
    );
    for (const task of tasks) {
      const graded = entries.filter((e) => e.benchmark === task && (e.grades?.length ?? 0) >= 2);
      const withJudge = graded.filter((e) => scored.has(e.id));
      const row = rowOf(top.filter(pl.col("task").eq(pl.lit(task))), "lexical", "mae");
      // One pair per (entry, physician) on the entries the judge scored.
      assert.equal(row.pairs, withJudge.reduce((s, e) => s + e.grades!.length, 0), task);
      const bare = rowOf(alone.filter(pl.col("task").eq(pl.lit(task))), null, "mae");
      assert.equal(bare.pairs, graded.reduce((s, e) => s + e.grades!.length, 0), task);
      if (withJudge.length === graded.length) assert.equal(row.ceiling, bare.ceiling, task);
      if ((row.n_cases as number) >= 20) {
        assert.ok(Number.isFinite(row.difference_lower as number), task);
      } else {
        assert.ok(Number.isNaN(row.difference_lower as number), task);
        assert.match(row.note as string, /too few for an interval on the ceiling/, task);
      }
    }
    const report = agreement(trials, { metrics: ["mae", "kappa"], bootstrap });
    assert.equal(report.height, tasks.length * 2 * 2); // (lexical + baseline) × 2 metrics
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A dataset frame of one task from per-entry rater lists. */
function panel(rows: { raters: string[]; scores: number[] }[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("id", rows.map((_, i) => `e${i}`)),
    pl.Series("case_id", rows.map((_, i) => `c${i}`)),
    pl.Series("benchmark", rows.map(() => "r_idea")),
    pl.Series("max_score", rows.map(() => 10), pl.Float64),
    pl.Series("raters", rows.map((r) => r.raters), pl.List(pl.Utf8)),
    pl.Series("rater_scores", rows.map((r) => r.scores), pl.List(pl.Float64)),
  ]);
}

/** The same panel as trials of judge "j", with the given statuses and scores. */
function panelTrials(
  rows: { raters: string[]; scores: number[] }[],
  status: string[],
  score: (number | null)[],
): pl.DataFrame {
  return panel(rows).rename({ id: "entry_id", benchmark: "task" }).withColumns(
    pl.Series("judge", rows.map(() => "j")),
    pl.Series("status", status),
    pl.Series("score", score, pl.Float64),
  );
}

Deno.test("ceiling() keeps a row with NaN and the reason when a task has no leave-one-out pair", () => {
  const one = panel([{ raters: ["p1"], scores: [4] }, { raters: ["p1"], scores: [6] }]);
  const apart = panel([{ raters: ["p1"], scores: [4] }, { raters: ["p2"], scores: [6] }]);
  const two = [{ raters: ["p1", "p2"], scores: [4, 6] }, { raters: ["p1", "p2"], scores: [5, 5] }];
  for (
    const [frame, reason] of [
      [one, "only one physician scored these entries"],
      [apart, "no entry has two physicians' scores"],
      [panelTrials(two, ["failed", "failed"], [null, null]), "the judge failed every judgement"],
      [panelTrials(two, ["scored", "scored"], [NaN, Infinity]), "the judge failed every judgement"],
    ] as const
  ) {
    for (const bootstrap of [false, undefined] as const) {
      const rows = ceiling(frame, {
        metrics: ["mae", "pearson"],
        ...(bootstrap === false ? { bootstrap } : {}),
      }).toRecords();
      assert.equal(rows.length, 2, reason);
      for (const row of rows) {
        assert.equal(row.task, "r_idea");
        assert.ok(Number.isNaN(row.ceiling), reason);
        assert.equal(row.pairs, 0);
        assert.equal(row.note, reason);
        if (bootstrap === undefined) assert.ok(Number.isNaN(row.ceiling_lower));
      }
    }
  }
});

Deno.test("ceiling() counts NaN and ±Infinity judge scores as failures, and says why a metric is NaN", () => {
  const rows = [0, 1, 2, 3].map((k) => ({ raters: ["p1", "p2"], scores: [k, k + 1] }));
  const frame = panelTrials(rows, Array(4).fill("scored"), [1, 2, NaN, -Infinity]);
  const row = ceiling(frame, { metrics: ["mae"], bootstrap: false }).toRecords()[0]!;
  assert.equal(row.pairs, 4); // e0 and e1, two physicians each
  assert.equal(
    row.note,
    "the judge failed 2 of 4 judgements (their entries are left out of both sides)",
  );
  const constant = panel([{ raters: ["p1", "p2"], scores: [3, 3] }, {
    raters: ["p1", "p2"],
    scores: [3, 3],
  }]);
  assert.equal(
    ceiling(constant, { metrics: ["pearson"], bootstrap: false }).toRecords()[0]!.note,
    "constant physician scores and constant reference (the other physicians' mean): " +
      "correlation undefined",
  );
});
