/**
 * A first look at how physicians agree with each other, task by task.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { pearson } from "./pearson.ts";

/**
 * Per task, how closely pairs of physicians who scored the same response agree: every pair of
 * raters on each entry counts once (rater order as listed in the source).
 *
 * Columns: `benchmark`, `entries` (entries with two or more raters), `pairs`,
 * `exact_agreement` (share of pairs with identical scores), `mean_abs_difference` (on the
 * task's own scale), `normalised_mad` (the same divided by `max_score`), `pearson` (over pairs).
 * This is a descriptive look, not the leave-one-out physician ceiling.
 *
 * @param ratings The long frame from `ratings(dataset)`.
 * @returns One row per task, largest first.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { physicianAgreement } from "./physician_agreement.ts";
 * import assert from "node:assert/strict";
 *
 * const long = pl.DataFrame({
 *   id: ["a", "a", "b", "b", "c", "c"],
 *   benchmark: Array(6).fill("r_idea"),
 *   max_score: Array(6).fill(10),
 *   rater: ["p1", "p2", "p1", "p2", "p1", "p3"],
 *   score: [8, 8, 6, 7, 9, 10],
 * });
 * const row = physicianAgreement(long).toRecords()[0]!;
 * assert.equal(row.pairs, 3);
 * assert.equal(row.exact_agreement, 1 / 3);
 * ```
 */
export function physicianAgreement(ratings: DataFrame): DataFrame {
  const byTask = new Map<
    string,
    { entries: Set<string>; a: number[]; b: number[]; max: number[] }
  >();
  const groups = new Map<string, { benchmark: string; max: number; scores: number[] }>();
  const ids = ratings.getColumn("id").toArray() as string[];
  const tasks = ratings.getColumn("benchmark").toArray() as string[];
  const maxima = ratings.getColumn("max_score").toArray() as number[];
  const scores = ratings.getColumn("score").toArray() as number[];
  ids.forEach((id, i) => {
    const group = groups.get(id);
    if (group) group.scores.push(scores[i]!);
    else groups.set(id, { benchmark: tasks[i]!, max: maxima[i]!, scores: [scores[i]!] });
  });
  for (const [id, { benchmark, max, scores: s }] of groups) {
    if (s.length < 2) continue;
    let task = byTask.get(benchmark);
    if (!task) byTask.set(benchmark, task = { entries: new Set(), a: [], b: [], max: [] });
    task.entries.add(id);
    for (let i = 0; i < s.length; i++) {
      for (let j = i + 1; j < s.length; j++) {
        task.a.push(s[i]!);
        task.b.push(s[j]!);
        task.max.push(max);
      }
    }
  }
  const rows = [...byTask].map(([benchmark, t]) => {
    const n = t.a.length;
    let exact = 0, mad = 0, nmad = 0;
    for (let k = 0; k < n; k++) {
      const d = Math.abs(t.a[k]! - t.b[k]!);
      if (d === 0) exact++;
      mad += d;
      nmad += d / t.max[k]!;
    }
    return {
      benchmark,
      entries: t.entries.size,
      pairs: n,
      exact_agreement: exact / n,
      mean_abs_difference: mad / n,
      normalised_mad: nmad / n,
      pearson: n >= 2 ? pearson(t.a, t.b) : NaN,
    };
  }).sort((x, y) => y.entries - x.entries);
  if (rows.length === 0) {
    return pl.DataFrame({
      benchmark: pl.Series("benchmark", [], pl.Utf8),
      entries: pl.Series("entries", [], pl.Int64),
      pairs: pl.Series("pairs", [], pl.Int64),
      exact_agreement: pl.Series("exact_agreement", [], pl.Float64),
      mean_abs_difference: pl.Series("mean_abs_difference", [], pl.Float64),
      normalised_mad: pl.Series("normalised_mad", [], pl.Float64),
      pearson: pl.Series("pearson", [], pl.Float64),
    });
  }
  return pl.DataFrame(rows).withColumns(
    pl.col("entries").cast(pl.Int64),
    pl.col("pairs").cast(pl.Int64),
  );
}
