/**
 * Selecting entries by task, study and model.
 *
 * @module
 */

import pl from "nodejs-polars";
import { isTaskKey, TASK_KEYS } from "./task_key.ts";
import type { DataFrame } from "./data_frame.ts";

/**
 * A value to match: one name, several names, or a pattern (e.g. `/^brodeur/`, `/gpt/i`). A pattern
 * is a JavaScript `RegExp`, matched as `RegExp.test` would match it, flags included.
 */
export type Match = string | readonly string[] | RegExp;

/** Which entries to keep; criteria combine with "and". */
export interface EntryFilter {
  /** Task key(s) (`benchmark` column). */
  task?: Match;
  /** Study id(s) or a pattern. */
  study?: Match;
  /** Model or physician group name(s) or a pattern. */
  model?: Match;
}

/**
 * Keeps the entries of the given tasks, studies and models.
 *
 * A name that matches no entry is an error listing the names present (a typo should not
 * quietly give an empty frame); a pattern may match nothing. Patterns are JavaScript regular
 * expressions, tested in JavaScript with all their flags (`/gpt/i` ignores case) and syntax
 * (look-behind too); an empty value never matches.
 *
 * @param dataset A frame from `loadDataset`.
 * @param filter The tasks, studies and models to keep.
 * @returns The matching rows.
 * @throws {Error} On an unknown task key or a name absent from the frame.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { filterEntries } from "./filter_entries.ts";
 * import assert from "node:assert/strict";
 *
 * const df = pl.DataFrame({
 *   benchmark: ["cpc_bond", "r_idea", "cpc_bond"],
 *   study: ["brodeur2025_cpc", "cabral2024", "kanjee2023"],
 *   model: ["o1-preview", "gpt-4", "gpt-4"],
 * });
 * assert.equal(filterEntries(df, { task: "cpc_bond", study: /^brodeur/ }).height, 1);
 * assert.equal(filterEntries(df, { model: ["gpt-4"] }).height, 2);
 * assert.equal(filterEntries(df, { model: /GPT/i }).height, 2);
 * ```
 */
export function filterEntries(dataset: DataFrame, filter: EntryFilter): DataFrame {
  let out = dataset;
  const criteria: [keyof EntryFilter, string][] = [
    ["task", "benchmark"],
    ["study", "study"],
    ["model", "model"],
  ];
  for (const [option, column] of criteria) {
    const match = filter[option];
    if (match === undefined) continue;
    if (match instanceof RegExp) {
      out = out.filter(matching(out.getColumn(column), match));
      continue;
    }
    const names = typeof match === "string" ? [match] : [...match];
    if (option === "task") {
      const unknown = names.filter((n) => !isTaskKey(n));
      if (unknown.length > 0) {
        throw new Error(
          `filterEntries(): unknown task key ${
            unknown.map((u) => JSON.stringify(u)).join(", ")
          }; ` +
            `valid keys: ${TASK_KEYS.join(", ")}`,
        );
      }
    }
    const present = new Set(dataset.getColumn(column).unique().toArray() as string[]);
    const absent = names.filter((n) => !present.has(n));
    // Unknown task keys are caught above; a valid task with no entries is fine to ask for.
    if (absent.length > 0 && option !== "task") {
      throw new Error(
        `filterEntries(): no entries with ${option} ${
          absent.map((a) => JSON.stringify(a)).join(", ")
        }; present: ${[...present].sort().join(", ")}`,
      );
    }
    out = out.filter(pl.col(column).isIn(names));
  }
  return out;
}

/** A boolean mask: which values of a text column the pattern matches (nulls never do). */
function matching(values: pl.Series, pattern: RegExp): pl.Series {
  // A global or sticky pattern keeps state between calls to `test`: match each value afresh.
  const re = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  const mask = (values.toArray() as unknown[]).map((v) => v !== null && re.test(String(v)));
  return pl.Series(values.name, mask, pl.Bool);
}
