import assert from "node:assert/strict";
import {
  contentWords,
  differentialItems,
  headWord,
  jaccard,
  normaliseToken,
  sameWord,
  tokenize,
} from "./_lexical_text.ts";

Deno.test("tokenize() puts British spellings, diacritics and plurals in one canonical form", () => {
  const pairs: [string, string][] = [
    ["Phaeochromocytoma", "Pheochromocytoma"],
    ["haemorrhage", "hemorrhage"],
    ["oesophageal", "esophageal"],
    ["anaemia", "anemia"],
    ["tumours", "tumor"],
    ["recognised", "recognized"],
    ["analyse", "analyze"],
    ["centre", "center"],
    ["fibre", "fiber"],
    ["sulphonamide", "sulfonamide"],
    ["antibodies", "antibody"],
    ["Sjögren", "Sjogren"],
    ["Guillain–Barré", "guillain barre"],
    ["Crohn's", "crohn"],
    ["X-ray", "xray"],
  ];
  for (const [british, american] of pairs) {
    assert.deepEqual(tokenize(british), tokenize(american), `${british} ≠ ${american}`);
  }
  // Words that end in -s by nature keep it.
  assert.deepEqual(["sepsis", "lupus", "abscess"].map(normaliseToken), [
    "sepsis",
    "lupus",
    "abscess",
  ]);
  assert.equal(normaliseToken("igg4"), "igg4");
});

Deno.test("contentWords() drops stopwords and framing words", () => {
  assert.deepEqual(contentWords("The most likely diagnosis is acute appendicitis"), [
    "acute",
    "appendicitis",
  ]);
  assert.deepEqual(contentWords("Rule out a pulmonary embolism"), ["pulmonary", "embolism"]);
});

Deno.test("sameWord() tolerates a typo in a long word but not hyper-/hypo- or short words", () => {
  assert.ok(sameWord("pheochromocytoma", "pheochromocytma")); // one deletion in 16 letters
  assert.ok(sameWord("pheochromocytoma", "pheochromcytma")); // two in 16
  assert.ok(!sameWord("pheochromocytoma", "feokromocytoma"));
  assert.ok(sameWord("endocarditis", "endocardits"));
  assert.ok(!sameWord("hyperthyroidism", "hypothyroidism")); // two edits, opposite meaning
  assert.ok(!sameWord("gout", "goat"));
  assert.ok(!sameWord("b12", "b13"));
});

Deno.test("jaccard() counts a word once even when it matches two", () => {
  assert.equal(jaccard(["a", "b"], ["a", "b"]), 1);
  assert.equal(jaccard(["small", "bowel", "obstruction"], ["large", "bowel", "obstruction"]), 0.5);
  assert.equal(jaccard([], ["a"]), 0);
});

Deno.test("headWord() takes the last specific word, before any 'of'", () => {
  assert.equal(headWord("Anti-NMDA receptor encephalitis"), "encephalitis");
  assert.equal(headWord("IgG4-related disease"), "igg4");
  assert.equal(headWord("Carcinoma of the pancreas"), "carcinoma");
  assert.equal(headWord("Acute disease"), undefined);
});

Deno.test("differentialItems() reads numbered, bulleted, inline and one-line lists", () => {
  assert.deepEqual(
    differentialItems("Differential diagnosis:\n1. Pheochromocytoma\n2) Thyroid storm\n- Gout"),
    ["Pheochromocytoma", "Thyroid storm", "Gout"],
  );
  assert.deepEqual(differentialItems("1) community-acquired pneumonia 2) acute cholecystitis"), [
    "community-acquired pneumonia",
    "acute cholecystitis",
  ]);
  assert.deepEqual(differentialItems("DDx: gout, pseudogout; septic arthritis vs cellulitis"), [
    "gout",
    "pseudogout",
    "septic arthritis",
    "cellulitis",
  ]);
  assert.deepEqual(
    differentialItems("The most likely diagnosis is sarcoidosis. Lymphoma is less likely."),
    ["The most likely diagnosis is sarcoidosis", "Lymphoma is less likely"],
  );
  // A label with content is part of the item, not a header.
  assert.deepEqual(differentialItems("1. Pheochromocytoma: adrenal"), [
    "Pheochromocytoma: adrenal",
  ]);
  assert.deepEqual(differentialItems(""), []);
});
