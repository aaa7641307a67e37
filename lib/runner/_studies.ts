/**
 * Choosing entries by study, for the config's `studies` and the `study` option: a study id,
 * several, `*` patterns or a RegExp, read as `filterEntries` reads them.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";
import type { Match } from "../data/filter_entries.ts";
import { _matcher } from "../data/_match.ts";

/**
 * A test of study names: every study when `study` is absent.
 *
 * @param study What to match.
 * @param entries The entries, for the names present.
 * @param who Who asks, to start error messages (e.g. `"runBenchmark()"`).
 * @returns Whether a study name is chosen.
 * @throws {Error} For an empty list, or a name no entry has (listing those present).
 */
export function _studyMatcher(
  study: Match | undefined,
  entries: readonly Entry[],
  who: string,
): (name: string) => boolean {
  if (study === undefined) return () => true;
  if (typeof study !== "string" && !(study instanceof RegExp) && study.length === 0) {
    throw new Error(`${who}: the study list is empty`);
  }
  return _matcher(study, entries.map((entry) => entry.study), `${who}: no entries with study`);
}

/**
 * A study choice in words, for messages.
 *
 * @param study The choice.
 * @returns It as JSON, or the RegExp's source.
 */
export function _describeStudy(study: Match): string {
  if (study instanceof RegExp) return String(study);
  return typeof study === "string" ? JSON.stringify(study) : JSON.stringify([...study]);
}
