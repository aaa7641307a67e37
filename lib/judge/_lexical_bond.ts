/**
 * The lexical Bond matcher: how close one differential item comes to the final diagnosis, by
 * shared words alone, and the best item of a differential.
 *
 * @module
 */

import {
  commonPrefix,
  contentWords,
  differentialItems,
  foundWords,
  hasWord,
  headWord,
  isDiseaseNoun,
  isGeneric,
  jaccard,
  normalisedEditDistance,
  quote,
} from "./_lexical_text.ts";
import { THRESHOLDS } from "./_lexical_words.ts";

/** One item's Bond score (an anchor: 0, 2, 3, 4 or 5) and the reason, in words. */
export interface BondMatch {
  score: 0 | 2 | 3 | 4 | 5;
  why: string;
}

/**
 * The Bond anchor one item earns against the final diagnosis (I = the item's content words,
 * F = the final diagnosis's; word equality tolerates one typo in 7–13 letters, two from 14):
 * - 5: every word of F is in I; or Jaccard(I, F) ≥ 0.8; or the joined words are within 0.15
 *   normalised edit distance; or one side is a single word equal to the other's initials
 *   ("sbo"); or every word of I is in F, I has F's head word, and F's other words are generic
 *   qualifiers ("appendicitis" for "acute appendicitis").
 * - 4: every word of I is in F with F's head word, but F has a specific word I lacks (the
 *   right process named too broadly); or I has F's head word and Jaccard ≥ 0.5.
 * - 3: I has F's head word; or they share a disease noun (-itis, -oma, -osis…); or they share
 *   a non-generic word and Jaccard ≥ 0.5.
 * - 2: they share any non-generic word, or two non-generic words share a 6-letter stem.
 * - 0: otherwise (sharing only generic qualifiers such as "acute" or "disease" is nothing).
 */
export function bondItemScore(item: string, finalDiagnosis: string): BondMatch {
  const i = contentWords(item);
  const f = contentWords(finalDiagnosis);
  if (i.length === 0 || f.length === 0) return { score: 0, why: "no content words to compare" };
  if (foundWords(f, i).length === f.length) {
    return { score: 5, why: "contains every content word of the final diagnosis" };
  }
  const j = jaccard(i, f);
  if (j >= THRESHOLDS.bondExactJaccard) {
    return { score: 5, why: `word overlap (Jaccard ${j.toFixed(2)}) is near-total` };
  }
  const distance = normalisedEditDistance(i.join(""), f.join(""));
  if (distance <= THRESHOLDS.bondExactEdit) {
    return { score: 5, why: `is spelled within ${distance.toFixed(2)} edit distance of it` };
  }
  if (isInitialism(i, f) || isInitialism(f, i)) {
    return { score: 5, why: "is its initialism" };
  }
  const head = headWord(finalDiagnosis);
  const hasHead = head !== undefined && hasWord(i, head);
  if (hasHead && foundWords(i, f).length === i.length) {
    const missing = f.filter((w) => !hasWord(i, w));
    if (missing.every(isGeneric)) {
      return { score: 5, why: `names it without the qualifier(s) ${missing.join(", ")}` };
    }
    const specific = missing.filter((w) => !isGeneric(w));
    return { score: 4, why: `names it more broadly (lacks ${specific.join(", ")})` };
  }
  if (hasHead && j >= THRESHOLDS.bondCloseJaccard) {
    return { score: 4, why: `shares the head word "${head}" (Jaccard ${j.toFixed(2)})` };
  }
  if (hasHead) return { score: 3, why: `shares the head word "${head}"` };
  const nouns = f.filter((w) => isDiseaseNoun(w) && hasWord(i, w));
  if (nouns.length > 0) return { score: 3, why: `shares the disease noun "${nouns[0]}"` };
  const shared = f.filter((w) => !isGeneric(w) && hasWord(i, w));
  if (shared.length > 0 && j >= THRESHOLDS.bondRelatedJaccard) {
    return { score: 3, why: `shares ${shared.join(", ")} (Jaccard ${j.toFixed(2)})` };
  }
  if (shared.length > 0) return { score: 2, why: `shares the word "${shared[0]}"` };
  const stem = sharedStem(i, f);
  if (stem !== undefined) return { score: 2, why: `shares the stem "${stem}"` };
  return { score: 0, why: "shares no specific word" };
}

/** The best item of a differential. */
export interface BondResult {
  /** The best item's anchor (0 when no item is close). */
  score: 0 | 2 | 3 | 4 | 5;
  /** Its position among the items read (1 = first), or null when the score is 0. */
  rank: number | null;
  /** How many items were read. */
  items: number;
  /** The decision, in words. */
  why: string;
}

/**
 * Scores every item of a differential and keeps the best (rank-independent, as the Bond score
 * is; the first item wins ties), reporting its rank separately.
 */
export function bestBondItem(response: string, finalDiagnosis: string): BondResult {
  const items = differentialItems(response);
  let best: { match: BondMatch; rank: number; item: string } | undefined;
  items.forEach((item, k) => {
    const match = bondItemScore(item, finalDiagnosis);
    if (best === undefined || match.score > best.match.score) best = { match, rank: k + 1, item };
  });
  const target = quote(finalDiagnosis);
  if (best === undefined) {
    return { score: 0, rank: null, items: 0, why: "No differential item found in the response." };
  }
  if (best.match.score === 0) {
    return {
      score: 0,
      rank: null,
      items: items.length,
      why: `None of the ${items.length} item(s) read shares a specific word with ${target}.`,
    };
  }
  return {
    score: best.match.score,
    rank: best.rank,
    items: items.length,
    why: `best item ${best.rank} ${quote(best.item)} against final diagnosis ${target}: ` +
      `${best.match.why} (${items.length} item(s) read).`,
  };
}

/** Whether `single` is one word equal to the initials of `words` (two or more words). */
function isInitialism(single: readonly string[], words: readonly string[]): boolean {
  if (single.length !== 1 || words.length < 2) return false;
  return single[0] === words.map((w) => w[0]).join("");
}

/** A shared prefix of `stemPrefix`+ letters between non-generic words of the two sides. */
function sharedStem(a: readonly string[], b: readonly string[]): string | undefined {
  for (const x of a) {
    if (isGeneric(x) || !/^[a-z]+$/.test(x)) continue;
    for (const y of b) {
      if (isGeneric(y) || !/^[a-z]+$/.test(y)) continue;
      const n = commonPrefix(x, y);
      if (n >= THRESHOLDS.stemPrefix) return x.slice(0, n);
    }
  }
  return undefined;
}
