/**
 * The lexical R-IDEA rule (`r_idea`, 0–10): the four domains detected by structural cues.
 *
 * @module
 */

import type { RuleOutcome } from "./_lexical_outcome.ts";
import {
  cueList,
  DIFFERENTIAL,
  findCue,
  findCues,
  isListLine,
  LEAD,
  sentences,
  tokenize,
} from "./_lexical_text.ts";
import {
  ALTERNATIVE_CUES,
  ALTERNATIVE_REASON_CUES,
  EXPLANATION_CUES,
  SEMANTIC_QUALIFIERS,
  THRESHOLDS,
} from "./_lexical_words.ts";

const QUALIFIERS = cueList(SEMANTIC_QUALIFIERS);
const EXPLAIN = cueList(EXPLANATION_CUES);
const ALTERNATIVE = cueList(ALTERNATIVE_CUES);
const REASON = cueList(ALTERNATIVE_REASON_CUES);
const SUMMARY_LABEL = /^(?:in summary|summary|assessment|impression|one[- ]liner|synopsis)\b/i;

/**
 * Scores reasoning documentation on the four R-IDEA domains, from cues alone (sentences are
 * lines and `.`/`!`/`?`-ended sentences):
 * - I (0–4): the summary is the sentence labelled "Summary"/"Assessment"/"Impression"/
 *   "One-liner", else the first sentence. With 6+ words it earns 1 plus 1 per distinct semantic
 *   qualifier in it (acute, chronic, progressive, intermittent, painless, bilateral…; at most
 *   3); a shorter one earns at most 1 for a qualifier; a summary over 60 words loses 1.
 * - D (0–2): 2 when a sentence commits to a lead diagnosis ("most likely", "leading/working
 *   diagnosis", "favor", "I suspect", "diagnosis is"…); 1 for an uncommitted differential (two
 *   or more list lines, or the word "differential"/"DDx"); else 0.
 * - E (0–2): 2 when the lead sentence or the next one gives a reason ("because", "given",
 *   "consistent with", "suggests", "fits"…) and is not about an alternative; 1 when such a
 *   reason appears elsewhere; else 0.
 * - A (0–2): 2 when a sentence that raises an alternative ("less likely", "alternatively",
 *   "versus", "cannot exclude", "rule out"…) also gives a reason ("because", "but", "given",
 *   "without", "no"…); 1 for an alternative without a reason; else 0.
 */
export function rIdeaScore(response: string): RuleOutcome {
  const segs = sentences(response);
  const labelled = segs.findIndex((s) => SUMMARY_LABEL.test(s));
  const summary = segs[labelled >= 0 ? labelled : 0] ?? "";
  const length = tokenize(summary).length;
  const qualifiers = findCues(summary, QUALIFIERS);
  let i = length >= THRESHOLDS.summaryMinWords
    ? 1 + Math.min(3, qualifiers.length)
    : Math.min(1, qualifiers.length);
  if (length > THRESHOLDS.summaryMaxWords) i = Math.max(0, i - 1);

  const lead = segs.findIndex((s) => findCue(s, LEAD) !== undefined);
  const listLines = response.split(/\r?\n/).filter(isListLine).length;
  const d = lead >= 0 ? 2 : listLines >= 2 || findCue(response, DIFFERENTIAL) ? 1 : 0;

  const explains = (s: string | undefined) =>
    s !== undefined && findCue(s, EXPLAIN) !== undefined && findCue(s, ALTERNATIVE) === undefined;
  const e = lead >= 0 && (explains(segs[lead]) || explains(segs[lead + 1]))
    ? 2
    : segs.some(explains)
    ? 1
    : 0;

  const alternatives = segs.filter((s) => findCue(s, ALTERNATIVE) !== undefined);
  const a = alternatives.some((s) => findCue(s, REASON) !== undefined)
    ? 2
    : alternatives.length > 0
    ? 1
    : 0;

  const parts = [
    `I ${i}/4 (summary of ${length} words, qualifiers: ${qualifiers.join(", ") || "none"})`,
    `D ${d}/2 (${
      d === 2 ? "commits to a lead diagnosis" : d === 1 ? "lists a differential" : "no differential"
    })`,
    `E ${e}/2 (${
      e === 2
        ? "reason given for the lead"
        : e === 1
        ? "a reason given elsewhere"
        : "no reasoning cue"
    })`,
    `A ${a}/2 (${
      a === 2
        ? "alternatives with reasons"
        : a === 1
        ? "alternatives without reasons"
        : "no alternatives"
    })`,
  ];
  return {
    ok: true,
    score: i + d + e + a,
    justification: `Baseline cue count: ${parts.join("; ")}.`,
    fields: { domains: { I: i, D: d, E: e, A: a } },
  };
}
