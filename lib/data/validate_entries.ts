/**
 * Validation of raw dataset rows against the entry schema.
 *
 * @module
 */

import { isTaskKey, TASK_KEYS } from "./task_key.ts";
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
 * The per-rater columns of a dataset frame (`entriesFrame`). A source that has them, such as a
 * frame the kit wrote itself, gives its per-rater scores through them.
 */
const RATER_LISTS = ["raters", "rater_scores"] as const;
/** Fields read into an entry's own properties; every other field is kept in `extra`. */
const READ_FIELDS: ReadonlySet<string> = new Set([...ENTRY_FIELDS, ...RATER_LISTS]);
/** Key fields that may also be written as integers (`17`), read as their digits (`"17"`). */
const INTEGER_KEYS: ReadonlySet<string> = new Set(["id", "case_id"]);

/** One row after its own checks: its entry when valid, and what groups it with other rows. */
interface Checked {
  where: string;
  /** The row's id, when it has a readable one. */
  id: string | undefined;
  /** The entry, when the row passed its own checks. */
  entry: Entry | undefined;
  /** Whether the row has a `rater` field (one score per row). */
  perRater: boolean;
  /** The rater's name, when valid. */
  rater: string | undefined;
}

/**
 * Checks raw rows against the entry schema, merging per-rater rows, and reports every problem.
 *
 * Per-rater scores come in one of three forms:
 * - a `grades` list of `{ rater, score }` items, or of bare numbers, named `#1`, `#2`… by
 *   position. Only `rater` and `score` are read from an item; other keys (a `comment`, a date)
 *   are ignored;
 * - parallel `raters` and `rater_scores` lists, as `entriesFrame` writes them (so a frame the kit
 *   saved loads again as it was); two empty lists mean no per-rater scores;
 * - several rows sharing an `id`, each with a `rater` and that rater's `grade`; such rows must
 *   agree on every other field (JSON values such as rubrics compared by content, whatever the
 *   order of their keys), and the merged `grade` is their mean.
 *
 * An entry with per-rater scores but no `grade` gets their mean. A row with neither that carries
 * a `generation` field (a candidate model's response, written by `generateResponses`) is a
 * response no physician has graded: it loads with `grade` `NaN`. `id` and `case_id` may be
 * integers (as a JSON or Parquet export may write them) and are read as their digits (`17` →
 * `"17"`); a `rater` may be any finite number.
 *
 * Rows are rejected, never silently dropped: a missing or mistyped field, a number that is not
 * finite (`NaN`), a grade outside `0..max_score`, an unknown task key, or an `id` used twice
 * without `rater` each give a problem naming the row, the id and the field. When rows sharing an
 * id cannot be loaded (duplicates without `rater`, or per-rater rows of which one is invalid or
 * disagrees with the others), every one of them gets a problem: an entry is loaded with all of
 * its rows or not at all.
 *
 * @param rows Parsed rows with their locations.
 * @returns The valid entries and the problems found, in the order of `rows`.
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
  const checked = rows.map((row) => checkRow(row, problems));
  const entries = mergeById(checked, problems);
  // Merging finds problems out of file order; report them in file order (stable within a row).
  const position = new Map(rows.map((r, i) => [r.where, i]));
  problems.sort((a, b) => (position.get(a.where) ?? 0) - (position.get(b.where) ?? 0));
  return { entries, problems };
}

function checkRow({ where, value }: RawRow, problems: DatasetProblem[]): Checked {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push({ where, message: `expected an object, got ${typeName(value)}` });
    return { where, id: undefined, entry: undefined, perRater: false, rater: undefined };
  }
  const row = value as Row;
  const keys: Record<string, unknown> = {};
  for (const field of KEY_FIELDS) {
    const v = row[field];
    keys[field] = INTEGER_KEYS.has(field) && Number.isSafeInteger(v) ? String(v) : v;
  }
  const id = typeof keys.id === "string" && keys.id !== "" ? keys.id : undefined;
  const before = problems.length;
  const fail: Fail = (field, message) =>
    problems.push(id === undefined ? { where, field, message } : { where, id, field, message });

  checkText(row, keys, fail);
  const scores = checkGrading(row, fail);
  if (problems.length > before) {
    return { where, id, entry: undefined, perRater: scores.perRater, rater: scores.rater };
  }
  return {
    where,
    id,
    entry: entryOf(row, keys, scores),
    perRater: scores.perRater,
    rater: scores.rater,
  };
}

/** Records one problem with a field of the row being checked. */
type Fail = (field: string, message: string) => void;

/** The key fields, the task key, the response, the context fields and the rubric. */
function checkText(row: Row, keys: Record<string, unknown>, fail: Fail): void {
  for (const field of KEY_FIELDS) {
    const v = keys[field];
    const expected = INTEGER_KEYS.has(field) ? "a string or an integer" : "a string";
    if (v === undefined || v === null) fail(field, "missing");
    else if (typeof v !== "string") fail(field, `expected ${expected}, got ${typeName(v)}`);
    else if (v === "") fail(field, "empty");
  }
  if (typeof row.benchmark === "string" && row.benchmark !== "" && !isTaskKey(row.benchmark)) {
    fail(
      "benchmark",
      `unknown task key ${JSON.stringify(row.benchmark)}; valid keys: ${TASK_KEYS.join(", ")}`,
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
}

/** A row's checked scores (meaningful only when no problem was recorded). */
interface Scores {
  maxScore: number;
  grade: number | undefined;
  grades: RaterScore[] | undefined;
  perRater: boolean;
  rater: string | undefined;
}

/** `max_score`, the per-rater scores in any of their three shapes, and `grade`. */
function checkGrading(row: Row, fail: Fail): Scores {
  const maxScore = row.max_score;
  const maxOk = isFiniteNumber(maxScore) && maxScore > 0;
  if (maxScore === undefined || maxScore === null) fail("max_score", "missing");
  else if (!isFiniteNumber(maxScore)) fail("max_score", notANumber(maxScore));
  else if (maxScore <= 0) fail("max_score", `must be above 0, got ${maxScore}`);

  const inScale = (field: string, score: number) => {
    if (!maxOk) return;
    if (score < 0) fail(field, `${score} is below 0`);
    else if (score > (maxScore as number)) {
      fail(field, `${score} is above max_score ${maxScore}`);
    }
  };

  const present = (v: unknown) => v !== undefined && v !== null;
  const hasGrades = present(row.grades);
  const hasLists = present(row.raters) || present(row.rater_scores);
  let grades = checkGrades(row.grades, fail, inScale);
  if (hasLists) {
    if (hasGrades) {
      fail(
        "raters",
        "a row has either a `grades` list or `raters` and `rater_scores` lists, not both",
      );
    } else grades = checkRaterLists(row.raters, row.rater_scores, fail, inScale);
  }
  let rater: string | undefined;
  const perRater = present(row.rater);
  if (perRater) {
    if (typeof row.rater === "string" && row.rater !== "") rater = row.rater;
    else if (isFiniteNumber(row.rater)) rater = String(row.rater);
    else fail("rater", `expected a string or number, got ${typeName(row.rater)}`);
    if (hasGrades || hasLists) {
      fail(
        "rater",
        `a row has either a \`rater\` (one score per row) or a \`${
          hasGrades ? "grades" : "raters"
        }\` list, not both`,
      );
    }
  }

  let grade: number | undefined;
  if (row.grade === undefined || row.grade === null) {
    if (grades && grades.length > 0) grade = mean(grades.map((g) => g.score));
    // A candidate model's generated response has no physician grade yet.
    else if (present(row.generation)) grade = Number.NaN;
    else fail("grade", "missing");
  } else if (!isFiniteNumber(row.grade)) {
    fail("grade", notANumber(row.grade));
  } else {
    grade = row.grade;
    inScale("grade", grade);
  }
  return { maxScore: maxScore as number, grade, grades, perRater, rater };
}

/** The entry of a row that passed every check; unread fields go to `extra`. */
function entryOf(row: Row, keys: Record<string, unknown>, scores: Scores): Entry {
  const entry: Entry = {
    id: keys.id as string,
    case_id: keys.case_id as string,
    benchmark: row.benchmark as Entry["benchmark"],
    study: row.study as string,
    model: row.model as string,
    grade: scores.grade as number,
    max_score: scores.maxScore,
    response: row.response as string,
  };
  if (row.rubric !== undefined && row.rubric !== null) entry.rubric = row.rubric;
  for (const field of CONTEXT_FIELDS) {
    const v = row[field];
    if (typeof v === "string") entry[field] = v;
  }
  if (scores.grades) entry.grades = scores.grades;
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const key of Object.keys(row)) {
    if (!READ_FIELDS.has(key)) {
      extra[key] = row[key];
      hasExtra = true;
    }
  }
  if (hasExtra) entry.extra = extra;
  return entry;
}

/** How the fields of one per-rater score are named in messages. */
interface ScoreFields {
  /** Its rater (`grades[1].rater`, `raters[1]`). */
  rater: (i: number) => string;
  /** Its score (`grades[1].score`, `rater_scores[1]`). */
  score: (i: number) => string;
}

const GRADES_FIELDS: ScoreFields = {
  rater: (i) => `grades[${i}].rater`,
  score: (i) => `grades[${i}].score`,
};

const LIST_FIELDS: ScoreFields = {
  rater: (i) => `raters[${i}]`,
  score: (i) => `rater_scores[${i}]`,
};

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
  return checkScores(
    value.length,
    (i) => {
      const item: unknown = value[i];
      if (isFiniteNumber(item)) return { rater: `#${i + 1}`, score: item };
      if (item !== null && typeof item === "object" && !Array.isArray(item)) {
        // Only the rater and the score are read; other keys of an item are ignored.
        return { rater: (item as Row).rater, score: (item as Row).score };
      }
      fail(`grades[${i}]`, `expected { rater, score } or a number, got ${typeName(item)}`);
      return undefined;
    },
    GRADES_FIELDS,
    fail,
    inScale,
  );
}

/** Parallel `raters` and `rater_scores` lists, as `entriesFrame` writes them. */
function checkRaterLists(
  raters: unknown,
  scores: unknown,
  fail: (field: string, message: string) => void,
  inScale: (field: string, score: number) => void,
): RaterScore[] | undefined {
  const together = "(`raters` and `rater_scores` are parallel lists of per-rater scores)";
  if (raters === undefined || raters === null) {
    fail("raters", `missing, though the row has \`rater_scores\` ${together}`);
    return undefined;
  }
  if (scores === undefined || scores === null) {
    fail("rater_scores", `missing, though the row has \`raters\` ${together}`);
    return undefined;
  }
  let ok = true;
  for (const [field, v] of [["raters", raters], ["rater_scores", scores]] as const) {
    if (!Array.isArray(v)) {
      fail(field, `expected a list, got ${typeName(v)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const names = raters as unknown[];
  const values = scores as unknown[];
  if (names.length !== values.length) {
    fail("rater_scores", `${values.length} scores for ${names.length} raters ${together}`);
    return undefined;
  }
  if (names.length === 0) return undefined; // No per-rater scores, as entriesFrame writes it.
  return checkScores(
    names.length,
    (i) => ({ rater: names[i], score: values[i] }),
    LIST_FIELDS,
    fail,
    inScale,
  );
}

/** Checks each rater name and score, in order; `item` reports an item it cannot read. */
function checkScores(
  count: number,
  item: (i: number) => { rater: unknown; score: unknown } | undefined,
  fields: ScoreFields,
  fail: (field: string, message: string) => void,
  inScale: (field: string, score: number) => void,
): RaterScore[] {
  const grades: RaterScore[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const read = item(i);
    if (read === undefined) continue;
    const r = read.rater;
    let rater: string;
    if (typeof r === "string" && r !== "") rater = r;
    else if (isFiniteNumber(r)) rater = String(r);
    else {
      fail(
        fields.rater(i),
        r === undefined || r === null ? "missing" : `expected a string, got ${typeName(r)}`,
      );
      continue;
    }
    const score = read.score;
    if (!isFiniteNumber(score)) {
      fail(
        fields.score(i),
        score === undefined || score === null ? "missing" : notANumber(score),
      );
      continue;
    }
    if (seen.has(rater)) {
      fail(fields.rater(i), `rater ${JSON.stringify(rater)} appears twice`);
      continue;
    }
    seen.add(rater);
    inScale(fields.score(i), score);
    grades.push({ rater, score });
  }
  return grades;
}

/**
 * Groups rows by id: merges per-rater rows into one entry, and rejects every row of a group that
 * cannot be loaded whole (a repeated id without `rater`, or an invalid or disagreeing rater row).
 */
function mergeById(checked: readonly Checked[], problems: DatasetProblem[]): Entry[] {
  const groups = new Map<string, Checked[]>();
  // Rows without a readable id form groups of their own (they are invalid anyway).
  checked.forEach((item, i) => {
    const key = item.id === undefined ? `\0${i}` : `=${item.id}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  });
  const entries: Entry[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    if (group.length === 1) {
      if (first.entry === undefined) continue;
      entries.push(
        first.rater === undefined ? first.entry : {
          ...first.entry,
          grades: [{ rater: first.rater, score: first.entry.grade }],
        },
      );
      continue;
    }
    const id = first.id!;
    const places = group.map((g) => g.where);
    if (group.some((g) => !g.perRater)) {
      const need = "repeated rows need a `rater` field each";
      const others = places.slice(1).join(", ");
      group.forEach((g, k) => {
        const message = k === 0
          ? `rejected with its duplicate${group.length > 2 ? "s" : ""} at ${others}; ${need}`
          : `duplicate id (rows: ${places.join(", ")}); ${need}`;
        problems.push({ where: g.where, id, field: "id", message });
      });
      continue;
    }
    const merged = mergeRaterRows(id, group, problems);
    if (merged) entries.push(merged);
  }
  return entries;
}

function mergeRaterRows(
  id: string,
  group: readonly Checked[],
  problems: DatasetProblem[],
): Entry | undefined {
  // Rows with a problem of their own, then those that clash with the others.
  const faulty = new Set(group.filter((g) => g.entry === undefined).map((g) => g.where));
  const reference = group.find((g) => g.entry !== undefined);
  const seen = new Map<string, string>();
  for (const g of group) {
    if (g.rater !== undefined) {
      const earlier = seen.get(g.rater);
      if (earlier !== undefined) {
        problems.push({
          where: g.where,
          id,
          field: "rater",
          message: `rater ${JSON.stringify(g.rater)} already scored this id at ${earlier}`,
        });
        faulty.add(g.where);
      } else seen.set(g.rater, g.where);
    }
    if (g.entry === undefined || g === reference) continue;
    for (const field of differingFields(reference!.entry!, g.entry)) {
      problems.push({
        where: g.where,
        id,
        field,
        message: `differs from ${reference!.where}, which has the same id`,
      });
      faulty.add(g.where);
    }
  }
  if (faulty.size === 0) {
    const grades = group.map((g) => ({ rater: g.rater!, score: g.entry!.grade }));
    return { ...reference!.entry!, grade: mean(grades.map((g) => g.score)), grades };
  }
  const invalid = group.filter((g) => faulty.has(g.where)).map((g) => g.where);
  for (const g of group) {
    if (faulty.has(g.where)) continue;
    problems.push({
      where: g.where,
      id,
      field: "id",
      message: `rejected with the other rows of this id, because ${invalid.join(", ")} ${
        invalid.length === 1 ? "is" : "are"
      } invalid: an entry is loaded with all of its raters or not at all`,
    });
  }
  return undefined;
}

/** The fields (other than the score itself) on which two rows of one entry disagree. */
function differingFields(a: Entry, b: Entry): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete("grade");
  const differing: string[] = [];
  for (const key of keys) {
    if (!sameValue((a as unknown as Row)[key], (b as unknown as Row)[key])) differing.push(key);
  }
  return differing;
}

/** Whether two JSON values are equal in content: lists in order, objects in any key order. */
function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) {
    return Number.isNaN(x) && Number.isNaN(y);
  }
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => sameValue(v, y[i]));
  }
  const xs = Object.keys(x);
  if (xs.length !== Object.keys(y).length) return false;
  return xs.every((k) => Object.hasOwn(y, k) && sameValue((x as Row)[k], (y as Row)[k]));
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** What is wrong with a value where a finite number is needed. */
function notANumber(v: unknown): string {
  return typeof v === "number"
    ? `${v} is not a finite number`
    : `expected a number, got ${typeName(v)}`;
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
