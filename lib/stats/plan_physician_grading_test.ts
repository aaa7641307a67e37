import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { _stratifiedSample, plannedIds, planPhysicianGrading } from "./plan_physician_grading.ts";
import { physicianEquivalent } from "./physician_equivalent.ts";
import { ppiMean } from "./ppi_mean.ts";
import { _normalQuantile } from "./_distributions.ts";
import { _normal, _uniform } from "./_prng.ts";
import { _RepeatScores } from "./_report_input.ts";

interface Response {
  model: string;
  id: string;
  caseId: string;
  score: number;
  grade: number | null;
  task?: string;
}

function frame(rows: readonly Response[]): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("model", rows.map((r) => r.model), pl.Utf8),
    pl.Series("judge", rows.map(() => "j"), pl.Utf8),
    pl.Series("task", rows.map((r) => r.task ?? "cpc"), pl.Utf8),
    pl.Series("entry_id", rows.map((r) => r.id), pl.Utf8),
    pl.Series("status", rows.map(() => "scored"), pl.Utf8),
    pl.Series("score", rows.map((r) => r.score), pl.Float64),
    pl.Series("grade", rows.map((r) => r.grade), pl.Float64),
    pl.Series("max_score", rows.map(() => 5), pl.Float64),
    pl.Series("case_id", rows.map((r) => r.caseId), pl.Utf8),
  ]);
}

/** One draw of the population: quality q, physician Y = 3 + q + e, judge f = 3.4 + 0.7 q + e'. */
function draw(uniform: () => number): { grade: number; score: number } {
  const q = _normal(uniform);
  return { grade: 3 + q + 0.5 * _normal(uniform), score: 3.4 + 0.7 * q + 0.4 * _normal(uniform) };
}

/** 300 graded originals of "old" and `m` judged responses of "new", each its own case. */
function population(m: number, seed: number): Response[] {
  const uniform = _uniform(seed);
  const rows: Response[] = [];
  for (let i = 0; i < 300; i++) {
    rows.push({ model: "old", id: `o${i}`, caseId: `o${i}`, ...draw(uniform) });
  }
  for (let i = 0; i < m; i++) {
    rows.push({ model: "new", id: `n${i}`, caseId: `n${i}`, ...draw(uniform), grade: null });
  }
  return rows;
}

function moments(rows: readonly Response[]) {
  const y = rows.map((r) => r.grade!), f = rows.map((r) => r.score), n = y.length;
  const my = y.reduce((a, b) => a + b) / n, mf = f.reduce((a, b) => a + b) / n;
  let vy = 0, vf = 0, c = 0;
  y.forEach((v, i) => {
    vy += (v - my) ** 2, vf += (f[i]! - mf) ** 2, c += (v - my) * (f[i]! - mf);
  });
  return { varY: vy / (n - 1), varF: vf / (n - 1), cov: c / (n - 1) };
}

Deno.test("planPhysicianGrading() n is the closed form σ²(1 − ρ²) / ((h/z)² − σ²ρ²/M)", () => {
  const rows = population(400, 11);
  const plan = planPhysicianGrading(frame(rows), { respondent: "new", halfWidth: 0.15 })
    .toRecords()[0]!;
  const { varY, varF, cov } = moments(rows.filter((r) => r.model === "old"));
  const rho2 = cov * cov / (varY * varF), z = _normalQuantile(0.975), M = 400;
  // λ* = c / ((1 + n/N) σ_f²) stays inside [0, 1] here (c/σ_f² ≈ 1.2 · N/M < 1 at n ≈ 80).
  const exact = varY * (1 - rho2) / ((0.15 / z) ** 2 - varY * rho2 / M);
  assert.equal(plan.n_physician_graded, Math.ceil(exact));
  assert.equal(plan.n_physician_only, Math.ceil(z * z * varY / 0.15 ** 2));
  assert.ok((plan.expected_half_width as number) <= 0.15);
  // ρ² ≈ 0.6: the judge takes about 60% of the physicians' variance off, less its floor σ²ρ²/M.
  assert.ok((plan.n_physician_graded as number) < 0.6 * (plan.n_physician_only as number));
  assert.equal(plan.n_responses, 400);
  assert.equal(plan.n_originals, 300);
  assert.ok(Math.abs((plan.correlation as number) - Math.sqrt(rho2)) < 1e-12);
  const ids = plan.entry_ids as unknown as string[];
  assert.equal(ids.length, plan.n_physician_graded);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => id.startsWith("n")));
});

Deno.test(
  "planPhysicianGrading(): at the planned n, the simulated PPI half-width is close to the target",
  () => {
    const rows = population(400, 12);
    const plan = planPhysicianGrading(frame(rows), { respondent: "new", halfWidth: 0.15 })
      .toRecords()[0]!;
    const n = plan.n_physician_graded as number;
    const uniform = _uniform(99);
    const widths: number[] = [];
    for (let rep = 0; rep < 400; rep++) {
      const data = Array.from({ length: 400 }, () => draw(uniform));
      const r = ppiMean(
        {
          judge: data.slice(0, n).map((d) => d.score),
          physician: data.slice(0, n).map((d) => d.grade),
        },
        { judge: data.slice(n).map((d) => d.score) },
      );
      widths.push((r.upper - r.lower) / 2);
    }
    widths.sort((a, b) => a - b);
    const median = widths[200]!;
    assert.ok(Math.abs(median / 0.15 - 1) < 0.08, `median half-width ${median} vs 0.15`);
    // End to end: physicians grade the planned ids, physicianEquivalent() estimates.
    const chosen = new Set(plan.entry_ids as unknown as string[]);
    const truth = _uniform(5);
    const graded = rows.map((r) =>
      chosen.has(r.id) ? { ...r, grade: 3 + (r.score - 3.4) / 0.7 + 0.3 * _normal(truth) } : r
    );
    const out = physicianEquivalent(frame(graded), { respondent: "new", labeledIds: [...chosen] })
      .toRecords()[0]!;
    assert.equal(out.n_labeled, n);
    assert.equal(out.n_unlabeled, 400 - n);
    assert.ok(Number.isFinite(out.lower as number));
  },
);

Deno.test("planPhysicianGrading() picks the same ids for a seed, stratified by case", () => {
  const rows: Response[] = [
    ...population(0, 3),
    ...Array.from({ length: 40 }, (_, i) => ({
      model: "new",
      id: `n${String(i).padStart(2, "0")}`,
      caseId: i < 10 ? "a" : i < 20 ? "b" : "c",
      score: 3 + (i % 3),
      grade: null,
    })),
  ];
  const plan = (seed: number) =>
    planPhysicianGrading(frame(rows), { respondent: "new", halfWidth: 0.6, seed }).toRecords()[0]!;
  const one = plan(7), again = plan(7), other = plan(8);
  assert.deepEqual(one.entry_ids, again.entry_ids);
  assert.notDeepEqual(one.entry_ids, other.entry_ids);
  const ids = one.entry_ids as unknown as string[];
  const perCase = [0, 0, 0];
  for (const id of ids) perCase[Number(id.slice(1)) < 10 ? 0 : Number(id.slice(1)) < 20 ? 1 : 2]!++;
  // Proportional to 10 : 10 : 20.
  const n = ids.length;
  assert.ok(Math.abs(perCase[2]! - n / 2) <= 1 && Math.abs(perCase[0]! - n / 4) <= 1, `${perCase}`);
  assert.equal(one.n_cases, 3);
});

Deno.test("_stratifiedSample() allocates proportionally, at least 1 per case when n allows", () => {
  const responses = (sizes: number[]) =>
    sizes.flatMap((size, g) =>
      Array.from({ length: size }, (_, i) => ({
        task: "t",
        id: `${g}-${i}`,
        model: "new",
        caseId: `case ${g}`,
        scores: new _RepeatScores(),
        grade: NaN,
        max: 5,
      }))
    );
  const count = (ids: string[], sizes: number[]) =>
    sizes.map((_, g) => ids.filter((id) => id.startsWith(`${g}-`)).length);
  const uniform = _uniform(1);
  assert.deepEqual(count(_stratifiedSample(responses([10, 10, 20]), 8, uniform), [10, 10, 20]), [
    2,
    2,
    4,
  ]);
  // Small cases still get one when n ≥ the number of cases.
  assert.deepEqual(count(_stratifiedSample(responses([1, 1, 38]), 4, uniform), [1, 1, 38]), [
    1,
    1,
    2,
  ]);
  // Fewer than the cases: at most one each, from the largest.
  const few = count(_stratifiedSample(responses([5, 30, 5]), 1, uniform), [5, 30, 5]);
  assert.deepEqual(few, [0, 1, 0]);
  // All of them.
  assert.deepEqual(count(_stratifiedSample(responses([3, 4]), 7, uniform), [3, 4]), [3, 4]);
});

Deno.test("planPhysicianGrading() keeps a row with a note when it cannot plan", () => {
  const rows: Response[] = [
    ...population(50, 4),
    { model: "new", id: "t1", caseId: "a", score: 3, grade: null, task: "thin" },
    { model: "old", id: "t2", caseId: "a", score: 3, grade: 2, task: "thin" },
  ];
  const out = planPhysicianGrading(frame(rows), {
    respondent: "new",
    halfWidth: { cpc: 0.01 },
  }).toRecords();
  const cpc = out.find((r) => r.task === "cpc")!, thin = out.find((r) => r.task === "thin")!;
  assert.match(cpc.note as string, /target out of reach: grading all 50 gives ±/);
  assert.equal(cpc.n_physician_graded, 50);
  assert.match(thin.note as string, /no halfWidth given for this task/);
  const noOriginals = planPhysicianGrading(frame(rows), { respondent: "new", halfWidth: 1 })
    .toRecords().find((r) => r.task === "thin")!;
  assert.match(noOriginals.note as string, /fewer than 3 physician-graded originals/);
  assert.equal(noOriginals.n_physician_graded, null);
  assert.deepEqual(noOriginals.entry_ids, []);
});

Deno.test("planPhysicianGrading() rejects bad input with a RangeError naming the argument", () => {
  const trials = frame(population(20, 6));
  const bad = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof RangeError && message.test(e.message));
  bad(
    () => planPhysicianGrading(trials, { respondent: "x", halfWidth: 1 }),
    /options.respondent "x" is not in trials' model column; respondents: "new", "old"/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidth: 0 }),
    /options.halfWidth must be a positive number \(or one per task\), got 0/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidth: { cpc: -1 } }),
    /options.halfWidth.cpc must be a positive number, got -1/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidth: 1, level: 1.5 }),
    /planPhysicianGrading\(\): options.level must be in \(0, 1\)/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidth: 1, seed: 0.5 }),
    /options.seed must be an integer/,
  );
  bad(
    () => planPhysicianGrading(trials.head(0), { respondent: "new", halfWidth: 1 }),
    /trials is empty/,
  );
  bad(
    () => planPhysicianGrading(trials.drop("case_id"), { respondent: "new", halfWidth: 1 }),
    /trials lacks the column "case_id"/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new" }),
    /give options.halfWidth, options.halfWidthShare or options.gradeShare \(one of them\)/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidth: 1, halfWidthShare: 0.1 }),
    /give options.halfWidth, options.halfWidthShare or options.gradeShare/,
  );
  bad(
    () => planPhysicianGrading(trials, { respondent: "new", halfWidthShare: 1.5 }),
    /options.halfWidthShare must be a number in \(0, 1\), got 1.5/,
  );
  assert.throws(() => plannedIds(trials), /no entry_ids column/);
  const twoJudges = trials.withColumns(pl.lit("k").alias("judge")).vstack(trials);
  bad(
    () => planPhysicianGrading(twoJudges, { respondent: "new", halfWidth: 1 }),
    /several judges \("j", "k"\)/,
  );
});

Deno.test("planPhysicianGrading() takes the half-width as a share of the task's scale", () => {
  // max_score is 5 in frame(): a share of 0.03 is ±0.15 points, the same plan as halfWidth 0.15.
  const rows = population(400, 11);
  const byPoints = planPhysicianGrading(frame(rows), { respondent: "new", halfWidth: 0.15 });
  const byShare = planPhysicianGrading(frame(rows), { respondent: "new", halfWidthShare: 0.03 });
  const [a, b] = [byPoints.toRecords()[0]!, byShare.toRecords()[0]!];
  assert.ok(Math.abs((b.target_half_width as number) - 0.15) < 1e-12);
  assert.equal(b.n_physician_graded, a.n_physician_graded);
  assert.deepEqual(plannedIds(byShare), plannedIds(byPoints));
  assert.equal(plannedIds(byShare).length, a.n_physician_graded);
});

Deno.test("planPhysicianGrading() with gradeShare picks that share, stratified, even with no originals", () => {
  const rows = population(40, 12).map((r, i) => ({ ...r, caseId: `c${i % 8}` }));
  const plan = planPhysicianGrading(frame(rows), { respondent: "new", gradeShare: 0.25 })
    .toRecords()[0]!;
  assert.equal(plan.n_physician_graded, 10);
  assert.equal(
    plannedIds(planPhysicianGrading(frame(rows), {
      respondent: "new",
      gradeShare: 0.25,
    })).length,
    10,
  );
  assert.ok(Number.isFinite(plan.expected_half_width as number));
  // Without other respondents' graded originals: the ids, and a note instead of a half-width.
  const alone = frame(rows.filter((r) => r.model === "new"));
  const lonely = planPhysicianGrading(alone, { respondent: "new", gradeShare: 0.5 })
    .toRecords()[0]!;
  assert.equal(lonely.n_physician_graded, 20);
  assert.equal(lonely.expected_half_width, null);
  assert.match(lonely.note as string, /fewer than 3 physician-graded originals/);
  assert.throws(
    () => planPhysicianGrading(alone, { respondent: "new", gradeShare: 0 }),
    /options.gradeShare must be a number in \(0, 1\], got 0/,
  );
});
