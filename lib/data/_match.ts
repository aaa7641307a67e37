/**
 * Choosing names (tasks, studies, models) by a `Match`: the one reading of it, for
 * `filterEntries` and for the runner's `study` option and config `studies`.
 *
 * @module
 */

import type { Match } from "./filter_entries.ts";

/**
 * A test of names. A `RegExp` is tested as JavaScript would test it, flags included (a global or
 * sticky one afresh for each name); a name with `*` is a wildcard pattern, the rest of it
 * literal (`brodeur*`); any other name must be one of `present` — a typo would otherwise select
 * nothing, silently — while a pattern may match none.
 *
 * @param match What to choose.
 * @param present The names there are.
 * @param absent What the error for a name not present starts with, e.g.
 *   `runBenchmark(): no entries with study`; the names and those present follow.
 * @returns Whether a name is chosen.
 * @throws {Error} For names not present, listing them and those present.
 */
export function _matcher(
  match: Match,
  present: Iterable<string>,
  absent: string,
): (name: string) => boolean {
  if (match instanceof RegExp) {
    const re = new RegExp(match.source, match.flags.replace(/[gy]/g, ""));
    return (name) => re.test(name);
  }
  const names = typeof match === "string" ? [match] : [...match];
  const known = new Set(present);
  const missing = names.filter((name) => !name.includes("*") && !known.has(name));
  if (missing.length > 0) {
    const listed = missing.map((name) => JSON.stringify(name)).join(", ");
    throw new Error(`${absent} ${listed}; present: ${[...known].sort().join(", ")}`);
  }
  const tests = names.map((name) => {
    if (!name.includes("*")) return (s: string) => s === name;
    const literal = name.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
    const re = new RegExp(`^${literal.join(".*")}$`);
    return (s: string) => re.test(s);
  });
  return (name) => tests.some((test) => test(name));
}
