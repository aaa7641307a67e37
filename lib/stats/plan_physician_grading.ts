/**
 * `planPhysicianGrading()`: how many of a new respondent's responses physicians should grade
 * for a target PPI interval half-width, and which ones (a seeded random sample, stratified by
 * case).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { _normalQuantile } from "./_distributions.ts";
import { _uniform } from "./_prng.ts";
import { _list } from "./_report_input.ts";
import { _checkLevel, _readResponses, type _Response } from "./physician_equivalent.ts";

/** Options for {@linkcode planPhysicianGrading}. */
export interface PlanPhysicianGradingOptions {
  /** The respondent model (a value of the trials' `model` column) whose responses to grade. */
  respondent: string;
  /**
   * The target half-width of the PPI interval, in the task's points: one number for every task,
   * or one per task (`{ cpc_management: 0.25, ... }`; a task without one gets a `note`). Give
   * this or `halfWidthShare`.
   */
  halfWidth?: number | Readonly<Record<string, number>>;
  /**
   * The target half-width as a share of each task's scale (`max_score`): 0.05 asks for ±5% of
   * the scale on every task, whatever its points. Give this or `halfWidth`.
   */
  halfWidthShare?: number;
  /**
   * Instead of a target: grade this share of the respondent's responses (in (0, 1]), and report
   * the half-width to expect at it (when there are originals to measure the judge on). Give
   * this, `halfWidth` or `halfWidthShare`.
   */
  gradeShare?: number;
  /** The judge (a value of the `judge` column); needed when the frame has several. */
  judge?: string;
  /** Confidence level, in (0, 1); 0.95 by default. */
  level?: number;
  /** Seed of the random choice; 1 by default. */
  seed?: number;
}

/** The moments measured on the originals, which the plan takes as the respondent's. */
interface _Moments {
  varY: number;
  varF: number;
  cov: number;
}

/**
 * The PPI++ variance of the mean at n graded of M responses with λ tuned (clipped to [0, 1]).
 *
 * @param m The moments.
 * @param n Graded responses.
 * @param total All responses M.
 * @returns The variance; σ_Y²/M at n = M (all graded, λ irrelevant).
 */
export function _plannedVariance(m: _Moments, n: number, total: number): number {
  const N = total - n;
  if (N <= 0) return m.varY / total;
  const lambda = m.varF > 0 ? Math.min(1, Math.max(0, m.cov / ((1 + n / N) * m.varF))) : 0;
  return (lambda * lambda * m.varF) / N +
    (m.varY - 2 * lambda * m.cov + lambda * lambda * m.varF) / n;
}

/**
 * Plans the physician grading of one respondent model's responses, per task: how many to grade
 * for a PPI interval of a target half-width h, and which ones.
 *
 * Sample size. With M responses of which n are graded (N = M − n not), PPI++'s variance for a
 * mean at a weight λ is (Angelopoulos, Duchi & Zrnic 2023, arXiv 2311.01453)
 *
 *   V(λ) = λ²σ_f²/N + (σ_Y² − 2λc + λ²σ_f²)/n,
 *
 * with σ_Y² the variance of physician grades, σ_f² of judge scores, c their covariance. It is
 * least at λ* = c / ((1 + n/N) σ_f²), where
 *
 *   V* = σ_Y²/n − c²/(n σ_f² (1 + n/N)) = (σ_Y²/n)(1 − ρ² N/M) = σ_Y²(1 − ρ²)/n + σ_Y²ρ²/M,
 *
 * ρ = c/(σ_Y σ_f) the judge–physician correlation (using 1 + n/N = M/N). The judge takes the
 * share ρ² of the physicians' variance σ_Y²/n off, except for a floor σ_Y²ρ²/M from the judge's
 * own noise. The interval is ± z√V*, so half-width ≤ h needs
 *
 *   n ≥ σ_Y²(1 − ρ²) / ((h/z)² − σ_Y²ρ²/M),
 *
 * against n ≥ z²σ_Y²/h² for physicians alone. When λ* falls outside [0, 1] (a judge negatively
 * correlated, or on a compressed scale), the clipped λ is used, so n is found as the smallest
 * n ≥ 2 whose variance with the clipped λ meets the target. When no n < M does, and even all
 * M graded (σ_Y²/M) does not, n = M and `note` says the target is out of reach.
 *
 * The moments σ_Y², σ_f², c (sample, n − 1) come from the ORIGINALS: the task's responses of
 * other respondents (not this one) that have both a physician grade and the chosen judge's
 * score (repeats averaged). The plan thus assumes the judge tracks physicians on the new model
 * as it did on the originals; at least 3 originals are needed.
 *
 * Response-level only: with few cases the realised cluster-robust interval of
 * `physicianEquivalent()` (t with G − 1 degrees of freedom, and between-case spread that grading
 * more responses of the same cases cannot remove) is wider than `expected_half_width`.
 *
 * Choice. n of the respondent's scored responses (those the judge scored; the others cannot be
 * used by PPI) are drawn at random, stratified by case: proportional allocation with at least 1
 * per case when n ≥ the number of cases (largest remainders, ties broken at random), then a
 * simple random sample within each case. Seeded, so the same call picks the same ids. Pass them
 * to the physicians, then as `labeledIds` to `physicianEquivalent()`.
 *
 * One row per task of the respondent (sorted), with columns `task`, `respondent`, `judge`,
 * `n_responses` (M, scored), `n_cases`, `n_originals`, `correlation` (ρ on the originals),
 * `target_half_width`, `n_physician_graded` (the plan's n), `expected_half_width` (z√V at it),
 * `physician_only_half_width` (z σ_Y/√n at the same n), `n_physician_only` (⌈z²σ_Y²/h²⌉, what
 * physicians alone would need; may exceed M), `entry_ids` (list of the chosen ids, sorted) and
 * `note` (null when all is well; a task without enough originals or responses keeps its row
 * with nulls and the reason).
 *
 * @param trials A trials frame: columns `model`, `judge`, `task`, `entry_id`, `status`,
 *   `score`, `grade`, `max_score`, `case_id`.
 * @param options `respondent`, one of `halfWidth`, `halfWidthShare` or `gradeShare`, and
 *   optionally `judge`, `level`, `seed`.
 * @returns The plan, one row per task.
 * @throws {RangeError} On an empty frame or missing columns, a respondent absent from the frame
 *   (the present ones are listed), several judges and no `judge` option (they are listed), a
 *   `halfWidth` that is not a positive number (or a record of them), a bad `level` or `seed`.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { planPhysicianGrading } from "./plan_physician_grading.ts";
 * import assert from "node:assert/strict";
 *
 * const old = [[1, 1.5], [2, 2], [3, 3.5], [4, 4], [5, 4.5], [2, 3], [4, 5], [3, 3]];
 * const rows = [
 *   ...old.map(([grade, score], i) => ({ model: "gpt-4", id: `o${i}`, grade, score })),
 *   ...Array.from({ length: 40 }, (_, i) => ({
 *     model: "new", id: `n${i}`, grade: null, score: 1 + (i % 5),
 *   })),
 * ];
 * const trials = pl.DataFrame({
 *   model: rows.map((r) => r.model),
 *   judge: rows.map(() => "judge"),
 *   task: rows.map(() => "cpc_management"),
 *   entry_id: rows.map((r) => r.id),
 *   status: rows.map(() => "scored"),
 *   score: rows.map((r) => r.score),
 *   grade: rows.map((r) => r.grade),
 *   max_score: rows.map(() => 5),
 *   case_id: rows.map((r) => `case ${r.id.length}`),
 * });
 * const plan = planPhysicianGrading(trials, { respondent: "new", halfWidth: 0.5 }).toRecords()[0]!;
 * assert.ok((plan.n_physician_graded as number) < (plan.n_physician_only as number));
 * assert.equal((plan.entry_ids as unknown as string[]).length, plan.n_physician_graded);
 * ```
 */
export function planPhysicianGrading(
  trials: DataFrame,
  options: PlanPhysicianGradingOptions,
): DataFrame {
  const fn = "planPhysicianGrading";
  if (typeof options !== "object" || options === null) {
    throw new RangeError(`${fn}(): options must be { respondent, halfWidth, ... }`);
  }
  const given = [options.halfWidth, options.halfWidthShare, options.gradeShare]
    .filter((o) => o !== undefined).length;
  if (given !== 1) {
    throw new RangeError(
      `${fn}(): give options.halfWidth, options.halfWidthShare or options.gradeShare (one of them)`,
    );
  }
  const gradeShare = options.gradeShare;
  if (
    gradeShare !== undefined &&
    !(typeof gradeShare === "number" && gradeShare > 0 && gradeShare <= 1)
  ) {
    throw new RangeError(
      `${fn}(): options.gradeShare must be a number in (0, 1], got ${String(gradeShare)}`,
    );
  }
  if (options.halfWidth !== undefined) _checkHalfWidth(fn, options.halfWidth);
  const share = options.halfWidthShare;
  if (share !== undefined && !(typeof share === "number" && share > 0 && share < 1)) {
    throw new RangeError(
      `${fn}(): options.halfWidthShare must be a number in (0, 1), got ${String(share)}`,
    );
  }
  _checkLevel(fn, options.level);
  const seed = options.seed ?? 1;
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new RangeError(`${fn}(): options.seed must be an integer, got ${String(seed)}`);
  }
  const { judge, responses } = _readResponses(fn, trials, options.respondent, options.judge);
  const z = _normalQuantile((1 + (options.level ?? 0.95)) / 2);
  const all = [...responses.values()];
  const tasks = [...new Set(all.filter((r) => r.model === options.respondent).map((r) => r.task))]
    .sort();
  const uniform = _uniform(seed);
  const rows = tasks.map((task) => {
    const inTask = all.filter((r) => r.task === task);
    const h = gradeShare !== undefined
      ? undefined
      : share !== undefined
      ? share * Math.max(...inTask.filter((r) => r.model === options.respondent).map((r) => r.max))
      : typeof options.halfWidth === "number"
      ? options.halfWidth
      : options.halfWidth![task];
    const plan = gradeShare === undefined
      ? _taskPlan(inTask, options.respondent, h, z, uniform)
      : _sharePlan(inTask, options.respondent, gradeShare, z, uniform);
    return { task, respondent: options.respondent, judge, ...plan };
  });
  const f64 = [
    "correlation",
    "target_half_width",
    "expected_half_width",
    "physician_only_half_width",
  ];
  const i64 = ["n_responses", "n_cases", "n_originals", "n_physician_graded", "n_physician_only"];
  const columns = ["task", "respondent", "judge", ...i64.slice(0, 3), ...f64.slice(0, 2)]
    .concat(["n_physician_graded", "expected_half_width", "physician_only_half_width"])
    .concat(["n_physician_only", "entry_ids", "note"]);
  return pl.DataFrame(
    columns.map((name) => {
      const values = rows.map((r) => (r as Record<string, unknown>)[name] ?? null);
      if (name === "entry_ids") return pl.Series(name, values, pl.List(pl.Utf8));
      return pl.Series(
        name,
        values,
        f64.includes(name) ? pl.Float64 : i64.includes(name) ? pl.Int64 : pl.Utf8,
      );
    }),
  );
}

/**
 * The entry ids a plan chose, every task's together: what physicians are asked to grade, and
 * what `physicianEquivalent()` takes as `labeledIds` once they have.
 *
 * @param plan The frame from {@linkcode planPhysicianGrading}.
 * @returns The ids.
 * @throws {RangeError} When the frame has no `entry_ids` column.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { plannedIds } from "./plan_physician_grading.ts";
 * import assert from "node:assert/strict";
 *
 * const plan = pl.DataFrame([
 *   pl.Series("task", ["r_idea", "cpc_bond"]),
 *   pl.Series("entry_ids", [["a", "b"], ["c"]], pl.List(pl.Utf8)),
 * ]);
 * assert.deepEqual(plannedIds(plan), ["a", "b", "c"]);
 * ```
 */
export function plannedIds(plan: DataFrame): string[] {
  if (!plan.columns.includes("entry_ids")) {
    throw new RangeError("plannedIds(): the frame has no entry_ids column; pass a plan");
  }
  return (plan.getColumn("entry_ids").toArray() as unknown[]).flatMap(_list).map(String);
}

/**
 * Checks the `halfWidth` option.
 *
 * @param fn The public function, for messages.
 * @param halfWidth The option.
 * @throws {RangeError} When it is not a positive finite number or a record of them.
 */
function _checkHalfWidth(fn: string, halfWidth: unknown): void {
  const ok = (h: unknown) => typeof h === "number" && Number.isFinite(h) && h > 0;
  if (ok(halfWidth)) return;
  if (typeof halfWidth === "object" && halfWidth !== null && !Array.isArray(halfWidth)) {
    const bad = Object.entries(halfWidth).find(([, h]) => !ok(h));
    if (!bad) return;
    throw new RangeError(
      `${fn}(): options.halfWidth.${bad[0]} must be a positive number, got ${String(bad[1])}`,
    );
  }
  throw new RangeError(
    `${fn}(): options.halfWidth must be a positive number (or one per task), got ${
      String(halfWidth)
    }`,
  );
}

/**
 * One task's plan.
 *
 * @param inTask The task's responses (every respondent).
 * @param respondent The respondent.
 * @param h The target half-width, or undefined when none was given for the task.
 * @param z The normal quantile.
 * @param uniform The random stream.
 * @returns The row's values by column.
 */
function _taskPlan(
  inTask: readonly _Response[],
  respondent: string,
  h: number | undefined,
  z: number,
  uniform: () => number,
): Record<string, unknown> {
  const { scored, originals } = _split(inTask, respondent);
  const M = scored.length;
  const row: Record<string, unknown> = {
    n_responses: M,
    n_cases: new Set(scored.map((r) => r.caseId)).size,
    n_originals: originals.length,
    target_half_width: h ?? null,
    entry_ids: [],
  };
  if (h === undefined) return { ...row, note: "no halfWidth given for this task" };
  if (originals.length < 3) {
    return { ...row, note: "fewer than 3 physician-graded originals to measure the judge on" };
  }
  if (M < 2) return { ...row, note: "fewer than 2 scored responses of the respondent" };
  const m = _moments(originals.map((r) => r.grade), originals.map((r) => r.scores.score("mean")));
  const target = (h / z) ** 2;
  let n = 2;
  while (n < M && _plannedVariance(m, n, M) > target) n++;
  const notes: string[] = [];
  if (_plannedVariance(m, n, M) > target) {
    notes.push(
      `target out of reach: grading all ${M} gives ±${
        (z * Math.sqrt(_plannedVariance(m, M, M))).toPrecision(3)
      }`,
    );
  }
  const picked = _stratifiedSample(scored, n, uniform).sort();
  return {
    ...row,
    correlation: m.varY > 0 && m.varF > 0 ? m.cov / Math.sqrt(m.varY * m.varF) : NaN,
    n_physician_graded: n,
    expected_half_width: z * Math.sqrt(_plannedVariance(m, n, M)),
    physician_only_half_width: z * Math.sqrt(m.varY / n),
    n_physician_only: Math.max(2, Math.ceil(z * z * m.varY / (h * h) - 1e-9)),
    entry_ids: picked,
    note: notes.length > 0 ? notes.join("; ") : null,
  };
}

/**
 * One task's plan for a fixed share of the respondent's responses: n = ⌈share · M⌉ (at least 2
 * when there are 2), chosen as `_taskPlan` chooses, with the half-width to expect at n when
 * there are originals to measure the judge on.
 *
 * @param inTask The task's responses (every respondent).
 * @param respondent The respondent.
 * @param share The share to grade.
 * @param z The normal quantile.
 * @param uniform The random stream.
 * @returns The row's values by column.
 */
function _sharePlan(
  inTask: readonly _Response[],
  respondent: string,
  share: number,
  z: number,
  uniform: () => number,
): Record<string, unknown> {
  const { scored, originals } = _split(inTask, respondent);
  const M = scored.length;
  const n = Math.min(M, Math.max(2, Math.ceil(share * M - 1e-9)));
  const row: Record<string, unknown> = {
    n_responses: M,
    n_cases: new Set(scored.map((r) => r.caseId)).size,
    n_originals: originals.length,
    target_half_width: null,
    n_physician_graded: n,
    entry_ids: M > 0 ? _stratifiedSample(scored, n, uniform).sort() : [],
  };
  if (originals.length < 3) {
    return {
      ...row,
      note: "fewer than 3 physician-graded originals: no half-width to expect is given",
    };
  }
  const m = _moments(originals.map((r) => r.grade), originals.map((r) => r.scores.score("mean")));
  return {
    ...row,
    correlation: m.varY > 0 && m.varF > 0 ? m.cov / Math.sqrt(m.varY * m.varF) : NaN,
    expected_half_width: z * Math.sqrt(_plannedVariance(m, n, M)),
    physician_only_half_width: z * Math.sqrt(m.varY / n),
    note: null,
  };
}

/** The respondent's scored responses (sorted by id) and the task's graded originals. */
function _split(
  inTask: readonly _Response[],
  respondent: string,
): { scored: _Response[]; originals: _Response[] } {
  const scored = inTask.filter((r) =>
    r.model === respondent && Number.isFinite(r.scores.score("mean"))
  ).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const originals = inTask.filter((r) =>
    r.model !== respondent && Number.isFinite(r.grade) && Number.isFinite(r.scores.score("mean"))
  );
  return { scored, originals };
}

/**
 * Sample variances and covariance (dividing by n − 1).
 *
 * @param y Physician grades.
 * @param f Judge scores.
 * @returns The moments.
 */
function _moments(y: readonly number[], f: readonly number[]): _Moments {
  const n = y.length;
  const my = y.reduce((a, b) => a + b, 0) / n, mf = f.reduce((a, b) => a + b, 0) / n;
  let varY = 0, varF = 0, cov = 0;
  for (let i = 0; i < n; i++) {
    varY += (y[i]! - my) ** 2, varF += (f[i]! - mf) ** 2, cov += (y[i]! - my) * (f[i]! - mf);
  }
  return { varY: varY / (n - 1), varF: varF / (n - 1), cov: cov / (n - 1) };
}

/**
 * n responses at random, stratified by case: proportional allocation (at least 1 per case when
 * n allows, largest remainders with random tie-breaks), then a random sample within each case.
 *
 * @param responses The responses to choose from.
 * @param n How many.
 * @param uniform The random stream.
 * @returns The chosen entry ids.
 */
export function _stratifiedSample(
  responses: readonly _Response[],
  n: number,
  uniform: () => number,
): string[] {
  const byCase = new Map<string, string[]>();
  for (const r of responses) {
    const ids = byCase.get(r.caseId);
    if (ids) ids.push(r.id);
    else byCase.set(r.caseId, [r.id]);
  }
  const strata = [...byCase.values()];
  const M = responses.length;
  const quota = strata.map((s) => (n * s.length) / M);
  const tie = strata.map(() => uniform());
  const alloc = quota.map((q) => (n >= strata.length ? Math.max(1, Math.floor(q)) : Math.floor(q)));
  let total = alloc.reduce((a, b) => a + b, 0);
  // Too few: add to the largest remainders q − alloc; too many (from the minimum of 1): take
  // from the most over-allocated cases that keep at least 1.
  const order = (sign: number) =>
    strata.map((_, g) => g).sort((a, b) =>
      sign * ((quota[b]! - alloc[b]!) - (quota[a]! - alloc[a]!)) || tie[a]! - tie[b]!
    );
  while (total < n) {
    const g = order(1).find((g) => alloc[g]! < strata[g]!.length)!;
    alloc[g]!++, total++;
  }
  while (total > n) {
    const g = order(-1).find((g) => alloc[g]! > 1)!;
    alloc[g]!--, total--;
  }
  const picked: string[] = [];
  strata.forEach((ids, g) => {
    const pool = [...ids];
    for (let i = 0; i < alloc[g]!; i++) {
      const j = i + Math.floor(uniform() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      picked.push(pool[i]!);
    }
  });
  return picked;
}
