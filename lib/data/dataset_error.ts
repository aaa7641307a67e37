/**
 * The error raised when a dataset cannot be loaded as it stands.
 *
 * @module
 */

import { displayUrl, redact } from "../judge/redact.ts";

/** One thing wrong with one row of a dataset, or with a whole file. */
export interface DatasetProblem {
  /**
   * Where the row is: `"entry 12"`, `"line 40"`, `"row 7"`; `"file"` for the file as a whole. In a
   * source of several files the file's path comes first: `"train/0000.jsonl line 2"`.
   */
  where: string;
  /** The row's `id`, when it has a readable one. */
  id?: string;
  /** The field at fault, when one is (`"grade"`, `"grades[1].score"`). */
  field?: string;
  /** What is wrong, in words. */
  message: string;
}

/** How many problems an error message spells out; `problems` always holds them all. */
const SHOWN = 100;

/**
 * A dataset that failed validation, with every problem found (not just the first).
 *
 * The message counts the problems and the rows they are in; problems with a file as a whole
 * (truncated, empty, no entries) are counted apart from rows.
 *
 * @example
 * ```ts
 * import { DatasetError } from "./dataset_error.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new DatasetError("data.json", [
 *   { where: "entry 3", id: "x1", field: "grade", message: "7 is above max_score 5" },
 * ]);
 * assert.match(error.message, /entry 3 \(id "x1"\), field "grade": 7 is above max_score 5/);
 * ```
 */
export class DatasetError extends Error {
  /** Every problem found, in file order. */
  readonly problems: readonly DatasetProblem[];
  /** The source that was being loaded, as shown (a URL without credentials or query string). */
  readonly source: string;

  /**
   * Makes the error, its message listing the first problems.
   *
   * @param source The file, URL or hub id being loaded (a URL is shown without credentials or
   *   query string, and the message is redacted: a signed URL or a token never shows).
   * @param problems Every problem found.
   */
  constructor(source: string, problems: readonly DatasetProblem[]) {
    const lines = problems.slice(0, SHOWN).map((p) => "  - " + describeProblem(p));
    if (problems.length > SHOWN) {
      lines.push(`  … and ${problems.length - SHOWN} more (all are in error.problems)`);
    }
    const shown = _displaySource(source);
    super(redact(`${shown}: ${countProblems(problems)}; nothing was loaded.\n${lines.join("\n")}`));
    this.name = "DatasetError";
    this.source = shown;
    this.problems = problems;
  }
}

/**
 * One problem as a line of text: where, which id, which field, what.
 *
 * @param problem The problem to describe.
 * @returns A line such as `entry 3 (id "x1"), field "grade": 7 is above max_score 5`.
 *
 * @example
 * ```ts
 * import { describeProblem } from "./dataset_error.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   describeProblem({ where: "line 2", message: "not valid JSON" }),
 *   "line 2: not valid JSON",
 * );
 * ```
 */
export function describeProblem(problem: DatasetProblem): string {
  const id = problem.id === undefined ? "" : ` (id ${JSON.stringify(problem.id)})`;
  const field = problem.field === undefined ? "" : `, field ${JSON.stringify(problem.field)}`;
  return `${problem.where}${id}${field}: ${problem.message}`;
}

/** Whether a problem is about a whole file (`"file"`, or `"<path> file"`) rather than a row. */
function isFileProblem(problem: DatasetProblem): boolean {
  return problem.where === "file" || problem.where.endsWith(" file");
}

/** "3 problems in 2 rows", "1 problem with the file as a whole", or both. */
function countProblems(problems: readonly DatasetProblem[]): string {
  const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const rows = new Set(problems.filter((p) => !isFileProblem(p)).map((p) => p.where)).size;
  const files = new Set(problems.filter(isFileProblem).map((p) => p.where)).size;
  const total = plural(problems.length, "problem");
  const whole = files === 1 ? "the file as a whole" : `${files} files as a whole`;
  if (files === 0) return `${total} in ${plural(rows, "row")}`;
  if (rows === 0) return `${total} with ${whole}`;
  return `${total} in ${plural(rows, "row")} and with ${whole}`;
}

/**
 * A source as it may be shown: a URL as `displayUrl` shows it (no credentials, no query with
 * its signature), then `?…` when it had a query; a path or hub id redacted. @internal
 */
export function _displaySource(source: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return redact(source);
  try {
    const url = new URL(source);
    return `${displayUrl(source)}${url.search === "" ? "" : "?…"}`;
  } catch {
    return redact(source.replace(/\/\/[^/@]*@/, "//").replace(/\?.*$/, "?…"));
  }
}
