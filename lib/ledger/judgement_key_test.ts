import assert from "node:assert/strict";
import { judgementKey, type KeyParts } from "./judgement_key.ts";
import { _canonicalJson } from "./_content_key.ts";

const base = (): KeyParts => ({
  task: "management_reasoning",
  inputs: {
    response: "Admit, start IV antibiotics, blood cultures first.",
    case_vignette: "A 67-year-old with fever and hypotension.",
    question_text: "What is your next step?",
    rubric: { items: [{ text: "blood cultures", points: 2 }, { text: "antibiotics", points: 3 }] },
    max_score: 5,
  },
  judge: { provider: "openai", model: "gpt-4o", parameters: { temperature: 0, seed: 7 } },
  promptHash: "a".repeat(64),
  repeat: 0,
});

Deno.test("judgementKey() is a stable SHA-256 of the same parts", () => {
  const key = judgementKey(base());
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.equal(judgementKey(base()), key);
  // Key order, at any depth, does not matter.
  const shuffled = base();
  shuffled.inputs = {
    max_score: 5,
    rubric: { items: [{ points: 2, text: "blood cultures" }, { points: 3, text: "antibiotics" }] },
    question_text: "What is your next step?",
    case_vignette: "A 67-year-old with fever and hypotension.",
    response: "Admit, start IV antibiotics, blood cultures first.",
  };
  shuffled.judge = { parameters: { seed: 7, temperature: 0 }, model: "gpt-4o", provider: "openai" };
  assert.equal(judgementKey(shuffled), key);
});

Deno.test("judgementKey() changes with anything that decides the judgement", () => {
  const key = judgementKey(base());
  const changed: [string, (p: KeyParts) => void][] = [
    ["response", (p) => p.inputs.response += " "],
    ["rubric", (p) => (p.inputs.rubric = { items: [{ text: "blood cultures", points: 3 }] })],
    ["case vignette", (p) => p.inputs.case_vignette = "A 67-year-old with fever."],
    ["question", (p) => p.inputs.question_text = "Next step?"],
    ["max_score", (p) => p.inputs.max_score = 6],
    ["model", (p) => p.judge.model = "gpt-4o-mini"],
    ["provider", (p) => p.judge.provider = "azure"],
    ["temperature", (p) => p.judge.parameters = { temperature: 0.7, seed: 7 }],
    ["a new parameter", (p) => p.judge.parameters = { temperature: 0, seed: 7, max_tokens: 10 }],
    ["prompt hash", (p) => p.promptHash = "b".repeat(64)],
    ["repeat", (p) => p.repeat = 1],
    ["task", (p) => p.task = "diagnostic_reasoning"],
  ];
  const seen = new Set([key]);
  for (const [what, change] of changed) {
    const parts = structuredClone(base());
    change(parts);
    const other = judgementKey(parts);
    assert.notEqual(other, key, what);
    seen.add(other);
  }
  assert.equal(seen.size, changed.length + 1);
});

Deno.test("judgementKey() ignores inputs the task does not read", () => {
  const bond: KeyParts = {
    task: "cpc_bond",
    inputs: { response: "1. Gout\n2. Pseudogout", final_diagnosis: "Gout" },
    judge: { provider: "offline", model: "lexical", parameters: {} },
    promptHash: "rules-1",
    repeat: 0,
  };
  const key = judgementKey(bond);
  // cpc_bond reads response, final_diagnosis and case_vignette; not test_plan, question, rubric.
  assert.equal(
    judgementKey({
      ...bond,
      inputs: { ...bond.inputs, test_plan: "CBC", question_text: "Q?", rubric: ["x"] },
    }),
    key,
  );
  assert.notEqual(
    judgementKey({ ...bond, inputs: { ...bond.inputs, case_vignette: "A knee." } }),
    key,
  );
});

Deno.test("judgementKey() treats undefined and null inputs as absent", () => {
  const parts = base();
  const key = judgementKey(parts);
  const withHoles = structuredClone(parts);
  withHoles.judge.parameters = { temperature: 0, seed: 7, max_tokens: undefined };
  assert.equal(judgementKey(withHoles), key);
  const diag: KeyParts = { ...base(), task: "diagnostic_reasoning" };
  diag.inputs = { ...diag.inputs, final_diagnosis: "Sepsis" };
  const rubricless = { ...diag, inputs: { ...diag.inputs, rubric: undefined } };
  assert.equal(
    judgementKey({ ...diag, inputs: { ...diag.inputs, rubric: null } }),
    judgementKey(rubricless),
  );
});

Deno.test("judgementKey() leaves out the judge's display name and the entry id", () => {
  // KeyParts has no place for either: renaming a judge or an entry id re-uses its judgements.
  const parts = base() as KeyParts & { name?: string; id?: string };
  const key = judgementKey(parts);
  assert.equal(judgementKey({ ...parts, name: "my judge", id: "entry-9" } as KeyParts), key);
});

Deno.test("judgementKey() rejects a bad repeat, an unknown task and non-JSON values", () => {
  assert.throws(() => judgementKey({ ...base(), repeat: -1 }), /repeat must be a non-negative/);
  assert.throws(() => judgementKey({ ...base(), repeat: 1.5 }), /repeat must be a non-negative/);
  assert.throws(
    () => judgementKey({ ...base(), task: "bond" as KeyParts["task"] }),
    /unknown task "bond"/,
  );
  const nan = base();
  nan.judge.parameters = { temperature: NaN };
  assert.throws(() => judgementKey(nan), /\$\.judge\.parameters\.temperature is NaN/);
});

Deno.test("_canonicalJson() sorts keys at every depth and handles arrays and cycles", () => {
  assert.equal(
    _canonicalJson({ b: 1, a: [{ d: 2, c: undefined }, undefined] }),
    '{"a":[{"d":2},null],"b":1}',
  );
  assert.equal(_canonicalJson("é"), '"é"');
  assert.equal(_canonicalJson(new Date(0)), '"1970-01-01T00:00:00.000Z"');
  const loop: Record<string, unknown> = {};
  loop.self = loop;
  assert.throws(() => _canonicalJson(loop), /refers to itself/);
  // The same object twice, not nested in itself, is fine.
  const shared = { x: 1 };
  assert.equal(_canonicalJson([shared, shared]), '[{"x":1},{"x":1}]');
});
