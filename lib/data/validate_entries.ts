/**
 * Validation of raw dataset rows against the entry schema.
 *
 * @module
 */

import { BENCHMARKS, isBenchmark } from "./benchmark.ts";
import type { DatasetProblem } from "./dataset_error.ts";
import { CONTEXT_FIELDS, type Entry, ENTRY_FIELDS, KEY_FIELDS, type RaterScore } from "./entry.ts";

/** A row as a reader found it, with where it was found (`"index 3"`, `"line 4"`, `"row 2"`). */
export interface RawRow {
  /** Where the row sits in its file, for error messages. */
  where: string;
  /** The parsed value, not yet checked. */
  value: unknown;
}

/** What validation found: the entries that passed, and every problem with the rest. */
export interface Validation {
  /** Valid entries, in file order (rows sharing an `id` with a `rater` merged into one). */
  entries: Entry[];
  /** Every problem, in file order; empty when all rows are valid. */
  problems: DatasetProblem[];
}

type Row = Record<string, unknown>;

/**
 * Checks raw rows against the entry schema, merging per-rater rows, and reports every problem.
 *
 * Per-rater scores come either as a `grades` list (`[{ rater, score }]`, or bare numbers, named
 * `#1`, `#2`… by position) or as several rows sharing an `id`, each with a `rater` and that
 * rater's `grade`; such rows must agree on every other field, and the merged `grade` is their
 * mean. An entry with a `grades` list but no `grade` gets their mean too.
 *
 * Rows are rejected, never silently dropped: a missing or mistyped field, a grade outside
 * `0..max_score`, an unknown task key, or an `id` used twice without `rater` each give a problem
 * naming the row, the id and the field.
 *
 * @param rows Parsed rows with their locations.
 * @returns The valid entries and the problems found.
 *
 * @example
 * ```ts
 * import { validateEntries } from "./validate_entries.ts";
 * import assert from "node:assert/strict";
 *
 * const base = { case_id: "c1", benchmark: "cpc_bond", study: "kanjee2023", model: "gpt-4",
 *   max_score: 5, response: "1. Pheochromocytoma" };
 * const { entries, problems } = validateEntries([
 *   { where: "index 0", value: { ...base, id: "a", grade: 5 } },
 *   { where: "index 1", value: { ...base, id: "b", grade: 7 } },
 * ]);
 * assert.equal(entries.length, 1);
 * assert.equal(problems[0]?.field, "grade");
 * ```
 */
export function validateEntries(rows: readonly RawRow[]): Validation {
  const problems: DatasetProblem[] = [];
  const checked: { where: string; entry: Entry; rater?: string }[] = [];
  for (const row of rows) {
    const result = checkRow(row, problems);
    if (result) checked.push(result);
  }
  const entries = mergeById(checked, problems);
  // Merging finds problems out of file order; report them in file order.
  const position = new Map(rows.map((r, i) => [r.where, i]));
  problems.sort((a, b) => (position.get(a.where) ?? 0) - (position.get(b.where) ?? 0));
  return { entries, problems };
}

function checkRow(
  { where, value }: RawRow,
  problems: DatasetProblem[],
): { where: string; entry: Entry; rater?: string } | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ where, message: `expected an object, got ${typeName(value)}` });
    return undefined;
  }
  const row = value as Row;
  const id = typeof row.id === "string" && row.id !== "" ? row.id : undefined;
  const before = problems.length;
  const fail = (field: string, message: string) =>
    problems.push(id === undefined ? { where, field, message } : { where, id, field, message });

  for (const field of KEY_FIELDS) {
    const v = row[field];
    if (v === undefined || v === null) fail(field, "missing");
    else if (typeof v !== "string") fail(field, `expected a string, got ${typeName(v)}`);
    else if (v === "") fail(field, "empty");
  }
  if (typeof row.benchmark === "string" && row.benchmark !== "" && !isBenchmark(row.benchmark)) {
    fail(
      "benchmark",
      `unknown task key ${JSON.stringify(row.benchmark)}; valid keys: ${BENCHMARKS.join(", ")}`,
    );
  }
  if (row.response === undefined || row.response === null) fail("response", "missing");
  else if (typeof row.response !== "string") {
    fail("response", `expected a string, got ${typeName(row.response)}`);
  }
  for (const field of CONTEXT_FIELDS) {
    const v = row[field];
    if (v !== undefined && v !== null && typeof v !== "string") {
      fail(field, `expected a string, got ${typeName(v)}`);
    }
  }
  const rubric = row.rubric;
  if (
    rubric !== undefined && rubric !== null && typeof rubric !== "string" &&
    typeof rubric !== "object"
  ) {
    fail("rubric", `expected an object, array or string, got ${typeName(rubric)}`);
  }

  const maxScore = row.max_score;
  const maxOk = isFiniteNumber(maxScore) && maxScore > 0;
  if (maxScore === undefined || maxScore === null) fail("max_score", "missing");
  else if (!isFiniteNumber(maxScore)) {
    fail("max_score", `expected a number, got ${typeName(maxScore)}`);
  } else if (maxScore <= 0) fail("max_score", `must be above 0, got ${maxScore}`);

  const inScale = (field: string, score: number) => {
    if (!maxOk) return;
    if (score < 0) fail(field, `${score} is below 0`);
    else if (score > (maxScore as number)) {
      fail(field, `${score} is above max_score ${maxScore}`);
    }
  };

  const grades = checkGrades(row.grades, fail, inScale);
  let rater: string | undefined;
  if (row.rater !== undefined && row.rater !== null) {
    if (typeof row.rater === "string" && row.rater !== "") rater = row.rater;
    else if (isFiniteNumber(row.rater)) rater = String(row.rater);
    else fail("rater", `expected a string or number, got ${typeName(row.rater)}`);
    if (row.grades !== undefined && row.grades !== null) {
      fail("rater", "a row has either a `rater` (one score per row) or a `grades` list, not both");
    }
  }

  let grade: number | undefined;
  if (row.grade === undefined || row.grade === null) {
    if (grades && grades.length > 0) grade = mean(grades.map((g) => g.score));
    else fail("grade", "missing");
  } else if (!isFiniteNumber(row.grade)) {
    fail("grade", `expected a number, got ${typeName(row.grade)}`);
  } else {
    grade = row.grade;
    inScale("grade", grade);
  }

  if (problems.length > before) return undefined;

  const entry: Entry = {
    id: row.id as string,
    case_id: row.case_id as string,
    benchmark: row.benchmark as Entry["benchmark"],
    study: row.study as string,
    model: row.model as string,
    grade: grade as number,
    max_score: maxScore as number,
    response: row.response as string,
  };
  if (rubric !== undefined && rubric !== null) entry.rubric = rubric;
  for (const field of CONTEXT_FIELDS) {
    const v = row[field];
    if (typeof v === "string") entry[field] = v;
  }
  if (grades) entry.grades = grades;
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const key of Object.keys(row)) {
    if (!ENTRY_FIELDS.includes(key)) {
      extra[key] = row[key];
      hasExtra = true;
    }
  }
  if (hasExtra) entry.extra = extra;
  return rater === undefined ? { where, entry } : { where, entry, rater };
}

function checkGrades(
  value: unknown,
  fail: (field: string, message: string) => void,
  inScale: (field: string, score: number) => void,
): RaterScore[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    fail("grades", `expected a list of { rater, score }, got ${typeName(value)}`);
    return undefined;
  }
  const grades: RaterScore[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, i: number) => {
    const field = `grades[${i}]`;
    let rater: string;
    let score: unknown;
    if (isFiniteNumber(item)) {
      rater = `#${i + 1}`;
      score = item;
    } else if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const r = (item as Row).rater;
      score = (item as Row).score;
      if (typeof r === "string" && r !== "") rater = r;
      else if (isFiniteNumber(r)) rater = String(r);
      else {
        fail(
          `${field}.rater`,
          r === undefined ? "missing" : `expected a string, got ${typeName(r)}`,
        );
        return;
      }
    } else {
      fail(field, `expected { rater, score } or a number, got ${typeName(item)}`);
      return;
    }
    if (!isFiniteNumber(score)) {
      fail(
        `${field}.score`,
        score === undefined ? "missing" : `expected a number, got ${typeName(score)}`,
      );
      return;
    }
    if (seen.has(rater)) {
      fail(`${field}.rater`, `rater ${JSON.stringify(rater)} appears twice`);
      return;
    }
    seen.add(rater);
    inScale(`${field}.score`, score);
    grades.push({ rater, score });
  });
  return grades;
}

/** Merges rows that share an id and carry a `rater`; flags other repeated ids. */
function mergeById(
  checked: { where: string; entry: Entry; rater?: string }[],
  problems: DatasetProblem[],
): Entry[] {
  const groups = new Map<string, { where: string; entry: Entry; rater?: string }[]>();
  for (const item of checked) {
    const group = groups.get(item.entry.id);
    if (group) group.push(item);
    else groups.set(item.entry.id, [item]);
  }
  const entries: Entry[] = [];
  for (const [id, group] of groups) {
    const first = group[0]!;
    if (group.length === 1 && first.rater === undefined) {
      entries.push(first.entry);
      continue;
    }
    const withoutRater = group.filter((g) => g.rater === undefined);
    if (withoutRater.length > 0) {
      const places = group.map((g) => g.where).join(", ");
      for (const g of group.slice(1)) {
        problems.push({
          where: g.where,
          id,
          field: "id",
          message: `duplicate id (rows: ${places}); repeated rows need a \`rater\` field each`,
        });
      }
      continue;
    }
    const merged = mergeRaterRows(id, group, problems);
    if (merged) entries.push(merged);
  }
  return entries;
}

function mergeRaterRows(
  id: string,
  group: { where: string; entry: Entry; rater?: string }[],
  problems: DatasetProblem[],
): Entry | undefined {
  const first = group[0]!;
  const before = problems.length;
  const seen = new Map<string, string>();
  for (const g of group) {
    const rater = g.rater!;
    const earlier = seen.get(rater);
    if (earlier !== undefined) {
      problems.push({
        where: g.where,
        id,
        field: "rater",
        message: `rater ${JSON.stringify(rater)} already scored this id at ${earlier}`,
      });
    } else seen.set(rater, g.where);
    for (const field of sharedFields(first.entry, g.entry)) {
      problems.push({
        where: g.where,
        id,
        field,
        message: `differs from ${first.where}, which has the same id`,
      });
    }
  }
  if (problems.length > before) return undefined;
  const grades = group.map((g) => ({ rater: g.rater!, score: g.entry.grade }));
  return { ...first.entry, grade: mean(grades.map((g) => g.score)), grades };
}

/** The fields (other than the score itself) on which two rows of one entry disagree. */
function sharedFields(a: Entry, b: Entry): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete("grade");
  const differing: string[] = [];
  for (const key of keys) {
    const x = (a as unknown as Row)[key];
    const y = (b as unknown as Row)[key];
    if (x === y) continue;
    if (JSON.stringify(x) !== JSON.stringify(y)) differing.push(key);
  }
  return differing;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") {
    return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  }
  if (typeof v === "number") return `the number ${v}`;
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}
