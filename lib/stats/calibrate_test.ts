import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { calibrate } from "./calibrate.ts";
import { isotonicPredict } from "./isotonic_regression.ts";
import { _uniform } from "./_prng.ts";

interface Simulation {
  /** Number of cases. */
  cases: number;
  /** Responses per case. */
  perCase: number;
  seed: number;
  /** The judge's score of a response with this grade (0–10), given a uniform stream. */
  judge: (grade: number, u: () => number, caseIndex: number) => number;
  name?: string;
}

/** A seeded trials frame: one judge, task r_idea (0–10), integer grades. */
function simulate(s: Simulation): pl.DataFrame {
  const u = _uniform(s.seed);
  const rows: Record<string, unknown>[] = [];
  for (let c = 0; c < s.cases; c++) {
    for (let k = 0; k < s.perCase; k++) {
      const grade = Math.floor(u() * 11);
      rows.push({
        judge: s.name ?? "j",
        task: "r_idea",
        entry_id: `e${c}-${k}`,
        repeat: 0,
        status: "scored",
        score: s.judge(grade, u, c),
        grade,
        max_score: 10,
        case_id: `case-${String(c).padStart(2, "0")}`,
      });
    }
  }
  return pl.DataFrame(rows);
}

/** Mean loss(column − grade) over the rows where both are numbers. */
function meanLoss(frame: pl.DataFrame, column: string, loss: (d: number) => number): number {
  let sum = 0, n = 0;
  for (const r of frame.toRecords() as Record<string, unknown>[]) {
    const s = r[column], g = r.grade;
    if (typeof s === "number" && typeof g === "number" && Number.isFinite(s + g)) {
      sum += loss(s - g), n++;
    }
  }
  return sum / n;
}
const mae = (frame: pl.DataFrame, column: string) => meanLoss(frame, column, Math.abs);
const rmse = (frame: pl.DataFrame, column: string) =>
  Math.sqrt(meanLoss(frame, column, (d) => d * d));

const clamp = (v: number) => Math.min(10, Math.max(0, v));
/** −1, 0 or +1 with probabilities ¼, ½, ¼. */
const noise = (u: () => number) => {
  const d = u();
  return d < 0.25 ? -1 : d < 0.75 ? 0 : 1;
};

Deno.test("calibrate() maps a monotone distortion back: out-of-fold MAE falls clearly", () => {
  const judges: [string, Simulation["judge"]][] = [
    ["grade² / max", (g) => Math.round(g * g / 10)],
    ["compressed to 3–7", (g) => Math.round(3 + 0.4 * g)],
    ["squared, with noise", (g, u) => clamp(Math.round(g * g / 10) + noise(u))],
  ];
  for (const [name, judge] of judges) {
    for (const seed of [1, 2, 3]) {
      const trials = simulate({ cases: 12, perCase: 15, seed, judge });
      const out = calibrate(trials, { seed }).trials;
      const raw = mae(out, "score"), calibrated = mae(out, "score_calibrated");
      assert.ok(calibrated < 0.6 * raw, `${name}, seed ${seed}: ${calibrated} vs raw ${raw}`);
      assert.ok(raw - calibrated > 0.4, `${name}, seed ${seed}: ${calibrated} vs raw ${raw}`);
    }
  }
});

Deno.test("calibrate() does not make an already calibrated judge worse beyond noise", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const trials = simulate({ cases: 12, perCase: 15, seed, judge: (g, u) => clamp(g + noise(u)) });
    const out = calibrate(trials, { seed }).trials;
    const raw = mae(out, "score"), calibrated = mae(out, "score_calibrated");
    // Raw MAE is about 0.45 points. The map estimates conditional MEANS from 180 pairs, so its
    // MAE is a little higher (in 30 seeds: +0.07 to +0.12 points, 1% of the 0–10 scale; +0.05
    // with 900 pairs); in squared error, what isotonic regression minimises, it is no worse.
    assert.ok(calibrated < raw + 0.15, `seed ${seed}: MAE ${calibrated} vs raw ${raw}`);
    const rawRmse = rmse(out, "score"), calibratedRmse = rmse(out, "score_calibrated");
    assert.ok(calibratedRmse < rawRmse + 0.05, `seed ${seed}: ${calibratedRmse} vs ${rawRmse}`);
  }
});

Deno.test("calibrate() never calibrates a case on its own pairs", () => {
  // Case c: every response scored c by the judge and graded c + 0.4 (c odd) or c (c even).
  // Fitted on every case, the map returns each case's own grade exactly; fitted without the
  // case, it interpolates between the neighbours, 0.4 away (the end cases are clamped).
  const rows = Array.from({ length: 40 }, (_, i) => {
    const c = i % 10;
    return {
      judge: "j",
      task: "r_idea",
      status: "scored",
      score: c,
      grade: c + (c % 2 === 1 ? 0.4 : 0),
      max_score: 10,
      case_id: `case-${c}`,
    };
  });
  const trials = pl.DataFrame(rows);
  const { trials: loco, maps } = calibrate(trials, { folds: 10 });
  for (const r of rows) {
    assert.ok(Math.abs(isotonicPredict(maps[0]!, r.score / 10) * 10 - r.grade) < 1e-12);
  }
  const calibrated = loco.getColumn("score_calibrated").toArray() as number[];
  calibrated.forEach((v, i) => {
    const r = rows[i]!;
    const expected = r.score === 0 ? 1.4 : r.score === 9 ? 8 : r.score + (r.score % 2 ? 0 : 0.4);
    assert.ok(Math.abs(v - expected) < 1e-12, `case ${r.score}: ${v}`);
  });
  // With 5 folds of 2 cases each, no response gets its own case's grade either.
  const fivefold = calibrate(trials, { folds: 5, seed: 3 }).trials;
  const values = fivefold.getColumn("score_calibrated").toArray() as number[];
  values.forEach((v, i) => assert.ok(Math.abs(v - rows[i]!.grade) > 0.1, `row ${i}: ${v}`));
});

Deno.test("calibrate() deals every case to one fold: the same case, the same map", () => {
  const trials = simulate({ cases: 7, perCase: 6, seed: 9, judge: (g) => Math.round(g / 2) });
  const out = calibrate(trials, { folds: 3 }).trials.toRecords() as Record<string, unknown>[];
  // Within a case, equal scores get equal calibrated scores (one map per case).
  const seen = new Map<string, unknown>();
  for (const r of out) {
    const key = `${r.case_id}|${r.score}`;
    if (seen.has(key)) assert.equal(r.score_calibrated, seen.get(key));
    seen.set(key, r.score_calibrated);
  }
});

Deno.test("calibrate() leaves failed judgements null and calibrates ungraded entries", () => {
  const graded = simulate({ cases: 6, perCase: 8, seed: 4, judge: (g) => Math.round(g * g / 10) });
  const extra = pl.DataFrame({
    judge: ["j", "j", "j", "j"],
    task: Array(4).fill("r_idea"),
    entry_id: ["new-1", "new-2", "new-3", "fail"],
    repeat: [0, 0, 0, 0],
    status: ["scored", "scored", "scored", "failed"],
    score: [0, 10, 4, null],
    grade: [null, NaN, null, 5], // new model's responses: no physician grade
    max_score: [10, 10, 10, 10],
    case_id: ["case-00", "case-03", "case-05", "case-01"],
  });
  const both = calibrate(pl.concat([graded, extra], { how: "vertical" })).trials;
  const alone = calibrate(graded).trials;
  const values = both.getColumn("score_calibrated").toArray() as (number | null)[];
  // Ungraded entries are not fitted: the graded entries' calibration is unchanged.
  assert.deepEqual(values.slice(0, graded.height), alone.getColumn("score_calibrated").toArray());
  // They are calibrated by their case's map, as that case's graded responses with the same score.
  const sameCase = (c: string, score: number) =>
    (alone.toRecords() as Record<string, unknown>[]).find((r) =>
      r.case_id === c && r.score === score
    )?.score_calibrated;
  assert.equal(values[graded.height], sameCase("case-00", 0));
  assert.equal(values[graded.height + 1], sameCase("case-03", 10));
  assert.ok(Number.isFinite(values[graded.height + 2]));
  assert.equal(values[graded.height + 3], null); // failed: never a score
});

Deno.test("calibrate() calibrates each judge × task on its own", () => {
  const a = simulate({ cases: 8, perCase: 10, seed: 5, name: "a", judge: (g) => 10 - g / 2 });
  const b = simulate({ cases: 8, perCase: 10, seed: 6, name: "b", judge: (g) => g * g / 10 });
  const bOther = b.withColumn(pl.lit("other_task").alias("task"));
  const together = calibrate(pl.concat([a, b, bOther]), { seed: 2 });
  for (const [alone, from] of [[a, 0], [b, a.height], [bOther, a.height + b.height]] as const) {
    assert.deepEqual(
      together.trials.getColumn("score_calibrated").toArray().slice(from, from + alone.height),
      calibrate(alone, { seed: 2 }).trials.getColumn("score_calibrated").toArray(),
    );
  }
  assert.deepEqual(
    together.maps.map((m) => [m.task, m.judge, m.n, m.n_cases]),
    [["other_task", "b", 80, 8], ["r_idea", "a", 80, 8], ["r_idea", "b", 80, 8]],
  );
  // Judge a scores in reverse: isotonic (non-decreasing) can only pool it flat.
  assert.equal(new Set(together.maps[1]!.y).size, 1);
});

Deno.test("calibrate() fits on the share scale when max_score varies within a task", () => {
  // Every case has a response at a quarter of its maximum (graded half) and one at three
  // quarters (graded full marks), on maxima 4 and 8.
  const trials = pl.DataFrame({
    judge: Array(8).fill("j"),
    task: Array(8).fill("management_reasoning"),
    status: Array(8).fill("scored"),
    score: [1, 6, 2, 3, 1, 6, 2, 3],
    grade: [2, 8, 4, 4, 2, 8, 4, 4],
    max_score: [4, 8, 8, 4, 4, 8, 8, 4],
    case_id: ["a", "a", "b", "b", "c", "c", "d", "d"],
  });
  const { trials: out, maps } = calibrate(trials);
  assert.deepEqual(maps[0], {
    judge: "j",
    task: "management_reasoning",
    x: [0.25, 0.75],
    y: [0.5, 1],
    n: 8,
    n_cases: 4,
    failed: 0, // the new count of failed judgements (none here)
  });
  // Back in points: each entry's share times its own maximum.
  assert.deepEqual(out.getColumn("score_calibrated").toArray(), [2, 8, 4, 4, 2, 8, 4, 4]);
});

Deno.test("calibrate() gives null where no other case has a graded pair", () => {
  const trials = pl.DataFrame({
    judge: ["j", "j"],
    task: ["r_idea", "r_idea"],
    status: ["scored", "scored"],
    score: [3, 4],
    grade: [4, 5],
    max_score: [10, 10],
    case_id: ["only", "only"],
  });
  const { trials: out, maps } = calibrate(trials);
  assert.deepEqual(out.getColumn("score_calibrated").toArray(), [null, null]);
  assert.deepEqual([maps[0]!.x, maps[0]!.y], [[0.3, 0.4], [0.4, 0.5]]);
});

Deno.test("calibrate() is seeded: the same seed gives the same folds", () => {
  const trials = simulate({ cases: 10, perCase: 6, seed: 8, judge: (g, u) => clamp(g + noise(u)) });
  const run = (seed: number) =>
    calibrate(trials, { seed }).trials.getColumn("score_calibrated").toArray();
  assert.deepEqual(run(11), run(11));
  assert.notDeepEqual(run(11), run(12));
});

Deno.test("calibrate() names bad options and missing columns in a RangeError", () => {
  const trials = simulate({ cases: 3, perCase: 2, seed: 1, judge: (g) => g });
  const rangeError = (pattern: RegExp) => (e: unknown) =>
    e instanceof RangeError && pattern.test(e.message);
  assert.throws(
    () => calibrate(trials, { folds: 1 }),
    rangeError(/calibrate\(\): options\.folds must be an integer ≥ 2, got 1/),
  );
  assert.throws(() => calibrate(trials, { folds: 2.5 }), rangeError(/options\.folds.*2\.5/));
  assert.throws(() => calibrate(trials, { seed: 0.5 }), rangeError(/options\.seed/));
  assert.throws(
    () => calibrate(trials.drop("grade", "case_id")),
    rangeError(/calibrate\(\): trials lacks the columns "grade", "case_id"/),
  );
  assert.throws(
    () => calibrate(trials.withColumn(pl.lit(0).alias("max_score"))),
    rangeError(/row 0 has max_score 0, not a positive number/),
  );
  assert.throws(
    () => calibrate(trials.withColumn(pl.lit(null).cast(pl.Utf8).alias("case_id"))),
    rangeError(/row 0 has no case_id/),
  );
});
