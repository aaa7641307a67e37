import assert from "node:assert/strict";
import { _matcher } from "./_match.ts";

const present = ["goh2024", "goh2025", "brodeur2025_cpc", "a.b2024"];
const pick = (match: Parameters<typeof _matcher>[0]) =>
  [...present, "axb2024"].filter(_matcher(match, present, "no entries with study"));

Deno.test("_matcher() takes names, * patterns (the rest literal) and RegExps", () => {
  assert.deepEqual(pick("goh2025"), ["goh2025"]);
  assert.deepEqual(pick("goh*"), ["goh2024", "goh2025"]);
  assert.deepEqual(pick("a.b*"), ["a.b2024"], "a dot in a pattern is a dot");
  assert.deepEqual(pick("*cpc"), ["brodeur2025_cpc"]);
  assert.deepEqual(pick(["goh2024", "brodeur*"]), ["goh2024", "brodeur2025_cpc"]);
  assert.deepEqual(pick("x*"), [], "a pattern may match nothing");
  // A global RegExp would test every other name wrongly (lastIndex); its flag is dropped.
  assert.deepEqual(pick(/^goh/g), ["goh2024", "goh2025"]);
});

Deno.test("_matcher() names every name not present, and those present", () => {
  assert.throws(
    () => _matcher(["goh2023", "goh2024", "kanjee"], present, "t(): no entries with study"),
    /^Error: t\(\): no entries with study "goh2023", "kanjee"; present: a\.b2024, brodeur2025_cpc, goh2024, goh2025$/,
  );
});
