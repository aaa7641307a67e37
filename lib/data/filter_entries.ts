/**
 * Selecting entries by task, study and model.
 *
 * @module
 */

import pl from "nodejs-polars";
import { isTaskKey, TASK_KEYS } from "./task_key.ts";
import type { DataFrame } from "./data_frame.ts";
import { _matcher } from "./_match.ts";

/**
 * A value to match: one name, several names, `*` wildcard patterns among them (`brodeur*`), or a
 * JavaScript `RegExp` (e.g. `/^brodeur/`, `/gpt/i`), matched as `RegExp.test` would match it,
 * flags included.
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
 * quietly give an empty frame); a pattern may match nothing. A `*` pattern stands for any text
 * (`brodeur*`); a `RegExp` is tested in JavaScript with all its flags (`/gpt/i` ignores case) and
 * syntax (look-behind too); an empty value never matches.
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
 * assert.equal(filterEntries(df, { study: "k*" }).height, 1);
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
    if (option === "task" && !(match instanceof RegExp)) {
      const names = typeof match === "string" ? [match] : [...match];
      const unknown = names.filter((n) => !n.includes("*") && !isTaskKey(n));
      if (unknown.length > 0) {
        throw new Error(
          `filterEntries(): unknown task key ${
            unknown.map((u) => JSON.stringify(u)).join(", ")
          }; valid keys: ${TASK_KEYS.join(", ")}`,
        );
      }
    }
    const values = (dataset.getColumn(column).unique().toArray() as unknown[])
      .filter((v) => v !== null).map(String);
    // A valid task with no entries is fine to ask for: the names are checked against every task.
    const chosen = _matcher(
      match,
      option === "task" ? TASK_KEYS : values,
      `filterEntries(): no entries with ${option}`,
    );
    out = out.filter(pl.col(column).isIn(values.filter(chosen)));
  }
  return out;
}
