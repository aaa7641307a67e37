import assert from "node:assert/strict";
import { _suggest } from "./_config_suggest.ts";

Deno.test("_suggest() finds close spellings, transpositions included, ignoring case and -/_", () => {
  assert.equal(_suggest("opneai", ["openai", "anthropic"]), "openai");
  assert.equal(_suggest("nmae", ["name", "provider"]), "name");
  assert.equal(_suggest("Max-Token", ["max_tokens", "seed"]), "max_tokens");
  assert.equal(_suggest("cpc_bnd", ["cpc_bond", "cpc_management"]), "cpc_bond");
});

Deno.test("_suggest() takes a prefix or suffix of five or more characters, after close spellings", () => {
  assert.equal(_suggest("dataset", ["dataset_path", "output_dir"]), "dataset_path");
  assert.equal(_suggest("retries", ["max_retries", "timeout_seconds"]), "max_retries");
  assert.equal(_suggest("input", ["input_per_million", "output_per_million"]), "input_per_million");
  // Four characters are too few to guess from.
  assert.equal(_suggest("data", ["dataset_path"]), undefined);
});

Deno.test("_suggest() says nothing when no name is near", () => {
  assert.equal(_suggest("colour", ["dataset_path", "output_dir", "tasks", "threads"]), undefined);
  assert.equal(_suggest("bond_score", ["cpc_bond", "r_idea", "bi_triage"]), undefined);
  assert.equal(_suggest("gemini", ["openai", "azure", "anthropic"]), undefined);
  assert.equal(_suggest("anything", []), undefined);
});
