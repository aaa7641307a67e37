/**
 * Choosing entries by study: a study id, several, `*` wildcard patterns, or a RegExp — for the
 * config's `studies` and `generateResponses()`'s `study`.
 *
 * @module
 */

import type { Entry } from "../data/entry.ts";

/** Which studies to use: a study id, several, a `*` wildcard pattern, or a RegExp. */
export type StudyMatch = string | readonly string[] | RegExp;

/**
 * A test of study names. A name without `*` must be a study the entries have (a typo would
 * otherwise select nothing, silently); a pattern may match none.
 *
 * @param study What to match; `undefined` matches every study.
 * @param entries The entries, for the names present.
 * @param who Who asks, to start error messages (e.g. `"runBenchmark()"`).
 * @returns Whether a study name is chosen.
 * @throws {Error} For an empty list, or a name no entry has (listing those present).
 */
export function _studyMatcher(
  study: StudyMatch | undefined,
  entries: readonly Entry[],
  who: string,
): (name: string) => boolean {
  if (study === undefined) return () => true;
  if (study instanceof RegExp) {
    const re = new RegExp(study.source, study.flags.replace(/[gy]/g, ""));
    return (name) => re.test(name);
  }
  const names = typeof study === "string" ? [study] : [...study];
  if (names.length === 0) throw new Error(`${who}: the study list is empty`);
  const present = new Set(entries.map((e) => e.study));
  const tests = names.map((name) => {
    if (name.includes("*")) {
      const source = name.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*");
      const re = new RegExp(`^${source}$`);
      return (s: string) => re.test(s);
    }
    if (!present.has(name)) {
      throw new Error(
        `${who}: no entries with study ${JSON.stringify(name)}; present: ${
          [...present].sort().join(", ")
        }`,
      );
    }
    return (s: string) => s === name;
  });
  return (name) => tests.some((test) => test(name));
}

/**
 * A study choice in words, for messages.
 *
 * @param study The choice.
 * @returns It as JSON, or the RegExp's source.
 */
export function _describeStudy(study: StudyMatch): string {
  if (study instanceof RegExp) return String(study);
  return typeof study === "string" ? JSON.stringify(study) : JSON.stringify([...study]);
}
