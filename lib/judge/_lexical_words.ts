/**
 * The offline lexical baseline's word lists and thresholds.
 *
 * Written from the task rubrics (lib/tasks/README.md) and general clinical English only: there is no list
 * of diagnoses, tests-by-disease or synonyms here, by design. The baseline is meant to be a weak
 * but honest string matcher, and it must stay independent of the synthetic sample's generator.
 * Everything here is hashed into the judge's `prompt_hash`, so editing a list or a threshold
 * changes the baseline's identity in ledgers.
 *
 * @module
 */

/** Splits a list written as words separated by spaces. */
function words(text: string): readonly string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}

/** Splits a list written as phrases separated by commas. */
function phrases(text: string): readonly string[] {
  return text.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/** Numeric thresholds of the rules. */
export const THRESHOLDS = {
  /** Bond 5: token-set Jaccard between an item and the final diagnosis at or above this. */
  bondExactJaccard: 0.8,
  /** Bond 5: normalised edit distance of the joined content words at or below this. */
  bondExactEdit: 0.15,
  /** Bond 4: Jaccard at or above this when the item also names the diagnosis's head word. */
  bondCloseJaccard: 0.5,
  /** Bond 3: Jaccard at or above this without the head word. */
  bondRelatedJaccard: 0.5,
  /** Two tokens are "the same word" when their edit distance over the longer length is ≤ this. */
  tokenEdit: 0.15,
  /** Tokens shorter than this are only ever matched exactly (short words collide too easily). */
  tokenFuzzyMinLength: 7,
  /** Shared stem: non-generic tokens sharing a prefix this long (Bond 2, "weak overlap"). */
  stemPrefix: 6,
  /** Testing plan 2: share of the test plan's content words found in the response. */
  testPlanCoverage: 0.8,
  /** Rubric item met: share of its description's content words found in the answer. */
  rubricCoverage: 0.5,
  /** A diagnostic-reasoning finding is grounded when this share of its words is in the vignette. */
  findingGrounded: 0.5,
  /** R-IDEA: an interpretive summary needs at least this many words… */
  summaryMinWords: 6,
  /** …and loses a point above this many (the rubric asks for a concise summary). */
  summaryMaxWords: 60,
} as const;

/** English function words: never content. */
export const STOPWORDS: readonly string[] = words(
  "a about above after again against all also am an and any are as at be been before " +
    "being below between both but by can could did do does during each either else etc eg " +
    "ie for from further had has have having he her here his how i if in into is it its may " +
    "me might more most must my neither no nor not of off on once only onto or other others " +
    "our out over per same shall she should so some such than that the their them then " +
    "there these they this those through to under until up upon very via vs versus was we " +
    "were what when where which while who whom whose why will with within without would yet " +
    "you your",
);

/**
 * Words of clinical write-ups that frame a diagnosis or a plan without naming one ("most likely
 * diagnosis", "rule out", "I would order"): removed before matching, like stopwords.
 */
export const FILLER: readonly string[] = words(
  "assessment because case concern concerning consider considered considering consideration dd " +
    "ddx diagnosis diagnoses differential dx evaluate evaluation favor favored final given " +
    "impression include including leading less likely main order obtain patient plan " +
    "possible possibly probable probably pt r rule send suspect suspected top unlikely " +
    "working would check get start next step",
);

/**
 * Qualifiers that name a kind, time course, side or severity rather than a disease, and prefixes
 * that hyphenation splits off ("anti-", "non-"): they count for overlap, but an item sharing
 * only these with the final diagnosis shares nothing that matters, and a diagnosis's head word
 * is never one of them.
 */
export const GENERIC: readonly string[] = words(
  "acquired acute anti associated benign bilateral cell chronic complicated condition " +
    "congenital disease disorder early idiopathic induced late left malignant mild moderate " +
    "new non onset primary process recurrent related right secondary severe stage subacute " +
    "syndrome type uncomplicated unilateral",
);

/**
 * Word endings that mark a disease or finding noun in medical English (-itis, -oma, -osis…):
 * a shared word with one of these is a "key noun" (Bond 3).
 */
export const DISEASE_SUFFIXES: readonly string[] = words(
  "itis oma osis iasis emia uria pathy plasia trophy ectasia ectasis penia philia megaly " +
    "rrhage rrhea algia ism cele lysis",
);

/** Prefix pairs of opposite meaning: tokens differing in them are never fuzzy-equal. */
export const OPPOSED_PREFIXES: readonly (readonly [string, string])[] = [
  ["hyper", "hypo"],
  ["inter", "intra"],
  ["ante", "anti"],
  ["pre", "post"],
  ["micro", "macro"],
  ["endo", "exo"],
];

/**
 * Generic nouns for diagnostic tests, specimens and imaging, written from the testing-plan
 * rubric ("a test", "an equivalent test"): a plan naming any of them proposes *some* test.
 */
export const TEST_WORDS: readonly string[] = words(
  "angiogram angiography antibody antigen aspirate aspiration assay biopsy blood " +
    "bronchoscopy colonoscopy count csf ct cta culture cystoscopy cytology cytometry " +
    "doppler ecg echo echocardiogram echocardiography eeg ekg electrocardiogram " +
    "electrophoresis emg endoscopy gene genetic histology histopathology holter imaging lab " +
    "laparoscopy level marker mra mri panel pathology pcr pet plasma puncture radiograph " +
    "radiography scan scintigraphy screen screening sequencing serology serum smear " +
    "sonography spirometry stain tap titer ultrasound urinalysis urine xray",
);

/** R-IDEA "I": semantic qualifiers (time course, pattern, severity, side, character). */
export const SEMANTIC_QUALIFIERS: readonly string[] = words(
  "abrupt acute afebrile asymmetric bilateral chronic constant diffuse distal episodic " +
    "exertional febrile fluctuating focal generalized gradual hyperacute improving " +
    "insidious intermittent localized longstanding migratory mild moderate nocturnal " +
    "painful painless persistent pleuritic positional postprandial progressive proximal " +
    "recurrent severe subacute sudden symmetric transient unilateral worsening",
);

/** R-IDEA "D" and diagnostic reasoning: phrases that commit to a most likely diagnosis. */
export const LEAD_CUES: readonly string[] = phrases(
  "most likely, most probable, leading diagnosis, working diagnosis, likely diagnosis, " +
    "final diagnosis, top diagnosis, favor, favored, i suspect, best explained by, " +
    "diagnosis is",
);

/** R-IDEA "E": phrases that link findings to a diagnosis. */
export const EXPLANATION_CUES: readonly string[] = phrases(
  "because, given, since, consistent with, supported by, support, suggest, " +
    "suggestive of, in the setting of, in the context of, explain, fits, fit with, " +
    "characteristic, typical, classic, points to, evidenced by, in keeping with",
);

/** R-IDEA "A": phrases that introduce an alternative diagnosis. */
export const ALTERNATIVE_CUES: readonly string[] = phrases(
  "less likely, unlikely, alternatively, alternative, other possibility, " +
    "also consider, other consideration, differential include, cannot exclude, " +
    "cant exclude, remain possible, also possible, rule out, should be considered, " +
    "versus, vs",
);

/** R-IDEA "A": phrases that give a reason for or against an alternative. */
export const ALTERNATIVE_REASON_CUES: readonly string[] = phrases(
  "because, given, since, as, but, however, though, although, fits, fit, argues, " +
    "against, absence, lack, without, no, better",
);

/**
 * Diagnostic reasoning: phrases that introduce supporting findings in prose (a line labelled
 * "For:", "Pro:" or "Supporting:" counts as well).
 */
export const SUPPORT_CUES: readonly string[] = phrases(
  "supporting, support, in favor of, consistent with, because, given, suggest, " +
    "suggestive of, evidenced by",
);

/**
 * Diagnostic reasoning: phrases that introduce opposing findings in prose (a line labelled
 * "Against:", "Con:" or "Opposing:" counts as well).
 */
export const OPPOSE_CUES: readonly string[] = phrases(
  "against, opposing, argues against, does not fit, inconsistent with, however, but, " +
    "lack of, absence of, not typical",
);

/** Diagnostic reasoning: phrases that introduce the next diagnostic steps. */
export const NEXT_STEP_CUES: readonly string[] = phrases(
  "next step, next diagnostic, workup, work up, plan, i would order, would obtain, " +
    "further testing, testing",
);

/**
 * Management rubrics: verbs and framing words of rubric descriptions ("Recognises…",
 * "Orders…", "appropriate…") that say how an item is phrased, not what it asks for.
 */
export const RUBRIC_FRAMING: readonly string[] = words(
  "address addresses appropriate appropriately choose chooses consider considers describe " +
    "describes discuss discusses ensure ensures explain explains identify identifies " +
    "mention mentions note notes offer offers plan plans promptly recognize recognizes " +
    "recommend recommends state states suggest suggests use uses",
);

/** Words that negate or defer an action: a harmful rubric item is not "met" in such a sentence. */
export const NEGATION_CUES: readonly string[] = phrases(
  "not, no, avoid, avoiding, without, never, withhold, hold, defer, reserve, unless, " +
    "only if, contraindicated, instead of, rather than, would not, dont, do not, wont",
);
