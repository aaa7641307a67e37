/**
 * "Did you mean" for the benchmark config and the keys file. Internal.
 *
 * @module
 */

/**
 * The known name closest to `name`, if it is a near miss: edit distance (with transpositions)
 * of at most a third of the length (and at least 1), ignoring case and `-`/`_`, or a prefix or
 * suffix of five or more characters (`dataset` → `dataset_path`, `retries` → `max_retries`).
 *
 * @param name The unknown name.
 * @param known The names it may have meant.
 * @returns The closest known name, or `undefined` when none is near.
 *
 * @example
 * ```ts
 * import { _suggest } from "./_config_suggest.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(_suggest("thread", ["threads", "tasks"]), "threads");
 * assert.equal(_suggest("colour", ["threads", "tasks"]), undefined);
 * ```
 */
export function _suggest(name: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/-/g, "_");
  const a = norm(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const b = norm(candidate);
    let d = distance(a, b);
    const limit = Math.max(1, Math.floor(Math.max(a.length, b.length) / 3));
    if (d > limit) {
      const [short, long] = a.length <= b.length ? [a, b] : [b, a];
      if (short.length < 5 || !(long.startsWith(short) || long.endsWith(short))) continue;
      d = limit + 0.5; // a prefix or suffix match ranks after any close spelling
    }
    if (d < bestDistance) [bestDistance, best] = [d, candidate];
  }
  return best;
}

/**
 * Optimal string alignment distance: Levenshtein plus adjacent transpositions, so that
 * `opneai` is one edit from `openai`. Kept here rather than taken from an npm package because
 * the lint rule `no-import-prefix` wants every package in `deno.json`'s import map.
 */
function distance(a: string, b: string): number {
  // Three rolling rows: two back (for transpositions), one back, and the current one.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, before[j - 2]! + 1);
      }
      row.push(v);
    }
    [before, previous] = [previous, row];
  }
  return previous[b.length]!;
}
