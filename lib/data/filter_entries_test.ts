import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { filterEntries } from "./filter_entries.ts";

const df = pl.DataFrame({
  id: ["1", "2", "3", "4"],
  benchmark: ["cpc_bond", "cpc_bond", "r_idea", "management_reasoning"],
  study: ["brodeur2025_cpc", "kanjee2023", "cabral2024", "goh2025"],
  model: ["o1-preview", "gpt-4", "gpt-4", "physician + gpt-4"],
});

Deno.test("filterEntries() combines task, study and model criteria", () => {
  const ids = (f: Parameters<typeof filterEntries>[1]) =>
    filterEntries(df, f).getColumn("id").toArray();
  assert.deepEqual(ids({ task: "cpc_bond" }), ["1", "2"]);
  assert.deepEqual(ids({ task: "cpc_bond", model: "gpt-4" }), ["2"]);
  assert.deepEqual(ids({ study: /^brodeur/ }), ["1"]);
  assert.deepEqual(ids({ model: ["gpt-4", "o1-preview"], task: ["r_idea", "cpc_bond"] }), [
    "1",
    "2",
    "3",
  ]);
  assert.deepEqual(ids({ task: "bi_triage" }), []);
  assert.deepEqual(ids({ study: ["k*", "cabral2024"] }), ["2", "3"]);
  assert.deepEqual(ids({ task: "cpc_*", model: "*gpt-4" }), ["2"]);
});

Deno.test("filterEntries() rejects an unknown task key, listing the valid ones", () => {
  assert.throws(
    () => filterEntries(df, { task: "bond" }),
    /unknown task key "bond"; valid keys: management_reasoning, bi_triage/,
  );
});

Deno.test("filterEntries() names a study or model that no entry has, and those present", () => {
  assert.throws(
    () => filterEntries(df, { model: "gpt4" }),
    /no entries with model "gpt4"; present: gpt-4, o1-preview, physician \+ gpt-4/,
  );
});

Deno.test("filterEntries() matches a pattern as JavaScript would, flags included", () => {
  const ids = (f: Parameters<typeof filterEntries>[1]) =>
    filterEntries(df, f).getColumn("id").toArray();
  assert.deepEqual(ids({ model: /GPT/i }), ["2", "3", "4"]);
  assert.deepEqual(ids({ model: /GPT/ }), []);
  assert.deepEqual(ids({ model: /(?<=gpt-)4$/ }), ["2", "3", "4"]);
  // A global pattern's lastIndex must not make every other row fail.
  assert.deepEqual(ids({ model: /gpt/g }), ["2", "3", "4"]);
  assert.deepEqual(ids({ study: /^BRODEUR/i, task: "cpc_bond" }), ["1"]);
});
