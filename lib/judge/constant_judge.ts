/**
 * The constant baseline: a judge that gives every response the same score (the mean or the most
 * common grade of the data it is fitted on). Agreement statistics that a constant can
 * match — exact agreement on a skewed task, MAE — say little about a judge; this baseline shows
 * how much.
 *
 * @module
 */

import { redactValue } from "./redact.ts";
import { createHash } from "node:crypto";
import type { ScoreScale } from "../tasks/scale.ts";
import { scoreProblem } from "../tasks/scale.ts";
import type { Task, TaskInputs } from "../tasks/task.ts";
import { missingInputs } from "../tasks/tasks.ts";
import type { Judge, JudgeCallOptions } from "./judge.ts";
import type { Judgement, Provenance } from "./judgement.ts";

/** The constant: one number for every task, or a number chosen per task (and entry). */
export type ConstantScore = number | ((task: Task, inputs: TaskInputs) => number);

/** Options of `constantJudge`. */
export interface ConstantJudgeOptions {
  /**
   * The name in the judge's id, `baseline:constant:<name>` (default: the number itself, or
   * `"custom"` for a function). Give judges with different functions different names.
   */
  name?: string;
}

/** The constant baseline's rule version. */
const VERSION = "constant-v1";

/**
 * A judge that always gives the same score: `score` itself, or `score(task, inputs)`.
 *
 * The constant is checked against the task's scale for every entry; a constant that is not on
 * it (1 on the Bond scale, 2.7 on an integer scale) gives a failed judgement with reason
 * `"score_not_allowed"`, never a number. Judgements have `output_mode: "constant"`, one attempt,
 * no `usage`, and `raw` = the JSON the judge would have replied. `prompt_hash` is the SHA-256 of
 * the constant (or the function's source text), so two different constants never share one.
 * Missing required inputs reject with an `Error`, as for every judge, so that a constant is
 * scored on exactly the items the other judges are.
 *
 * @param score The constant, or a function of the task (and inputs) returning it — e.g. each
 *   task's training mode from `mostCommonScore`.
 * @param options The name used in the id.
 * @returns The judge.
 *
 * @example One constant for every task, and a constant per task
 * ```ts
 * import { constantJudge, mostCommonScore } from "./constant_judge.ts";
 * import { getTask } from "../tasks/tasks.ts";
 * import assert from "node:assert/strict";
 *
 * const bond = getTask("cpc_bond");
 * const inputs = { response: "1. Gout", final_diagnosis: "Pseudogout" };
 *
 * const fives = constantJudge(5);
 * assert.equal(fives.id, "baseline:constant:5");
 * const five = await fives.judge(bond, inputs);
 * assert.equal(five.status === "scored" && five.score, 5);
 *
 * const one = await constantJudge(1).judge(bond, inputs); // the Bond scale has no 1
 * assert.equal(one.status === "failed" && one.reason, "score_not_allowed");
 *
 * const modes: Record<string, number> = { cpc_bond: mostCommonScore([5, 4, 5, 0]) };
 * const perTask = constantJudge((task) => modes[task.key] ?? 0, { name: "training-mode" });
 * const mode = await perTask.judge(bond, inputs);
 * assert.equal(mode.status === "scored" && mode.score, 5);
 * ```
 */
export function constantJudge(score: ConstantScore, options: ConstantJudgeOptions = {}): Judge {
  const name = options.name ?? (typeof score === "number" ? String(score) : "custom");
  const id = `baseline:constant:${name}`;
  const model = `constant:${name}`;
  const hash = createHash("sha256")
    .update(`${VERSION}\u0000${typeof score === "number" ? String(score) : score.toString()}`)
    .digest("hex");
  const judgeNow = (task: Task, inputs: TaskInputs, options: JudgeCallOptions): Judgement => {
    options.signal?.throwIfAborted();
    const missing = missingInputs(task, inputs);
    if (missing.length > 0) {
      throw new Error(
        `${id} cannot score ${task.key}: missing required input(s) ${missing.join(", ")}`,
      );
    }
    const started = performance.now();
    const value = typeof score === "number" ? score : score(task, inputs);
    const provenance: Provenance = {
      judge: id,
      provider: "offline",
      model,
      parameters: {},
      prompt_version: VERSION,
      prompt_hash: hash,
      output_mode: "constant",
    };
    const base = { task: task.key, provenance, attempts: 1 };
    const problem = scoreProblem(value, task.scale(inputs));
    if (problem !== undefined) {
      return {
        ...base,
        status: "failed",
        reason: "score_not_allowed",
        detail: `the constant ${value} is not a valid ${task.key} score: ${problem}`,
        raw: null,
        latency_ms: performance.now() - started,
      };
    }
    const justification = `Constant baseline (${name}): every response gets ${value}.`;
    return {
      ...base,
      status: "scored",
      score: value,
      justification,
      raw: JSON.stringify({ score: value, justification }),
      latency_ms: performance.now() - started,
    };
  };
  return {
    id,
    provider: "offline",
    model,
    parameters: {},
    promptHash: () => hash,
    judge(task: Task, inputs: TaskInputs, options: JudgeCallOptions = {}): Promise<Judgement> {
      // Errors (missing inputs, an aborted signal) become rejections, never synchronous throws.
      return Promise.resolve().then(() => redactValue(judgeNow(task, inputs, options)));
    },
  };
}

/**
 * The most common score (the mode) of a list of grades: the constant that maximises exact
 * agreement on those grades, e.g. each task's training grades for the constant baseline.
 *
 * With a `scale`, each grade is first moved to the nearest score on it (physician grades are
 * often means of several raters, such as 7.67 on an integer scale, which no judge may give), so
 * the result is always a valid score. Ties go to the smallest value, so the result does not
 * depend on the order of the grades.
 *
 * @param grades The grades.
 * @param scale The task's scale, to count grades as the nearest allowed score.
 * @returns The mode.
 * @throws {RangeError} When `grades` is empty or holds a non-finite number.
 *
 * @example
 * ```ts
 * import { mostCommonScore } from "./constant_judge.ts";
 * import { bondScale, rangeScale } from "../tasks/scale.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mostCommonScore([5, 4, 5, 0, 4]), 4); // a tie: the smaller value
 * assert.equal(mostCommonScore([7.67, 8.33, 8, 3]), 3); // every value once: the smallest
 * assert.equal(mostCommonScore([7.67, 8.33, 8, 3], rangeScale(0, 19)), 8);
 * assert.equal(mostCommonScore([1.5, 1.5, 0], bondScale(false)), 2); // 1.5 is not a Bond score
 * ```
 */
export function mostCommonScore(grades: readonly number[], scale?: ScoreScale): number {
  if (grades.length === 0) throw new RangeError("mostCommonScore(): no grades");
  const counts = new Map<number, number>();
  for (const grade of grades) {
    if (!Number.isFinite(grade)) {
      throw new RangeError(`mostCommonScore(): ${grade} is not a finite grade`);
    }
    const value = scale === undefined ? grade : nearestOnScale(grade, scale);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best = NaN;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best)) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

/** The score on a scale nearest to a value (the lower one on a tie). */
function nearestOnScale(value: number, scale: ScoreScale): number {
  const clamped = Math.min(scale.max, Math.max(scale.min, value));
  if (scale.allowed !== undefined && scale.allowed.length > 0) {
    const ascending = [...scale.allowed].sort((a, b) => a - b);
    let best = ascending[0]!;
    for (const allowed of ascending) {
      if (Math.abs(allowed - clamped) < Math.abs(best - clamped) - 1e-12) best = allowed;
    }
    return best;
  }
  const step = scale.step ?? 1;
  const k = Math.round((clamped - scale.min) / step - 1e-9);
  return Math.min(scale.max, Math.round((scale.min + k * step) * 1e6) / 1e6);
}
