/**
 * Checks of what a ledger holds against what it should hold: a record's task against its
 * file, its score against the task's scale, and failures that are the run's (a rejected key)
 * rather than the item's.
 *
 * @module
 */

import { basename } from "node:path";
import { type Benchmark, BENCHMARKS } from "../data/benchmark.ts";
import type { Judgement } from "../judge/judgement.ts";
import { scoreProblem } from "../tasks/scale.ts";
import { getTask } from "../tasks/tasks.ts";
import type { TaskInputs } from "../tasks/task.ts";

/**
 * The task a ledger file holds, from its name (`{name}_{task}.jsonl`, see `ledgerPath`), or
 * `undefined` for a file not named that way.
 *
 * @param path The ledger file.
 * @returns The task.
 */
export function _fileTask(path: string): Benchmark | undefined {
  const name = basename(path);
  // The longest match: no task key ends with another, but stay safe if one ever does.
  return [...BENCHMARKS]
    .sort((a, b) => b.length - a.length)
    .find((task) => name.endsWith(`_${task}.jsonl`));
}

/** Whether a task's scale is the same for every entry (else it depends on `max_score`). */
const FIXED_SCALE = new Map<Benchmark, boolean>();

function fixedScale(task: Benchmark): boolean {
  let fixed = FIXED_SCALE.get(task);
  if (fixed === undefined) {
    const t = getTask(task);
    const none = { response: "" } as TaskInputs;
    fixed = JSON.stringify(t.scale(none)) === JSON.stringify(t.scale({ ...none, max_score: 977 }));
    FIXED_SCALE.set(task, fixed);
  }
  return fixed;
}

/**
 * What is wrong with a score read back from a ledger for a task, without knowing the entry:
 * off the scale for tasks with one scale (99 on the Bond scale); for tasks whose top is the
 * entry's `max_score`, negative or off the half-point grid every scale keeps to. The runner
 * checks the entry's own scale on resume.
 *
 * @param task The record's task.
 * @param score Its score.
 * @returns The problem, or `undefined`.
 */
export function _scoreProblemForTask(task: Benchmark, score: number): string | undefined {
  if (fixedScale(task)) {
    return scoreProblem(score, getTask(task).scale({ response: "" } as TaskInputs));
  }
  if (!Number.isFinite(score) || score < 0 || !Number.isInteger(score * 2)) {
    return `${score} is not a score of ${task} (0 or more, in steps of at least 0.5)`;
  }
  return undefined;
}

/** A rejected credential, in the words servers use. */
const AUTH_WORDS =
  /invalid_api_key|authentication_error|permission_error|incorrect api key|invalid (x-)?api[ -]key|unauthori[sz]ed/i;

/** What `_isAuthFailure` reads of a judgement or a generation (both have this shape). */
export interface _RequestOutcome {
  status: string;
  reason?: string;
  detail?: string;
}

/**
 * Whether a failed judgement (or generation) is a rejected credential — HTTP 401 or 403, or a
 * server's `invalid_api_key` — which is the run's failure (fix the key), not the item's.
 *
 * The judges and the candidates report such a request as `request_rejected` with
 * `HTTP <status>: <message>` in `detail` (see `classifyError`), which is what this reads.
 *
 * @param outcome A judgement or a generation.
 * @returns `true` for an authentication or permission failure.
 */
export function _isAuthFailure(outcome: _RequestOutcome | Judgement): boolean {
  if (outcome.status !== "failed" || outcome.reason !== "request_rejected") return false;
  const detail = outcome.detail ?? "";
  return /^HTTP 40[13]\b/.test(detail) || AUTH_WORDS.test(detail);
}
