/**
 * The PrecepTron dataset entry: one physician-scored (or generated, not yet graded) response.
 *
 * @module
 */

import type { TaskKey } from "./task_key.ts";

/** One physician's score of one response. */
export interface RaterScore {
  /** Who scored: a physician id, or `#1`, `#2`… when the source gives positions only. */
  rater: string;
  /** That physician's score, on the entry's `0..max_score` scale. */
  score: number;
}

/**
 * One physician-scored response, as validated by `validateEntries`.
 *
 * `grade` is the single reference score (consensus or mean); `grades` keeps the per-rater
 * scores when the source has them, which is what the physician–physician ceiling is built from.
 */
export interface Entry {
  /** Unique entry id. */
  id: string;
  /** The clinical case; entries of one case form a bootstrap cluster. */
  case_id: string;
  /** The task key. */
  benchmark: TaskKey;
  /** The source study id (Brodeur ids start with `brodeur`). */
  study: string;
  /** The model or physician group that wrote the response. */
  model: string;
  /**
   * The physician reference score, inside `0..max_score`; `NaN` on a generated response that
   * no physician has graded (a candidate model's answer: its `extra.generation` says so).
   */
  grade: number;
  /** The top of this entry's scale. */
  max_score: number;
  /** The scored text. */
  response: string;
  /** The scoring rubric (object, array or text), where the task has one. */
  rubric?: unknown;
  /** The case text. */
  case_vignette?: string;
  /** The question put to the respondent. */
  question_text?: string;
  /** The case's final diagnosis. */
  final_diagnosis?: string;
  /** The test plan actually carried out. */
  test_plan?: string;
  /** Per-physician scores, when the source has them. */
  grades?: RaterScore[];
  /** Fields the schema does not name, kept as the source gave them. */
  extra?: Record<string, unknown>;
}

/** The optional text fields of an entry, in column order. */
export const CONTEXT_FIELDS = [
  "case_vignette",
  "question_text",
  "final_diagnosis",
  "test_plan",
] as const;

/** The required text fields of an entry, in column order. */
export const KEY_FIELDS = ["id", "case_id", "benchmark", "study", "model"] as const;

/** Every field the schema names (others are kept in `extra`). */
export const ENTRY_FIELDS: readonly string[] = [
  ...KEY_FIELDS,
  "grade",
  "max_score",
  "response",
  "rubric",
  ...CONTEXT_FIELDS,
  "grades",
  "rater",
];
