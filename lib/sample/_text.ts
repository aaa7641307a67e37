/**
 * Text helpers of the synthetic sample generator: naming a diagnosis or test through one of its
 * surface forms, misspelling words, joining lists, and writing case vignettes.
 *
 * PRIVATE TO THE SAMPLE GENERATOR; the offline lexical baseline judge must not import it (see
 * `_vocabulary.ts`).
 *
 * @module
 */

import type { Random } from "./_random.ts";
import type { DiagnosisConcept, SurfaceForms, TestConcept } from "./_vocabulary.ts";

/** How an item names its concept: canonically, or through another surface form. */
export type FormKind =
  | "canonical"
  | "variant"
  | "synonym"
  | "abbreviation"
  | "eponym"
  | "paraphrase"
  | "misspelling"
  | "typo";

/** Who is writing, which changes how often the canonical name is used. */
export type Voice = "llm" | "physician";

/** A named concept and the form chosen for it. */
export interface Named {
  /** The text as it appears in the response. */
  text: string;
  /** Which surface form was used. */
  kind: FormKind;
}

const FORM_FIELDS: readonly (readonly [FormKind, keyof SurfaceForms])[] = [
  ["variant", "variants"],
  ["synonym", "synonyms"],
  ["abbreviation", "abbreviations"],
  ["eponym", "eponyms"],
  ["paraphrase", "paraphrases"],
  ["misspelling", "misspellings"],
];

// Relative weights of the non-canonical forms. Physicians lean on shorthand; language models
// expand abbreviations but paraphrase and use older names often enough.
const FORM_WEIGHTS: Readonly<Record<Voice, Readonly<Record<FormKind, number>>>> = {
  llm: {
    canonical: 0.42,
    variant: 0.08,
    synonym: 0.14,
    abbreviation: 0.06,
    eponym: 0.1,
    paraphrase: 0.12,
    misspelling: 0.04,
    typo: 0.04,
  },
  physician: {
    canonical: 0.3,
    variant: 0.06,
    synonym: 0.1,
    abbreviation: 0.22,
    eponym: 0.08,
    paraphrase: 0.08,
    misspelling: 0.08,
    typo: 0.08,
  },
};

/**
 * Names a diagnosis through a surface form drawn for the writer's voice.
 *
 * @param dx The diagnosis.
 * @param voice Who writes.
 * @param rng Random source.
 * @returns The text and the form used.
 */
export function nameDiagnosis(dx: DiagnosisConcept, voice: Voice, rng: Random): Named {
  const weights = FORM_WEIGHTS[voice];
  const options: [FormKind, number][] = [["canonical", weights.canonical], ["typo", weights.typo]];
  for (const [kind, field] of FORM_FIELDS) {
    if ((dx.forms[field]?.length ?? 0) > 0) options.push([kind, weights[kind]]);
  }
  const kind = rng.weighted(options);
  if (kind === "canonical") return { text: dx.name, kind };
  if (kind === "typo") {
    const text = typo(dx.name, rng);
    return text === dx.name ? { text, kind: "canonical" } : { text, kind };
  }
  const field = FORM_FIELDS.find(([k]) => k === kind)![1];
  return { text: rng.pick(dx.forms[field]!), kind };
}

/**
 * Names a test: canonically with probability `canonical`, else through another form.
 *
 * @param test The test.
 * @param canonical Probability of the canonical name.
 * @param rng Random source.
 * @returns The text and whether it is the canonical name.
 */
export function nameTest(test: TestConcept, canonical: number, rng: Random): Named {
  if (test.forms.length === 0 || rng.chance(canonical)) {
    return { text: test.name, kind: "canonical" };
  }
  return { text: rng.pick(test.forms), kind: "synonym" };
}

/**
 * Misspells one longer word of a name the way fast typing does: a dropped, doubled or swapped
 * letter. Returns the name unchanged when no word is long enough.
 *
 * @param name The correctly spelled name.
 * @param rng Random source.
 * @returns The misspelled name.
 */
export function typo(name: string, rng: Random): string {
  const words = name.split(" ");
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]{7,}$/.test(w));
  if (long.length === 0) return name;
  const [word, index] = rng.pick(long);
  // Leave the first two letters alone: misspellings rarely start there, and readers (and
  // graders) still recognise the word.
  const at = rng.between(2, word.length - 2);
  let changed: string;
  switch (rng.int(3)) {
    case 0:
      changed = word.slice(0, at) + word.slice(at + 1);
      break;
    case 1:
      changed = word.slice(0, at) + word[at] + word.slice(at);
      break;
    default:
      changed = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
  const out = words.slice();
  out[index] = changed;
  return out.join(" ");
}

/**
 * Upper-cases the first letter (leaves abbreviations such as "pheo" → "Pheo").
 *
 * @param text Any text.
 * @returns The text with a capital first letter.
 */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

// First words that are proper names and keep their capital inside a sentence.
const PROPER_FIRST_WORDS: ReadonlySet<string> = new Set([
  "Whipple",
  "Wilson",
  "Guillain–Barré",
  "Tropheryma",
  "Pneumocystis",
]);

/**
 * Lower-cases the first letter of a canonical name for use inside a sentence ("Kidney biopsy"
 * → "kidney biopsy"), leaving abbreviations ("CT of the chest", "IgG4-related disease") and
 * proper names ("Whipple disease") alone.
 *
 * @param text A name.
 * @returns The name as it reads mid-sentence.
 */
export function lowerFirst(text: string): string {
  const first = text.split(" ")[0] ?? "";
  if (!/^[A-Z][a-z]+(-[a-z]+)*$/.test(first) || PROPER_FIRST_WORDS.has(first)) return text;
  return text[0]!.toLowerCase() + text.slice(1);
}

/**
 * Joins items as English prose: "a", "a and b", "a, b and c".
 *
 * @param items The items.
 * @returns The joined text.
 */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A patient as a vignette describes them. */
export interface Patient {
  /** Age in years. */
  age: number;
  /** Sex. */
  sex: "female" | "male";
}

/**
 * Draws a patient that fits a diagnosis (its age range and, where it has one, its sex).
 *
 * @param dx The diagnosis.
 * @param rng Random source.
 * @returns The patient.
 */
export function drawPatient(dx: DiagnosisConcept, rng: Random): Patient {
  return {
    age: rng.between(dx.age[0], dx.age[1]),
    sex: dx.sex ?? (rng.chance(0.5) ? "female" : "male"),
  };
}

/**
 * "46-year-old woman", "15-year-old boy".
 *
 * @param p The patient.
 * @returns The description.
 */
export function describePatient(p: Patient): string {
  const noun = p.age < 18
    ? (p.sex === "female" ? "girl" : "boy")
    : p.sex === "female"
    ? "woman"
    : "man";
  return `${p.age}-year-old ${noun}`;
}

const DURATIONS: Readonly<Record<DiagnosisConcept["tempo"], readonly string[]>> = {
  acute: ["several hours", "one day", "two days"],
  subacute: ["two weeks", "three weeks", "six weeks", "two months"],
  chronic: ["four months", "eight months", "a year", "two years"],
  episodic: ["three months", "six months", "nine months"],
  progressive: ["three months", "six months", "a year"],
};

/**
 * A duration that fits the diagnosis's tempo.
 *
 * @param dx The diagnosis.
 * @param rng Random source.
 * @returns "two weeks", "several hours"….
 */
export function drawDuration(dx: DiagnosisConcept, rng: Random): string {
  return rng.pick(dx.durations ?? DURATIONS[dx.tempo]);
}

/** The clinical facts of one generated case, fixed across every response to it. */
export interface ClinicalCase {
  /** The case id. */
  caseId: string;
  /** The final diagnosis. */
  dx: DiagnosisConcept;
  /** The patient. */
  patient: Patient;
  /** How long the illness has lasted. */
  duration: string;
  /** The case's findings, in the order the vignette reveals them. */
  findings: readonly string[];
  /** The case's pertinent negatives. */
  negatives: readonly string[];
}

/**
 * Draws the facts of a case with a given diagnosis.
 *
 * @param caseId The case id.
 * @param dx The final diagnosis.
 * @param rng Random source (the case's own stream).
 * @returns The case.
 */
export function drawCase(caseId: string, dx: DiagnosisConcept, rng: Random): ClinicalCase {
  return {
    caseId,
    dx,
    patient: drawPatient(dx, rng),
    duration: drawDuration(dx, rng),
    findings: rng.shuffle(dx.findings),
    negatives: dx.negatives,
  };
}

/**
 * A clinicopathological-conference style vignette with the case's findings and negatives.
 *
 * @param c The case.
 * @param findings How many findings to reveal (default: all).
 * @returns The vignette.
 */
export function cpcVignette(c: ClinicalCase, findings = c.findings.length): string {
  const shown = c.findings.slice(0, findings);
  return `A ${
    describePatient(c.patient)
  } was evaluated because of ${c.dx.complaint}, present for ` +
    `${c.duration}. Notable findings included ${joinAnd(shown)}. Pertinent negatives: ` +
    `${c.negatives.join("; ")}.`;
}

/** The three touchpoints of the emergency-department triage study. */
export const TOUCHPOINTS = [
  "initial triage",
  "emergency physician evaluation",
  "admission",
] as const;

/**
 * What was known at a touchpoint of an emergency visit: the complaint at triage, some findings
 * at the physician's evaluation, everything at admission.
 *
 * @param c The case.
 * @param touchpoint 0, 1 or 2.
 * @returns The vignette, headed by its touchpoint.
 */
export function edVignette(c: ClinicalCase, touchpoint: number): string {
  const who = describePatient(c.patient);
  const head = `Information available at ${TOUCHPOINTS[touchpoint] ?? "admission"}: `;
  if (touchpoint === 0) {
    return `${head}${who} arriving with ${c.dx.complaint} for ${c.duration}.`;
  }
  if (touchpoint === 1) {
    return `${head}${who} with ${c.dx.complaint} for ${c.duration}. On evaluation: ` +
      `${joinAnd(c.findings.slice(0, 2))}.`;
  }
  return `${head}${who} with ${c.dx.complaint} for ${c.duration}. Findings: ` +
    `${joinAnd(c.findings)}. Pertinent negatives: ${c.negatives.join("; ")}.`;
}

/** The four stages of a Healer-style case. */
export const HEALER_STAGES = [
  "triage",
  "history and review of systems",
  "physical examination",
  "diagnostic testing",
] as const;

/**
 * What was known at a stage of a Healer-style case; later stages reveal more findings.
 *
 * @param c The case.
 * @param stage 0 to 3.
 * @returns The vignette, headed by its stage.
 */
export function healerVignette(c: ClinicalCase, stage: number): string {
  const who = describePatient(c.patient);
  const head = `Stage ${stage + 1} of 4 (${HEALER_STAGES[stage] ?? "diagnostic testing"}): `;
  const shown = healerFindings(c, stage);
  return `${head}${who} with ${c.dx.complaint}, present for ${c.duration}. Known so far: ` +
    `${joinAnd(shown)}.` + (stage >= 3 ? ` Pertinent negatives: ${c.negatives.join("; ")}.` : "");
}

/**
 * The findings known at a stage of a Healer-style case: two at triage, one more per stage, all
 * of them once tests are back.
 *
 * @param c The case.
 * @param stage 0 to 3.
 * @returns The findings, in the order they were revealed.
 */
export function healerFindings(c: ClinicalCase, stage: number): readonly string[] {
  return stage >= 3 ? c.findings : c.findings.slice(0, stage + 2);
}
