/**
 * The lexical diagnostic-reasoning rule (`diagnostic_reasoning`, 0–19): a baseline heuristic
 * split of the 19 points written for this baseline — not the published one, which is not known
 * here (see lib/tasks/README.md).
 *
 * @module
 */

import { bondItemScore } from "./_lexical_bond.ts";
import { type RuleOutcome, snapToStep } from "./_lexical_outcome.ts";
import {
  contentWords,
  coverage,
  cueList,
  DIFFERENTIAL,
  differentialItems,
  findCue,
  isListLine,
  LEAD,
  quote,
  sentences,
  stripListMarker,
} from "./_lexical_text.ts";
import { NEXT_STEP_CUES, OPPOSE_CUES, SUPPORT_CUES, THRESHOLDS } from "./_lexical_words.ts";
import type { ScoreScale } from "../tasks/scale.ts";

const NEXT = cueList(NEXT_STEP_CUES);
const SUPPORT = cueList(SUPPORT_CUES);
const OPPOSE = cueList(OPPOSE_CUES);
const FOR_LABEL = /^(?:for|pro|supporting|support)\s*[:\-–]\s*/i;
const AGAINST_LABEL = /^(?:against|con|opposing)\s*[:\-–]\s*/i;

/** The baseline's own split of the 19 points (a heuristic, not the published rubric). */
export const DIAGNOSTIC_SPLIT = {
  differential: 4,
  supporting: 4,
  opposing: 4,
  final: 5,
  next: 2,
} as const;

/**
 * Scores a structured diagnostic reflection with the baseline's own split (19 points):
 * - differential (0–4): list lines (not For/Against/next-step lines), else the items of a
 *   "Differential:"/"DDx:" line; 1 item → 2, 2 → 3, 3 or more → 4.
 * - supporting findings (0–4) and opposing findings (0–4): the text after a "For:"/"Pro:"/
 *   "Supporting:" (or "Against:"/"Con:"/"Opposing:") label, or after a prose cue ("consistent
 *   with", "because", "suggests"… / "against", "however", "but", "absence of"…), split at
 *   commas, semicolons and "and"; 1 point per distinct finding with at least half its content
 *   words in the case vignette (a finding that is really in the case; "nothing", "none" and
 *   "N/A" are not findings).
 * - final diagnosis (0–5): the sentence with a lead cue ("most likely", "final diagnosis"…),
 *   else the first differential item, scored against the final diagnosis with the Bond matcher.
 * - next steps (0–2): 1 per item after a next-step cue ("next steps", "workup", "plan"…),
 *   listed on the cue's line or on the list lines after it.
 * The total is rescaled to the entry's maximum when that is not 19.
 */
export function diagnosticScore(
  response: string,
  finalDiagnosis: string,
  vignette: string,
  scale: ScoreScale,
): RuleOutcome {
  const vignetteWords = contentWords(vignette);
  const listItems: string[] = [];
  const supporting = new Set<string>();
  const opposing = new Set<string>();
  const nextSteps: string[] = [];
  let stated: string | undefined;
  let inNextSteps = false;
  const addFindings = (text: string, into: Set<string>) => {
    for (const finding of text.split(/[;,]|\band\b/)) {
      // "Against: nothing in the case argues against it" names no finding.
      if (/^\s*(?:nothing|none|n\/?a)\b/i.test(finding)) continue;
      const words = contentWords(finding);
      if (
        words.length > 0 && coverage(words, vignetteWords) >= THRESHOLDS.findingGrounded
      ) into.add(words.join(" "));
    }
  };
  for (const rawLine of response.split(/\r?\n/)) {
    const line = stripListMarker(rawLine).trim();
    if (line === "") continue;
    if (FOR_LABEL.test(line)) {
      addFindings(line.replace(FOR_LABEL, ""), supporting);
      continue;
    }
    if (AGAINST_LABEL.test(line)) {
      addFindings(line.replace(AGAINST_LABEL, ""), opposing);
      continue;
    }
    const colon = line.indexOf(":");
    const label = colon >= 0 ? line.slice(0, colon) : "";
    // A next-step cue opens the next-steps section: items on its line (after the colon or the
    // cue), then every list line until another kind of line.
    const next = findCue(label || line, NEXT);
    if (next !== undefined && !(label === "" && isListLine(rawLine))) {
      inNextSteps = true;
      nextSteps.push(...stepItems(colon >= 0 ? line.slice(colon + 1) : after(line, next)));
      continue;
    }
    if (isListLine(rawLine) && inNextSteps) {
      nextSteps.push(...stepItems(line).slice(0, 1));
      continue;
    }
    inNextSteps = false;
    if (findCue(line, LEAD) !== undefined) stated ??= line;
    else if (isListLine(rawLine)) listItems.push(...differentialItems(line).slice(0, 1));
    else if (findCue(label, DIFFERENTIAL) !== undefined) {
      listItems.push(...differentialItems(line.slice(colon + 1)));
    }
    for (const sentence of sentences(line)) {
      const against = findCue(sentence, OPPOSE);
      const support = findCue(sentence, SUPPORT);
      if (against !== undefined) addFindings(after(sentence, against), opposing);
      else if (support !== undefined) addFindings(after(sentence, support), supporting);
    }
  }
  stated ??= listItems[0];
  const final = stated === undefined ? undefined : bondItemScore(stated, finalDiagnosis);

  const n = listItems.length;
  const points = {
    differential: n === 0 ? 0 : n === 1 ? 2 : n === 2 ? 3 : DIAGNOSTIC_SPLIT.differential,
    supporting: Math.min(DIAGNOSTIC_SPLIT.supporting, supporting.size),
    opposing: Math.min(DIAGNOSTIC_SPLIT.opposing, opposing.size),
    final: final?.score ?? 0,
    next: Math.min(DIAGNOSTIC_SPLIT.next, nextSteps.length),
  };
  const total = points.differential + points.supporting + points.opposing + points.final +
    points.next;
  const score = snapToStep(total * scale.max / 19, scale.min, scale.max, scale.step ?? 1);
  const finalWords = stated === undefined
    ? "no final diagnosis stated"
    : `${quote(stated)} against ${quote(finalDiagnosis)}: ${final?.why ?? ""}`;
  return {
    ok: true,
    score,
    justification: `Baseline heuristic split (not the published one): differential ` +
      `${points.differential}/4 (${n} item(s)); supporting ${points.supporting}/4 and opposing ` +
      `${points.opposing}/4 (findings found in the vignette); final diagnosis ` +
      `${points.final}/5 (${finalWords}); next steps ${points.next}/2 (${nextSteps.length} ` +
      `item(s))` + (scale.max === 19 ? "." : `; ${total}/19 rescaled to ${score}/${scale.max}.`),
    fields: { components: points },
  };
}

/**
 * The part of a sentence after a cue. The cue is canonical ("suggest", "next step"), so each of
 * its words is found in turn as a word start, and the rest of that word ("suggests") skipped.
 */
function after(sentence: string, cue: string): string {
  const lower = sentence.toLowerCase();
  let at = 0;
  for (const word of cue.split(" ")) {
    const found = lower.slice(at).search(new RegExp(`\\b${word}`));
    if (found < 0) return sentence;
    at += found + word.length;
    while (at < lower.length && /[a-z]/.test(lower[at]!)) at++;
  }
  return sentence.slice(at);
}

/** Next-step items: differential-style items, also split at "and". */
function stepItems(text: string): string[] {
  return differentialItems(text)
    .flatMap((item) => item.split(/\band\b/))
    .filter((item) => contentWords(item).length > 0);
}
