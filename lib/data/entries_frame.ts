/**
 * Validated entries as a Polars DataFrame.
 *
 * @module
 */

import pl from "nodejs-polars";
import { DatasetError } from "./dataset_error.ts";
import { CONTEXT_FIELDS, type Entry } from "./entry.ts";
import type { DataFrame } from "./data_frame.ts";

/**
 * The columns of a dataset frame, in order (extra source fields follow them).
 *
 * `rubric` holds JSON text (rubrics differ in shape from entry to entry); `raters` and
 * `rater_scores` are parallel lists of the per-physician scores (empty when the source has
 * only `grade`); `ratings()` turns them into a long frame.
 */
export const DATASET_COLUMNS = [
  "id",
  "case_id",
  "benchmark",
  "study",
  "model",
  "grade",
  "max_score",
  "response",
  "rubric",
  ...CONTEXT_FIELDS,
  "raters",
  "rater_scores",
] as const;

/**
 * Builds the dataset frame from validated entries, one row per entry.
 *
 * @param entries Entries from `validateEntries` (or the sample generator).
 * @returns A DataFrame with `DATASET_COLUMNS` and then any extra fields.
 * @throws {DatasetError} When an entry's `extra` holds a field named like one of
 *   `DATASET_COLUMNS` (`validateEntries` never puts one there: it reads `raters` and
 *   `rater_scores` as per-rater scores).
 *
 * @example
 * ```ts
 * import { entriesFrame } from "./entries_frame.ts";
 * import assert from "node:assert/strict";
 *
 * const df = entriesFrame([{
 *   id: "a", case_id: "c1", benchmark: "cpc_bond", study: "kanjee2023", model: "gpt-4",
 *   grade: 4.5, max_score: 5, response: "1. Pheo",
 *   grades: [{ rater: "p1", score: 4 }, { rater: "p2", score: 5 }],
 * }]);
 * assert.equal(df.height, 1);
 * assert.deepEqual(df.getColumn("rater_scores").toArray(), [[4, 5]]);
 * ```
 */
export function entriesFrame(entries: readonly Entry[]): DataFrame {
  const text = (pick: (e: Entry) => string | undefined) => entries.map((e) => pick(e) ?? null);
  const columns: pl.Series[] = [
    pl.Series("id", entries.map((e) => e.id), pl.Utf8),
    pl.Series("case_id", entries.map((e) => e.case_id), pl.Utf8),
    pl.Series("benchmark", entries.map((e) => e.benchmark), pl.Utf8),
    pl.Series("study", entries.map((e) => e.study), pl.Utf8),
    pl.Series("model", entries.map((e) => e.model), pl.Utf8),
    // A generated response has no physician grade (NaN): a missing value in the frame.
    pl.Series("grade", entries.map((e) => Number.isNaN(e.grade) ? null : e.grade), pl.Float64),
    pl.Series("max_score", entries.map((e) => e.max_score), pl.Float64),
    pl.Series("response", entries.map((e) => e.response), pl.Utf8),
    pl.Series(
      "rubric",
      text((e) => e.rubric === undefined ? undefined : rubricText(e.rubric)),
      pl.Utf8,
    ),
    ...CONTEXT_FIELDS.map((field) => pl.Series(field, text((e) => e[field]), pl.Utf8)),
    listSeries("raters", entries.map((e) => (e.grades ?? []).map((g) => g.rater)), pl.Utf8),
    listSeries(
      "rater_scores",
      entries.map((e) => (e.grades ?? []).map((g) => g.score)),
      pl.Float64,
    ),
    ...extraColumns(entries),
  ];
  return pl.DataFrame(columns);
}

/** A list column; nodejs-polars cannot type an empty series of lists, so slice a typed one. */
function listSeries<T>(name: string, values: T[][], inner: pl.DataType): pl.Series {
  // All-empty lists come back as List(Null) whatever dtype is asked for; cast them.
  if (values.length > 0) return pl.Series(name, values, pl.List(inner)).cast(pl.List(inner));
  const typed = inner === pl.Utf8 ? [[""]] : [[0]];
  return pl.Series(name, typed, pl.List(inner)).slice(0, 0);
}

/** A rubric as text: strings stay as they are, objects and lists become JSON. */
function rubricText(rubric: unknown): string {
  return typeof rubric === "string" ? rubric : JSON.stringify(rubric);
}

/** One column per extra source field: typed when its values agree on a type, JSON text if not. */
function extraColumns(entries: readonly Entry[]): pl.Series[] {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.extra) continue;
    for (const key of Object.keys(e.extra)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const clashes = keys.filter((key) => (DATASET_COLUMNS as readonly string[]).includes(key));
  if (clashes.length > 0) {
    throw new DatasetError(
      "entriesFrame()",
      entries.flatMap((e, i) =>
        clashes.filter((key) => e.extra !== undefined && Object.hasOwn(e.extra, key)).map((
          key,
        ) => ({
          where: `entry ${i}`,
          id: e.id,
          field: key,
          message: `an extra field named like the frame's own ${
            JSON.stringify(key)
          } column; rename it, or give per-rater scores as \`grades\``,
        }))
      ),
    );
  }
  return keys.map((key) => {
    const values = entries.map((e) => e.extra?.[key] ?? null);
    const types = new Set(values.filter((v) => v !== null).map((v) => typeof v));
    if (types.size === 1 && types.has("string")) return pl.Series(key, values, pl.Utf8);
    if (types.size === 1 && types.has("number")) return pl.Series(key, values, pl.Float64);
    if (types.size === 1 && types.has("boolean")) return pl.Series(key, values, pl.Bool);
    return pl.Series(key, values.map((v) => v === null ? null : JSON.stringify(v)), pl.Utf8);
  });
}
