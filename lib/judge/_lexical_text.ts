/**
 * Text normalisation and word matching for the offline lexical baseline: tokens, content words,
 * fuzzy word equality, overlap measures, and the splitting of responses into items and clauses.
 *
 * @module
 */

import {
  DISEASE_SUFFIXES,
  FILLER,
  GENERIC,
  LEAD_CUES,
  OPPOSED_PREFIXES,
  STOPWORDS,
  THRESHOLDS,
} from "./_lexical_words.ts";

/**
 * One lowercase token in canonical form: a light plural stem (-ies → -y, a final -s dropped
 * except after s/u/i/y), then British → American spelling (ae/oe → e, -our → -or, -ise → -ize,
 * -yse → -yze, -tre/-bre → -ter/-ber, -ogue → -og, sulph → sulf). The same function is applied
 * to both sides of every comparison, so an over-eager rewrite ("does" → "de") only has to be
 * consistent, not correct English.
 */
export function normaliseToken(token: string): string {
  // Numbers and alphanumeric codes (24, igg4, b12) are kept exactly as written.
  if (!/^[a-z]+$/.test(token)) return token;
  let t = token;
  if (t.length > 4 && t.endsWith("ies")) t = t.slice(0, -3) + "y";
  else if (t.length > 3 && t.endsWith("s") && !/(ss|us|is|ys)$/.test(t)) t = t.slice(0, -1);
  t = t.replace(/ae/g, "e").replace(/oe/g, "e");
  if (t.length > 5) t = t.replace(/our$/, "or");
  if (t.length > 6) t = t.replace(/is(e|ed|ing|ation)$/, "iz$1");
  t = t.replace(/ys(e|ed|ing)$/, "yz$1");
  if (t.length > 4) t = t.replace(/([bt])re$/, "$1er");
  return t.replace(/ogue$/, "og").replace(/sulph/g, "sulf");
}

/**
 * A text as canonical tokens: diacritics stripped (NFKD), lowercase, æ/œ spelled out,
 * apostrophes dropped ("Crohn's" → "crohn"), "x-ray" joined, every other non-alphanumeric
 * character a separator, each token through `normaliseToken`.
 */
export function tokenize(text: string): string[] {
  const plain = text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase()
    .replace(/æ/g, "ae").replace(/œ/g, "oe").replace(/ß/g, "ss")
    .replace(/['’‘`]/g, "")
    .replace(/\bx[\s-]?rays?\b/g, "xray");
  return plain.split(/[^a-z0-9]+/).filter((t) => t !== "").map(normaliseToken);
}

const wordSet = (list: readonly string[]) => new Set(list.flatMap(tokenize));
const STOP = wordSet([...STOPWORDS, ...FILLER]);
const GENERIC_WORDS = wordSet(GENERIC);
const SUFFIXES = DISEASE_SUFFIXES.map((s) => tokenize(s)[0] ?? s);

/** Whether a canonical token is a stopword or clinical filler (never content). */
export function isStopword(token: string): boolean {
  return STOP.has(token);
}

/** Whether a canonical token is a generic qualifier ("acute", "disease", "syndrome"…). */
export function isGeneric(token: string): boolean {
  return GENERIC_WORDS.has(token);
}

/** Whether a canonical token ends like a disease noun (-itis, -oma, -osis…), at 6+ letters. */
export function isDiseaseNoun(token: string): boolean {
  return token.length >= 6 && !isGeneric(token) && SUFFIXES.some((s) => token.endsWith(s));
}

/**
 * The content words of a text: canonical tokens that are not stopwords or filler, each once,
 * in order of first appearance.
 */
export function contentWords(text: string, extraStop?: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  for (const t of tokenize(text)) {
    if (!isStopword(t) && !extraStop?.has(t)) seen.add(t);
  }
  return [...seen];
}

/**
 * The head word of a diagnosis: the last content word that is not generic, taken before any
 * "of" ("carcinoma of the pancreas" → carcinoma; "anti-NMDA receptor encephalitis" →
 * encephalitis; "IgG4-related disease" → igg4). `undefined` when every word is generic.
 */
export function headWord(text: string): string | undefined {
  const tokens = tokenize(text);
  const of = tokens.indexOf("of");
  const pick = (ts: string[]) => ts.findLast((t) => !isStopword(t) && !isGeneric(t));
  return (of > 0 ? pick(tokens.slice(0, of)) : undefined) ?? pick(tokens);
}

/** Levenshtein distance (insertions, deletions, substitutions, each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Edit distance divided by the longer length (0 = identical, 1 = nothing in common). */
export function normalisedEditDistance(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 0 : editDistance(a, b) / longer;
}

/**
 * Whether two canonical tokens are the same word: identical, or — for alphabetic words of at
 * least `tokenFuzzyMinLength` letters — within `tokenEdit` normalised edit distance (one typo
 * in 7–13 letters, two from 14), unless they differ in an opposed prefix (hyper-/hypo-…).
 */
export function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < THRESHOLDS.tokenFuzzyMinLength) return false;
  if (!/^[a-z]+$/.test(a) || !/^[a-z]+$/.test(b)) return false;
  const allowed = Math.floor(Math.max(a.length, b.length) * THRESHOLDS.tokenEdit + 1e-9);
  if (Math.abs(a.length - b.length) > allowed) return false;
  for (const [p, q] of OPPOSED_PREFIXES) {
    if ((a.startsWith(p) && b.startsWith(q)) || (a.startsWith(q) && b.startsWith(p))) {
      return false;
    }
  }
  return editDistance(a, b) <= allowed;
}

/** Whether some word of `words` is the same word as `token`. */
export function hasWord(words: readonly string[], token: string): boolean {
  return words.some((w) => sameWord(w, token));
}

/** The words of `needles` found (by `sameWord`) among `haystack`. */
export function foundWords(needles: readonly string[], haystack: readonly string[]): string[] {
  return needles.filter((n) => hasWord(haystack, n));
}

/** Share of `needles` found among `haystack` (0 when `needles` is empty). */
export function coverage(needles: readonly string[], haystack: readonly string[]): number {
  return needles.length === 0 ? 0 : foundWords(needles, haystack).length / needles.length;
}

/**
 * Token-set Jaccard similarity |A ∩ B| / |A ∪ B| with fuzzy word equality (the intersection is
 * counted from both sides and the smaller count kept, so one word cannot match twice).
 */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const shared = Math.min(foundWords(a, b).length, foundWords(b, a).length);
  return shared / (a.length + b.length - shared);
}

/** Length of the common prefix of two strings. */
export function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const LIST_MARKER = /^\s*(?:\(?\d{1,2}[.)]|[-*•·–—+]|\(?[a-z][.)])\s+/i;

/** A line without its list marker ("1.", "2)", "-", "•", "a)"). */
export function stripListMarker(line: string): string {
  return line.replace(LIST_MARKER, "");
}

/** Whether a line starts with a list marker. */
export function isListLine(line: string): boolean {
  return LIST_MARKER.test(line);
}

/**
 * A differential split into items, in order: one per line, per inline number ("1) a 2) b"),
 * per sentence, and per semicolon, comma, "vs" or "versus" within a line. A label before a colon made only of
 * framing words ("Differential diagnosis:", "Most likely:") is dropped, and so are pieces with
 * no content word (headers, "Other considerations include").
 */
export function differentialItems(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    for (const numbered of line.split(/\s+(?=\(?\d{1,2}[.)](?:\s|$))/)) {
      let piece = stripListMarker(numbered).trim();
      // "Most likely diagnosis: X" → X; but "Pheochromocytoma: adrenal" keeps its diagnosis.
      const colon = piece.indexOf(":");
      if (colon >= 0 && contentWords(piece.slice(0, colon)).length === 0) {
        piece = piece.slice(colon + 1);
      }
      for (const part of piece.split(/[;,]|\s(?:vs\.?|versus)\s|(?<=[.!?])\s+/i)) {
        const item = part.trim().replace(/[.!?]+$/, "");
        if (contentWords(item).length > 0) items.push(item);
      }
    }
  }
  return items;
}

/** A text split into lines and sentences (list markers removed), blank ones dropped. */
export function sentences(text: string): string[] {
  return text.split(/\r?\n/)
    .flatMap((line) => stripListMarker(line).split(/(?<=[.!?])\s+/))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A text split into clauses at line ends, sentence ends and semicolons. */
export function clauses(text: string): string[] {
  return text.split(/[\n;]|(?<=[.!?])\s+/).map((c) => c.trim()).filter((c) => c !== "");
}

/** Canonical phrase forms, for `findCue`. */
export function cueList(phrases: readonly string[]): readonly string[] {
  return phrases.map((p) => tokenize(p).join(" ")).filter((p) => p !== "");
}

/** Cues of a committed lead diagnosis, read by the R-IDEA and diagnostic-reasoning rules. */
export const LEAD: readonly string[] = cueList(LEAD_CUES);

/** Cues that a differential is named ("Differential:", "DDx:"), read by the same two rules. */
export const DIFFERENTIAL: readonly string[] = cueList(["differential", "ddx"]);

/**
 * The first cue (in list order) that occurs in the text as whole canonical words, or
 * `undefined`.
 */
export function findCue(text: string, cues: readonly string[]): string | undefined {
  const padded = ` ${tokenize(text).join(" ")} `;
  return cues.find((cue) => padded.includes(` ${cue} `));
}

/** The distinct cues that occur in the text, in list order. */
export function findCues(text: string, cues: readonly string[]): string[] {
  const padded = ` ${tokenize(text).join(" ")} `;
  return cues.filter((cue) => padded.includes(` ${cue} `));
}

/** A text clipped to `n` characters for a justification, quoted. */
export function quote(text: string, n = 60): string {
  const one = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > n ? one.slice(0, n - 1) + "…" : one);
}
